"""Every write to accounts: tokens created and revoked, lockouts lifted, password changes
recorded; each in a transaction, each checked and recorded as an AccountEvent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from . import tokens
from .models import AccountEvent, ApiToken

TOKEN_DAYS = (30, 90, 180, 365)  # the lifetimes offered; DHIS2 also requires an expiry
MAX_TOKENS = 20  # live tokens per user: more is a sign of tokens not being revoked


class AccountError(Exception):
    """A refused account action; the message is Chinese and shown as is."""


def _event(user, action: str, by, detail: str = "") -> None:
    AccountEvent.objects.create(
        user=user, username=user.get_username(), action=action, by=by, at=timezone.now(),
        detail=detail[:200],
    )  # fmt: skip


def create_token(user, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for `user` (who must be the one asking): returns the row and the token
    text, which is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise AccountError("请填写令牌的用途（例如：DHIS2 同步脚本）")
    if len(name) > 100:
        raise AccountError("用途过长（最多 100 个字）")
    if days not in TOKEN_DAYS:
        raise AccountError(f"有效期只能为 {'、'.join(str(d) for d in TOKEN_DAYS)} 天")
    now = timezone.now()
    with transaction.atomic():
        live = ApiToken.objects.select_for_update().filter(
            user=user, revoked_at__isnull=True, expires_at__gt=now
        )
        if len(live) >= MAX_TOKENS:
            raise AccountError(f"有效令牌已有 {MAX_TOKENS} 个，请先撤销不用的令牌")
        text = tokens.generate()
        token = ApiToken.objects.create(
            user=user,
            name=name,
            digest=tokens.digest(text),
            shown=tokens.shown(text),
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
        _event(user, AccountEvent.Action.TOKEN_CREATED, user, f"{name}（{token.shown}）")
    return token, text


def revoke_token(user, token_id: int) -> ApiToken:
    """Revoke one of `user`'s own tokens. Revoking twice changes nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise AccountError("找不到该令牌")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            _event(user, AccountEvent.Action.TOKEN_REVOKED, user, f"{token.name}（{token.shown}）")
    return token


def change_password(user, new_password: str) -> None:
    """Set `user`'s own password (already checked by the page's form: the old password and
    the validators) and record the change, in one transaction."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        _event(user, AccountEvent.Action.PASSWORD_CHANGED, user)


def unlock(user, by=None, detail: str = "") -> int:
    """Lift the login lockout of `user` (django-axes' failed attempts by that username);
    returns how many failure records were cleared."""
    from axes.utils import reset

    with transaction.atomic():
        cleared = reset(username=user.get_username())
        _event(user, AccountEvent.Action.UNLOCKED, by, detail or f"清除失败记录 {cleared} 条")
    return cleared
