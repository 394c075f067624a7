"""The engine's operands read from the rollups the database keeps (reporting/rollups.py).

A requested unit's subtree is already summed in its rollup rows, so the query reads the rows
of the requested units themselves, for the stored periods inside each requested period:

    SUM, AVERAGE:   Σ micros and Σ count of reporting_valuerollup
    LAST (stock):   Σ of the chain links of reporting_lastrollup whose value lies inside the
                    requested period and whose next value does not (each unit's latest value)

What the rollups cannot answer goes to the reference path (operands.py, the on-the-fly
aggregation the rollups are checked against), only for the part that needs it:
- requested periods holding stored periods of several types (a unit's finest type counts),
- AVERAGE_SUM_ORG_UNIT elements over requested periods holding several stored periods (each
  unit's own average is not a sum).
Both are rare: the library's periods are months inside quarters and years, and no library
element averages per unit. Same keys and figures as operands.fetch_values().

On PostgreSQL, where each requested period is one stored period (a pivot's months),
fetch_values() reads the rows as packed numpy columns instead (rollup_columns.py).
"""

from __future__ import annotations

from decimal import Context, Decimal, localcontext

import numpy as np

from weijian import periods
from weijian.orgs.models import OrgUnit
from weijian.reporting.models import AggregationType, DataElement
from weijian.reporting.models import Period as PeriodRow

from . import operands, rollup_columns
from .expression import vector

_SUM_TYPES = (AggregationType.SUM, AggregationType.AVERAGE)


class _Plan:
    """Which stored periods answer which requested period, from the stored period rows."""

    def __init__(self, period_list: list[periods.Period]) -> None:
        self.requested = list({p.id: p for p in period_list}.values())
        first = min(p.start for p in self.requested)
        last = max(p.end for p in self.requested)
        stored = PeriodRow.objects.filter(start_date__gte=first, end_date__lte=last).values_list(
            "id", "period_type", "start_date", "end_date"
        )
        self.pairs: list[tuple[str, int]] = []  # (stored period id, requested position)
        self.mixed: list[periods.Period] = []
        self.several: set[int] = set()  # positions answered by more than one stored period
        for key, period in enumerate(self.requested):
            inside = [
                (pid, kind) for pid, kind, s, e in stored if s >= period.start and e <= period.end
            ]
            if len({kind for _, kind in inside}) > 1:
                self.mixed.append(period)
                continue
            self.pairs += [(pid, key) for pid, _ in inside]
            if len(inside) > 1:
                self.several.add(key)


