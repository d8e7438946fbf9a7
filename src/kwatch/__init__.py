"""Khorasan Watch: an evidence-linked open-source dataset of ISKP attacks, raids, plots, arrests
and propaganda releases.

    import kwatch
    with kwatch.open("kwatch.db") as kw:
        kw.ingest(["reports/"])
        for event in kw.events(type="attack"):
            ...
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Kwatch", "open", "sample_corpus_path", "__version__"]


def __getattr__(name: str) -> Any:
    # Imported lazily so `import kwatch.pipeline` does not load the store and every reader.
    if name in ("Kwatch", "open", "sample_corpus_path"):
        from kwatch import api

        return getattr(api, name)
    raise AttributeError(f"module 'kwatch' has no attribute {name!r}")
