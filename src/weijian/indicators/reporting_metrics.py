"""R{FORM.METRIC}: reporting completeness of a form over a unit's subtree and a period.

Expected reports are counted per stored form period inside the requested period (a monthly
form expects 3 reports a quarter from each assigned unit open in that month), as DHIS2 does.
The counts are read from the completeness rollups the database keeps
(reporting/completeness_rollups.py): the requested units' own rows, a few per form period.
The on-the-fly GROUP BY over assignments and submissions (`reference=True`) is what the
rollups are checked against.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.db import connection
from django.utils import timezone

from weijian import periods
from weijian.orgs.models import OrgUnit
from weijian.reporting.models import REPORTED_STATUSES, Form

from . import packed_columns
from .expression import ReportingMetric, ReportingRef
from .operands import run_analytic_query, subtree_pairs, unit_map_sql

Key = tuple[str, str, int, str]  # form code, metric, target unit id, target period id

# Expected, actual and on-time reports per form × requested unit subtree × requested period,
# counted in one GROUP BY: every assigned unit open during a form period inside the requested
# period is expected once; its submission counts when reported, and on time when first
# submitted before the end of the due day (local time).
_SQL = """
WITH {ou_map},
     fp(form_id, pe_key, fp_id, fp_start, fp_end, due_before) AS (VALUES {fp_rows}),
     assigned(form_id, unit_id) AS (
       SELECT form_id, orgunit_id FROM reporting_form_org_units WHERE form_id IN ({form_ids})
       UNION
       SELECT fg.form_id, m.orgunit_id FROM reporting_form_org_groups fg
       JOIN orgs_orgunitgroup_members m ON m.orgunitgroup_id = fg.orgunitgroup_id
       WHERE fg.form_id IN ({form_ids})
     )
SELECT fp.form_id, ou_map.ou_key, fp.pe_key, COUNT(*), COUNT(s.id),
       SUM(CASE WHEN s.first_submitted_at < fp.due_before THEN 1 ELSE 0 END)
FROM assigned a
JOIN ou_map ON ou_map.unit_id = a.unit_id
JOIN orgs_orgunit o ON o.id = a.unit_id
JOIN fp ON fp.form_id = a.form_id
LEFT JOIN reporting_submission s
  ON s.form_id = fp.form_id AND s.org_unit_id = a.unit_id AND s.period_id = fp.fp_id
 AND s.status IN ({statuses})
WHERE (o.opening_date IS NULL OR o.opening_date <= fp.fp_end)
  AND (o.closing_date IS NULL OR o.closing_date >= fp.fp_start)
