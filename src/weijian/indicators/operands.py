"""Fetching the aggregated operands of many expressions with one SQL query, on the fly.

The engine reads rollups instead (rollup_operands.py); this on-the-fly aggregation is the
reference they are checked against (`analyse(…, reference=True)`, the tests, the benchmark),
and still answers what the rollups do not hold (a unit's own values for validation rules,
requested periods holding stored periods of several types).

The query maps every stored data value onto the requested (org unit subtree, period) pairs it
falls in — a unit's subtree is a path range, a period is a date range, so a value can count
towards several requested pairs (内科 towards 内科 and towards 人民医院; 2026-03 towards 2026Q1
and 2026S1) — and aggregates per data element and option in the database. The units and the
stored periods are mapped to the requested keys first (two small CTEs, each an index range
scan), so the values are joined on plain ids:

    SUM and AVERAGE elements:   Σ value and count per target            (one GROUP BY)
    AVERAGE_SUM_ORG_UNIT:       Σ over units of each unit's average     (per unit, then Σ)
    LAST (stock) elements:      Σ over units of each unit's last value  (a window, only here)

From those numbers Python derives each aggregation type without seeing a stored value:
SUM = Σ sums; AVERAGE = Σ sums / Σ counts; AVERAGE_SUM_ORG_UNIT = Σ per-unit averages;
LAST = Σ per-unit last values.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from weijian import periods, replicas
from weijian.orgs.models import OrgUnit
from weijian.reporting.models import AggregationType, DataElement

# Stored values carry at most 6 decimal places, so exact sums do too; SQLite adds in floating
# point, and rounding to the 6th place restores the exact decimal sum.
STORED_PLACES = Decimal("0.000001")

# Org paths use treebeard's alphabet (0-9, A-Z): every path in a unit's subtree sorts at or
# after the unit's own path and before the path followed by "~" (byte order).
PATH_END = "~"


@dataclass(frozen=True)
class Aggregate:
    total: Decimal
    count: int
    # Only computed for the aggregation types that need them (None otherwise).
    sum_of_unit_averages: Decimal | None = None
    sum_of_unit_last: Decimal | None = None

    def value(self, aggregation_type: str) -> Decimal:
        if aggregation_type == AggregationType.AVERAGE:
            return self.total / self.count
        if aggregation_type == AggregationType.AVERAGE_SUM_ORG_UNIT:
            return self.sum_of_unit_averages
        if aggregation_type == AggregationType.LAST:
            return self.sum_of_unit_last
        return self.total


def subtree_pairs(units: list[OrgUnit], *, subtree: bool = True) -> list[tuple[int, int]]:
    """(unit id, requested unit id) for every unit in each requested unit's subtree (or the
    unit alone): one index range scan per requested unit, in one small query. The engine's
    other queries join on these pairs as a literal VALUES list, so the planners know its
    exact size (a join they had to estimate made PostgreSQL sort on disk and JIT-compile)."""
    unique = list({u.pk: u for u in units}.values())
    if not subtree or not unique:
        return [(u.pk, u.pk) for u in unique]
    # PostgreSQL: the byte-order operators of the path's pattern index (Django creates one for
    # every indexed varchar), so the range is right whatever the database's collation is.
    ge, lt = ("~>=~", "~<~") if connection.vendor == "postgresql" else (">=", "<")
    cast = "CAST(%s AS text)" if connection.vendor == "postgresql" else "%s"
    rows = ", ".join([f"(%s, {cast}, {cast})"] * len(unique))
    sql = (
        f"WITH ou_t(ou_key, lo, hi) AS (VALUES {rows}) "
        "SELECT o.id, ou_t.ou_key FROM ou_t "
        f"JOIN orgs_orgunit o ON o.path {ge} ou_t.lo AND o.path {lt} ou_t.hi"
    )
    params = [x for u in unique for x in (u.pk, u.path, u.path + PATH_END)]
    with replicas.read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(unit_id), int(key)) for unit_id, key in cursor.fetchall()]


def unit_map_sql(pairs: list[tuple[int, int]]) -> str:
    """A CTE `ou_map(unit_id, ou_key)` from subtree_pairs(), as literal integers (no
    parameter limit: a city has tens of thousands of units)."""
    rows = ", ".join(f"({int(unit_id)}, {int(key)})" for unit_id, key in pairs)
    return f"ou_map(unit_id, ou_key) AS MATERIALIZED (VALUES {rows})"


# Finer period types rank lower: where an element has values of two period types inside a
# requested period (on a monthly and a quarterly form), each unit's finest ones count.
_TYPE_RANK = (
    "CASE p.period_type "
    + " ".join(
        f"WHEN '{t.value}' THEN {rank}" for rank, t in enumerate(periods.PeriodType, start=1)
    )
    + " ELSE 99 END"
)


def period_map_sql(period_list: list[periods.Period]) -> tuple[str, list]:
    """CTEs mapping the stored periods inside each requested period to it: `pe_map`
    (period_id, pe_key, end_date) where the stored periods inside the requested one are all
    of one type (the usual case: months inside a quarter), and `pe_mixed` (…, type_rank)
    where they are of several types, which the slower mixed branch handles."""
    unique = list({p.id: p for p in period_list}.values())
    # PostgreSQL needs the VALUES columns typed as dates; SQLite keeps dates as ISO text.
    day = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
    rows = ", ".join([f"(%s, {day}, {day})"] * len(unique))
    sql = (
        f"pe_t(pe_key, first_day, last_day) AS (VALUES {rows}), "
        "pe_all AS MATERIALIZED (SELECT p.id AS period_id, pe_t.pe_key AS pe_key, "
        f"p.end_date AS end_date, {_TYPE_RANK} AS type_rank "
        "FROM pe_t JOIN reporting_period p "
        "ON p.start_date >= pe_t.first_day AND p.end_date <= pe_t.last_day), "
        "pe_types AS (SELECT pe_key, COUNT(DISTINCT type_rank) AS n FROM pe_all GROUP BY pe_key), "
        "pe_map AS MATERIALIZED (SELECT period_id, pe_key, end_date FROM pe_all "
        "WHERE pe_key IN (SELECT pe_key FROM pe_types WHERE n = 1)), "
        "pe_mixed AS MATERIALIZED (SELECT period_id, pe_key, end_date, type_rank FROM pe_all "
        "WHERE pe_key IN (SELECT pe_key FROM pe_types WHERE n > 1))"
    )
    # Keys are the periods' positions (integers group faster than text); _rows maps them back.
    params = [x for i, p in enumerate(unique) for x in (i, p.start.isoformat(), p.end.isoformat())]
    return sql, params


_VALUES = """
  FROM ou_map CROSS JOIN {pe} CROSS JOIN reporting_datavalue dv
  WHERE dv.org_unit_id = ou_map.unit_id AND dv.period_id = {pe}.period_id
    AND {plus}dv.element_id IN ({ids}) AND dv.number IS NOT NULL{reviewed}"""

# `approved_only`: a reported value counts only when its report (a form holding the element,
# same unit and period) is approved or locked; values of system-managed elements, which no
# form holds (inspections, ledgers, surveys publish them), always count. Assessments use it.
_REVIEWED = """
    AND ({system}EXISTS (SELECT 1 FROM reporting_submission s
                 JOIN reporting_formelement fe ON fe.form_id = s.form_id
                 WHERE s.org_unit_id = dv.org_unit_id AND s.period_id = dv.period_id
                   AND fe.element_id = dv.element_id AND s.status IN ('APPROVED', 'LOCKED')))"""

_TOTALS = """
SELECT dv.element_id, dv.option_id, ou_map.ou_key, pe_map.pe_key,
       SUM(dv.number), COUNT(dv.number), CAST(NULL AS NUMERIC), CAST(NULL AS NUMERIC){values}