def _rows(elements, units, plan: _Plan) -> list[tuple]:
    """(table, element id, option id, unit id, requested position, Σ micros, Σ count), one
    per cell that holds a value: table 0 the value rollup (every element), 1 the LAST chains.
    Where every requested period is one stored period (months asked of monthly data) a LAST
    value is the sum of the units' values there, and the chains are not read.

    A cell may have one row per writer's slot (see reporting.models.ValueRollup) and, for a
    requested period of several stored ones, one per stored period: those are added up by
    the database (GROUP BY). Where each requested period is one stored period the rows are
    read as stored, ungrouped, and a cell's slots added up here only when some row of the
    answer lies outside slot 0: after `weijian analytics compact` (cron) a cell is one row,
    the steady state, where a GROUP BY only costs (and PostgreSQL's SUM of a bigint is a
    numeric: a Decimal per figure through the driver)."""
    if not plan.pairs:
        return []
    unit_ids = ", ".join(str(int(u.pk)) for u in {u.pk: u for u in units}.values())
    all_ids = ", ".join(str(int(e.pk)) for e in elements)
    last_ids = [str(int(e.pk)) for e in elements if e.aggregation_type == AggregationType.LAST]
    pe_rows = ", ".join(["(%s, %s)"] * len(plan.pairs))
    params = [x for pair in plan.pairs for x in pair]
    value_rows = (
        "FROM reporting_valuerollup r JOIN pe ON pe.period_id = r.period_id "
        f"WHERE r.unit_id IN ({unit_ids}) AND r.element_id IN ({all_ids})"
    )
    keys = "r.element_id, r.option_id, r.unit_id, pe.pe_key"
    with_pe = f"WITH pe(period_id, pe_key) AS (VALUES {pe_rows}) "
    if not plan.several:  # no chains either (see above)
        sql = f"{with_pe}SELECT 0, {keys}, r.micros, r.n, r.slot {value_rows}"
        return add_slots(operands.run_analytic_query(sql, params))
    group = f"GROUP BY {keys} HAVING SUM(r.n) <> 0"
    # Integers on both databases (PostgreSQL's SUM of a bigint is a numeric); a sum past
    # 2⁶³ millionths fails loudly on both, as SQLite's SUM does.
    sums = "CAST(SUM(r.micros) AS BIGINT), CAST(SUM(r.n) AS BIGINT)"
    sql = f"{with_pe}SELECT 0, {keys}, {sums} {value_rows} {group}"
    if last_ids:
        sql += (
            f" UNION ALL SELECT 1, {keys}, {sums} "
            "FROM reporting_lastrollup r JOIN pe ON pe.period_id = r.period_id "
            "LEFT JOIN pe nx ON nx.period_id = r.next_period_id AND nx.pe_key = pe.pe_key "
            f"WHERE r.unit_id IN ({unit_ids}) AND r.element_id IN ({', '.join(last_ids)}) "
            f"AND nx.period_id IS NULL {group}"
        )
    return operands.run_analytic_query(sql, params)


def add_slots(rows: list[tuple]) -> list[tuple]:
    """Rows (…cell key, micros, n, slot), each cell's stored period the same → (…cell key,
    Σ micros, Σ n), one per cell holding a value (Σ n ≠ 0: a cell whose values were all
    deleted keeps its rows until compacted), as GROUP BY … HAVING SUM(n) <> 0 would give.
    When every row is in slot 0 each cell is one row, its own sum: no dict needed."""
    if not any(row[-1] for row in rows):
        return [row[:-1] for row in rows if row[-2]]
    cells: dict[tuple, list[int]] = {}
    for *key, micros, n, _ in rows:
        found = cells.setdefault(tuple(key), [0, 0])
        found[0] += micros
        found[1] += n
    return [(*key, micros, n) for key, (micros, n) in cells.items() if n]


def _from_micros(micros) -> Decimal:
    # Exactly operands._exact() of the same sum: six decimal places.
    return Decimal(int(micros)).scaleb(-6)


def fetch(
    elements: list[DataElement], units: list[OrgUnit], period_list: list[periods.Period]
) -> dict[tuple[int, int, int, str], operands.Aggregate]:
    """operands.fetch() from the rollups: (element id, option id, unit id, period id) →
    Aggregate (total and count for every element, the per-unit last values for LAST)."""
    if not (elements and units and period_list):
        return {}
    plan = _Plan(period_list)
    by_type = {e.pk: e.aggregation_type for e in elements}
    figures: dict[tuple, list] = {}
    for table, element_id, option_id, unit_id, key, micros, n in _rows(elements, units, plan):
        cell = figures.setdefault(
            (element_id, option_id, unit_id, plan.requested[key].id), [0, 0, None]
        )
        if table == 0:
            cell[0], cell[1] = _from_micros(micros), int(n)
            if not plan.several and by_type[element_id] == AggregationType.LAST:
                cell[2] = cell[0]  # one stored period: each unit's last value is its value
        else:
            cell[2] = _from_micros(micros)
    out = {
        key: operands.Aggregate(total=t, count=c, sum_of_unit_last=last)
        for key, (t, c, last) in figures.items()
    }
    for key, aggregate in _reference_part(elements, units, plan, aggregates=True).items():
        out[key] = aggregate
    return out


