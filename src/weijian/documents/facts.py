"""The figures a summary draws on, fetched up front with a few analytics requests: one for
the unit (current period, last year, the period before, two earlier years and every month),
one for its sub-units (best and worst), one query for targets and a few for reporting
completeness. Sections then only look numbers up here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from weijian import periods
from weijian.indicators.analytics import Result, analyse
from weijian.indicators.models import Direction, Indicator, Target
from weijian.indicators.targets import Status, is_cumulative, progress
from weijian.orgs.models import OrgUnit, OrgUnitType
from weijian.reporting.models import AggregationType, DataElement

from .narrative import Quantity
from .timeframe import month_label, shift_years


@dataclass
class Facts:
    unit: OrgUnit
    period: periods.Period
    today: dt.date
    known: list[str]
    indicators: dict[str, Indicator]
    elements: dict[str, DataElement]
    result: Result
    last_year: periods.Period
    previous: periods.Period | None
    history: list[periods.Period]  # earlier same periods, oldest first, then the current one
    months: list[periods.Period]
    months_last_year: list[periods.Period]
    children: list[OrgUnit] = field(default_factory=list)
    children_result: Result | None = None
    targets: dict[tuple[str, str], Target] = field(default_factory=dict)
    summed: set[str] = field(default_factory=set)
    unit_overrides: dict[str, str] = field(default_factory=dict)

    # -- what a code is ---------------------------------------------------------------
    def name(self, dx: str) -> str:
        if dx in self.indicators:
            return self.indicators[dx].short_name or self.indicators[dx].name
        element = self.elements.get(dx.partition(".")[0])
        return element.name if element else dx

    def unit_of(self, dx: str) -> str:
        if dx in self.unit_overrides:
            return self.unit_overrides[dx]
        if dx in self.indicators:
            return self.indicators[dx].unit or ""
        element = self.elements.get(dx.partition(".")[0])
        return element.unit if element else ""

    def is_rate(self, dx: str) -> bool:
        indicator = self.indicators.get(dx)
        return (indicator is not None and indicator.is_rate) or self.unit_of(dx) == "%"

    def decimals(self, dx: str) -> int | None:
        indicator = self.indicators.get(dx)
        return indicator.decimals if indicator else None

    def direction(self, dx: str, override: str | None = None) -> str | None:
        """'up' (越高越好), 'down' (越低越好) or None (monitor only)."""
        if override in ("up", "down"):
            return override
        if override == "none":
            return None
        indicator = self.indicators.get(dx)
        if indicator is None:
            return None
        return {Direction.HIGHER_BETTER: "up", Direction.LOWER_BETTER: "down"}.get(
            indicator.direction
        )

    # -- numbers ----------------------------------------------------------------------
    def value(self, dx: str, period: periods.Period | None = None) -> Decimal | None:
        period = period or self.period
        return self.result.value(dx, period.id, self.unit.code)

    def quantity(self, dx: str, period: periods.Period | None = None, unit=None) -> Quantity:
        period = period or self.period
        ou = unit or self.unit
        result = self.result if unit is None else self.children_result
        value = result.value(dx, period.id, ou.code) if result else None
        return Quantity(
            value=value,
            unit=self.unit_of(dx),
            source={"dx": dx, "pe": period.id, "ou": ou.code},
            is_rate=self.is_rate(dx),
            decimals=self.decimals(dx),
        )

    def child_values(self, dx: str) -> list[tuple[OrgUnit, Decimal]]:
        if self.children_result is None:
            return []
        found = []
        for child in self.children:
            value = self.children_result.value(dx, self.period.id, child.code)
            if value is not None:
                found.append((child, value))
        return found

    # -- targets ----------------------------------------------------------------------
    def target(self, dx: str, year: int | None = None) -> Target | None:
        return self.targets.get((dx, str(year or self.period.end.year)))

    def covered_to(self) -> dt.date:
        """The day the data reaches up to: the period's end, or the last ended month."""
        return min(self.period.end + dt.timedelta(days=1), self.today.replace(day=1))

    def progress(self, dx: str):
        indicator = self.indicators.get(dx)
        target = self.target(dx)
        if indicator is None or target is None:
            return None
        year = periods.Period.parse(str(self.period.end.year))
        cumulative = is_cumulative(indicator, self.summed)
        return progress(
            indicator, target.value, self.value(dx), year, self.covered_to(), cumulative=cumulative
        )

    def is_cumulative(self, dx: str) -> bool:
        indicator = self.indicators.get(dx)
        if indicator is not None:
            return is_cumulative(indicator, self.summed)
        return dx.partition(".")[0] in self.summed

    def unmet(self, dx: str) -> bool:
        found = self.progress(dx)
        return found is not None and found.status in (Status.NOT_MET, Status.BEHIND)

    def data_months(self) -> list[periods.Period]:
        """The months of the period that have ended by today."""
        return [m for m in self.months if m.end < self.today]

    def coverage_label(self) -> str:
        """'1—10月' when the period is not over yet, else ''."""
        ended = self.data_months()
        if not ended or len(ended) == len(self.months):
            return ""
        return f"{month_label(ended[0])}—{month_label(ended[-1])}"


