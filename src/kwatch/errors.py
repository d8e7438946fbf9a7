"""Errors kwatch raises. Core code raises these and never prints or exits; the CLI turns them
into one line with the fix.

    KwatchError                  base: every error a user can act on
    ├── ConfigError              a bad setting, option or database URL
    ├── IngestError              one input (file, URL, message) could not be read
    ├── StoreError               the store cannot be opened or written
    ├── PipelineError            an extraction stage or pipeline is misconfigured
    ├── ExportError              an export cannot be written
    ├── EvalError                a gold file or corpus cannot be scored
    ├── QueryError               a filter or page request that cannot be answered
    ├── ResolutionError          a merge or split names an event or document that is not there
    ├── ReviewError              a review request that cannot be applied
    │   └── EventNotFound        no event has this id
    └── AuthError                a request lacks the credentials or the role it needs
        ├── Unauthenticated      no token, or an unknown one (HTTP 401)
        └── Forbidden            a valid token whose role may not do this (HTTP 403)

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


class QueryError(KwatchError):
    """A filter or page request that cannot be answered (bad date, limit out of range)."""


class ResolutionError(KwatchError):
    """An analyst's merge or split names an event or document that is not there."""


class ReviewError(KwatchError):
    """A review request that cannot be applied: unknown field, bad value, missing reason."""


class EventNotFound(ReviewError):
    """No event has this id."""


class AuthError(KwatchError):
    """A request lacks the credentials or the role it needs."""


class Unauthenticated(AuthError):
    """No token, or one the store does not know (HTTP 401)."""


class Forbidden(AuthError):
    """A valid token whose role may not do this (HTTP 403)."""


class Bug(RuntimeError):
    """An internal invariant was broken: this is a bug in kwatch, please report it."""
