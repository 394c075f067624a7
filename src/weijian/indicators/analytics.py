"""The analytics engine: any indicator or data element, for any units and periods.

    result = analyse(["HAI_INCIDENCE", "OPD_VISITS"], [Period.parse("2026Q1")], [hospital])
    result.value("HAI_INCIDENCE", "2026Q1", "RMYY")      # Decimal, unrounded, or None

One SQL query reads every data-element operand the request needs from the rollups the
database keeps on write (rollup_operands.py; `reference=True` aggregates the stored values on
the fly instead, operands.py, the path the rollups are checked against); a few more fetch
constants, reporting completeness and group counts (both GROUP BYs in SQL). The expressions
are then evaluated on those numbers column-wise (expression/vector.py): each expression once
over every (unit, period) cell, with the same rules as Expression.evaluate(). Inside
replicas.analytics_reads() the reads go to a streaming replica when one is configured and
current. Stored values are never looped over here.

Rules worth knowing: an indicator edition applies to a period when it is in force on the
period's last day; within a requested period each unit's values of its finest stored period
type count (operands.py); a request of more than MAX_CELLS cells is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

import numpy as np

from weijian import periods, replicas
from weijian.orgs.models import OrgUnit
from weijian.reporting.models import DataElement

from . import operands, reporting_metrics, rollup_operands
from .expression import (
    ConstantRef,
    ElementRef,
    Expression,
    GroupCountRef,
    IndicatorRef,
    ReportingRef,
    check_no_cycles,
    integer,
    vector,
)
from .expression.evaluate import CONTEXT, ZERO, scaled_ratio
from .models import Constant, Indicator


class AnalyticsError(Exception):
    """A request the engine cannot answer; `message` is Chinese, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Result:
    """Values by (dx code, period id, unit code); None means "no value".

    Held as columns: one list per dx over the requested (unit, period) cells, unit-major, so a
    pivot of 79 000 cells builds no 79 000-key dict; value() finds a cell by two small index
    maps. `values` (the dict, in the rows() order) is built only when something asks for it."""

    def __init__(self, indicators=None, elements=None, values=None) -> None:
        self.indicators: dict[str, Indicator] = indicators or {}
        self.elements: dict[str, DataElement] = elements or {}
        self._columns: dict[str, list[Decimal | None]] = {}
        self._units: dict[str, int] = {}  # unit code → position
        self._periods: dict[str, int] = {}  # period id → position
        self._unit_codes: list[str] = []
        self._period_ids: list[str] = []
        self._values = values

    @classmethod
    def of_columns(cls, indicators, elements, columns, units, period_list) -> Result:
        result = cls(indicators, elements)
        result._columns = columns
        result._unit_codes = [u.code for u in units]
        result._period_ids = [p.id for p in period_list]
        result._units = {code: i for i, code in enumerate(result._unit_codes)}
        result._periods = {pid: i for i, pid in enumerate(result._period_ids)}
        return result

    def value(self, dx: str, pe: str, ou: str) -> Decimal | None:
        if self._values is not None:
            return self._values.get((dx, pe, ou))
        column = self._columns.get(dx)
        unit, period = self._units.get(ou), self._periods.get(pe)
        if column is None or unit is None or period is None:
            return None
        return column[unit * len(self._period_ids) + period]

    def rounded(self, dx: str, pe: str, ou: str) -> Decimal | None:
        value = self.value(dx, pe, ou)
        return None if value is None else round_for(dx, value, self.indicators)

    @property
    def values(self) -> dict[tuple[str, str, str], Decimal | None]:
        if self._values is None:
            self._values = dict(self._iterate())
        return self._values

    def _iterate(self):
        # Unit by unit, period by period, dx by dx: the order rows() and the API have always had.
        columns = list(self._columns.items())
        cell = 0
        for unit in self._unit_codes:
            for period in self._period_ids:
                for dx, column in columns:
                    yield (dx, period, unit), column[cell]
                cell += 1

    def cells(self) -> dict[tuple[str, str, str], Decimal | None]:
        """Every requested cell, (dx, pe, ou) → value or None."""
        return dict(self.values)

    def rows(self) -> list[tuple[str, str, str, Decimal]]:
        """[dx, pe, ou, value] for every cell that has a value, as DHIS2's analytics rows."""
        items = self._values.items() if self._values is not None else self._iterate()
        return [(dx, pe, ou, v) for (dx, pe, ou), v in items if v is not None]


