"""Fetching the aggregated operands of many expressions with one SQL query.

The query maps every stored data value onto the requested (org unit subtree, period) pairs it
falls in — a unit's subtree is a path prefix, a period is a date range, so a value can count
towards several requested pairs (内科 towards 内科 and towards 人民医院; 2026-03 towards 2026Q1
and 2026S1) — and aggregates per data element and option in the database:

    per unit:      sum, count, and the last value in time     (grouped by unit)
    per target:    Σ sums, Σ counts, Σ per-unit averages, Σ per-unit last values

From those four numbers Python derives each aggregation type without seeing a stored value:
SUM = Σ sums; AVERAGE = Σ sums / Σ counts; AVERAGE_SUM_ORG_UNIT = Σ per-unit averages;
LAST = Σ per-unit last values.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from weijian import periods
from weijian.orgs.models import OrgUnit
from weijian.reporting.models import AggregationType, DataElement

# Stored values carry at most 6 decimal places, so exact sums do too; SQLite adds in floating
# point, and rounding to the 6th place restores the exact decimal sum.
STORED_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class Aggregate:
    total: Decimal
    count: int
    sum_of_unit_averages: Decimal
    sum_of_unit_last: Decimal

    def value(self, aggregation_type: str) -> Decimal:
        if aggregation_type == AggregationType.AVERAGE:
            return self.total / self.count
        if aggregation_type == AggregationType.AVERAGE_SUM_ORG_UNIT:
            return self.sum_of_unit_averages
        if aggregation_type == AggregationType.LAST:
            return self.sum_of_unit_last
        return self.total


_SQL = """
WITH ou_t(ou_key, prefix) AS (VALUES {ou_rows}),
     pe_t(pe_key, first_day, last_day) AS (VALUES {pe_rows}),
     base AS (
       SELECT dv.element_id AS element_id, dv.option_id AS option_id, ou_t.ou_key AS ou_key,
              pe_t.pe_key AS pe_key, dv.org_unit_id AS unit_id, dv.number AS n,
              ROW_NUMBER() OVER (
                PARTITION BY dv.element_id, dv.option_id, ou_t.ou_key, pe_t.pe_key, dv.org_unit_id
                ORDER BY p.end_date DESC) AS recency
       FROM reporting_datavalue dv
       JOIN orgs_orgunit o ON o.id = dv.org_unit_id
       JOIN reporting_period p ON p.id = dv.period_id
       JOIN ou_t ON o.path LIKE ou_t.prefix
       JOIN pe_t ON p.start_date >= pe_t.first_day AND p.end_date <= pe_t.last_day
       WHERE dv.element_id IN ({element_ids}) AND dv.number IS NOT NULL
     ),
     per_unit AS (
       SELECT element_id, option_id, ou_key, pe_key, unit_id,
              SUM(n) AS s, COUNT(n) AS c, MAX(CASE WHEN recency = 1 THEN n END) AS last_n
       FROM base GROUP BY element_id, option_id, ou_key, pe_key, unit_id
     )
SELECT element_id, option_id, ou_key, pe_key, SUM(s), SUM(c), SUM(s * 1.0 / c), SUM(last_n)
FROM per_unit GROUP BY element_id, option_id, ou_key, pe_key
"""


def fetch(
    elements: list[DataElement],
    units: list[OrgUnit],
    period_list: list[periods.Period],
    *,
    subtree: bool = True,
) -> dict[tuple[int, int, int, str], Aggregate]:
    """(element id, option id, unit id, period id) → Aggregate, in one query.

    With `subtree=False` only the values stored at the units themselves count (validation
    rules check what a unit reported, not the sum of everything below it)."""
    if not (elements and units and period_list):
        return {}
    ou_rows = ", ".join(["(%s, %s)"] * len(units))
    # PostgreSQL needs the VALUES columns typed as dates; SQLite keeps dates as ISO text.
    day = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
    pe_rows = ", ".join([f"(%s, {day}, {day})"] * len(period_list))
    sql = _SQL.format(
        ou_rows=ou_rows, pe_rows=pe_rows, element_ids=", ".join(["%s"] * len(elements))
    )
    params: list = []
    for unit in units:
        params += [unit.pk, unit.path + "%" if subtree else unit.path]
    for period in period_list:
        params += [period.id, period.start.isoformat(), period.end.isoformat()]
    params += [e.pk for e in elements]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        (element_id, option_id, ou_key, pe_key): Aggregate(
            total=_exact(total),
            count=int(count),
            sum_of_unit_averages=_decimal(averages),
            sum_of_unit_last=_exact(last),
        )  # fmt: skip
        for element_id, option_id, ou_key, pe_key, total, count, averages, last in rows
    }


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
