"""Reads for reminders: which channels reach a unit, and what a unit's daily digest says."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max, Q

from weijian.inspections.models import OPEN_NOTICE, InspectionPlan, RectificationNotice
from weijian.inspections.queries import DueInspection, due_of_plans
from weijian.orgs.models import OrgUnit, label_with_ancestors
from weijian.orgs.scope import Can
from weijian.reporting import queries as reporting
from weijian.reporting.models import Form, Submission, SubmissionStatus

from .models import Channel, Delivery


def channels_reaching(unit: OrgUnit) -> list[Channel]:
    """The active channels of the nearest unit at or above `unit` that has any."""
    steplen = OrgUnit.steplen
    ancestors = [unit.path[: steplen * k] for k in range(1, unit.depth + 1)]
    rows = list(
        Channel.objects.filter(active=True, org_unit__path__in=ancestors).select_related("org_unit")
    )
    if not rows:
        return []
    nearest = max(len(c.org_unit.path) for c in rows)
    return [c for c in rows if len(c.org_unit.path) == nearest]


def channels_of(scope):
    return scope.filter(Channel.objects.select_related("org_unit", "created_by"), Can.VIEW)


def last_urged(form_code: str, period_id: str) -> dict[int, dt.datetime]:
    """{unit id: when it was last urged, successfully, to send this report}: shown beside each
    late unit on the completeness page, so a reviewer sees yesterday's 催报 before sending
    another."""
    sent = Delivery.objects.filter(
        kind="URGE", status="SENT", key__startswith=f"urge:{form_code}:{period_id}:"
    )
    return dict(
        sent.values("about_id").annotate(at=Max("created_at")).values_list("about_id", "at")
    )


def deliveries_of(scope, limit: int = 50):
    return scope.filter(
        Delivery.objects.select_related("channel", "about", "sent_by"), Can.VIEW, "about__"
    )[:limit]


def link(path: str) -> str:
    return f"{settings.WEIJIAN_SITE_URL}{path}" if settings.WEIJIAN_SITE_URL else ""


@dataclass
class Digest:
    unit: OrgUnit
    day: dt.date
    overdue: list[reporting.Task] = field(default_factory=list)
    due_soon: list[reporting.Task] = field(default_factory=list)
    returned: list[reporting.Task] = field(default_factory=list)
    notices_overdue: list[RectificationNotice] = field(default_factory=list)
    notices_due: list[RectificationNotice] = field(default_factory=list)
    inspections: list[DueInspection] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.overdue or self.due_soon or self.returned or self.notices_overdue
            or self.notices_due or self.inspections
        )  # fmt: skip


def digest(unit: OrgUnit, today: dt.date) -> Digest:
    """What is due and overdue for `unit` and the units below it: reports not sent (overdue,
    due within WEIJIAN_REMIND_DAYS, returned), rectification notices past or near their
    deadline, and this window's inspections of the plans the unit issues."""
    result = Digest(unit, today)
    horizon = today + dt.timedelta(days=settings.WEIJIAN_REMIND_DAYS)
    _reports(unit, today, horizon, result)
    notices = (
        RectificationNotice.objects.filter(
            org_unit__path__startswith=unit.path, status__in=OPEN_NOTICE, deadline__lte=horizon
        )
        .select_related("org_unit", "issuer_unit")
        .order_by("deadline", "pk")
    )
    for notice in notices:
        (result.notices_overdue if notice.deadline < today else result.notices_due).append(notice)
    plans = InspectionPlan.objects.filter(issuer_unit__path__startswith=unit.path)
    result.inspections = [d for d in due_of_plans(plans, today) if d.due_date <= horizon]
    label_with_ancestors(
        [t.org_unit for t in result.overdue + result.due_soon + result.returned]
        + [n.org_unit for n in result.notices_overdue + result.notices_due]
    )
    return result


def _reports(unit: OrgUnit, today: dt.date, horizon: dt.date, result: Digest) -> None:
    assigned = reporting.assignments(units_q=Q(path__startswith=unit.path))
    unit_ids = set().union(*assigned.values()) if assigned else set()
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=unit_ids)}
    forms = {f.pk: f for f in Form.objects.filter(pk__in=[f for f, ids in assigned.items() if ids])}
    windows = {pk: reporting.open_periods(form, today) for pk, form in forms.items()}
    oldest = min((w[0].start for w in windows.values() if w), default=today)
    states = {
        (s.form_id, s.org_unit_id, s.period_id): s
        for s in Submission.objects.filter(
            form_id__in=forms, org_unit_id__in=units, period__start_date__gte=oldest
        )
    }
    for form_id, form in forms.items():
        for unit_id in sorted(assigned[form_id], key=lambda i: units[i].path):
            member = units[unit_id]
            for period in windows[form_id]:
                if not member.is_open_during(period.start, period.end):
                    continue
                submission = states.get((form_id, unit_id, period.id))
                due = period.due_date(form.due_days)
                task = reporting.Task(form, member, period, due, submission)
                status = submission.status if submission else SubmissionStatus.DRAFT
                if status == SubmissionStatus.RETURNED:
                    result.returned.append(task)
                elif status == SubmissionStatus.DRAFT and due < today:
                    result.overdue.append(task)
                elif status == SubmissionStatus.DRAFT and due <= horizon:
                    result.due_soon.append(task)
    result.overdue.sort(key=lambda t: (t.due_date, t.org_unit.path))
    result.due_soon.sort(key=lambda t: (t.due_date, t.org_unit.path))
