"""Who a request acts for, and the dashboard's login.

A request carries a bearer token (`Authorization: Bearer …`) or a session cookie; the cookie is
set by `POST /login`, which takes a token (checked as any bearer token is) and stores only the
sha256 of the cookie's random secret. The cookie is HttpOnly, SameSite=Strict, Path=/, and
Secure when the request came over https. A write authenticated by the cookie must also come from
this server's own pages: its Origin header (or, lacking one, its Referer) must be this server's
origin — the CSRF check, on top of SameSite=Strict.

Failed logins wait `FAILURE_DELAY` seconds, and a client address with `FAILURE_LIMIT` failures
within `FAILURE_WINDOW` seconds gets 429 until the window passes.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kwatch.auth import Principal
from kwatch.errors import Forbidden, Unauthenticated
from kwatch.web.templates import render

SESSION_COOKIE = "kwatch_session"
FAILURE_DELAY = 0.5
FAILURE_WINDOW = 60.0
FAILURE_LIMIT = 10
#: Client addresses with recent failures kept before the stale ones are swept out.
MAX_TRACKED_CLIENTS = 10_000
#: A login form is a token and a path; anything bigger is not one.
MAX_FORM_BYTES = 4096
_UNSET = object()


class LoginRequired(Exception):
    """A page asked for by a browser without credentials: answered with a redirect to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def session_of(request: Request) -> Principal | None:
    """The principal of the request's session cookie (looked up once per request); None when
    there is no cookie, or it is unknown, expired or its token revoked."""
    cached = getattr(request.state, "kwatch_session", _UNSET)
    if cached is _UNSET:
        cached = request.app.state.kw.session_principal(request.cookies.get(SESSION_COOKIE))
        request.state.kwatch_session = cached
    return cached  # type: ignore[return-value]


def credentials(request: Request, *, write: bool = False) -> Principal | None:
    """The principal of the bearer token (checked; a bad one is refused) or else of the session
    cookie; None when the request has neither. `write`: a cookie must pass the CSRF check."""
    token = bearer(request)
    if token is not None:
        return request.app.state.kw.authenticate(token)  # type: ignore[no-any-return]
    principal = session_of(request)
    if principal is not None and write:
        check_origin(request)
    return principal


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', '')}".lower()


def check_origin(request: Request) -> None:
    """CSRF: the request must come from a page of this server (Origin, else Referer)."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        referer = urlsplit(request.headers.get("referer", ""))
        origin = f"{referer.scheme}://{referer.netloc}" if referer.scheme and referer.netloc else ""
    if origin.lower() != own_origin(request):
        raise Forbidden(
            "A write made with the session cookie must come from this server's own pages.",
            hint="use the dashboard's buttons, or send the token as 'Authorization: Bearer TOKEN'",
        )


def safe_next(value: str | None) -> str:
    """Where to go after logging in: a path on this server, never another site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value or any(ord(c) < 32 for c in value):
        return "/"
    return value


def login_url(next_path: str) -> str:
    return "/login" if next_path == "/" else f"/login?next={quote(next_path, safe='/')}"


class FailedLogins:
    """Recent failed logins per client address, for the rate limit."""

    def __init__(self, *, limit: int = FAILURE_LIMIT, window: float = FAILURE_WINDOW, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self._clock = limit, window, clock
        self._seen: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self._seen[client]
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._seen[client]
            return deque()
        return times

    def blocked(self, client: str) -> float:
        """Seconds until `client` may try again; 0 when it may now."""
        now = self._clock()
        times = self._recent(client, now)
        return times[0] + self.window - now if len(times) >= self.limit else 0.0

    def record(self, client: str) -> None:
        now = self._clock()
        if len(self._seen) >= MAX_TRACKED_CLIENTS:  # many addresses: forget those out of the window
            for stale in [c for c, times in self._seen.items() if times[-1] <= now - self.window]:
                del self._seen[stale]
        self._seen[client].append(now)


def add_login(app: FastAPI) -> None:
    """GET/POST /login and POST /logout."""
    failures = FailedLogins()

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(login_url(exc.next_path), status_code=303)

    def login_page(request: Request, *, next_path: str, error: str | None = None, status: int = 200) -> HTMLResponse:
        response = render("login.html", status=status, next=next_path, error=error, session=session_of(request))
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request, next: str | None = None) -> HTMLResponse:  # noqa: A002 - the query parameter's name
        return login_page(request, next_path=safe_next(next))

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        body = await request.body()
        form = parse_qs(body[: MAX_FORM_BYTES + 1].decode("utf-8", "replace")) if len(body) <= MAX_FORM_BYTES else {}
        next_path = safe_next((form.get("next") or ["/"])[0])
        try:
            check_origin(request)  # no logging a victim into someone else's session (login CSRF)
        except Forbidden as err:
            return login_page(request, next_path=next_path, error=err.message, status=403)
        client = request.client.host if request.client else "?"
        wait = failures.blocked(client)
        if wait:
            page = login_page(request, next_path=next_path, error=f"Too many failed logins; try again in {int(wait) + 1} s.", status=429)
            page.headers["Retry-After"] = str(int(wait) + 1)
            return page
        token = (form.get("token") or [""])[0].strip()
        kw = request.app.state.kw
        try:
            session = await run_in_threadpool(kw.login, token)
        except Unauthenticated:
            failures.record(client)
            await asyncio.sleep(FAILURE_DELAY)
            return login_page(request, next_path=next_path, error="That token is not valid (or it was revoked).", status=401)
        response = RedirectResponse(next_path, status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            session.secret,
            max_age=int(float(kw.settings["web_session_hours"]) * 3600),
            path="/",
            secure=request.url.scheme == "https",
            httponly=True,
            samesite="strict",
        )
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        secret = request.cookies.get(SESSION_COOKIE)
        if secret:
            check_origin(request)
            request.app.state.kw.logout(secret)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/", secure=request.url.scheme == "https", httponly=True, samesite="strict")
        return response


def page_principal(request: Request) -> Any:
    """Reads for an HTML page: as `app.reader`, but a browser without credentials is sent to /login."""
    try:
        return reader(request)
    except Unauthenticated:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(safe_next(path)) from None


def reader(request: Request) -> Principal | None:
    """Reads: open on loopback (or to all with open_reads=True); otherwise any valid token or session."""
    principal = credentials(request)
    if principal is not None:
        return principal
    allowed = request.app.state.open_reads
    if allowed is None:
        allowed = _is_loopback(request.client.host if request.client else None)
    if not allowed:
        raise Unauthenticated(
            "Reading from outside this machine needs a bearer token or a login.",
            hint="send 'Authorization: Bearer TOKEN' (any role), or log in at /login",
        )
    return None


def _is_loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
