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


def favourite_codes(user, kind: str) -> set[str]:
    from .models import Favourite

    if not user.is_authenticated:
        return set()
    return set(Favourite.objects.filter(user=user, kind=kind).values_list("code", flat=True))


def people(scope, text: str = "", unit=None):
    """Users holding a role at a unit the manager manages (optionally under `unit`, or whose
    username or name contains `text`), superusers left to the admin site."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from weijian.orgs.models import RoleAssignment
    from weijian.orgs.scope import Can

    managed = scope.filter(RoleAssignment.objects.all(), Can.MANAGE)
    if unit is not None:
        managed = managed.filter(org_unit__path__startswith=unit.path)
    users = get_user_model().objects.filter(pk__in=managed.values("user_id"), is_superuser=False)
    text = (text or "").strip()
    if text:
        users = users.filter(
            Q(username__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
        )
    return users.order_by("username")


def managed_roles(scope, users):
    """{user id: [RoleAssignment inside the manager's subtree]} — roles elsewhere stay unseen."""
    from weijian.orgs.models import RoleAssignment, label_with_ancestors
    from weijian.orgs.scope import Can

    rows = list(
        scope.filter(RoleAssignment.objects.filter(user__in=users), Can.MANAGE)
        .select_related("org_unit")
        .order_by("org_unit__path", "role")
    )
    label_with_ancestors([r.org_unit for r in rows])
    result: dict[int, list] = {}
    for row in rows:
        result.setdefault(row.user_id, []).append(row)
    return result


def person_events(person, limit: int = 30):
    from .models import AccountEvent

    return AccountEvent.objects.filter(user=person).select_related("by")[:limit]


def hints_seen(user) -> bool:
    from .models import AccountState

    return AccountState.objects.filter(user=user, hints_seen=True).exists()
