"""Fetch one URL with an injected httpx client, never more than `max_bytes`."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from kwatch.errors import IngestError
from kwatch.ingest.sizes import too_big


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    data: bytes
    content_type: str | None  # media type, lower case, no parameters
    charset: str | None


def fetch(url: str, *, client: httpx.Client, max_bytes: int) -> Fetched:
    try:
        with client.stream("GET", url, follow_redirects=True) as response:
            if response.status_code >= 400:
                raise IngestError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise IngestError(too_big(int(declared), max_bytes))
            chunks: list[bytes] = []
            received = 0
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received > max_bytes:
                    raise IngestError(too_big(received, max_bytes, at_least=True))
                chunks.append(chunk)
            header = response.headers.get("content-type")
            return Fetched(
                url=str(response.url),
                data=b"".join(chunks),
                content_type=header.split(";")[0].strip().lower() if header else None,
                charset=response.charset_encoding,
            )
    except httpx.HTTPError as exc:
        raise IngestError(f"could not fetch: {' '.join(str(exc).split()) or type(exc).__name__}") from None