def round_for(dx: str, value: Decimal, indicators: dict[str, Indicator]) -> Decimal:
    indicator = indicators.get(dx)
    places = indicator.decimals if indicator else 2
    quantum = Decimal(1).scaleb(-places)
    # Up to 25 integer digits and 10 decimals: more than the default context's 28 digits.
    with localcontext(prec=60):
        rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    # Whole-number element totals read as 1234, not 1234.00.
    return (
        rounded.to_integral_value()
        if indicator is None and rounded == rounded.to_integral_value()
        else rounded
    )


# The largest request (dx × pe × ou cells) the API, the CLI and the pivot page may make: the
# county pivot of the whole library (131 × 12 × 48 = 75 456 cells) answers in about a second;
# a request past this cap would hold a web worker and its memory far longer.
MAX_CELLS = 200_000


def analyse(
    dx: Iterable[str],
    period_list: Iterable[periods.Period],
    units: Iterable[OrgUnit],
    *,
    max_cells: int | None = None,
    reference: bool = False,
    approved_only: bool = False,
) -> Result:
    """`max_cells` (default MAX_CELLS; 0 for no cap, as the benchmarks use) refuses a larger
    request with a Chinese message before anything is computed. `reference=True` aggregates
    the stored values on the fly (operands.py) instead of reading the rollups: the path the
    tests and `weijian analytics verify` compare the rollups' answers with. `approved_only`
    counts only values whose report is approved or locked (and system-managed figures), as
    assessments need (operands._REVIEWED); the rollups hold every stored value, so it reads
    on the fly too."""
    with replicas.analytics_reads():
        return _analyse(dx, period_list, units, max_cells, reference, approved_only)


def _analyse(dx, period_list, units, max_cells, reference, approved_only) -> Result:
    dx, period_list, units = list(dict.fromkeys(dx)), list(period_list), list(units)
    _check_size(
        len(dx), len(period_list), len(units), MAX_CELLS if max_cells is None else max_cells
    )
    indicators, element_dx = _resolve_dx(dx)
    expressions = _expressions(indicators)
    refs = {ref for pair in expressions.values() for side in pair for ref in side.items()}
    refs |= {ElementRef(*_split(code)) for code in element_dx}
    element_refs = {r for r in refs if isinstance(r, ElementRef)}
    elements = list(DataElement.objects.filter(code__in={r.code for r in element_refs}))
    pairs, element_values = _element_values(
        elements, units, period_list, reference or approved_only, approved_only
    )
    grid = _Grid(units, period_list)
    shared = _shared_values(refs, units, period_list, pairs, reference)
    columns = _Columns(grid, element_values, shared)
    computed: dict[str, vector.Column] = {}
    by_code = {
        code: vector.to_list(_indicator_column(code, indicators, expressions, columns, computed))
        if code in indicators
        else columns.list(ElementRef(*_split(code)))
        for code in dx
    }
    elements_by_code = {e.code: e for e in elements}
    return Result.of_columns(indicators, elements_by_code, by_code, units, period_list)


def _element_values(elements, units, period_list, on_the_fly: bool, approved_only: bool):
    """(subtree pairs if computed, operand values): from the rollups, or on the fly."""
    if not on_the_fly:
        return None, rollup_operands.fetch_values(elements, units, period_list)
    pairs = operands.subtree_pairs(units)
    return pairs, operands.fetch_values(
        elements, units, period_list, pairs=pairs, approved_only=approved_only
    )


class _Grid:
    """The requested (unit, period) cells, unit-major; operand values are columns over them."""

    def __init__(self, units: list[OrgUnit], period_list: list[periods.Period]) -> None:
        self.cells = [(unit, period) for unit in units for period in period_list]
        self.periods = list({period.id: period for period in period_list}.values())
        self.keys = [(unit.pk, period.id) for unit, period in self.cells]
        self.size = len(self.cells)
        self.period_at = [period.id for _, period in self.cells[: len(period_list)]]
        self.unit_count = len(units)

    def by_period(self, test) -> np.ndarray:
        """test(period) over every cell: once per requested period, tiled over the units (the
        grid is unit-major), not once per cell."""
        flags = {p.id: bool(test(p)) for p in self.periods}
        return np.tile(
            np.array([flags[pid] for pid in self.period_at], dtype=bool), self.unit_count
        )


