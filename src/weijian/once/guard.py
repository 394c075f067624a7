"""claim(): run a form's write once per token (see the package docstring)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect

from .models import UsedFormToken

FIELD = "once"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
REPLAYED_MESSAGE = "这张表单已经提交过（重复点击、刷新或返回后重新提交），未重复保存。"


def new_token() -> str:
    return secrets.token_urlsafe(18)  # 144 random bits


class Replayed(Exception):
    """The token was used before; `url` shows what that submission produced ("" if unknown)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


@dataclass
class Claimed:
    url: str = ""  # set by the view: where the result of this submission is seen


@contextmanager
def claim(request) -> Iterator[Claimed]:
    """Run the body at most once per form token, in one transaction with the token's record."""
    token = request.POST.get(FIELD, "")
    if not _TOKEN.fullmatch(token):
        yield Claimed()  # no token: not a page of ours, or an old one; nothing to guard
        return
    user = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        try:
            with transaction.atomic():
                UsedFormToken.objects.create(token=token, user=user)
        except IntegrityError:
            raise Replayed(_previous_url(token, user)) from None
        claimed = Claimed()
        yield claimed
        if claimed.url:
            UsedFormToken.objects.filter(pk=token).update(result_url=claimed.url[:500])


def _previous_url(token: str, user) -> str:
    row = UsedFormToken.objects.filter(pk=token).values_list("user_id", "result_url").first()
    if row is None or row[0] != (user.pk if user else None):
        return ""  # another person's token (copied?): show them nothing of it
    return row[1]


def answer_replay(request, replay: Replayed, fallback: str, *args) -> HttpResponseRedirect:
    """The answer to a replay: say so, and show what the first submission produced."""
    messages.info(request, REPLAYED_MESSAGE)
    return redirect(replay.url or redirect(fallback, *args).url)
