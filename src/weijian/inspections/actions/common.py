"""What every inspections write shares: the refusal, the event log, permission checks."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope

from ..models import (
    Event,
    Inspection,
)


class InspectionError(Exception):
    """A refused action; `message` is the Chinese reason shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _now():
    return timezone.now()


def _event(
    action: str, user, *, inspection=None, notice=None, template=None, reason: str = ""
) -> None:
    Event.objects.create(
        inspection=inspection, notice=notice, template=template, action=action, user=user,
        at=_now(), reason=reason,
    )  # fmt: skip


def _require(user, capability: Can, unit: OrgUnit, what: str) -> None:
    if not get_scope(user).can(capability, unit):
        raise InspectionError(f"您无权{what}（{unit.name}）")


def _require_team(user, inspection: Inspection, what: str) -> None:
    """Doing an inspection belongs to its issuing office (INSPECT at the issuer unit) or to
    the inspectors on its team; another inspector who merely covers the inspected unit (the
    hospital's, below a bureau inspection) may not act in the issuer's name."""
    scope = get_scope(user)
    if scope.can(Can.INSPECT, inspection.issuer_unit):
        return
    on_team = inspection.inspectors.filter(pk=user.pk).exists()
    if on_team and scope.can(Can.INSPECT, inspection.org_unit):
        return
    raise InspectionError(
        f"只有检查单位（{inspection.issuer_unit.name}）或本次检查的检查组可以{what}"
    )


def issuer_for(user, unit: OrgUnit) -> OrgUnit:
    """The inspecting office's unit: the deepest unit above `unit` where the user may inspect."""
    scope = get_scope(user)
    paths = [p for p in scope.grant_paths(Can.INSPECT) if unit.path.startswith(p)]
    if paths:
        return OrgUnit.objects.get(path=max(paths, key=len))
    if scope.is_everything:
        return OrgUnit.get_first_root_node()
    raise InspectionError(f"您无权检查{unit.name}")


def escalate_after_days() -> int:
    return int(getattr(settings, "WEIJIAN_NOTICE_ESCALATE_DAYS", 7))