GROUP BY dv.element_id, dv.option_id, ou_map.ou_key, pe_map.pe_key"""

_UNIT_AVERAGES = """
SELECT element_id, option_id, ou_key, pe_key, SUM(s), SUM(c), SUM(s * 1.0 / c), CAST(NULL AS NUMERIC)
FROM (SELECT dv.element_id AS element_id, dv.option_id AS option_id, ou_map.ou_key AS ou_key,
             pe_map.pe_key AS pe_key, SUM(dv.number) AS s, COUNT(dv.number) AS c{values}
      GROUP BY dv.element_id, dv.option_id, ou_map.ou_key, pe_map.pe_key, dv.org_unit_id) per_unit
GROUP BY element_id, option_id, ou_key, pe_key"""

# The window sees only the LAST elements' rows, gathered first with the same index plan as
# the other branches (a materialised CTE keeps the planners from scanning by element).
_LAST_ROWS = """last_rows AS MATERIALIZED (
  SELECT dv.element_id AS element_id, dv.option_id AS option_id, ou_map.ou_key AS ou_key,
         pe_map.pe_key AS pe_key, dv.org_unit_id AS unit_id, pe_map.end_date AS end_date,
         dv.number AS n{values})"""

_UNIT_LAST = """
SELECT element_id, option_id, ou_key, pe_key, SUM(n), COUNT(n), CAST(NULL AS NUMERIC),
       SUM(CASE WHEN recency = 1 THEN n END)
FROM (SELECT element_id, option_id, ou_key, pe_key, n,
             ROW_NUMBER() OVER (
               PARTITION BY element_id, option_id, ou_key, pe_key, unit_id
               ORDER BY end_date DESC) AS recency
      FROM last_rows) ranked