class GridValues:
    """fetch_values()'s answer laid out over the requested grid (units × periods, unit-major,
    as analytics._Grid lays it out): one list per (element code, option code or None for the
    total), so the engine takes whole columns instead of looking up every cell by a 4-tuple.
    get() answers one cell as the dict of operands.fetch_values() would.

    Sums arrive as columns of integer millionths (`micros`) and become Decimals only when a
    column is first asked for: a pivot reads the totals or the options of an element, rarely
    both (the county pivot makes 44 000 Decimals instead of 82 000)."""

    def __init__(self, units: list[OrgUnit], period_list: list[periods.Period]) -> None:
        self.keys = [(u.pk, p.id) for u in units for p in period_list]
        self.size = len(self.keys)
        self.positions: dict[tuple[int, str], list[int]] = {}
        for position, key in enumerate(self.keys):
            self.positions.setdefault(key, []).append(position)
        self.columns: dict[tuple[str, str | None], list] = {}
        self.micros: dict[tuple[str, str | None], list] = {}  # not yet made Decimals

    def _found(self, name: tuple[str, str | None]) -> list | None:
        micros = self.micros.pop(name, None)
        if isinstance(micros, tuple):  # numpy (int64 micros, present), rollup_columns.py
            self.columns[name] = vector.to_list(_decimal_column(*micros))
        elif micros is not None:
            # Exactly operands._exact() of the same sum: six decimal places.
            self.columns[name] = [None if m is None else Decimal(m).scaleb(-6) for m in micros]
        return self.columns.get(name)

    def vector_column(self, code: str, option: str | None) -> vector.Column:
        """The column as the vectorised evaluator takes it, (Decimals, present), straight from
        numpy micros when the columnar read filled it (no list of None in between)."""
        micros = self.micros.get((code, option))
        if isinstance(micros, tuple):
            return _decimal_column(*micros)
        return vector.column_of(self.column(code, option))

    def column(self, code: str, option: str | None) -> list:
        found = self._found((code, option))
        return list(found) if found is not None else [None] * self.size

    def get(self, key, default=None):
        code, option, unit_id, period_id = key
        found, at = self._found((code, option)), self.positions.get((unit_id, period_id))
        if found is None or at is None:
            return default
        value = found[at[0]]
        return default if value is None else value

    def put(self, key, value) -> None:
        code, option, unit_id, period_id = key
        at = self.positions.get((unit_id, period_id))
        if at is None:
            return
        found = self._found((code, option))
        if found is None:
            found = self.columns[(code, option)] = [None] * self.size
        for position in at:
            found[position] = value

    def update(self, cells: dict) -> None:
        for key, value in cells.items():
            self.put(key, value)

    def cells(self) -> dict[tuple[str, str | None, int, str], Decimal]:
        """Every cell holding a value, keyed as operands.fetch_values() keys them."""
        for name in list(self.micros):
            self._found(name)
        return {
            (code, option, *self.keys[position]): value
            for (code, option), found in self.columns.items()
            for position, value in enumerate(found)
            if value is not None
        }


def fetch_values(
    elements: list[DataElement], units: list[OrgUnit], period_list: list[periods.Period]
) -> GridValues:
    """operands.fetch_values() from the rollups: (element code, option code or None for the
    total, unit id, period id) → value, each aggregation type applied, laid out as columns
    over the units × periods grid. Sums stay integer millionths until a column is asked for
    (the same digits and exponent as the reference path's then)."""
    out = GridValues(units, period_list)
    if not (elements and units and period_list):
        return out
    plan = _Plan(period_list)
    if rollup_columns.available(out, plan, units):
        rollup_columns.fill(elements, units, plan, out)
        out.update(_reference_part(elements, units, plan))
        return out
    rows = _rows(elements, units, plan)
    option_codes = operands._option_codes({row[2] for row in rows})
    # Each row's grid positions, by (unit id, requested period position).
    period_ids = [p.id for p in plan.requested]
    at = {
        (unit_id, key): out.positions.get((unit_id, period_id), ())
        for unit_id in {u.pk for u in units}
        for key, period_id in enumerate(period_ids)
    }
    fill = _Targets(elements, option_codes, out, chains=bool(plan.several))
    average_totals = fill.average_totals
    average, unit_average = AggregationType.AVERAGE, AggregationType.AVERAGE_SUM_ORG_UNIT
    several = plan.several
    for table, element_id, option_id, unit_id, key, micros, n in rows:
        target = fill.targets.get((table, element_id, option_id), _UNSEEN)
        if target is _UNSEEN:
            target = fill.make(table, element_id, option_id)
        if target is None:
            continue  # LAST elements take their figure from the chains only
        kind, column, totals = target
        if kind == unit_average and key in several:
            continue  # answered by the reference path below
        if kind == average:
            micros = _from_micros(micros) / n
        for position in at[(unit_id, key)]:
            column[position] = micros
            previous = totals[position]
            totals[position] = micros if previous is None else previous + micros
    for code, found in average_totals.items():
        # As the reference: Decimal(0) + each option's average (0 + x keeps x's exponent).
        out.columns[(code, None)] = [None if t is None else ZERO + t for t in found]
    out.update(_reference_part(elements, units, plan))
    return out


