"""What every assessment action shares: the refused-action error, who may do what, the audit."""

from __future__ import annotations

from django.utils import timezone

from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope

from ..models import Run, RunEvent, Scheme, SchemeEvent


class AssessmentError(Exception):
    """A refused action; `message` is the Chinese reason shown to the user. Nothing changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def now():
    return timezone.now()


def can_manage(user, scheme: Scheme) -> bool:
    """The scheme's owner's managers (局管理员, 机构管理员) write schemes, run and lock them."""
    return get_scope(user).can(Can.MANAGE, scheme.owner)


def require_manage(user, scheme: Scheme, what: str) -> None:
    if not can_manage(user, scheme):
        raise AssessmentError(f"只有{scheme.owner.name}的管理员可以{what}")


def can_review(user, scheme: Scheme, unit: OrgUnit | None = None) -> bool:
    """复核 and appeal rulings: the owner's managers, or a reviewer (审核员) above the unit
    inside the owner's subtree."""
    if can_manage(user, scheme):
        return True
    scope = get_scope(user)
    if unit is None:
        return any(p.startswith(scheme.owner.path) for p in scope.grant_paths(Can.REVIEW))
    return unit.path.startswith(scheme.owner.path) and scope.can(Can.REVIEW, unit)


def log_run(run: Run, user, action: str, *, unit=None, node=None, before="", after="", reason=""):
    RunEvent.objects.create(
        run=run,
        at=now(),
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        org_unit=unit,
        node=node,
        before=str(before)[:100],
        after=str(after)[:100],
        reason=reason,
    )


def log_scheme(scheme: Scheme, user, action: str, detail: str = "", version=None) -> None:
    SchemeEvent.objects.create(
        scheme=scheme,
        version=version,
        at=now(),
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        detail=detail,
    )
