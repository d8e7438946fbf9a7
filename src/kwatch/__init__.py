"""Khorasan Watch: an evidence-linked open-source dataset of ISKP attacks, raids, plots, arrests
and propaganda releases."""

__version__ = "0.1.0"