_UNSEEN = object()


class _Targets:
    """Which columns the rows of one (table, element, option) fill, made at its first row
    rather than looked up piecewise for every row: (aggregation type, the option's column,
    the element's total column), or None for rows another source answers."""

    def __init__(self, elements, option_codes, out: GridValues, chains: bool) -> None:
        self.by_id = {e.pk: (e.code, e.aggregation_type) for e in elements}
        self.option_codes, self.out, self.chains = option_codes, out, chains
        self.average_totals: dict[str, list] = {}  # Decimals of AVERAGE elements' totals
        self.targets: dict[tuple[int, int, int], tuple | None] = {}

    def make(self, table: int, element_id: int, option_id: int) -> tuple | None:
        code, kind = self.by_id[element_id]
        name, size = (code, self.option_codes[option_id]), self.out.size
        target = None
        # Where the chains are read (see _rows), LAST elements take their figure from them.
        if not self.chains or (kind == AggregationType.LAST) == (table == 1):
            if kind == AggregationType.AVERAGE:  # Decimals: an average is not a sum
                column = self.out.columns.setdefault(name, [None] * size)
                totals = self.average_totals.setdefault(code, [None] * size)
            else:  # integer millionths
                column = self.out.micros.setdefault(name, [None] * size)
                totals = self.out.micros.setdefault((code, None), [None] * size)
            target = (kind, column, totals)
        self.targets[(table, element_id, option_id)] = target
        return target


ZERO = Decimal(0)


def _decimal_column(micros: np.ndarray, present: np.ndarray) -> vector.Column:
    """Integer millionths → Decimals with six places (exactly operands._exact() of the same
    sum), ZERO where absent, as vector.column_of() gives."""
    values = np.full(len(micros), ZERO, dtype=object)
    # Decimal(m) × 1E-6 is Decimal(m).scaleb(-6): coefficient m, exponent -6 (an int64 has
    # 19 digits, within any context's precision), and a third faster.
    with localcontext(_EXACT):
        values[present] = list(map(_MILLIONTH.__mul__, map(Decimal, micros[present].tolist())))
    return values, present.copy()


_MILLIONTH = Decimal("1E-6")
_EXACT = Context(prec=40)  # whatever the caller's context: no int64 product is rounded


def _reference_part(elements, units, plan: _Plan, *, aggregates: bool = False) -> dict:
    """The cells the rollups do not answer, from the reference path."""
    unit_average = [
        e for e in elements if e.aggregation_type == AggregationType.AVERAGE_SUM_ORG_UNIT
    ]
    several = [plan.requested[key] for key in sorted(plan.several)]
    parts = [(elements, plan.mixed), (unit_average, several)]
    found: dict = {}
    for part_elements, part_periods in parts:
        if part_elements and part_periods:
            fetch = operands.fetch if aggregates else operands.fetch_values
            found.update(fetch(part_elements, units, part_periods))
    return found
