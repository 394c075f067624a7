"""The figures inspections publish per inspected unit and month, as system-managed data
elements (DESIGN.md §3), so `weijian analytics --dx INSP_DONE`, the API and the pivot page
see them. The codes are cited by the summary generator: keep them exactly.

Notice figures count by the month of the notice's deadline (到期应完成整改数 etc.); a
notice reopened with a new deadline moves to the new month. 逾期未整改 is "past its deadline
and not yet answered or closed" as of the last publication: `weijian inspections escalate`
(run daily) republishes it as days pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from weijian import periods
from weijian.periods import PeriodType
from weijian.reporting.actions import (
    SystemElement,
    SystemSource,
    ensure_system_elements,
    publish_system_values,
)

ELEMENTS = [
    SystemElement(
        "INSP_PLANNED",
        "计划检查次数",
        unit="次",
        description="检查计划安排的当月检查次数（按计划频次）",
    ),
    SystemElement(
        "INSP_DONE", "完成检查次数", unit="次", description="当月已提交的检查次数（按检查日期）"
    ),
    SystemElement(
        "INSP_SCORE_SUM",
        "检查得分合计",
        unit="分",
        description="当月已提交检查的得分之和（平均检查得分 = INSP_SCORE_SUM / INSP_DONE）",
        value_type="NUMBER",
    ),
    SystemElement(
        "INSP_FINDINGS",
        "发现问题数",
        unit="个",
        description="扣分或未达标的考核项目数（含一票否决项）",
    ),
    SystemElement(
        "INSP_NOTICES",
        "下发整改通知书数",
        unit="份",
        description="当月下发的整改通知书数（按下发日期）",
    ),
    SystemElement(
        "INSP_RECT_DUE",
        "到期应完成整改数",
        unit="份",
        description="整改期限在当月的整改通知书数（复查未通过改期的，计入新期限所在月）",
    ),
    SystemElement(
        "INSP_RECT_ONTIME",
        "按期完成整改数",
        unit="份",
        description="整改期限在当月、已复查销号且在期限内反馈整改的通知书数（按整改期限所在月）",
    ),
    SystemElement(
        "INSP_RECT_OVERDUE",
        "逾期未整改数",
        unit="份",
        description="整改期限在当月、已过期限仍未反馈整改的通知书数（按整改期限所在月）",
    ),
]
CODES = [e.code for e in ELEMENTS]


def ensure_elements():
    return ensure_system_elements(ELEMENTS)


def month_of(day: dt.date) -> periods.Period:
    return periods.Period.containing(PeriodType.MONTHLY, day)


INSPECTION_FIELDS = ("org_unit_id", "date", "score", "findings")
NOTICE_FIELDS = ("org_unit_id", "issued_at", "deadline", "status", "completed_on")


def compute(unit, month: periods.Period, today: dt.date) -> dict[str, Decimal | int]:
    """The unit's figures for one month (all but INSP_PLANNED)."""
    return compute_many([unit.pk], [month], today)[(unit.pk, month.id)]


def compute_many(unit_ids, months: list[periods.Period], today: dt.date) -> dict:
    """(unit id, month id) → figures, for every unit × month asked, with two queries."""
    from .models import Inspection, InspectionStatus, RectificationNotice

    first, last = min(m.start for m in months), max(m.end for m in months)
    inspections = Inspection.objects.filter(
        org_unit_id__in=unit_ids, status=InspectionStatus.SUBMITTED, date__range=(first, last)
    ).values_list(*INSPECTION_FIELDS)
    notices = (
        RectificationNotice.objects.filter(org_unit_id__in=unit_ids)
        .filter(
            Q(deadline__range=(first, last))
            | Q(
                issued_at__gte=_start_of(first),
                issued_at__lt=_start_of(last + dt.timedelta(days=1)),
            )
        )
        .values_list(*NOTICE_FIELDS)
    )
    return tally(unit_ids, months, list(inspections), list(notices), today)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def tally(unit_ids, months, inspections, notices, today: dt.date) -> dict:
    """The figures from plain rows (INSPECTION_FIELDS of submitted inspections, NOTICE_FIELDS):
    the one definition the actions and the demo share."""
    from .models import OPEN_NOTICE, NoticeStatus

    by_id = {m.id: m for m in months}
    result = {
        (u, m.id): {
            "INSP_DONE": 0,
            "INSP_SCORE_SUM": Decimal(0),
            "INSP_FINDINGS": 0,
            "INSP_NOTICES": 0,
            "INSP_RECT_DUE": 0,
            "INSP_RECT_ONTIME": 0,
            "INSP_RECT_OVERDUE": 0,
        }  # fmt: skip
        for u in unit_ids
        for m in months
    }

    def cell(unit_id, day):
        month_id = f"{day.year}{day.month:02d}"
        return result.get((unit_id, month_id)) if month_id in by_id else None

    for unit_id, day, score, found in inspections:
        if (row := cell(unit_id, day)) is not None:
            row["INSP_DONE"] += 1
            row["INSP_SCORE_SUM"] += score or 0
            row["INSP_FINDINGS"] += found
    for unit_id, issued_at, deadline, status, completed_on in notices:
        if (row := cell(unit_id, timezone.localtime(issued_at).date())) is not None:
            row["INSP_NOTICES"] += 1
        if (row := cell(unit_id, deadline)) is not None:
            row["INSP_RECT_DUE"] += 1
            if status == NoticeStatus.CLOSED and completed_on and completed_on <= deadline:
                row["INSP_RECT_ONTIME"] += 1
            if status in OPEN_NOTICE and deadline < today:
                row["INSP_RECT_OVERDUE"] += 1
    return result


def publish(unit, days: Iterable[dt.date], today: dt.date | None = None) -> None:
    """Recompute and publish the unit's figures for the months containing `days`."""
    today = today or timezone.localdate()
    ensure_elements()
    for month in sorted({month_of(d) for d in days}):
        figures = compute(unit, month, today)
        publish_system_values(SystemSource.INSPECTIONS, unit, month.id, figures)


def publish_planned(units, first: dt.date, last: dt.date) -> None:
    """Recompute INSP_PLANNED of `units` for the months of [first, last] from active plans."""
    from .models import InspectionPlan
    from .schedule import planned_per_month

    ensure_elements()
    units = list(units)
    plans = list(
        InspectionPlan.objects.filter(
            active=True, start__lte=last, end__gte=first
        ).prefetch_related("units", "group__members")
    )
    counts: dict[tuple[int, str], int] = {}
    wanted = {u.pk for u in units}
    for plan in plans:
        per_month = planned_per_month(plan.schedule, plan.dates, plan.start, plan.end, first, last)
        for unit in plan.unit_list():
            if unit.pk in wanted:
                for month, n in per_month.items():
                    counts[(unit.pk, month)] = counts.get((unit.pk, month), 0) + n
    months = periods.periods_between(PeriodType.MONTHLY, first, last)
    for unit in units:
        for month in months:
            n = counts.get((unit.pk, month.id))
            publish_system_values(SystemSource.INSPECTIONS, unit, month.id, {"INSP_PLANNED": n})
