"""The rollup read of rollup_operands.fetch_values() as columns, on PostgreSQL.

The common request (every requested period is one stored period: months of monthly data, as
the pivots ask) reads one rollup row per cell and slot. Through the driver that is a Python
tuple of seven ints per row, then a Python loop placing each row on the grid: at city scale
(≈ 425 000 rows) most of the pivot's second. Here the rows arrive as seven byte strings, one
per column, read as numpy arrays (packed_columns.py); numpy places them on the grid (a unit's
position by searchsorted, times the periods, plus the requested period's position) and adds
their slots up in int64, and
each element's option columns and total column stay int64 millionths: a Decimal is made only
when the evaluator takes a column (rollup_operands.GridValues), with the very digits and
exponent of the row-by-row path. AVERAGE elements (an average is not a sum) get their
Decimals here, as the row-by-row path computes them.

Anything else (SQLite, several stored periods in a requested one, a unit or period asked
twice) takes the row-by-row path; `available()` says which.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from weijian import replicas
from weijian.reporting.models import AggregationType

from . import operands, packed_columns

ZERO = Decimal(0)
_BIGINT = 2**63


def available(out, plan, units) -> bool:
    """Whether the columnar read answers this request: PostgreSQL, one stored period per
    requested period, and a grid whose every (unit, period) is one position."""
    return (
        replicas.read_connection().vendor == "postgresql"
        and bool(plan.pairs)
        and not plan.several
        and len(out.positions) == out.size
        and [p.id for p in plan.requested] == _period_ids(out)
        # read() packs unit id × requested periods + position into one bigint.
        and max(u.pk for u in units) < _BIGINT // (len(plan.requested) + 1)
    )


def _period_ids(out) -> list[str]:
    """The grid's periods in order (the grid is unit-major)."""
    first_unit = out.keys[0][0] if out.keys else None
    return [period for unit, period in out.keys if unit == first_unit]


def read(elements, units, plan) -> list[np.ndarray]:
    """The rollup rows of the requested cells as five int64 columns (element, option, unit id
    × requested periods + requested period position, micros, n), packed by the database into
    one byte string each (packed_columns.py): one row, one query. The slot is not read: a
    cell's rows are recognised by their key (cells()).

    Each packed column costs the backend a string_agg call per row (most of its packing), so
    element, option and cell travel as ONE bigint where the ids allow, a mixed-radix key
    (element × options + option) × cells + cell that numpy splits again. The option ids are
    not known beforehand: a row whose option does not fit the radix gives -1, and then the
    five columns are read instead (a second query, for ids in the billions)."""
    spans = _key_spans(elements, units, len(plan.requested))
    if spans is not None:
        key, micros, n = _query(elements, units, plan, _key_sql(spans, len(plan.requested)))
        if not (key < 0).any():
            element_option, cell = np.divmod(key, spans[1])
            element, option = np.divmod(element_option, spans[0])
            return [element, option, cell, micros, n]
    cell = f"r.unit_id * {len(plan.requested)} + pe.pe_key"
    return _query(elements, units, plan, ["r.element_id", "r.option_id", cell])


def _query(elements, units, plan, keys: list[str]) -> list[np.ndarray]:
    unit_ids = ", ".join(str(int(u.pk)) for u in units)
    element_ids = ", ".join(str(int(e.pk)) for e in elements)
    pe_rows = ", ".join(["(%s, %s)"] * len(plan.pairs))
    params = [x for pair in plan.pairs for x in pair]
    sql = (
        f"WITH pe(period_id, pe_key) AS (VALUES {pe_rows}) "
        f"SELECT {packed_columns.sql([*keys, 'r.micros', 'r.n'])} "
        "FROM reporting_valuerollup r JOIN pe ON pe.period_id = r.period_id "
        f"WHERE r.unit_id IN ({unit_ids}) AND r.element_id IN ({element_ids})"
    )
    (row,) = operands.run_analytic_query(sql, params)
    return packed_columns.unpack(list(row))


def _key_spans(elements, units, periods_count: int) -> tuple[int, int] | None:
    """(option span, cell span) of the one-bigint key: the cells are the unit ids × periods,
    the options get what is left of 63 bits (billions at a city's scale); None when nothing
    is left."""
    cell_span = (max(int(u.pk) for u in units) + 1) * periods_count
    option_span = _BIGINT // ((max(int(e.pk) for e in elements) + 1) * cell_span)
    return (option_span, cell_span) if option_span > 1 else None