class _Columns:
    """Each operand's values over the grid, built once, as a numpy column (values, present):
    expression/vector.py evaluates expressions on them."""

    def __init__(self, grid: _Grid, element_values, shared: _Shared) -> None:
        self.grid, self.element_values, self.shared = grid, element_values, shared
        self.cache: dict = {}
        self.int_cache: dict = {}
        self.denominators = integer.Denominators()
        self.reporting_figures: dict = {}  # form code → its counts over the grid, shared by R{}s
        self.laid_out = (
            isinstance(element_values, rollup_operands.GridValues)
            and element_values.keys == grid.keys
        )

    def get(self, ref) -> vector.Column:
        column = self.cache.get(ref)
        if column is None:
            if self.laid_out and isinstance(ref, ElementRef):  # no list of None in between
                column = self.element_values.vector_column(ref.code, ref.option_code)
            else:
                column = vector.column_of(self._build(ref))
            self.cache[ref] = column
        return column

    def int_column(self, ref) -> integer.IntColumn | None:
        """The operand as an integer column (expression/integer.py), or None where only
        Decimals hold it (averages, rates, other indicators, the row-by-row read)."""
        if ref not in self.int_cache:
            try:
                self.int_cache[ref] = self._build_int(ref)
            except integer.Inexact:
                self.int_cache[ref] = None
        return self.int_cache[ref]

    def _build_int(self, ref) -> integer.IntColumn | None:
        size, keys = self.grid.size, self.grid.keys
        if isinstance(ref, ElementRef):
            if not self.laid_out:
                return None
            name = (ref.code, ref.option_code)
            micros = self.element_values.micros.get(name)
            if isinstance(micros, tuple):  # int64 millionths (rollup_columns.py)
                return integer.column(micros[0], -6, micros[1])
            if micros is not None:  # a list of millionths or None (the row-by-row read)
                present = np.not_equal(np.array(micros, dtype=object), None)
                found = np.zeros(size, dtype=np.int64)
                found[present] = [m for m in micros if m is not None]
                return integer.column(found, -6, present)
            if name not in self.element_values.columns:
                return integer.constant(None, size)  # no value anywhere
            return None  # Decimals: averages, or cells the reference path answered
        if isinstance(ref, ConstantRef):
            return integer.constant(self.shared.constants.get(ref.code), size)
        if isinstance(ref, ReportingRef):
            found = reporting_metrics.count_array(
                ref, self.shared.reporting, keys, self.reporting_figures
            )
            return None if found is None else integer.column(found, 0, np.ones(size, bool))
        if isinstance(ref, GroupCountRef):
            counts = self.shared.group_counts
            found = [counts.get((ref.group_code, unit_id), 0) for unit_id, _ in keys]
            return integer.column(found, 0, np.ones(size, bool))
        return None  # N{…}: a quotient

    def list(self, ref) -> list[Decimal | None]:
        return vector.to_list(self.get(ref))

    def _build(self, ref) -> list[Decimal | None]:
        keys, shared = self.grid.keys, self.shared
        if isinstance(ref, ElementRef):
            if self.laid_out:  # rollup_operands.GridValues over this very grid: whole columns
                return self.element_values.column(ref.code, ref.option_code)
            get, code, option = self.element_values.get, ref.code, ref.option_code
            return [get((code, option, unit_id, period_id)) for unit_id, period_id in keys]
        if isinstance(ref, ConstantRef):
            return [shared.constants.get(ref.code)] * self.grid.size
        if isinstance(ref, ReportingRef):
            return reporting_metrics.metric_column(
                ref, shared.reporting, keys, self.reporting_figures
            )
        if isinstance(ref, GroupCountRef):
            # A group with no member in the unit counts 0: the expression language never
            # treats an absent group count as 0 by itself.
            counts = {}
            for unit_id, _ in keys:
                if unit_id not in counts:
                    counts[unit_id] = Decimal(shared.group_counts.get((ref.group_code, unit_id), 0))
            return [counts[unit_id] for unit_id, _ in keys]
        return [None] * self.grid.size  # N{…} operands are filled in by _indicator_column


def _indicator_column(code, indicators, expressions, columns: _Columns, computed) -> vector.Column:
    """The indicator's values over the grid, its N{…} operands computed first (memoised)."""
    if code in computed:
        return computed[code]
    numerator, denominator = expressions[code]
    indicator = indicators[code]
    exact = _exact_indicator_column(indicator, numerator, denominator, columns)
    if exact is not None:
        computed[code] = exact
        return exact
    size = columns.grid.size

    def operand_columns(expression: Expression) -> list[vector.Column]:
        out = []
        for ref in expression.ordered_items():
            if isinstance(ref, IndicatorRef):
                out.append(
                    _indicator_column(ref.code, indicators, expressions, columns, computed)
                    if ref.code in expressions
                    else vector.column_of([None] * size)
                )
            else:
                out.append(columns.get(ref))
        return out

    top = numerator.evaluate_vector(operand_columns(numerator), size)
    if top[1].any():
        bottom = denominator.evaluate_vector(operand_columns(denominator), size)
        in_force = columns.grid.by_period(indicator.is_valid_for)
        column = _scaled_ratio(top, bottom, Decimal(indicator.factor), in_force)
    else:
        column = top
    computed[code] = column
    return column


