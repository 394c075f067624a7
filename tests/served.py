"""A real `weijian serve` (gunicorn, separate processes) over the test database's committed data,
and a client that behaves like a browser's session. For tests about concurrency, where Django's
in-process live server (one thread, one shared connection to an in-memory database) hides
exactly what goes wrong.

SQLite: the in-memory test database is copied to a file with SQLite's backup API, the server
opens that file through `WEIJIAN_DATABASE_URL=sqlite:///…` (the settings' SQLite options apply
to it as to an operator's URL), and when the server stops the file is copied back, so the test
reads what the server wrote through the ORM. PostgreSQL: the server connects to the test
database itself. Tests need committed data: `django_db(transaction=True)`.
"""

from __future__ import annotations

import http.client
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

WEIJIAN = str(Path(sys.executable).with_name("weijian"))


@dataclass
class Server:
    port: int
    database: Path | None  # the SQLite file it serves; None on PostgreSQL


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp_path: Path) -> tuple[str, Path | None]:
    if connection.vendor == "sqlite":
        served = tmp_path / "served.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(served)) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{served}", served
    url = urlsplit(os.environ["WEIJIAN_DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"])), None


@contextmanager
def serving(tmp_path: Path, **env: str) -> Iterator[Server]:
    """`weijian serve` on a free loopback port until the block ends; `env` adds variables."""
    url, served = _database_url(tmp_path)
    port = free_port()
    log = tmp_path / "server.log"
    environment = {
        **os.environ,
        "WEIJIAN_DATABASE_URL": url,
        "WEIJIAN_VAR_DIR": str(tmp_path / "var"),
        # Sessions made in the test (force_login) are signed with the test's key.
        "WEIJIAN_SECRET_KEY": settings.SECRET_KEY,
        **env,
    }
    with log.open("w") as out:
        server = subprocess.Popen(
            [WEIJIAN, "serve", "--port", str(port)], env=environment, stdout=out, stderr=out
        )
    try:
        _wait_until_up(server, port, log)
        yield Server(port, served)
    finally:
        server.terminate()
        server.wait(60)
    if served is not None:  # what the server wrote, back into the test database
        with closing(sqlite3.connect(served)) as copy:
            copy.backup(connection.connection)


def _wait_until_up(server: subprocess.Popen, port: int, log: Path) -> None:
    for _ in range(600):
        if server.poll() is not None:
            break
        try:
            if Browser(port).get("/login/").status == 200:
                return
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError(f"weijian serve did not start:\n{log.read_text()[-3000:]}")


@dataclass
class Answer:
    status: int
    location: str
    text: str


class Browser:
    """One user's cookies (session, CSRF token, messages) over plain HTTP requests."""

    def __init__(self, port: int, session_key: str = "") -> None:
        self.port = port
        self.cookies = {settings.SESSION_COOKIE_NAME: session_key} if session_key else {}

    def get(self, path: str) -> Answer:
        return self._send("GET", path, None)

    def post(self, path: str, fields: dict[str, str]) -> Answer:
        token = self.cookies.get(settings.CSRF_COOKIE_NAME, "")
        return self._send("POST", path, {**fields, "csrfmiddlewaretoken": token})

    def _send(self, method: str, path: str, fields: dict | None) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None if fields is None else urlencode(fields)
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value
        return Answer(response.status, response.headers.get("Location", ""), text)
