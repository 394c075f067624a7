"""我的账户: change the password, create and revoke personal access tokens for the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from weijian.once import guard as once

from . import actions, queries
from .forced import MUST_CHANGE

NEW_TOKEN = "accounts_new_token"  # the session key holding a new token until it is shown once


def _page(request, password_form=None, status=200):
    context = {
        "password_form": password_form or PasswordChangeForm(request.user),
        "tokens": queries.tokens_of(request.user),
        "new_token": request.session.pop(NEW_TOKEN, None),
        "days": actions.TOKEN_DAYS,
    }
    return render(request, "accounts/account.html", context, status=status)


@login_required
def account(request):
    return _page(request)


@login_required
@require_POST
def change_password(request):
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _page(request, password_form=form, status=400)
    actions.change_password(request.user, form.cleaned_data["new_password1"])
    update_session_auth_hash(request, request.user)
    request.session.pop(MUST_CHANGE, None)
    messages.success(request, "密码已修改")
    return redirect("account")


@login_required
@require_POST
def create_token(request):
    try:
        days = int(request.POST.get("days", ""))
    except ValueError:
        days = 0
    try:
        # A double click must not leave a second valid token nobody ever saw.
        with once.claim(request) as claimed:
            _token, text = actions.create_token(request.user, request.POST.get("name", ""), days)
            claimed.url = reverse("account")
    except once.Replayed as replay:
        return once.answer_replay(request, replay, "account")
    except actions.AccountError as exc:
        messages.error(request, str(exc))
        return redirect("account")
    # Shown once, on the page the redirect leads to; a reload does not show it again.
    request.session[NEW_TOKEN] = text
    return redirect("account")


@login_required
@require_POST
def revoke_token(request, token_id: int):
    try:
        token = actions.revoke_token(request.user, token_id)
        messages.success(request, f"令牌“{token.name}”已撤销，使用它的程序将无法再访问接口")
    except actions.AccountError as exc:
        messages.error(request, str(exc))
    return redirect("account")


@login_required
def password_required(request):
    """The only page a user with a temporary password sees until they choose their own."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.change_password(request.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        request.session.pop(MUST_CHANGE, None)
        messages.success(request, "密码已设置，请牢记新密码")
        return redirect("task_board")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/password_required.html", {"password_form": form}, status=status
    )


@login_required
@require_POST
def dismiss_hints(request):
    actions.dismiss_hints(request.user)
    return redirect("task_board")
