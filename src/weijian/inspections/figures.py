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

from django.db.models import Count, F, Q, Sum
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
    SystemElement("INSP_PLANNED", "计划检查次数", unit="次"),
    SystemElement("INSP_DONE", "完成检查次数", unit="次"),
    SystemElement(
        "INSP_SCORE_SUM",
        "检查得分合计",
        unit="分",
        description="当月已提交检查的得分之和；平均检查得分 = INSP_SCORE_SUM / INSP_DONE",
        value_type="NUMBER",
    ),
    SystemElement("INSP_FINDINGS", "发现问题数", unit="个", description="扣分或未达标的考核项目数"),
    SystemElement("INSP_NOTICES", "下发整改通知书数", unit="份"),
    SystemElement(
        "INSP_RECT_DUE", "到期应完成整改数", unit="份", description="整改期限在当月的整改通知书数"
    ),
    SystemElement(
        "INSP_RECT_ONTIME",
        "按期完成整改数",
        unit="份",
        description="整改期限在当月、已复查销号且在期限内反馈整改的通知书数",
    ),
    SystemElement(
        "INSP_RECT_OVERDUE",
        "逾期未整改数",
        unit="份",
        description="整改期限在当月、已过期限仍未反馈整改的通知书数",
    ),
]
CODES = [e.code for e in ELEMENTS]


def ensure_elements():
    return ensure_system_elements(ELEMENTS)


def month_of(day: dt.date) -> periods.Period:
    return periods.Period.containing(PeriodType.MONTHLY, day)


def compute(unit, month: periods.Period, today: dt.date) -> dict[str, Decimal | int]:
    """The unit's figures for one month (all but INSP_PLANNED)."""
    from .models import OPEN_NOTICE, Inspection, InspectionStatus, NoticeStatus, RectificationNotice

    done = Inspection.objects.filter(
        org_unit=unit, status=InspectionStatus.SUBMITTED, date__range=(month.start, month.end)
    ).aggregate(n=Count("id"), total=Sum("score"), findings=Sum("findings"))
    issued = RectificationNotice.objects.filter(
        org_unit=unit, issued_at__date__range=(month.start, month.end)
    ).count()
    notices = RectificationNotice.objects.filter(
        org_unit=unit, deadline__range=(month.start, month.end)
    )
    rect = notices.aggregate(
        due=Count("id"),
        ontime=Count(
            "id", filter=Q(status=NoticeStatus.CLOSED) & Q(completed_on__lte=F("deadline"))
        ),
        overdue=Count("id", filter=Q(status__in=OPEN_NOTICE, deadline__lt=today)),
    )
    return {
        "INSP_DONE": done["n"],
        "INSP_SCORE_SUM": done["total"] or Decimal(0),
        "INSP_FINDINGS": done["findings"] or 0,
        "INSP_NOTICES": issued,
        "INSP_RECT_DUE": rect["due"],
        "INSP_RECT_ONTIME": rect["ontime"],
        "INSP_RECT_OVERDUE": rect["overdue"],
    }


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