def gather(
    unit: OrgUnit,
    period: periods.Period,
    codes: list[str],
    today: dt.date,
    *,
    compare_codes: list[str] = (),
    target_years: tuple[int, ...] = (),
) -> Facts:
    # Every target the unit has for the year (and the plan year) is looked at, whether or not
    # the template names its indicator: unmet targets are problems, targets are next steps.
    years = {str(period.end.year), *(str(y) for y in target_years)}
    target_rows = list(
        Target.objects.filter(org_unit=unit, period__in=years).select_related("indicator")
    )
    codes = list(dict.fromkeys([*codes, *(t.indicator.code for t in target_rows)]))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes).select_related()}
    element_codes = {c.partition(".")[0] for c in codes if c not in indicators}
    elements = {e.code: e for e in DataElement.objects.filter(code__in=element_codes)}
    known = [c for c in codes if c in indicators or c.partition(".")[0] in elements]
    last_year = shift_years(period, -1)
    history = [shift_years(period, -3), shift_years(period, -2), last_year, period]
    previous = None if period.type is periods.PeriodType.YEARLY else _previous(period)
    months = _months(period)
    months_last_year = [m.same_period_last_year() for m in months]
    wanted = {p.id: p for p in [*history, *months, *months_last_year]}
    if previous is not None:
        wanted[previous.id] = previous
    result = analyse(known, list(wanted.values()), [unit]) if known else Result()
    summed = set(
        DataElement.objects.filter(aggregation_type=AggregationType.SUM).values_list(
            "code", flat=True
        )
    )
    facts = Facts(
        unit=unit, period=period, today=today, known=known, indicators=indicators,
        elements=elements, result=result, last_year=last_year, previous=previous,
        history=history, months=months, months_last_year=months_last_year, summed=summed,
    )  # fmt: skip
    compare_known = [c for c in compare_codes if c in known]
    if compare_known:
        facts.children = _comparable_children(unit)
        if facts.children:
            facts.children_result = analyse(compare_known, [period], facts.children)
    facts.targets = {(t.indicator.code, t.period): t for t in target_rows}
    return facts


def _comparable_children(unit: OrgUnit) -> list[OrgUnit]:
    """The sub-units worth ranking: open ones, not the administrative offices (院办, 财务科…)
    which report no clinical figures (they simply have no values and drop out anyway)."""
    below = OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
    children = [c for c in below.order_by("code") if c.type != OrgUnitType.OTHER]
    return children


def _previous(period: periods.Period) -> periods.Period | None:
    if period.type is periods.PeriodType.YEARLY or "-" in period.id:
        return None
    return period.previous()


def _months(period: periods.Period) -> list[periods.Period]:
    if period.type is periods.PeriodType.MONTHLY:
        return [period]
    return period.periods_within(periods.PeriodType.MONTHLY)
