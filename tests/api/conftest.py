"""Helpers for the API tests: a Django test client speaking HTTP Basic as one of the world's
people, and JSON in and out."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

import pytest

from tests.world import PASSWORD


def basic_auth(username: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


class Api:
    """`api.as_("alice").get("/api/me")` → the response, with `.json()`."""

    def __init__(self, client, username: str | None = None) -> None:
        self.client = client
        self.headers = basic_auth(username) if username else {}

    def as_(self, username: str) -> Api:
        return Api(self.client, username)

    def _url(self, path: str, params=None) -> str:
        if not params:
            return path
        return f"{path}?{urlencode(params, doseq=True)}"

    def get(self, path: str, params=None, **extra):
        return self.client.get(self._url(path, params), **self.headers, **extra)

    def post(self, path: str, data=None, params=None, **extra):
        body = json.dumps(data, ensure_ascii=False) if data is not None else ""
        return self.client.post(
            self._url(path, params), body, content_type="application/json", **self.headers, **extra
        )

    def post_raw(self, path: str, body, content_type: str, params=None):
        return self.client.post(
            self._url(path, params), body, content_type=content_type, **self.headers
        )

    def delete(self, path: str, params=None):
        return self.client.delete(self._url(path, params), **self.headers)


@pytest.fixture
def api(client):
    return Api(client)
