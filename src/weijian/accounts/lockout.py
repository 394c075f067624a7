"""Login throttling and lockout with django-axes, for the login page and HTTP Basic alike.

Two tiers, counted by axes over a sliding window (WEIJIAN_LOGIN_COOLOFF_MINUTES):
- an account (username) is locked after WEIJIAN_LOGIN_FAILURE_LIMIT failures, whatever the
  address: a password is never guessed by spreading tries over many machines;
- an address is locked after WEIJIAN_LOGIN_ADDRESS_LIMIT failures, whatever the usernames:
  one machine cannot try a password against every account, nor burn a worker's CPU on
  password hashes (a locked attempt is refused before any hash is computed).
The address limit is higher because a hospital's office shares one address. Every failure
during a lockout restarts the window, so a persistent attacker stays locked out; an
administrator lifts a lockout with `weijian unlock USERNAME` or in the admin.
"""

from __future__ import annotations

import math

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from weijian.client_ip import request_address


class LockoutBackend(AxesStandaloneBackend):
    """axes' check before the password backend. A call without a request (Django's test
    client, the shell, management commands) is no login from the network: not counted."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class TieredHandler(AxesDatabaseHandler):
    """axes' database handler with a separate limit for the address tier: the address's
    failures are scaled so that WEIJIAN_LOGIN_ADDRESS_LIMIT of them count as the account
    limit. AXES_LOCKOUT_PARAMETERS lists the account tier first, then the address tier."""

    def get_failures(self, request, credentials=None) -> int:
        by_account, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        limit = settings.AXES_FAILURE_LIMIT
        scaled = math.floor(by_address * limit / settings.WEIJIAN_LOGIN_ADDRESS_LIMIT)
        return max(by_account, scaled)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or — only when that is one of the trusted proxies
    (WEIJIAN_TRUSTED_PROXIES) — the nearest address in X-Forwarded-For that is not a trusted
    proxy itself. A client cannot pick its own address by sending the header directly. One
    implementation for lockouts and surveys: weijian.client_ip."""
    return request_address(request.META, settings.WEIJIAN_TRUSTED_PROXIES) or None


def locked_message() -> str:
    minutes = settings.WEIJIAN_LOGIN_COOLOFF_MINUTES
    return (
        f"登录失败次数过多，账户或所在地址已被暂时锁定：请 {minutes} 分钟后再试，"
        "或请管理员解除锁定。锁定期间的每次失败都会重新计时。"
    )


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """What a locked-out login gets: the API a DHIS2-style JSON message, pages the login
    form with the Chinese explanation. 429 Too Many Requests either way."""
    if request.path.startswith("/api/"):
        body = {"httpStatus": "Too Many Requests", "httpStatusCode": 429, "status": "ERROR",
                "message": locked_message()}  # fmt: skip
        return JsonResponse(body, status=429, json_dumps_params={"ensure_ascii": False})
    context = {"locked": locked_message(), "next": request.POST.get("next", "")}
    return render(request, "web/login.html", context, status=429)
