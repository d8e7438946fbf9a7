"""Pure-ASGI middleware that makes the server safe to share, outermost first:

    SecurityHeaders  every response carries a strict Content-Security-Policy, nosniff,
                     Referrer-Policy and X-Frame-Options
    RequestQueue     at most `limit` requests worked on or waiting at once; one more is answered
                     at once with 503 and Retry-After instead of piling up until connections drop
    HostCheck        a Host header that is not a loopback name or an allowed host gets 421, so a
                     page on a rebound DNS name (DNS rebinding) cannot read the API

Each is a small class over the ASGI callable, so it also guards responses FastAPI never sees
(unknown routes, static files). Their errors are in the one error shape (`app.error_body`).
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Names a client on this machine uses; any port.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
#: Bind addresses that mean "every interface": not a name a client can use.
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::", "*"})

#: The pages load only their own scripts and styles: no inline script or <style>, no eval.
#: plotly.js sets styles through the DOM (allowed) and would add <style> elements of its own
#: (refused): the dashboard pre-empts those and serves their rules from /vendor/plotly.css.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
#: /api/docs is Swagger UI, which FastAPI loads from its CDN.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' https://cdn.jsdelivr.net; style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
DOCS_PATH = "/api/docs"
HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def security_headers(path: str) -> dict[str, str]:
    """The security headers of a response to `path`."""
    return {"content-security-policy": DOCS_CSP if path == DOCS_PATH else CSP, **HEADERS}


def host_name(header: str | None) -> str | None:
    """The name in a Host header, lower case, without port, brackets or a trailing dot; None
    when it is missing or malformed. `[::1]:8000` → `::1`, `Example.org.:80` → `example.org`."""
    value = (header or "").strip().lower()
    if value.startswith("["):
        end = value.find("]")
        name, rest = (value[1:end], value[end + 1 :]) if end > 0 else ("", "")
        if rest and not (rest.startswith(":") and rest[1:].isdigit()):
            return None
    elif value.count(":") == 1:
        name, port = value.split(":")
        if not port.isdigit():
            return None
    else:
        name = value  # a bare name, or a bare IPv6 address such as ::1
    name = name.rstrip(".")
    if not name or any(c.isspace() or c in "/\\@?#" for c in name):
        return None
    return name


def allowed_host_names(*groups: str | Iterable[str] | None) -> frozenset[str]:
    """The loopback names plus every name in `groups` (comma-separated text or lists of names;
    ports and brackets are dropped, wildcard bind addresses ignored)."""
    names = set(LOOPBACK_HOSTS)
    for group in groups:
        items = group.split(",") if isinstance(group, str) else list(group or ())
        for item in items:
            if item.strip() in WILDCARD_HOSTS:
                continue
            name = host_name(item)
            if name is not None:
                names.add(name)
    return frozenset(names)


def binds_loopback(host: str) -> bool:
    """Whether a server bound to `host` is reachable from this machine only."""
    name = host_name(host) or host
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def error_body(status: int, error: str, errors: list[Any] | None = None) -> dict[str, Any]:
    """The one error shape of the whole API."""
    return {"ok": False, "status": status, "error": error, "errors": errors or []}


def error_response(status: int, message: str, *, hint: str | None = None, headers: Mapping[str, str] | None = None) -> JSONResponse:
    detail = {"message": message, "hint": hint} if hint else {"message": message}
    text = f"{message} Hint: {hint}" if hint else message
    return JSONResponse(error_body(status, text, [detail]), status_code=status, headers=dict(headers or {}))


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in security_headers(scope.get("path", "")).items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequestQueue:
    """At most `limit` HTTP requests inside the app at once (worked on, or waiting for a worker
    thread); the next is answered 503 with `Retry-After` straight away. The app runs on one
    event loop, so a plain counter is exact."""

    def __init__(self, app: ASGIApp, *, limit: int, retry_after: int = 1) -> None:
        self.app = app
        self.limit = max(1, int(limit))
        self.retry_after = retry_after
        self.active = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.active >= self.limit:
            busy = error_response(
                503,
                f"The server is busy ({self.limit} requests at once).",
                hint=f"retry in {self.retry_after} s",
                headers={"Retry-After": str(self.retry_after)},
            )
            await busy(scope, receive, send)
            return
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1


class HostCheck:
    def __init__(self, app: ASGIApp, *, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # the app has no websockets; lifespan passes
            await self.app(scope, receive, send)
            return
        header = Headers(scope=scope).get("host")
        name = host_name(header)
        if name in self.allowed:
            await self.app(scope, receive, send)
            return
        if name is None:
            refusal = error_response(400, "This request has no valid Host header.", hint="send the server's name or address as Host")
        else:
            refusal = error_response(
                421,
                f"This server does not answer to the host name {name!r}.",
                hint="reach it by a name in the allowed_hosts setting (KWATCH_ALLOWED_HOSTS, or `kwatch serve --allow-host`)",
            )
        await refusal(scope, receive, send)


def check_port(host: str, port: int) -> None:
    """ConfigError, with the fix, when the server could not listen on `port` of `host` because
    another program does (or the port needs privileges); any other failure is the server's to
    report. A probe bound the way uvicorn binds (SO_REUSEADDR), then closed."""
    from kwatch.errors import ConfigError

    if port == 0:
        return
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError):
        return
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise ConfigError(
                    f"Port {port} on {host} is in use.",
                    hint=f"stop the program that listens on it, or give another port: `kwatch serve --port {port + 1 if port < 65535 else 8000}`",
                ) from None
            if err.errno == errno.EACCES:
                raise ConfigError(f"Port {port} needs privileges this user lacks.", hint="give a port above 1023, such as --port 8000") from None


def uvicorn_options(max_requests: int) -> dict[str, Any]:
    """What `kwatch serve` gives uvicorn besides host and port. uvicorn's own limit (a plain 503
    that counts idle keep-alive connections too) sits well above ours, so a busy server answers
    in the error shape with Retry-After; a deep listen backlog, so a burst of connections waits
    instead of being refused; idle keep-alive connections closed after 5 s."""
    return {"limit_concurrency": max(4 * max_requests, max_requests + 256), "backlog": 2048, "timeout_keep_alive": 5}


def guard(app: Any, *, allowed_hosts: Iterable[str], max_requests: int) -> None:
    """Wrap a Starlette/FastAPI app in the three middlewares (the last added runs first)."""
    app.add_middleware(HostCheck, allowed=allowed_hosts)
    app.add_middleware(RequestQueue, limit=max_requests)
    app.add_middleware(SecurityHeaders)
