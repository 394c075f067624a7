"""Refusing to serve with settings that are only fit for development.

Called by wsgi.py (what gunicorn or any WSGI server loads) and by `weijian serve`, never at
settings import, so management commands and tests run without a production key.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_default_secret_key() -> None:
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "拒绝启动：未设置 WEIJIAN_SECRET_KEY，正在使用公开的默认密钥（会话和 CSRF 令牌可被伪造）。"
            '请设置 WEIJIAN_SECRET_KEY（例如 python -c "import secrets; print(secrets.token_urlsafe(50))"），'
            "或仅在本机开发时设置 WEIJIAN_DEBUG=true。"
            " / Refusing to start with the default SECRET_KEY while DEBUG is off: set WEIJIAN_SECRET_KEY."
        )
