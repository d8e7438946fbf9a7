"""Fetch one URL with an injected httpx client, never more than `max_bytes` and never for longer
than `deadline` seconds in all.

httpx's own timeout bounds each wait for a byte, so a server dripping one byte every few seconds
would hold a fetch forever; the deadline bounds the whole answer. It is checked against an
injected monotonic clock between reads, and each wait for a byte is capped at the deadline too,
so a fetch ends at most about twice the deadline after it starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from kwatch.errors import IngestError
from kwatch.ingest.sizes import too_big

#: The default of setting http_deadline, in seconds.
DEFAULT_DEADLINE = 120.0


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    data: bytes
    content_type: str | None  # media type, lower case, no parameters
    charset: str | None


def fetch(
    url: str,
    *,
    client: httpx.Client,
    max_bytes: int,
    deadline: float = DEFAULT_DEADLINE,
    clock: Callable[[], float] = time.monotonic,
) -> Fetched:
    started = clock()

    def check_deadline() -> None:
        if clock() - started > deadline:
            raise IngestError(f"could not fetch: no complete answer within the {deadline:g} s deadline (setting http_deadline)")

    try:
        with client.stream("GET", url, follow_redirects=True, timeout=_capped(client.timeout, deadline)) as response:
            check_deadline()
            if response.status_code >= 400:
                raise IngestError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise IngestError(too_big(int(declared), max_bytes))
            chunks: list[bytes] = []
            received = 0
            for chunk in response.iter_bytes():
                check_deadline()
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
    except httpx.TimeoutException as exc:
        check_deadline()  # a wait capped by the deadline ran out: say it was the deadline
        raise IngestError(f"could not fetch: {_one_line(exc)} (setting http_timeout)") from None
    except httpx.HTTPError as exc:
        raise IngestError(f"could not fetch: {_one_line(exc)}") from None
    except httpx.InvalidURL as exc:
        raise IngestError(f"not a URL that can be fetched: {_one_line(exc)}") from None


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _capped(timeout: httpx.Timeout, deadline: float) -> httpx.Timeout:
    """The client's timeouts, none longer than the deadline (None means "no limit")."""

    def cap(seconds: float | None) -> float:
        return deadline if seconds is None else min(seconds, deadline)

    return httpx.Timeout(connect=cap(timeout.connect), read=cap(timeout.read), write=cap(timeout.write), pool=cap(timeout.pool))
