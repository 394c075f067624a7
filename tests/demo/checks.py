"""Database-side checks of a loaded demo, shared by the small and the full-history tests.
Each is a handful of aggregate queries, whatever the number of stored values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Abs, Coalesce
from django.utils import timezone

from weijian.demo.catalogue import CATEGORIES_BY_CODE, CHECKS, ELEMENTS_BY_CODE, Check
from weijian.reporting import queries
from weijian.reporting.models import DataValue, Form, Submission, SubmissionStatus

# Finance figures are decimals; SQLite sums them as floats.
TOLERANCE = Decimal("0.001")

FULL_STATUSES = [
    SubmissionStatus.SUBMITTED,
    SubmissionStatus.RETURNED,
    SubmissionStatus.APPROVED,
    SubmissionStatus.LOCKED,
]


def violations(check: Check) -> int:
    """How many unit-periods (and options) break the check, in one grouped query. As DHIS2's
    SKIP_IF_ANY_VALUE_MISSING, a check applies only where all its cells have values (a draft
    may be half typed)."""
    group = ["org_unit_id", "period_id"] + (["option_id"] if check.per_option else [])
    codes = check.left + check.right
    rows = (
        DataValue.objects.filter(element__code__in=codes)
        .values(*group)
        .annotate(
            left=Sum("number", filter=Q(element__code__in=check.left)),
            right=Sum("number", filter=Q(element__code__in=check.right)),
            cells=Count("pk"),
        )
        .filter(cells=len(codes) if check.per_option else _cell_count(codes))
    )
    gap = Abs(F("left") - F("right")) if check.op == "==" else F("left") - F("right")
    return rows.annotate(gap=gap).filter(gap__gt=TOLERANCE).count()


def _cell_count(codes) -> int:
    count = 0
    for code in codes:
        category = ELEMENTS_BY_CODE[code].category
        count += len(CATEGORIES_BY_CODE[category].options) if category else 1
    return count


def all_violations() -> dict[str, int]:
    result = {}
    for check in CHECKS:
        n = violations(check)
        if n:
            result[check.message] = n
    return result


def incomplete_reports() -> dict[str, int]:
    """Submitted, returned, approved or locked reports that lack a value in some cell."""
    result = {}
    for form in Form.objects.all():
        expected = len(queries.form_cells(form))
        stored = (
            DataValue.objects.filter(
                org_unit=OuterRef("org_unit"), period=OuterRef("period"), element__forms=form
            )
            .values("org_unit")
            .annotate(n=Count("pk"))
            .values("n")
        )
        short = (
            Submission.objects.filter(form=form, status__in=FULL_STATUSES)
            .annotate(n=Coalesce(Subquery(stored), 0))
            .exclude(n=expected)
            .count()
        )
        if short:
            result[form.code] = short
    return result


def impossible_rates() -> dict[str, list[tuple[str, str, Decimal]]]:
    """Every value above 100 % of an indicator whose numerator is a part of its denominator,
    for every unit (its own figures and its subtree's) and every stored month and year. The
    request is cut in slices of periods to stay below the engine's cell cap."""
    from weijian import periods
    from weijian.indicators.analytics import analyse
    from weijian.indicators.models import Indicator
    from weijian.orgs.models import OrgUnit
    from weijian.reporting.models import Period

    bounded = list(Indicator.objects.filter(numerator_within_denominator=True))
    assert len(bounded) > 50, "the library's part-of-the-whole rates are loaded"
    months = [periods.parse(p) for p in Period.objects.filter(period_type="MONTHLY").values_list("id", flat=True)]  # fmt: skip
    wanted = months + [periods.parse(str(y)) for y in sorted({m.year for m in months})]
    units = list(OrgUnit.objects.all())
    found: dict[str, list[tuple[str, str, Decimal]]] = {}
    step = max(1, 150_000 // (len(bounded) * len(units)))
    for start in range(0, len(wanted), step):
        chunk = wanted[start : start + step]
        result = analyse([i.code for i in bounded], chunk, units)
        for indicator in bounded:
            for period in chunk:
                for unit in units:
                    value = result.value(indicator.code, period.id, unit.code)
                    if indicator.is_impossible(value):
                        found.setdefault(indicator.code, []).append((unit.code, period.id, value))
    return found


# Kinds of ledger record that are office work, done on working days (complaints and praise
# arrive any day).
WORKING_KINDS = ("MEET", "TRAIN", "DRILL", "PUB", "HE")


def weekend_events() -> list[str]:
    """Events of the demo's whole history dated on a Saturday or Sunday although offices do
    them on working days: ledger meetings, trainings, drills, publicity items and health
    education (except a theme day's event on the day itself: 世界卫生日 on 7 April), inspections
    and the notices they give, rectifications answered and rechecked, leading groups founded
    and adjusted, contracts signed. Empty when every one falls from Monday to Friday."""
    from weijian.demo.ledger import HEALTH_DAYS
    from weijian.governance.models import Contract, GroupChange, LeadingGroup
    from weijian.inspections.models import Inspection, RectificationNotice
    from weijian.ledger.models import Activity

    theme_days = {(month, day) for month, day, *_ in HEALTH_DAYS}
    found = []

    def weekend(day) -> bool:
        return day is not None and day.weekday() >= 5

    rows = Activity.objects.filter(type__code__in=WORKING_KINDS).values_list(
        "type__code", "org_unit__code", "start_date", "title"
    )
    for code, unit, day, title in rows:
        theme_day = code == "HE" and (day.month, day.day) in theme_days
        if weekend(day) and not theme_day:
            found.append(f"{day} {unit} {code} {title}")
    for unit, day in Inspection.objects.values_list("org_unit__code", "date"):
        if weekend(day):
            found.append(f"{day} {unit} 检查")
    notices = RectificationNotice.objects.values_list(
        "org_unit__code", "issued_at", "completed_on", "rechecked_at"
    )
    for unit, issued, completed, rechecked in notices:
        for what, moment in (("下发", issued), ("整改完成", completed), ("复查", rechecked)):
            day = timezone.localdate(moment) if isinstance(moment, dt.datetime) else moment
            if weekend(day):
                found.append(f"{day} {unit} 整改通知书{what}")
    for name, day in LeadingGroup.objects.values_list("name", "founded_on"):
        if weekend(day):
            found.append(f"{day} {name} 成立")
    for name, day in GroupChange.objects.values_list("group__name", "effective_on"):
        if weekend(day):
            found.append(f"{day} {name} 调整")
    for title, unit, day in Contract.objects.values_list("title", "party__code", "signed_on"):
        if weekend(day):
            found.append(f"{day} {unit} {title} 签订")
    return found


def training_results() -> list[str]:
    """Training records whose exam result is not of whole people within the training:
    0 ≤ 合格 ≤ 考核 ≤ 参训, all integers (a pass rate is 合格 ÷ 考核 of whole people). Empty when
    every record holds."""
    from weijian.ledger.models import Activity

    found = []
    for unit, day, values in Activity.objects.filter(type__code="TRAIN").values_list(
        "org_unit__code", "start_date", "values"
    ):
        counts = [values.get(k) for k in ("PASSED", "EXAMINED", "ATTEND")]
        if any(not isinstance(c, int) for c in counts) or not 0 <= counts[0] <= counts[1] <= counts[2]:  # fmt: skip
            found.append(f"{day} {unit} 合格/考核/参训 = {counts}")
    return found


def health_education_disagreements() -> list[str]:
    """Centre-months whose 台账 holds a different number of lectures or 公众健康咨询 than their
    基本公卫 report (HE_LECTURES, HE_CONSULTATIONS): a summary prints both, so they must agree.
    Counted in Python over a few thousand rows. Empty when every month agrees."""
    from collections import Counter

    from weijian.ledger.models import Activity

    ledger: Counter = Counter()
    for unit, period, values in Activity.objects.filter(
        type__code="HE", org_unit__type__in=["TOWNSHIP", "COMMUNITY"]
    ).values_list("org_unit__code", "period_id", "values"):
        ledger[(unit, period, values.get("FORM"))] += 1
    found = []
    for unit, period, code, value in DataValue.objects.filter(
        element__code__in=["HE_LECTURES", "HE_CONSULTATIONS"]
    ).values_list("org_unit__code", "period_id", "element__code", "number"):
        form = "讲座" if code == "HE_LECTURES" else "咨询"
        if ledger[(unit, period, form)] != int(value):
            found.append(f"{unit} {period} {form}：台账 {ledger[(unit, period, form)]} 次，报表 {int(value)} 次")  # fmt: skip
    return found
