"""A password someone else chose (a new user, an administrator's reset) must be replaced by
the user's own before any other page opens.

At login the flag is copied into the session, so the middleware asks no database on later
requests. The API (tokens, HTTP Basic) has no session and is not redirected; a temporary
password is still only good until its owner changes it.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect

MUST_CHANGE = "accounts_must_change_password"
# What a user with a temporary password may still open: the change page, logging out, files.
ALLOWED_PREFIXES = ("/account/password/required/", "/logout/", "/static/", "/api/")


@receiver(user_logged_in)
def remember_forced_change(sender, request, user, **kwargs):
    from .models import AccountState

    if request is None or not hasattr(request, "session"):
        return
    state = AccountState.objects.filter(user=user, must_change_password=True).exists()
    if state:
        request.session[MUST_CHANGE] = True


class ForcePasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(MUST_CHANGE)
            and request.user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            return redirect("account_password_required")
        return self.get_response(request)
