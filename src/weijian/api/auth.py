"""HTTP Basic and session authentication, as DHIS2 accepts both.

A request carrying an Authorization header is judged by it alone: a wrong password is a 401,
never a fall-through to the session (and never a CSRF complaint). Without the header the
Django session counts, and then unsafe methods need the CSRF token, as in the web pages.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from ninja.security import HttpBasicAuth
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from .errors import ApiError

REALM = "weijian"


class BasicAuth(HttpBasicAuth):
    def authenticate(self, request, username: str, password: str):
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
        if signed_in and self.csrf and not exempt and check_csrf(request):
            raise ApiError(403, "CSRF 校验失败：通过网页会话调用接口时，请求须带 X-CSRFToken 头")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


def www_authenticate() -> dict[str, str]:
    return {"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'}