GROUP BY element_id, option_id, ou_key, pe_key"""

# Requested periods holding stored periods of several types: every element, each unit's
# values of its finest period type only (never a month and its quarter both), then all four
# figures at once. Empty, and nearly free, when every stored period is a month.
_MIXED_ROWS = """mixed_rows AS MATERIALIZED (
  SELECT dv.element_id AS element_id, dv.option_id AS option_id, ou_map.ou_key AS ou_key,
         pe_mixed.pe_key AS pe_key, dv.org_unit_id AS unit_id, pe_mixed.end_date AS end_date,
         pe_mixed.type_rank AS type_rank, dv.number AS n{values})"""

_MIXED = """
SELECT element_id, option_id, ou_key, pe_key, SUM(s), SUM(c), SUM(s * 1.0 / c), SUM(last_n)
FROM (
  SELECT element_id, option_id, ou_key, pe_key, unit_id, SUM(n) AS s, COUNT(n) AS c,
         SUM(CASE WHEN recency = 1 THEN n END) AS last_n
  FROM (
    SELECT element_id, option_id, ou_key, pe_key, unit_id, n,
           ROW_NUMBER() OVER (
             PARTITION BY element_id, option_id, ou_key, pe_key, unit_id
             ORDER BY end_date DESC) AS recency
    FROM (
      SELECT element_id, option_id, ou_key, pe_key, unit_id, end_date, type_rank, n,
             MIN(type_rank) OVER (PARTITION BY element_id, ou_key, pe_key, unit_id) AS finest
      FROM mixed_rows) typed
    WHERE type_rank = finest) ranked
  GROUP BY element_id, option_id, ou_key, pe_key, unit_id) per_unit
