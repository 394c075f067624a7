"""Reads for inspections: what a user may see, the task board's items, monthly scores and
rankings, a unit's history. Every list goes through the user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.http import Http404
from django.utils import timezone

from weijian import periods
from weijian.orgs.models import OrgUnit, label_with_ancestors
from weijian.orgs.scope import Can, get_scope
from weijian.periods import PeriodType

from .models import (
    OPEN_NOTICE,
    UNCLOSED_NOTICE,
    ChecklistTemplate,
    Inspection,
    InspectionPlan,
    InspectionStatus,
    NoticeStatus,
    RectificationNotice,
)
from .schedule import Window, current_window

# -- what a user may see ---------------------------------------------------------------------


def inspections_for(user):
    """Inspections the user may see: of units in their VIEW scope, or ones they inspect."""
    scope = get_scope(user)
    return Inspection.objects.filter(
        scope.q(Can.VIEW, "org_unit__") | scope.q(Can.INSPECT, "org_unit__")
    )


def notices_for(user):
    scope = get_scope(user)
    return RectificationNotice.objects.filter(
        scope.q(Can.VIEW, "org_unit__") | scope.q(Can.INSPECT, "org_unit__")
    )


def get_inspection(user, pk: int) -> Inspection:
    """The inspection, or 404 for anyone outside its unit's scope (nothing is revealed)."""
    found = (
        inspections_for(user)
        .select_related("version__template", "org_unit", "issuer_unit", "plan", "created_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("没有找到该检查")
    return found


def get_notice(user, pk: int) -> RectificationNotice:
    found = (
        notices_for(user)
        .select_related("org_unit", "issuer_unit", "inspection__version__template", "issued_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("没有找到该整改通知书")
    return found


def plans_for(user):
    """Plans the user may see: those they are on the team of; those of the office that issues
    them (its inspectors, INSPECT, and its managers, MANAGE, at the issuing unit); and every
    plan for the bureau (anyone holding a role at the top of the tree). The inspected units do
    not see the schedule of the visits they are to receive."""
    scope = get_scope(user)
    tops = {root.path for root in OrgUnit.objects.filter(depth=1)}
    if scope.grant_paths(Can.VIEW) & tops:
        return InspectionPlan.objects.all()
    return InspectionPlan.objects.filter(
        scope.q(Can.INSPECT, "issuer_unit__")
        | scope.q(Can.MANAGE, "issuer_unit__")
        | Q(inspectors=user)
    ).distinct()


# -- the task board ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DueInspection:
    plan: InspectionPlan
    unit: OrgUnit
    window: Window

    @property
    def due_date(self) -> dt.date:
        return self.window.end


@dataclass
class InspectionBoard:
    due: list[DueInspection] = field(default_factory=list)
    drafts: list[Inspection] = field(default_factory=list)
    overdue: list[RectificationNotice] = field(default_factory=list)  # red
    to_answer: list[RectificationNotice] = field(default_factory=list)
    to_recheck: list[RectificationNotice] = field(default_factory=list)
    escalated: list[RectificationNotice] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(
            len(x)
            for x in (
                self.due,
                self.drafts,
                self.overdue,
                self.to_answer,
                self.to_recheck,
                self.escalated,
            )
        )


def due_inspections(user, today: dt.date) -> list[DueInspection]:
    """This window's inspections of the plans the user is on the team of, not yet started."""
    return due_of_plans(InspectionPlan.objects.filter(inspectors=user), today)


def due_of_plans(plans, today: dt.date) -> list[DueInspection]:
    """This window's inspections of the given plans (a queryset) not yet started."""
    plans = list(
        plans.filter(active=True, start__lte=today, end__gte=today)
        .distinct()
        .select_related("template", "group", "institution")
        .prefetch_related("units", "group__members")
    )
    due: list[DueInspection] = []
    windows = {}
    for plan in plans:
        window = current_window(plan.schedule, plan.dates, plan.start, plan.end, today)
        if window:
            windows[plan.pk] = window
    if not windows:
        return due
    oldest = min(w.start for w in windows.values())
    started = set(
        Inspection.objects.filter(plan_id__in=windows, date__gte=oldest).values_list(
            "plan_id", "org_unit_id", "date"
        )
    )
    for plan in plans:
        window = windows.get(plan.pk)
        if window is None:
            continue
        done = {u for p, u, d in started if p == plan.pk and window.contains(d)}
        for unit in plan.unit_list():
            if unit.pk not in done and not unit.is_closed_on(today):
                due.append(DueInspection(plan, unit, window))
    due.sort(key=lambda d: (d.due_date, d.unit.path))
    label_with_ancestors([d.unit for d in due])
    return due


def board(user, today: dt.date | None = None) -> InspectionBoard:
    today = today or timezone.localdate()
    scope = get_scope(user)
    result = InspectionBoard()
    if scope.has_any(Can.INSPECT):
        result.due = due_inspections(user, today)
        result.drafts = list(
            Inspection.objects.filter(
                inspectors=user, status__in=[InspectionStatus.DRAFT, InspectionStatus.REOPENED]
            ).select_related("org_unit", "version__template")
        )
    # One query for every notice the user acts on: answering (ENTER on the unit), following
    # up and re-checking (INSPECT), or being escalated to (MANAGE); sorted out in memory.
    condition = Q(pk__in=[])
    if scope.has_any(Can.ENTER):
        condition |= scope.q(Can.ENTER, "org_unit__") & Q(status__in=OPEN_NOTICE)
    if scope.has_any(Can.INSPECT):
        # Re-checking belongs to the issuing office or the inspection's team (actions).
        team = scope.q(Can.INSPECT, "issuer_unit__") | Q(
            inspection__in=Inspection.objects.filter(inspectors=user).values("pk")
        )
        condition |= scope.q(Can.INSPECT, "org_unit__") & (
            (Q(status=NoticeStatus.ANSWERED) & team) | Q(status__in=OPEN_NOTICE, deadline__lt=today)
        )
    if scope.has_any(Can.MANAGE):
        condition |= scope.q(Can.MANAGE, "escalated_to__") & Q(
            status__in=OPEN_NOTICE, escalated_at__isnull=False
        )
    notices = list(
        RectificationNotice.objects.filter(condition)
        .select_related("org_unit", "issuer_unit", "escalated_to")
        .order_by("deadline", "id")
    )
    for notice in notices:
        if notice.status == NoticeStatus.ANSWERED:
            result.to_recheck.append(notice)
        elif notice.deadline < today:
            if scope.can(Can.ENTER, notice.org_unit) or scope.can(Can.INSPECT, notice.org_unit):
                result.overdue.append(notice)
            else:
                result.escalated.append(notice)
        else:
            result.to_answer.append(notice)
    result.overdue.sort(key=lambda n: n.deadline)
    for notice in result.overdue + result.escalated:
        notice.days_late = (today - notice.deadline).days
    # Every notice's own OrgUnit instance (select_related gives one per row), in one query.
    label_with_ancestors(
        [
            n.org_unit
            for n in result.overdue + result.to_answer + result.to_recheck + result.escalated
        ]
    )
    return result


# -- monthly scores and ranking ------------------------------------------------------------------


@dataclass
class RankRow:
    unit: OrgUnit
    inspections: int
    score: Decimal
    rank: int
    last_score: Decimal | None
    last_rank: int | None

    @property
    def change(self) -> Decimal | None:
        return None if self.last_score is None else self.score - self.last_score


def month_scores(
    template: ChecklistTemplate, month: periods.Period
) -> dict[int, tuple[Decimal, int]]:
    """unit id → (average score of the month's submitted inspections, how many); one query."""
    rows = (
        Inspection.objects.filter(
            version__template=template,
            status=InspectionStatus.SUBMITTED,
            date__range=(month.start, month.end),
        )
        .values("org_unit_id")
        .annotate(avg=Avg("score"), n=Count("id"))
    )
    return {
        r["org_unit_id"]: (Decimal(r["avg"]).quantize(Decimal("0.01"), ROUND_HALF_UP), r["n"])
        for r in rows
    }


def ranks(scores: dict[int, Decimal]) -> dict[int, int]:
    """Competition ranking, highest first: 98, 95, 95, 90 → 1, 2, 2, 4."""
    ordered = sorted(scores.values(), reverse=True)
    return {unit: ordered.index(score) + 1 for unit, score in scores.items()}


def ranking(user, template: ChecklistTemplate, month: periods.Period) -> list[RankRow]:
    """The month's scores of every unit inspected with the template, ranked among all of them
    (the list is posted publicly), showing the rows the user may see."""
    now = month_scores(template, month)
    before = month_scores(template, month.previous())
    now_rank = ranks({u: s for u, (s, _) in now.items()})
    before_rank = ranks({u: s for u, (s, _) in before.items()})
    visible = (
        get_scope(user).units(Can.VIEW).filter(pk__in=now)
        if not get_scope(user).is_everything
        else OrgUnit.objects.filter(pk__in=now)
    )
    units = {u.pk: u for u in visible}
    label_with_ancestors(units.values())
    rows = [
        RankRow(
            unit=units[u],
            inspections=now[u][1],
            score=now[u][0],
            rank=now_rank[u],
            last_score=before[u][0] if u in before else None,
            last_rank=before_rank.get(u),
        )
        for u in units
    ]
    rows.sort(key=lambda r: (r.rank, r.unit.path))
    return rows


def latest_submitted(user, template: ChecklistTemplate | None = None) -> Inspection | None:
    """The user's most recent submitted inspection (with `template` if given): the ranking
    page opens on its checklist and month, so it never opens on an empty list."""
    qs = inspections_for(user).filter(status=InspectionStatus.SUBMITTED)
    if template is not None:
        qs = qs.filter(version__template=template)
    return qs.select_related("version").order_by("-date", "-id").first()


def default_month(today: dt.date | None = None) -> periods.Period:
    return periods.Period.containing(PeriodType.MONTHLY, today or timezone.localdate())


def unit_history(user, unit: OrgUnit, months: int = 12, today: dt.date | None = None):
    """The unit's monthly average per template over the last `months` months (for the chart),
    its inspections, and its notices not yet closed."""
    end = default_month(today)
    first = end
    for _ in range(months - 1):
        first = first.previous()
    month_list = periods.periods_between(PeriodType.MONTHLY, first.start, end.end)
    inspections = list(
        Inspection.objects.filter(org_unit=unit, date__gte=first.start)
        .select_related("version__template")
        .order_by("-date", "-id")
    )
    series: dict[str, dict[str, list]] = {}
    for inspection in inspections:
        if inspection.status != InspectionStatus.SUBMITTED or inspection.score is None:
            continue
        month_id = f"{inspection.date.year}{inspection.date.month:02d}"
        name = inspection.version.template.name
        series.setdefault(name, {}).setdefault(month_id, []).append(inspection.score)
    chart = {
        "months": [m.label for m in month_list],
        "series": [
            {
                "name": name,
                "data": [
                    float(sum(by_month[m.id]) / len(by_month[m.id])) if m.id in by_month else None
                    for m in month_list
                ],
            }
            for name, by_month in sorted(series.items())
        ],
    }
    open_notices = list(
        RectificationNotice.objects.filter(org_unit=unit, status__in=UNCLOSED_NOTICE).order_by(
            "deadline"
        )
    )
    return chart, inspections, open_notices


def template_events(template, limit: int = 50):
    """A checklist's audit trail (imports, new versions, item edits), newest first."""
    return template.events.select_related("user").order_by("-at", "-id")[:limit]
