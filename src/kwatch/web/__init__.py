"""The web API and dashboard (FastAPI). `create_app(kw_or_db)` builds the app; `kwatch serve` runs it."""

from kwatch.web.app import create_app, error_body

__all__ = ["create_app", "error_body"]
