"""Errors kwatch raises. Core code raises these and never prints or exits; the CLI turns them
into one line with the fix.

    KwatchError                  base: every error a user can act on
    ├── ConfigError              a bad setting, option or database URL
    ├── IngestError              one input (file, URL, message) could not be read
    ├── StoreError               the store cannot be opened or written
    ├── PipelineError            an extraction stage or pipeline is misconfigured
    ├── ExportError              an export cannot be written
    └── EvalError                a gold file or corpus cannot be scored

A `Bug` is not a KwatchError: it marks a broken internal invariant and always shows a traceback.
"""

from __future__ import annotations


class KwatchError(Exception):
    """An error the user can fix; `hint` says how."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} Hint: {self.hint}" if self.hint else self.message


class ConfigError(KwatchError):
    """A bad setting, option or database URL."""


class IngestError(KwatchError):
    """One input could not be read; the batch goes on without it."""


class StoreError(KwatchError):
    """The store cannot be opened or written."""


class PipelineError(KwatchError):
    """An extraction stage or pipeline is misconfigured."""


class ExportError(KwatchError):
    """An export cannot be written."""


class EvalError(KwatchError):
    """A gold file or corpus cannot be scored."""


class Bug(RuntimeError):
    """An internal invariant was broken: this is a bug in kwatch, please report it."""