def _exact_indicator_column(
    indicator: Indicator, numerator: Expression, denominator: Expression, columns: _Columns
) -> vector.Column | None:
    """The indicator's column evaluated over int64 columns (expression/integer.py), the very
    Decimals of the object path below; None when some operand or operation needs that path
    (it then runs, for this indicator only)."""

    def side(expression: Expression) -> integer.IntColumn:
        operands = [columns.int_column(ref) for ref in expression.ordered_items()]
        return integer.run(
            expression.root, expression.ordered_items(), operands, columns.grid.size, _SKIP_IF_ALL
        )

    try:
        top = side(numerator)
        if not top[2].any():  # as below: the numerator's own column, every cell absent
            return integer.to_decimals(top), top[2]
        bottom = side(denominator)
        in_force = columns.grid.by_period(indicator.is_valid_for)
        factor = Decimal(indicator.factor)
        return integer.scaled_ratio(
            top, bottom, factor, in_force, columns.denominators, denominator
        )
    except integer.Inexact:
        return None


_SKIP_IF_ALL = "SKIP_IF_ALL_VALUES_MISSING"  # each side's strategy, as evaluate_vector's default


def _scaled_ratio(top, bottom, factor: Decimal, in_force) -> vector.Column:
    """scaled_ratio() over the grid: numerator × factor ÷ denominator, in the evaluator's
    decimal context; no value for a missing side, a zero denominator or an edition not in
    force. An arithmetic error (overflow) sends the column through scaled_ratio() cell by cell."""
    (t, has_t), (b, has_b) = top, bottom
    # Only the cells with both sides (a pivot's are often half empty) are compared with zero,
    # multiplied and divided, on compressed arrays: the same Decimal operations per cell.
    at = np.flatnonzero(has_t & has_b & in_force)
    at = at[np.not_equal(b[at], 0).astype(bool)]
    present = np.zeros(len(t), dtype=bool)
    present[at] = True
    out = np.full(len(t), ZERO, dtype=object)
    try:
        with localcontext(CONTEXT):
            out[at] = np.multiply(t[at], factor) / b[at]
        return out, present
    except ArithmeticError:
        cells = zip(vector.to_list(top, in_force), vector.to_list(bottom), strict=True)
        return vector.column_of([scaled_ratio(a, d, factor) for a, d in cells])


def _check_size(n_dx: int, n_pe: int, n_ou: int, cap: int) -> None:
    cells = n_dx * n_pe * n_ou
    if cap and cells > cap:
        raise AnalyticsError(
            f"请求的数据量过大：{n_dx} 项指标或数据元 × {n_pe} 个期间 × {n_ou} 个机构 = "
            f"{cells:,} 个单元格，超过上限 {cap:,} 个；请减少指标、期间或机构后重试"
        )


def _split(code: str) -> tuple[str, str | None]:
    element, _, option = code.partition(".")
    return element, option or None