def _key_sql(spans: tuple[int, int], periods_count: int) -> list[str]:
    option_span, cell_span = spans
    key = (
        f"(r.element_id * {option_span} + r.option_id) * {cell_span} "
        f"+ r.unit_id * {periods_count} + pe.pe_key"
    )
    return [f"CASE WHEN r.option_id >= 0 AND r.option_id < {option_span} THEN {key} ELSE -1 END"]


def cells(columns: list[np.ndarray], units, periods_count: int) -> tuple[np.ndarray, ...]:
    """(element, option, grid position, Σ micros, Σ n) per cell holding a value, sorted by
    element and option: the rows of a cell (one per writer's slot before `weijian analytics
    compact`) added up, as GROUP BY … HAVING SUM(n) <> 0 would."""
    element, option, unit_key, micros, n = columns
    unit, key = np.divmod(unit_key, periods_count)
    unit_ids = np.array([u.pk for u in units], dtype=np.int64)
    order = np.argsort(unit_ids, kind="stable")
    position = order[np.searchsorted(unit_ids[order], unit)] * periods_count + key
    sort = _sort_order(element, option, position, len(units) * periods_count)
    element, option, position = element[sort], option[sort], position[sort]
    micros, n = micros[sort], n[sort]
    new_cell = (np.diff(element) != 0) | (np.diff(option) != 0) | (np.diff(position) != 0)
    if not new_cell.all():  # some cell has several rows (slots)
        starts = np.flatnonzero(np.concatenate(([True], new_cell)))
        element, option, position = element[starts], option[starts], position[starts]
        micros, n = np.add.reduceat(micros, starts), np.add.reduceat(n, starts)
    keep = n != 0
    return element[keep], option[keep], position[keep], micros[keep], n[keep]


def _sort_order(element, option, position, size: int) -> np.ndarray:
    """The order by element, option and grid position: one stable argsort of a combined
    int64 key where it fits (425 000 rows in the index's order, synthetic: 23 ms against
    np.lexsort's 38)."""
    if not len(element):
        return np.zeros(0, dtype=np.intp)
    option_span = int(option.max()) + 1
    ids_fit = int(element.min()) >= 0 and int(option.min()) >= 0
    if ids_fit and (int(element.max()) + 1) * option_span * size < _BIGINT:
        return np.argsort((element * option_span + option) * size + position, kind="stable")
    return np.lexsort((position, option, element))


def fill(elements, units, plan, out) -> None:
    """Fill GridValues `out` from the rollups, as rollup_operands.fetch_values() does."""
    if not len(units) or not elements:
        return
    element, option, position, micros, n = cells(
        read(elements, units, plan), units, len(plan.requested)
    )
    if not len(element):  # no value anywhere in the request: every cell stays empty
        return
    option_codes = operands._option_codes(set(np.unique(option).tolist()))
    by_id = {e.pk: (e.code, e.aggregation_type) for e in elements}
    size = out.size
    bounds = np.flatnonzero(
        np.concatenate(([True], (np.diff(element) != 0) | (np.diff(option) != 0)))
    )
    ends = np.append(bounds[1:], len(element))
    totals: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    average_totals: dict[str, list] = {}
    for start, end in zip(bounds.tolist(), ends.tolist(), strict=True):
        code, kind = by_id[int(element[start])]
        name = (code, option_codes[int(option[start])])
        at = position[start:end]
        if kind == AggregationType.AVERAGE:  # Decimals: an average is not a sum
            _average(out, name, at, micros[start:end], n[start:end], average_totals)
            continue
        column, present = np.zeros(size, dtype=np.int64), np.zeros(size, dtype=bool)
        column[at], present[at] = micros[start:end], True
        out.micros[name] = (column, present)
        total, has = totals.setdefault(
            code, (np.zeros(size, dtype=np.int64), np.zeros(size, dtype=bool))
        )
        total[at] += micros[start:end]  # positions are unique within one (element, option)
        has[at] = True
    for code, pair in totals.items():
        out.micros[(code, None)] = pair
    for code, found in average_totals.items():
        # As the reference: Decimal(0) + each option's average (0 + x keeps x's exponent).
        out.columns[(code, None)] = [None if t is None else ZERO + t for t in found]


def _average(out, name, at, micros, n, average_totals) -> None:
    from .rollup_operands import _from_micros

    column = out.columns.setdefault(name, [None] * out.size)
    totals = average_totals.setdefault(name[0], [None] * out.size)
    for position, m, count in zip(at.tolist(), micros.tolist(), n.tolist(), strict=True):
        value = _from_micros(m) / count
        column[position] = value
        previous = totals[position]
        totals[position] = value if previous is None else previous + value
