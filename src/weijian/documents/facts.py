"""Facts: the figures a summary draws on, with their coverage, fetched up front with a few
analytics requests — the unit over the period, last year, earlier years and every month; the
covered part of the period where a figure's months are incomplete; its sub-units for
comparisons — plus targets. Sections then only look numbers up here.

Coverage before claims: a figure is stated for the months it covers. A ledger kept only since
December is "12月" in a year's summary, never "全年"; a survey begun in March is "3—6月" in a
half-year; its comparison is with the same months of last year. A figure whose months have
gaps is not stated at all (`Facts.stated` is False). Rates know their denominators (the sample
size), so a breach of "1 of 2 cases" is never ranked as a problem.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from weijian import periods
from weijian.indicators.analytics import Result, analyse
from weijian.indicators.models import Direction, Indicator, Target
from weijian.indicators.targets import Status, is_cumulative, progress
from weijian.orgs.models import OrgUnit
from weijian.reporting.models import AggregationType, DataElement

from . import causes
from .narrative import Quantity
from .timeframe import coverage_span, make_range, month_label, shift_years, span

_SINGLE_REF = re.compile(r"^\s*#\{([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)?)\}\s*$")
# A summary speaks Chinese: Latin abbreviations only where offices write them (ICU, CT,
# DRG/DIP, DDDs, I类切口); an indicator whose short name has another (MDRO检出率, CLABSI发病率)
# is called by its full name, without the abbreviation in brackets.
ALLOWED_LATIN = {"ICU", "CT", "DRG", "DIP", "DDDs", "I"}
_LATIN = re.compile(r"[A-Za-z]+")
_BRACKETED_LATIN = re.compile(r"（[A-Za-z]+）|\([A-Za-z]+\)")
# Units as summaries print them: 抗菌药物使用强度 is in DDDs per 100 patient-days.
DISPLAY_UNITS = {"DDDs": "DDDs/百人天"}


ABBREVIATIONS = {
    "MDRO": "多重耐药菌", "CLABSI": "血管导管相关血流感染", "VAP": "呼吸机相关肺炎",
    "CAUTI": "导尿管相关尿路感染", "AEFI": "疑似预防接种异常反应", "MRSA": "耐甲氧西林金黄色葡萄球菌",
    "VRE": "耐万古霉素肠球菌", "CRKP": "耐碳青霉烯类肺炎克雷伯菌", "CRAB": "耐碳青霉烯类鲍曼不动杆菌",
}  # fmt: skip


# Clipped short names a document spells out: 院感发病率 is the ward's shorthand; a summary
# signed by a director says 医院感染发病率 (director reads of 2026-12-07 23:30)
SPELLED_OUT = {"院感": "医院感染"}


def chinese_name(short: str, full: str) -> str:
    """The short name with its Latin abbreviations in Chinese (MDRO检出率 → 多重耐药菌检出率)
    and its clipped words spelled out (院感发病率 → 医院感染发病率); the full name without
    bracketed abbreviations when one is not known."""
    for clipped, whole in SPELLED_OUT.items():
        if short.startswith(clipped):
            short = whole + short[len(clipped) :]
    for latin, chinese in ABBREVIATIONS.items():
        short = re.sub(rf"(?<![A-Za-z]){latin}(?![A-Za-z])", chinese, short)
    if all(word in ALLOWED_LATIN for word in _LATIN.findall(short)):
        return short
    return _BRACKETED_LATIN.sub("", full) or short


@dataclass(frozen=True)
class Coverage:
    """The months of the period that have ended (`expected`) and those with a value."""

    expected: tuple[periods.Period, ...]
    covered: tuple[periods.Period, ...]

    @property
    def full(self) -> bool:
        return bool(self.expected) and self.covered == self.expected

    @property
    def contiguous(self) -> bool:
        if not self.covered:
            return False
        ids = [m.id for m in self.expected]
        first = ids.index(self.covered[0].id)
        return [m.id for m in self.covered] == ids[first : first + len(self.covered)]

    @property
    def missing(self) -> list[periods.Period]:
        return [m for m in self.expected if m not in self.covered]


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
    # dx → the covered range (this year's, last year's) where coverage is partial
    ranges: dict[str, tuple[periods.Period, periods.Period]] = field(default_factory=dict)
    parts: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # rate → (numerator, denominator)
    carried: dict[str, tuple | None] = field(default_factory=dict)  # code → carrier(), once

    def carrier(self, code: str, share: Decimal = Decimal("0.6")):
        """(sub-unit, its count now, a year before) when one sub-unit carries `share` or
        more of the change of a count, a rise or a fall (I类切口 infections 5 → 19, 11 of the
        14 more in 外科): the cause a director asks for first. None without sub-units, without
        a change, or when the change is spread. Fetched on demand, once per code (one
        analytics request)."""
        if code not in self.carried:
            self.carried[code] = self._carrier(code, share)
        return self.carried[code]

    def _carrier(self, code: str, share: Decimal):
        children = self.children or _comparable_children(self.unit)
        total_now, total_before = self.value(code, self.period), self.value(code, self.last_year)
        if not children or total_now is None or total_before is None or total_now == total_before:
            return None
        found = analyse([code], [self.period, self.last_year], children)
        by_name = {}
        changes = []
        for child in children:
            now = found.value(code, self.period.id, child.code) or Decimal(0)
            before = found.value(code, self.last_year.id, child.code) or Decimal(0)
            by_name[child.code] = child
            changes.append((child.code, causes.Change(now, before)))
        cause = causes.unit_cause(causes.Change(total_now, total_before), changes, share=share)
        if cause is None:
            return None
        return by_name[cause.label], cause.change.now, cause.change.before

    def sub_units(self) -> list:
        """The sub-units a figure is broken down by (the comparable ones when the facts hold
        none of their own)."""
        return self.children or _comparable_children(self.unit)

    def month_changes(self, code: str) -> list[tuple[int, causes.Change]]:
        """Each month of the period with data for `code` this year and last: (month number,
        this year's vs last year's figure), in calendar order; [] when a month is missing
        (a gap is not a cluster)."""
        found = []
        for month, last in zip(self.data_months(), self.months_last_year, strict=False):
            now, before = self.value(code, month), self.value(code, last)
            if now is None or before is None:
                return []
            found.append((month.start.month, causes.Change(now, before)))
        return found

    # -- what a code is ---------------------------------------------------------------
    def name(self, dx: str) -> str:
        if dx in self.indicators:
            indicator = self.indicators[dx]
            return chinese_name(indicator.short_name or indicator.name, indicator.name)
        element = self.elements.get(dx.partition(".")[0])
        return element.name if element else dx

    def unit_of(self, dx: str) -> str:
        if dx in self.unit_overrides:
            return self.unit_overrides[dx]
        if dx in self.indicators:
            unit = self.indicators[dx].unit or ""
        else:
            element = self.elements.get(dx.partition(".")[0])
            unit = element.unit if element else ""
        return DISPLAY_UNITS.get(unit, unit)

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

    def kind(self, dx: str) -> str:
        """count, money, rate or level (an average: 平均住院日, 次均费用, 床位周转次数)."""
        unit = self.unit_of(dx)
        if self.is_rate(dx) or unit in ("%", "‰") or unit.startswith("/"):
            return "rate"
        if unit.endswith("元"):
            return "money" if self.is_cumulative(dx) else "level"
        return "count" if self.is_cumulative(dx) else "level"

    # -- coverage ---------------------------------------------------------------------
    def coverage(self, dx: str, unit: OrgUnit | None = None) -> Coverage:
        """The months of the period `dx` has a report for. A rate over an event count (肺结核
        患者管理率 = 已管理 ÷ 确诊并通知的患者) has no value in a month with no case notified,
        yet that month was reported: it is covered when its denominator was reported, zero
        included, so the year's Σ managed ÷ Σ notified is stated (a township with no case in
        most months lost the rate altogether). Only a month with no report is missing."""
        expected = tuple(self.data_months())
        result = self.result if unit is None else self.children_result
        if result is None:
            return Coverage(expected, ())
        ou = (unit or self.unit).code
        counted = self._event_denominator(dx)

        def reported(month: periods.Period) -> bool:
            if result.value(dx, month.id, ou) is not None:
                return True
            return counted is not None and result.value(counted, month.id, ou) is not None

        return Coverage(expected, tuple(m for m in expected if reported(m)))

    def _event_denominator(self, dx: str) -> str | None:
        """The denominator of a rate whose denominator is a count summed over months (cases
        notified, patients discharged), or None: a zero of it is a report, not a gap. A stock
        (辖区常住人口, taken at the period's end) is not: its zero would be a missing figure."""
        if dx not in self.parts:
            return None
        bottom = self.parts[dx][1]
        return bottom if bottom.partition(".")[0] in self.summed else None

    def stated(self, dx: str) -> bool:
        """The figure can be stated: its months are complete, or one unbroken run of them (a
        figure with no month at all is not stated either, but has nothing to leave out)."""
        found = self.coverage(dx)
        return found.full or found.contiguous or not found.covered

    def scope(self, dx: str) -> periods.Period:
        """The period the figure of `dx` is stated for: the summary's period, or the run of
        months it covers."""
        return self.ranges[dx][0] if dx in self.ranges else self.period

    def scope_words(self, dx: str) -> str:
        """全年, 上半年, 1—11月 … for the whole period; 12月, 3—6月 for a covered part."""
        return span(self.scope(dx))

    def full(self, dx: str) -> bool:
        return dx not in self.ranges

    # -- numbers ----------------------------------------------------------------------
    def value(self, dx: str, period: periods.Period | None = None) -> Decimal | None:
        period = period or self.scope(dx)
        return self.result.value(dx, period.id, self.unit.code)

    def quantity(self, dx: str, period: periods.Period | None = None, unit=None) -> Quantity:
        period = period or (self.scope(dx) if unit is None else self.period)
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

    def current(self, dx: str) -> Quantity:
        """The figure over its scope (the period, or the months it covers)."""
        return self.quantity(dx)

    def before(self, dx: str) -> Quantity:
        """The same scope a year earlier."""
        return self.quantity(dx, self.ranges[dx][1] if dx in self.ranges else self.last_year)

    def sample(self, dx: str, before: bool = False) -> Decimal | None:
        """A rate's denominator over its scope (the cases it stands on), when it is one element."""
        if dx not in self.parts:
            return None
        period = (self.ranges[dx][1] if dx in self.ranges else self.last_year) if before else None
        return self.value(self.parts[dx][1], period or self.scope(dx))

    def child_values(self, dx: str) -> list[tuple[OrgUnit, Decimal]]:
        """Sub-units with a value for the whole period (units open only part of it are left
        out: their figures do not compare)."""
        if self.children_result is None:
            return []
        found = []
        for child in self.children:
            value = self.children_result.value(dx, self.period.id, child.code)
            if value is not None and self.coverage(dx, child).full:
                found.append((child, value))
        return found

    def child_sample(self, dx: str, child: OrgUnit) -> Decimal | None:
        if dx not in self.parts or self.children_result is None:
            return None
        return self.children_result.value(self.parts[dx][1], self.period.id, child.code)

    # -- targets ----------------------------------------------------------------------
    def target(self, dx: str, year: int | None = None) -> Target | None:
        return self.targets.get((dx, str(year or self.period.end.year)))

    def covered_to(self) -> dt.date:
        """The day the data reaches up to: the period's end, or the last ended month."""
        return min(self.period.end + dt.timedelta(days=1), self.today.replace(day=1))

    def progress(self, dx: str):
        indicator = self.indicators.get(dx)
        target = self.target(dx)
        if indicator is None or target is None or not self.full(dx):
            return None  # a year's target is not judged on a few months of it
        year = periods.Period.parse(str(self.period.end.year))
        cumulative = is_cumulative(indicator, self.summed)
        # judged on the value as printed (1.2049 % is the 1.20 % the reader sees), as the
        # contracts page judges its targets
        value = self.result.rounded(dx, self.period.id, self.unit.code)
        return progress(
            indicator, target.value, value, year, self.covered_to(), cumulative=cumulative
        )

    def is_cumulative(self, dx: str) -> bool:
        indicator = self.indicators.get(dx)
        if indicator is not None:
            return is_cumulative(indicator, self.summed)
        return dx.partition(".")[0] in self.summed

    def unmet(self, dx: str) -> bool:
        found = self.progress(dx)
        return found is not None and found.status in (Status.NOT_MET, Status.BEHIND)

    def target_status(self, dx: str) -> str | None:
        """met, missed, behind (a year's count behind schedule) or None (no target)."""
        found = self.progress(dx)
        if found is None:
            return None
        return {
            Status.MET: "met", Status.ON_TRACK: "met", Status.NOT_MET: "missed",
            Status.BEHIND: "behind",
        }.get(found.status)  # fmt: skip

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
    # the components a cause may need (次均药品费用 behind 次均费用), looked up and fetched
    # with the rest (explanations.component_cause)
    wanted_components = [c for dx in codes for c, _ in causes.COMPONENTS.get(dx, ())]
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(code__in=[*codes, *wanted_components]).select_related()
    }
    components = [c for c in wanted_components if c in indicators]
    indicators = {
        code: i for code, i in indicators.items() if code not in components or code in codes
    }
    parts = _rate_parts(indicators)
    part_codes = [c for pair in parts.values() for c in pair]
    element_codes = {c.partition(".")[0] for c in [*codes, *part_codes] if c not in indicators}
    elements = {e.code: e for e in DataElement.objects.filter(code__in=element_codes)}
    known = [c for c in codes if c in indicators or c.partition(".")[0] in elements]
    parts = {dx: pair for dx, pair in parts.items() if all(p.partition(".")[0] in elements for p in pair)}  # fmt: skip
    fetched = list(dict.fromkeys([*known, *(c for pair in parts.values() for c in pair), *components]))  # fmt: skip
    last_year = shift_years(period, -1)
    history = [shift_years(period, -3), shift_years(period, -2), last_year, period]
    previous = None if period.type is periods.PeriodType.YEARLY else _previous(period)
    months = _months(period)
    months_last_year = [m.same_period_last_year() for m in months]
    wanted = {p.id: p for p in [*history, *months, *months_last_year]}
    if previous is not None:
        wanted[previous.id] = previous
    result = analyse(fetched, list(wanted.values()), [unit]) if fetched else Result()
    summed = set(
        DataElement.objects.filter(aggregation_type=AggregationType.SUM).values_list(
            "code", flat=True
        )
    )
    facts = Facts(
        unit=unit, period=period, today=today, known=known, indicators=indicators,
        elements=elements, result=result, last_year=last_year, previous=previous,
        history=history, months=months, months_last_year=months_last_year, summed=summed,
        parts=parts,
    )  # fmt: skip
    _cover_partial(facts, fetched)
    compare_known = [c for c in compare_codes if c in known]
    if compare_known:
        facts.children = _comparable_children(unit)
        if facts.children:
            wanted_codes = [*compare_known, *(parts[c][1] for c in compare_known if c in parts)]
            facts.children_result = analyse(
                wanted_codes, [period, *facts.data_months()], facts.children
            )
    facts.targets = {(t.indicator.code, t.period): t for t in target_rows}
    return facts