GROUP BY element_id, option_id, ou_key, pe_key"""

_BRANCHES = {
    AggregationType.AVERAGE_SUM_ORG_UNIT: _UNIT_AVERAGES,
    AggregationType.LAST: _UNIT_LAST,
}


def fetch(
    elements: list[DataElement],
    units: list[OrgUnit],
    period_list: list[periods.Period],
    *,
    subtree: bool = True,
    pairs: list[tuple[int, int]] | None = None,
    approved_only: bool = False,
) -> dict[tuple[int, int, int, str], Aggregate]:
    """(element id, option id, unit id, period id) → Aggregate, in one query.

    With `subtree=False` only the values stored at the units themselves count (validation
    rules check what a unit reported, not the sum of everything below it). `pairs` is
    subtree_pairs(units, subtree=subtree) when the caller has it already."""
    if not (elements and units and period_list):
        return {}
    return _aggregates(_rows(elements, units, period_list, subtree, pairs, approved_only))


def _reviewed_clause(elements, approved_only: bool) -> str:
    if not approved_only:
        return ""
    system = [int(e.pk) for e in elements if e.system_managed]
    ids = f"dv.element_id IN ({', '.join(map(str, system))}) OR " if system else ""
    return _REVIEWED.format(system=ids)


def _rows(elements, units, period_list, subtree, pairs, approved_only=False) -> list[tuple]:
    """The aggregation query's rows: element id, option id, unit id, period id, Σ value,
    count, Σ per-unit averages, Σ per-unit last values (the last two only where needed)."""
    if pairs is None:
        pairs = subtree_pairs(units, subtree=subtree)
    ou_sql = unit_map_sql(pairs)
    pe_sql, pe_params = period_map_sql(period_list)
    by_branch: dict[str, list[int]] = {}
    for element in elements:
        branch = _BRANCHES.get(element.aggregation_type, _TOTALS)
        by_branch.setdefault(branch, []).append(element.pk)
    ctes, cte_params = [ou_sql, pe_sql], pe_params
    selects, select_params = [], []
    # SQLite: the unary + keeps its planner on the (unit, period) covering index instead of
    # scanning every period of each element; PostgreSQL plans well on its own.
    plus = "" if connection.vendor == "postgresql" else "+"
    reviewed = _reviewed_clause(elements, approved_only)
    for branch, ids in by_branch.items():
        values = _VALUES.format(
            ids=", ".join(["%s"] * len(ids)), plus=plus, pe="pe_map", reviewed=reviewed
        )
        if branch is _UNIT_LAST:
            ctes.append(_LAST_ROWS.format(values=values))
            cte_params += ids
            selects.append(branch)
        else:
            selects.append(branch.format(values=values))
            select_params += ids
    all_ids = [e.pk for e in elements]
    values = _VALUES.format(
        ids=", ".join(["%s"] * len(all_ids)), plus=plus, pe="pe_mixed", reviewed=reviewed
    )
    ctes.append(_MIXED_ROWS.format(values=values))
    cte_params += all_ids
    selects.append(_MIXED)
    sql = f"WITH {', '.join(ctes)}" + "\nUNION ALL".join(selects)
    params = cte_params + select_params
    period_ids = list({p.id: p for p in period_list})
    return [
        (element_id, option_id, unit_id, period_ids[key], *figures)
        for element_id, option_id, unit_id, key, *figures in run_analytic_query(sql, params)
    ]


def fetch_values(
    elements: list[DataElement],
    units: list[OrgUnit],
    period_list: list[periods.Period],
    *,
    subtree: bool = True,
    pairs: list[tuple[int, int]] | None = None,
    approved_only: bool = False,
) -> dict[tuple[str, str | None, int, str], Decimal]:
    """element_values(fetch(…)) without building an Aggregate per row: (element code,
    option code or None for the total, unit id, period id) → value. Same figures, same
    order of addition for the totals."""
    if not (elements and units and period_list):
        return {}
    rows = _rows(elements, units, period_list, subtree, pairs, approved_only)
    by_id = {e.pk: (e.code, e.aggregation_type) for e in elements}
    option_codes = _option_codes({row[1] for row in rows})
    values: dict[tuple[str, str | None, int, str], Decimal] = {}
    totals: dict[tuple[str, None, int, str], Decimal] = defaultdict(Decimal)
    average, unit_average, last = (
        AggregationType.AVERAGE,
        AggregationType.AVERAGE_SUM_ORG_UNIT,
        AggregationType.LAST,
    )
    for element_id, option_id, unit_id, period_id, total, count, averages, last_n in rows:
        code, kind = by_id[element_id]
        if kind == unit_average:
            value = _decimal(averages)
        elif kind == last:
            value = _exact(last_n)
        elif kind == average:
            value = _exact(total) / int(count)
        else:
            value = _exact(total)
        values[(code, option_codes[option_id], unit_id, period_id)] = value
        totals[(code, None, unit_id, period_id)] += value
    values.update(totals)
    return values


def _aggregates(rows) -> dict[tuple[int, int, int, str], Aggregate]:
    return {
        (element_id, option_id, ou_key, pe_key): Aggregate(
            total=_exact(total),
            count=int(count),
            sum_of_unit_averages=None if averages is None else _decimal(averages),
            sum_of_unit_last=None if last is None else _exact(last),
        )  # fmt: skip
        for element_id, option_id, ou_key, pe_key, total, count, averages, last in rows
    }


# PostgreSQL: just-in-time compilation, which its planner switches on for a query this size,
# cost 0.8–1.8 s on the county benchmark, longer than the query itself; and 4 MB of work_mem
# made the aggregation spill to disk. Both set for this transaction only (SET LOCAL; in
# autocommit the statements run as one implicit transaction, so nothing leaks).
_PG_SETTINGS = "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; "


def run_analytic_query(sql: str, params: list) -> list[tuple]:
    """Execute one of the engine's aggregation queries and return its rows (on a replica
    inside replicas.analytics_reads())."""
    with replicas.read_connection().cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_SETTINGS + sql, params)
            while cursor.description is None and cursor.nextset():
                pass
        else:
            cursor.execute(sql, params)
        return cursor.fetchall()


def _exact(number) -> Decimal:
    return Decimal(str(number)).quantize(STORED_PLACES)


# Averages are not exact decimals; SQLite computes them in floating point. Twelve places keep
# every meaningful digit and drop the float noise, so both databases give the same figure.
AVERAGE_PLACES = Decimal("1e-12")


def _decimal(number) -> Decimal:
    return Decimal(str(number)).quantize(AVERAGE_PLACES)


def element_values(
    aggregates: dict[tuple[int, int, int, str], Aggregate], elements: list[DataElement]
) -> dict[tuple[str, str | None, int, str], Decimal]:
    """(element code, option code or None for the total, unit id, period id) → value.

    The total of a disaggregated element is the sum of its options' values, each aggregated
    by the element's own aggregation type.
    """
    by_id = {e.pk: e for e in elements}
    option_codes = _option_codes({option_id for _, option_id, _, _ in aggregates})
    values: dict[tuple[str, str | None, int, str], Decimal] = {}
    totals: dict[tuple[str, None, int, str], Decimal] = defaultdict(Decimal)
    for (element_id, option_id, unit_id, period_id), aggregate in aggregates.items():
        element = by_id[element_id]
        value = aggregate.value(element.aggregation_type)
        values[(element.code, option_codes[option_id], unit_id, period_id)] = value
        totals[(element.code, None, unit_id, period_id)] += value
    values.update(totals)
    return values


def _option_codes(option_ids: set[int]) -> dict[int, str]:
    from weijian.reporting.models import CategoryOption

    return dict(CategoryOption.objects.filter(pk__in=option_ids).values_list("pk", "code"))