def _resolve_dx(dx: list[str]) -> tuple[dict[str, Indicator], list[str]]:
    """The requested indicators (plus those they reference) and the requested element codes."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=dx).select_related("source")}
    element_dx = [code for code in dx if code not in indicators]
    known = set(
        DataElement.objects.filter(code__in={_split(c)[0] for c in element_dx}).values_list(
            "code", flat=True
        )
    )
    unknown = [code for code in element_dx if _split(code)[0] not in known]
    if unknown:
        raise AnalyticsError(f"找不到指标或数据元：{'、'.join(unknown)}")
    _add_referenced_indicators(indicators)
    return indicators, element_dx


def _add_referenced_indicators(indicators: dict[str, Indicator]) -> None:
    """Load the indicators that N{…} operands refer to, transitively; refuse cycles."""
    pending = _referenced(indicators.values()) - set(indicators)
    while pending:
        found = {
            i.code: i for i in Indicator.objects.filter(code__in=pending).select_related("source")
        }
        indicators.update(found)
        pending = _referenced(found.values()) - set(indicators)
    check_no_cycles({code: list(i.parsed()) for code, i in indicators.items()})


def _referenced(indicators) -> set[str]:
    return {ref.code for indicator in indicators for ref in _indicator_refs(indicator)}


def _indicator_refs(indicator: Indicator) -> set[IndicatorRef]:
    numerator, denominator = indicator.parsed()
    return set(numerator.indicator_refs() | denominator.indicator_refs())


def _expressions(indicators: dict[str, Indicator]) -> dict[str, tuple[Expression, Expression]]:
    return {code: indicator.parsed() for code, indicator in indicators.items()}


@dataclass
class _Shared:
    constants: dict[str, Decimal]
    reporting: reporting_metrics.Counts
    group_counts: dict[tuple[str, int], int]
    group_codes: set[str]


def _shared_values(refs, units, period_list, pairs, reference: bool = False) -> _Shared:
    """Constants, R{…} and OUG{…} figures. R{} and OUG{} always count over subtrees; `pairs`
    is operands.subtree_pairs(units) when the caller has it (None: computed if needed)."""
    constant_codes = {r.code for r in refs if isinstance(r, ConstantRef)}
    constants = dict(Constant.objects.filter(code__in=constant_codes).values_list("code", "value"))
    reporting_refs = {r for r in refs if isinstance(r, ReportingRef)}
    needs_pairs = (reporting_refs and reference) or any(isinstance(r, GroupCountRef) for r in refs)
    if pairs is None and needs_pairs:
        pairs = operands.subtree_pairs(units)
    reporting = reporting_metrics.count_reports(
        reporting_refs, units, period_list, pairs, reference=reference
    )
    group_codes = {r.group_code for r in refs if isinstance(r, GroupCountRef)}
    return _Shared(constants, reporting, _group_counts(group_codes, pairs), group_codes)


def _group_counts(group_codes: set[str], pairs) -> dict[tuple[str, int], int]:
    """(group code, unit id) → members of the group in the unit's subtree, one GROUP BY."""
    if not (group_codes and pairs):
        return {}
    ou_map = operands.unit_map_sql(pairs)
    codes = ", ".join(["%s"] * len(group_codes))
    sql = (
        f"WITH {ou_map} SELECT g.code, ou_map.ou_key, COUNT(*) "
        "FROM orgs_orgunitgroup_members m "
        "JOIN orgs_orgunitgroup g ON g.id = m.orgunitgroup_id "
        "JOIN ou_map ON ou_map.unit_id = m.orgunit_id "
        f"WHERE g.code IN ({codes}) GROUP BY g.code, ou_map.ou_key"
    )
    with replicas.read_connection().cursor() as cursor:
        cursor.execute(sql, sorted(group_codes))
        return {(code, unit_id): int(n) for code, unit_id, n in cursor.fetchall()}


def expression_values(
    expressions: dict[object, Expression],
    units: list[OrgUnit],
    period_list: list[periods.Period],
    missing=None,
    *,
    subtree: bool = True,
    reference: bool = False,
    approved_only: bool = False,
) -> dict[tuple[object, str, str], Decimal | None]:
    """Evaluate free-standing expressions (validation rules' sides, targets…) for every unit
    and period: (key, period id, unit code) → value. Same single aggregation query (a unit's
    own values, `subtree=False`, and `approved_only` (as in analyse()) are read on the fly)."""
    from .expression import MissingValueStrategy

    strategy = missing or MissingValueStrategy.SKIP_IF_ALL_VALUES_MISSING
    refs = {ref for e in expressions.values() for ref in e.items()}
    element_refs = {r for r in refs if isinstance(r, ElementRef)}
    elements = list(DataElement.objects.filter(code__in={r.code for r in element_refs}))
    if subtree and not reference and not approved_only:
        element_values = rollup_operands.fetch_values(elements, units, period_list)
    else:
        element_values = operands.fetch_values(
            elements, units, period_list, subtree=subtree, approved_only=approved_only
        )
    grid = _Grid(units, period_list)
    shared = _shared_values(refs, units, period_list, None, reference)
    columns = _Columns(grid, element_values, shared)
    by_key = {
        key: expression.evaluate_columns(
            [columns.list(ref) for ref in expression.ordered_items()], grid.size, strategy
        )
        for key, expression in expressions.items()
    }
    out: dict[tuple[object, str, str], Decimal | None] = {}
    for cell, (unit, period) in enumerate(grid.cells):
        for key, column in by_key.items():
            out[(key, period.id, unit.code)] = column[cell]
    return out
