"""Authentication: personal access tokens, HTTP Basic and the web session, as DHIS2 accepts.

A request carrying an Authorization header is judged by it alone: a wrong password or token
is a 401, never a fall-through to the session (and never a CSRF complaint). Without the
header the Django session counts, and then unsafe methods need the CSRF token, as in the web
pages.

Browsers: a 401 never asks for Basic credentials from a browser (no `WWW-Authenticate: Basic`
when the request looks like one), so no browser ever shows a password dialog for the API and
caches what was typed — credentials a hostile page could then have it send. And a write
authenticated by Basic or the session that comes from another site (a foreign Origin, or
Sec-Fetch-Site cross-site) is refused: the `/api/dataValues?…&value=…` POST from a form on
another site. A token is never sent by a browser on its own, so it needs neither rule.
Logins by Basic are counted and locked out by django-axes exactly like the login page's.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import authenticate
from ninja.security import HttpBasicAuth
from ninja.security.apikey import APIKeyCookie, APIKeyHeader
from ninja.utils import check_csrf

from weijian.accounts.queries import user_for_token

from .errors import ApiError

REALM = "weijian"
TOKEN_SCHEME = "ApiToken"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class TokenAuth(APIKeyHeader):
    """`Authorization: ApiToken d2pat_…`, DHIS2 2.39+'s personal access tokens."""

    param_name = "Authorization"
    openapi_description = "个人访问令牌：Authorization: ApiToken d2pat_…（在“我的账户”页面创建）"

    def authenticate(self, request, key):
        scheme, _, token = (key or "").partition(" ")
        if scheme.lower() != TOKEN_SCHEME.lower():
            return None
        user = user_for_token(token.strip())
        if user is not None:
            request.user = user
        return user


class BasicAuth(HttpBasicAuth):
    def authenticate(self, request, username: str, password: str):
        refuse_cross_site_write(request)
        user = authenticate(request, username=username, password=password)
        if user is None or not user.is_active:
            return None
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    param_name: str = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if request.headers.get("Authorization"):
            return None
        return super().__call__(request)

    def _get_key(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if signed_in and not exempt:
            refuse_cross_site_write(request)
        if signed_in and self.csrf and not exempt and check_csrf(request):
            raise ApiError(403, "CSRF 校验失败：通过网页会话调用接口时，请求须带 X-CSRFToken 头")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


def refuse_cross_site_write(request) -> None:
    """A write whose browser says it comes from another site is refused (403) before any
    password is checked. Clients that are not browsers send neither header."""
    if request.method in SAFE_METHODS:
        return
    fetch_site = request.headers.get("Sec-Fetch-Site", "").lower()
    origin = request.headers.get("Origin")
    if fetch_site == "cross-site" or (origin is not None and not _own_origin(request, origin)):
        raise ApiError(
            403,
            "拒绝跨站写入：来自其他网站页面的写操作不能使用用户名密码或网页登录会话；"
            "程序调用请使用个人访问令牌（Authorization: ApiToken …）",
        )


def _own_origin(request, origin: str) -> bool:
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    parts = urlsplit(origin)
    if origin == "null" or not parts.scheme or not parts.netloc:
        return False
    return parts.scheme == request.scheme and parts.netloc == request.get_host()


def looks_like_a_browser(request) -> bool:
    """Browsers send Sec-Fetch-* (all current ones) or ask for HTML when navigating; scripts
    and DHIS2 clients (curl, requests, httpx) do neither."""
    headers = request.headers
    return (
        "Sec-Fetch-Mode" in headers
        or "text/html" in headers.get("Accept", "")
        or headers.get("X-Requested-With") == "XMLHttpRequest"
    )


def www_authenticate(request) -> dict[str, str]:
    """The 401 challenge: Basic for programs (curl sends the password only when asked), our
    token scheme for browsers, which has no dialog to show."""
    if looks_like_a_browser(request):
        return {"WWW-Authenticate": f'{TOKEN_SCHEME} realm="{REALM}"'}
    return {"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'}
