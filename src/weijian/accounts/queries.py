"""Reads for the account page and the API's token authentication."""

from __future__ import annotations

from django.utils import timezone

from . import tokens
from .models import ApiToken


def tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def user_for_token(text: str):
    """The active owner of a usable token, or None. Marks the token as used (at most once a
    minute, so a busy client does not write on every request)."""
    if not tokens.well_formed(text):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=tokens.digest(text)).first()
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