def event_denominators(codes) -> dict[str, str]:
    """dx → the denominator of each rate among `codes` whose denominator is an event count
    summed over months (Facts._event_denominator's rule, for callers without Facts: the
    checker's coverage, queries._coverage_of)."""
    parts = _rate_parts({i.code: i for i in Indicator.objects.filter(code__in=list(codes))})
    bottoms = {bottom.partition(".")[0] for _, bottom in parts.values()}
    summed = set(
        DataElement.objects.filter(code__in=bottoms, aggregation_type=AggregationType.SUM)
        .values_list("code", flat=True)
    )  # fmt: skip
    return {dx: bottom for dx, (_, bottom) in parts.items() if bottom.partition(".")[0] in summed}


def _rate_parts(indicators: dict[str, Indicator]) -> dict[str, tuple[str, str]]:
    """Rates whose numerator and denominator are each one element (院感发病率 = 新发例数 ÷
    住院患者数): their parts give the sample size and explain a change."""
    found = {}
    for code, indicator in indicators.items():
        top = _SINGLE_REF.match(indicator.numerator or "")
        bottom = _SINGLE_REF.match(indicator.denominator or "")
        if top and bottom:
            found[code] = (top.group(1), bottom.group(1))
    return found


def _cover_partial(facts: Facts, codes: list[str]) -> None:
    """For each figure whose months are one unbroken run short of the period, fetch it (and
    its parts) over that run and over the same run a year earlier."""
    by_range: dict[tuple[str, str], list[str]] = {}
    spans: dict[tuple[str, str], tuple[periods.Period, periods.Period]] = {}
    for dx in codes:
        found = facts.coverage(dx)
        if found.full or not found.contiguous:
            continue
        this = coverage_span(make_range(found.covered[0].start, found.covered[-1].end))
        last = coverage_span(shift_years(this, -1))
        key = (this.id, last.id)
        spans[key] = (this, last)
        by_range.setdefault(key, []).append(dx)
    for key, group in by_range.items():
        wanted = list(
            dict.fromkeys([*group, *(c for dx in group for c in facts.parts.get(dx, ()))])
        )
        extra = analyse(wanted, list(spans[key]), [facts.unit])
        facts.result.values.update(extra.values)
        for dx in group:
            facts.ranges[dx] = spans[key]


def _comparable_children(unit: OrgUnit) -> list[OrgUnit]:
    """The sub-units worth ranking: open ones, not the administrative offices (院办, 财务科…)
    which report no clinical figures (they simply have no values and drop out anyway)."""
    from weijian.orgs.models import OrgUnitType

    below = OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
    return [c for c in below.order_by("code") if c.type != OrgUnitType.OTHER]


def _previous(period: periods.Period) -> periods.Period | None:
    if period.type is periods.PeriodType.YEARLY or "-" in period.id:
        return None
    return period.previous()


def _months(period: periods.Period) -> list[periods.Period]:
    if period.type is periods.PeriodType.MONTHLY:
        return [period]
    return period.periods_within(periods.PeriodType.MONTHLY)
