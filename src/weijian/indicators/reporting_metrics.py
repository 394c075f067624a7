"""R{FORM.METRIC}: reporting completeness of a form over a unit's subtree and a period.

Expected reports are counted per stored form period inside the requested period (a monthly
form expects 3 reports a quarter from each assigned unit open in that month), as DHIS2 does.
"""

from __future__ import annotations

from decimal import Decimal

from weijian import periods
from weijian.orgs.models import OrgUnit
from weijian.reporting import queries
from weijian.reporting.models import REPORTED_STATUSES, Form, Submission

from .expression import ReportingMetric, ReportingRef

Key = tuple[str, str, int, str]  # form code, metric, target unit id, target period id


def compute(
    refs: set[ReportingRef], units: list[OrgUnit], period_list
) -> dict[Key, Decimal | None]:
    if not refs:
        return {}
    forms = {f.code: f for f in Form.objects.filter(code__in={r.form_code for r in refs})}
    assigned = queries.assignments(list(forms.values()))
    unit_ids = set().union(*assigned.values()) if assigned else set()
    assigned_units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=unit_ids)}
    first = min(p.start for p in period_list)
    last = max(p.end for p in period_list)
    submissions = {
        (s.form_id, s.org_unit_id, s.period_id): s
        for s in Submission.objects.filter(
            form__in=forms.values(), period__start_date__gte=first, period__end_date__lte=last
        )
    }
    result: dict[Key, Decimal | None] = {}
    for ref in refs:
        form = forms.get(ref.form_code)
        for unit in units:
            for period in period_list:
                counts = _counts(form, assigned, assigned_units, submissions, unit, period)
                result[(ref.form_code, ref.metric, unit.pk, period.id)] = _metric(
                    ref.metric, *counts
                )
    return result


def _counts(form, assigned, assigned_units, submissions, unit, period) -> tuple[int, int, int]:
    """(expected, actual, on time) for the form in the unit's subtree during the period."""
    if form is None:
        return 0, 0, 0
    expected = actual = on_time = 0
    members = [
        assigned_units[i]
        for i in assigned.get(form.pk, ())
        if assigned_units[i].path.startswith(unit.path)
    ]
    for form_period in period.periods_within(periods.PeriodType(form.period_type)):
        due = form_period.due_date(form.due_days)
        for member in members:
            if not member.is_open_during(form_period.start, form_period.end):
                continue
            expected += 1
            submission = submissions.get((form.pk, member.pk, form_period.id))
            if submission is not None and submission.status in REPORTED_STATUSES:
                actual += 1
                on_time += queries.is_on_time(submission, due)
    return expected, actual, on_time


def _metric(metric: ReportingMetric, expected: int, actual: int, on_time: int) -> Decimal | None:
    if metric == ReportingMetric.EXPECTED_REPORTS:
        return Decimal(expected)
    if metric == ReportingMetric.ACTUAL_REPORTS:
        return Decimal(actual)
    if metric == ReportingMetric.ACTUAL_REPORTS_ON_TIME:
        return Decimal(on_time)
    if expected == 0:
        return None
    share = actual if metric == ReportingMetric.REPORTING_RATE else on_time
    return Decimal(100) * share / expected