GROUP BY fp.form_id, ou_map.ou_key, fp.pe_key
"""


Counts = dict[str, dict[tuple[int, str], tuple[int, int, int]]]  # form code → cell → (e, a, o)


def compute(
    refs: set[ReportingRef], units: list[OrgUnit], period_list, pairs=None, *, reference=False
) -> dict[Key, Decimal | None]:
    """Every (form code, metric, unit id, period id) → value. `pairs`:
    operands.subtree_pairs(units), when the caller has it already."""
    counts = count_reports(refs, units, period_list, pairs, reference=reference)
    keys = [(unit.pk, period.id) for unit in units for period in period_list]
    result: dict[Key, Decimal | None] = {}
    for ref in refs:
        column = metric_column(ref, counts, keys)
        for (unit_id, period_id), value in zip(keys, column, strict=True):
            result[(ref.form_code, ref.metric, unit_id, period_id)] = value
    return result


def count_reports(
    refs: set[ReportingRef], units: list[OrgUnit], period_list, pairs=None, *, reference=False
) -> Counts:
    """Expected, actual and on-time reports of the referenced forms: form code → (unit id,
    period id) → counts, in one query (cells without an assigned unit are absent). From the
    rollups, or with `reference=True` counted on the fly (`pairs` is only used there)."""
    if not refs:
        return {}
    forms = {f.code: f for f in Form.objects.filter(code__in={r.form_code for r in refs})}
    if reference:
        found = _counts(list(forms.values()), units, period_list, pairs)
    else:
        found = _rollup_counts(list(forms.values()), units, period_list)
    counts: Counts = {code: {} for code in forms}
    code_of = {form.pk: code for code, form in forms.items()}
    for (form_id, unit_id, period_id), figures in found.items():
        counts[code_of[form_id]][(unit_id, period_id)] = figures
    return counts


_NONE = (0, 0, 0)
_HUNDRED = Decimal(100)


def metric_column(
    ref: ReportingRef, counts: Counts, keys, figures_by_form: dict | None = None
) -> list[Decimal | None]:
    """R{FORM.METRIC} over (unit id, period id) cells, in bulk: the counts looked up once per
    cell and form (`figures_by_form` keeps them for the form's other metrics over the same
    keys), the Decimals made once per distinct count, the rates divided only where a report
    was expected. Values as _metric() gives them (an unknown form counts nothing)."""
    figures = _figures(ref, counts, keys, figures_by_form)
    metric = ref.metric
    if metric in _COUNT_POSITION:
        position = _COUNT_POSITION[metric]
        decimals: dict[int, Decimal] = {}
        return [
            decimals.get(f[position]) or decimals.setdefault(f[position], Decimal(f[position]))
            for f in figures
        ]
    share = 1 if metric == ReportingMetric.REPORTING_RATE else 2
    rates: dict[tuple[int, int], Decimal | None] = {}
    out = []
    for f in figures:
        pair = (f[share], f[0])
        rate = rates.get(pair, _MISSING)
        if rate is _MISSING:
            rate = rates[pair] = _metric(metric, f[0], f[1], f[2])
        out.append(rate)
    return out


def count_array(
    ref: ReportingRef, counts: Counts, keys, figures_by_form: dict | None = None
) -> np.ndarray | None:
    """A count metric (expected, actual, on-time reports) over the cells as int64, for the
    integer evaluator: the numbers metric_column() makes Decimals of (0 where nothing was
    expected; every cell has one). None for the rates, which are quotients."""
    position = _COUNT_POSITION.get(ref.metric)
    if position is None:
        return None
    if figures_by_form is None:
        figures_by_form = {}
    table = figures_by_form.get((ref.form_code, np.int64))
    if table is None:  # (cells × 3) counts, made once per form for its metrics
        figures = _figures(ref, counts, keys, figures_by_form)
        table = np.array(figures, dtype=np.int64).reshape(len(figures), 3)
        figures_by_form[(ref.form_code, np.int64)] = table
    return table[:, position].copy()


def _figures(ref: ReportingRef, counts: Counts, keys, figures_by_form: dict | None) -> list:
    figures = None if figures_by_form is None else figures_by_form.get(ref.form_code)
    if figures is None:
        by_cell = counts.get(ref.form_code, {})
        figures = [by_cell.get(key, _NONE) for key in keys]
        if figures_by_form is not None:
            figures_by_form[ref.form_code] = figures
    return figures


_MISSING = object()
_COUNT_POSITION = {
    ReportingMetric.EXPECTED_REPORTS: 0,
    ReportingMetric.ACTUAL_REPORTS: 1,
    ReportingMetric.ACTUAL_REPORTS_ON_TIME: 2,
}


def _form_periods(forms: list[Form], period_list, *, due: bool) -> tuple[list[str], list]:
    """VALUES rows (form id, requested period id, form period id, its start, its end[, the
    moment after its due day]) for every form period inside each requested period."""
    # PostgreSQL: typed VALUES columns (dates; the period id as varchar like the submission's
    # column, so the join uses the (form, unit, period) unique index on all three columns).
    pg = connection.vendor == "postgresql"
    day = "CAST(%s AS date)" if pg else "%s"
    code = "CAST(%s AS varchar)" if pg else "%s"
    row = f"(%s, %s, {code}, {day}, {day}, %s)" if due else f"(%s, %s, {code}, {day}, {day})"
    fp_rows, fp_params = [], []
    for form in forms:
        for period in {p.id: p for p in period_list}.values():
            for form_period in period.periods_within(periods.PeriodType(form.period_type)):
                fp_rows.append(row)
                fp_params += [
                    form.pk,
                    period.id,
                    form_period.id,
                    form_period.start.isoformat(),
                    form_period.end.isoformat(),
                ]
                if due:
                    fp_params.append(_start_of_day_after(form_period.due_date(form.due_days)))
    return fp_rows, fp_params


# The rollups' figures: expected units by their dates (open during the form period), reported
# and on-time submissions by the form period, both at the requested units' own rows.
_ROLLUP_SQL = """
WITH fp(form_id, pe_key, fp_id, fp_start, fp_end) AS (VALUES {fp_rows})
SELECT 0, fp.form_id, x.unit_id, fp.pe_key, SUM(x.n), 0
FROM reporting_expectedrollup x
JOIN fp ON fp.form_id = x.form_id AND x.opening_date <= fp.fp_end AND x.closing_date >= fp.fp_start
WHERE x.unit_id IN ({unit_ids}) AND x.n <> 0
GROUP BY fp.form_id, x.unit_id, fp.pe_key
UNION ALL
SELECT 1, fp.form_id, r.unit_id, fp.pe_key, SUM(r.actual), SUM(r.on_time)
FROM reporting_reportrollup r
JOIN fp ON fp.form_id = r.form_id AND fp.fp_id = r.period_id
WHERE r.unit_id IN ({unit_ids})
GROUP BY fp.form_id, r.unit_id, fp.pe_key
"""


def _rollup_counts(forms: list[Form], units: list[OrgUnit], period_list) -> dict:
    """As _counts(), from the completeness rollups (cells expecting no report are absent)."""
    fp_rows, fp_params = _form_periods(forms, period_list, due=False)
    if not (fp_rows and units):
        return {}
    unit_ids = ", ".join(str(int(u.pk)) for u in units)
    sql = _ROLLUP_SQL.format(fp_rows=", ".join(fp_rows), unit_ids=unit_ids)
    if connection.vendor == "postgresql":
        rows = _packed_rows(sql, fp_params, period_list, forms, units)
    else:
        rows = run_analytic_query(sql, fp_params)
    expected: dict[tuple, int] = {}
    reported: dict[tuple, tuple[int, int]] = {}
    for kind, form_id, unit_id, period_id, first, second in rows:
        key = (form_id, unit_id, period_id)
        if kind == 0:
            expected[key] = int(first)
        else:
            reported[key] = (int(first), int(second))
    return {key: (n, *reported.get(key, (0, 0))) for key, n in expected.items() if n > 0}


def _packed_rows(sql: str, params: list, period_list, forms, units):
    """_ROLLUP_SQL's rows from one row of packed int8 columns (packed_columns.py): a city's
    pivot asks ≈ 55 000 of them, each otherwise six driver values (two of them numerics,
    PostgreSQL's SUM of a bigint). The requested period travels as its position; kind, form,
    unit and position as one mixed-radix bigint where the ids allow (each packed column is a
    string_agg call per row in the backend)."""
    period_ids = list({p.id: p for p in period_list})
    positions = ", ".join(["(CAST(%s AS varchar), %s)"] * len(period_ids))
    spans = _key_spans(forms, units, len(period_ids))
    if spans is None:
        keys = ["q.kind", "q.form_id", "q.unit_id", "rp.pos"]
    else:
        form_span, unit_span, position_span = spans
        keys = [f"((q.kind * {form_span} + q.form_id) * {unit_span} + q.unit_id) "
                f"* {position_span} + rp.pos"]  # fmt: skip
    packed = (
        f"SELECT {packed_columns.sql([*keys, 'q.a', 'q.b'])} "
        f"FROM ({sql}) AS q(kind, form_id, unit_id, pe_key, a, b) "
        f"JOIN (VALUES {positions}) AS rp(pe_key, pos) ON rp.pe_key = q.pe_key"
    )
    params = params + [x for i, pid in enumerate(period_ids) for x in (pid, i)]
    (row,) = run_analytic_query(packed, params)
    columns = packed_columns.unpack(list(row))
    if spans is None:
        kind, form, unit, position, a, b = columns
    else:
        key, a, b = columns
        rest, position = np.divmod(key, spans[2])
        rest, unit = np.divmod(rest, spans[1])
        kind, form = np.divmod(rest, spans[0])
    kind, form, unit, a, b = (c.tolist() for c in (kind, form, unit, a, b))
    at = [period_ids[i] for i in position.tolist()]
    return zip(kind, form, unit, at, a, b, strict=True)


def _key_spans(forms, units, periods_count: int) -> tuple[int, int, int] | None:
    """(form span, unit span, position span) of the one-bigint key (the kind is 0 or 1), or
    None when ids too large for 63 bits would not fit."""
    form_span = max(int(f.pk) for f in forms) + 1
    unit_span = max(int(u.pk) for u in units) + 1
    spans = (form_span, unit_span, periods_count)
    return spans if 2 * form_span * unit_span * periods_count < 2**63 else None


def _counts(forms: list[Form], units: list[OrgUnit], period_list, pairs) -> dict:
    """(form id, unit id, period id) → (expected, actual, on time), in one query: the
    reference the rollups are checked against."""
    fp_rows, fp_params = _form_periods(forms, period_list, due=True)
    if not (fp_rows and units):
        return {}
    ou_map = unit_map_sql(subtree_pairs(units) if pairs is None else pairs)
    form_ids = ", ".join(str(int(f.pk)) for f in forms)
    statuses = ", ".join(["%s"] * len(REPORTED_STATUSES))
    sql = _SQL.format(
        ou_map=ou_map, fp_rows=", ".join(fp_rows), form_ids=form_ids, statuses=statuses
    )
    rows = run_analytic_query(sql, fp_params + sorted(str(s) for s in REPORTED_STATUSES))
    return {(f, u, p): (int(e), int(a), int(o)) for f, u, p, e, a, o in rows}


def _start_of_day_after(day: dt.date):
    """The first moment after `day` in local time, as the database stores moments: a report
    first submitted before it was submitted on or before `day`."""
    moment = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    return connection.ops.adapt_datetimefield_value(moment)


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
