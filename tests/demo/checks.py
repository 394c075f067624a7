"""Database-side checks of a loaded demo, shared by the small and the full-history tests.
Each is a handful of aggregate queries, whatever the number of stored values."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Abs, Coalesce

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
