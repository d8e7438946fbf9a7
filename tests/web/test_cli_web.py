"""`kwatch token` and `kwatch serve` from the command line."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner

import kwatch
from kwatch.cli import cli


def test_token_create_prints_a_working_token_once(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "token", "create", "--role", "analyst", "--name", "carol"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    with kwatch.open(str(db_path)) as kw:
        assert kw.authenticate(token).role == "analyst"
    listed = CliRunner().invoke(cli, ["--db", str(db_path), "token", "list"])
    assert "carol" in listed.output and token not in listed.output


def test_token_create_refuses_unknown_roles(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "token", "create", "--role", "root"])
    assert result.exit_code == 2


def test_serve_binds_loopback_and_serves_the_dashboard(db_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "kwatch", "--db", str(db_path), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = server.stdout.readline() if server.stdout else ""
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline and server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.1)
        assert response.status_code == 200 and "Khorasan Watch" in response.text
        assert _listening_addresses(port) == {"127.0.0.1"}
    finally:
        server.terminate()
        server.wait(timeout=10)


def _listening_addresses(port: int) -> set[str]:
    """IPv4 addresses with a socket listening on `port`, from the kernel's table (Linux)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def _serve_output(db_path: Path, monkeypatch: Any, *args: str, env: dict[str, str] | None = None) -> tuple[Any, dict[str, Any]]:
    """`kwatch serve ARGS` with uvicorn.run replaced, so nothing binds: (result, run's kwargs)."""
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: seen.update(kwargs, app=app))
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    return CliRunner().invoke(cli, ["--db", str(db_path), "serve", *args]), seen


def test_serve_off_loopback_says_what_it_exposes(db_path: Path, monkeypatch: Any) -> None:
    result, seen = _serve_output(db_path, monkeypatch, "--host", "0.0.0.0", "--allow-host", "kwatch.lan", env={"KWATCH_ALLOWED_HOSTS": "dash.example"})
    assert result.exit_code == 0, result.output
    assert "reachable from other machines" in result.stdout and "token or a login" in result.stdout
    assert "Hosts accepted: 127.0.0.1, ::1, localhost, dash.example, kwatch.lan" in result.stdout
    assert "in clear" in result.stderr
    assert seen["host"] == "0.0.0.0" and seen["limit_concurrency"] > 64 and seen["backlog"] >= 2048
    assert seen["app"].state.allowed_hosts >= {"kwatch.lan", "dash.example", "localhost"}


def test_serve_on_a_wildcard_without_names_warns_of_421(db_path: Path, monkeypatch: Any) -> None:
    result, _ = _serve_output(db_path, monkeypatch, "--host", "0.0.0.0")
    assert "other machines get 421" in result.stderr


def test_serve_accepts_the_address_it_binds(db_path: Path, monkeypatch: Any) -> None:
    result, seen = _serve_output(db_path, monkeypatch, "--host", "192.0.2.10", env={"KWATCH_WEB_MAX_REQUESTS": "8"})
    assert "192.0.2.10" in seen["app"].state.allowed_hosts and "other machines get 421" not in result.stderr
    assert seen["limit_concurrency"] > 8


def test_serve_on_loopback_says_so(db_path: Path, monkeypatch: Any) -> None:
    result, _ = _serve_output(db_path, monkeypatch)
    assert "this machine only" in result.stdout and result.stderr == ""
