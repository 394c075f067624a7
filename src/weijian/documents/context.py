"""What every step of the composer shares: the `Context` of one composition (facts, template,
words, the problems judged so far), the template's words ({unit}, {span}, {we} …) and the
questions asked of a template's structure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from weijian import periods
from weijian.orgs.models import OrgUnit, OrgUnitType

from . import narrative as n
from . import specs, timeframe
from .causes import Cause
from .facts import Facts
from .narrative import Text
from .reporting_facts import ReportingFacts


def cat(spans) -> Text:
    """Spans as one Text, adjacent strings joined: narrative's own canonical form."""
    return n.merge(spans)


OVERDUE_CODE = "INSP_RECT_OVERDUE"
MAX_PROBLEMS = 6  # the model summaries list two to six problems

# The order of seriousness: deaths and safety events (a rate that should fall and at least
# doubled on enough cases, such as a cluster of surgical-site infections, is one: "surge"),
# then breached thresholds, targets and norms, then trends for the worse and inspections
# failed, then overdue rectifications, then late statistical reports — which never outrank a doubled
# infection rate.
TIERS = {
    "event": 0,
    "safety": 0,  # falls, pressure injuries, deaths that rose: counted, not rated
    "surge": 0,
    "threshold": 1,
    "target": 1,
    "norm": 1,
    "trend": 2,
    "inspection": 2,
    # a target missed within rounding, or missed while the figure improved on last year
    # (院感发病率 1.21 % against 1.20 %, down from 1.31 %): after the trends, not a breach
    "near_target": 3,
    "overdue": 3,  # problems found and not put right in time, before
    # the ledgers' findings (ledger_problems.py), in this order after the overdue ones: a 医保
    # inspection's violations (the money returned, the findings being put right), a hazard an
    # inspector found that the unit's own checks had not, complaints not closed in time
    "insurance": 3,
    "hazards": 3,
    "complaints": 3,
    "reporting": 4,  # statistical reports sent late: the last of all, first to be left out
}

# a minor safety count (8 → 9 falls) ranks after the trends: ranking.all_problems drops it,
# but headings.section_problems reads ctx.problems as judged and needs it out of tiers 0—2
MINOR_TIER = 3


@dataclass
class Problem:
    kind: str  # a key of TIERS
    dx: str
    name: str
    text: Text
    size: Decimal = Decimal(
        0
    )  # how far off, in % of the bound or of last year: the order within a tier
    direction: str | None = None  # which way is better, as the figure was judged
    members: list = field(default_factory=list)  # problems said together (three trends)
    minor: bool = False  # a safety count up by one or two on a handful: after the trends
    # why the figure moved, where the data shows it (causes.Cause): the plan's task reads its
    # focus here (the department, the months, the survey or checklist items, the cost part);
    # None where the data shows no clear driver. Problems said together keep theirs on members.
    cause: Cause | None = None

    @property
    def tier(self) -> int:
        return max(TIERS[self.kind], MINOR_TIER) if self.minor else TIERS[self.kind]


@dataclass
class Context:
    facts: Facts
    spec: dict
    words: dict[str, str]
    reporting: ReportingFacts | None
    plan_year: int | None = None
    seen: set[str] = field(default_factory=set)  # dx codes already judged for problems
    template_codes: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    said: set[str] = field(default_factory=set)  # dx codes the opening already stated
    polarities: list[str] = field(default_factory=list)  # each data section's verdict
    notes: list[str] = field(default_factory=list)  # figures left out for want of data
    date: dt.date | None = None  # the document's date
    cache: dict = field(default_factory=dict)  # collaborators computed once (survey rules …)

    owner_unit: OrgUnit | None = (
        None  # the unit the document is about, when its figures are another's
    )

    @property
    def owner(self) -> OrgUnit:
        """The unit the document is about (a CDC whose figures are the district's)."""
        return self.owner_unit or self.facts.unit

    def words_in(self, text: str, **more: str) -> str:
        return specs.fill(text, {**self.words, **more})


def target_in_scope(ctx: Context, dx: str) -> bool:
    return ctx.spec.get("targets", "all") != "template" or dx in ctx.template_codes


def is_derived(section: dict) -> bool:
    return section.get("kind") in ("problems", "next_steps")


def has_kind(spec: dict, kind: str) -> bool:
    def visit(sections):
        return any(s.get("kind") == kind or visit(s.get("sections") or []) for s in sections)

    return visit(spec.get("sections") or [])


def has_zero_claims(spec: dict) -> bool:
    def visit(sections):
        return any(s.get("zero_events") or visit(s.get("sections") or []) for s in sections)

    return visit(spec.get("sections") or [])


def compare_codes(spec: dict) -> list[str]:
    found: list[str] = []

    def visit(sections):
        for s in sections:
            fair = s.get("compare_units")
            if s.get("kind") == "indicators" and fair:
                codes = [item_code(i) for i in s.get("items") or []]
                found.extend(codes if fair is True else [c for c in codes if c in fair])
            if s.get("unit_chart"):
                found.append(s["unit_chart"])
            visit(s.get("sections") or [])

    visit(spec.get("sections") or [])
    return list(dict.fromkeys(found))


def unit_overrides(spec: dict) -> dict[str, str]:
    found = {}

    def visit(sections):
        for s in sections:
            for item in s.get("items") or []:
                if isinstance(item, dict) and "unit" in item:
                    found[item["dx"]] = item["unit"]
            visit(s.get("sections") or [])

    visit(spec.get("sections") or [])
    return found


def item_code(item) -> str:
    return item["dx"] if isinstance(item, dict) else item


def words_for(unit: OrgUnit, period: periods.Period, spec: dict, plan_year: int | None) -> dict:
    return {
        "unit": unit.name,
        "period": timeframe.label(period),
        "span": timeframe.span(period),
        "end": timeframe.end_words(period),  # "截至{end}" for stock figures
        "year": str(period.end.year),
        "next_year": str(period.end.year + 1),
        "plan_year": str(plan_year or period.end.year + 1),
        "we": spec.get("we") or we_for(unit),
        "whole": {OrgUnitType.BUREAU: "全区"}.get(unit.type, "全院" if unit.numchild else "全科"),
        "parts": {OrgUnitType.BUREAU: "部分单位"}.get(
            unit.type, "部分科室" if unit.numchild else ""
        ),
        "next_span": next_span(period),
        "worst": "",  # the opening's verdict fills it with the most serious problems
        "bureau": bureau_name(unit),
        # "在区委、区政府的正确领导下": the district's own leadership (OrgUnit.leadership)
        "leaders": unit.leadership_line(),
        "government": government_of(unit.leadership_line()),
    }


_PARTY = ("党工委", "党委", "区委", "县委", "市委", "旗委")


def government_of(leadership: str) -> str:
    """The executive of the district's leadership, as a bureau addresses its report: "区委、
    区政府" → "区人民政府"; "示范区党工委、管委会" → "示范区管委会" (read 2026-12-07: a
    示范区's bureau addressed "区人民政府" although the summary itself names 党工委、管委会)."""
    party, _, executive = leadership.partition("、")
    if not executive:
        return leadership
    if executive.endswith("政府") and not executive.endswith("人民政府"):
        executive = executive.removesuffix("政府") + "人民政府"
    place = next((party[: party.index(p)] for p in _PARTY if p in party), "")
    return executive if executive.startswith(place) or not place else place + executive


def bureau_name(unit: OrgUnit) -> str:
    """The bureau above the unit by its own name ("示范区卫生健康局"), so the addressee, the
    opening and the contracts and inspections the data names all say it the same way."""
    steps = range(1, unit.depth)
    paths = [unit.path[: depth * unit.steplen] for depth in steps]
    found = (
        OrgUnit.objects.filter(path__in=paths, type=OrgUnitType.BUREAU).order_by("-depth").first()
    )
    return found.name if found is not None else "区卫生健康局"


def next_span(period: periods.Period) -> str:
    """When a summary's plan part falls: the next year after a year (an annual summary's plan
    is "三、2026年工作打算", not 下一步), 下半年 after a first half-year, 下一步 otherwise."""
    if period.type is periods.PeriodType.YEARLY and not timeframe.is_range(period):
        return f"{period.end.year + 1}年"
    if period.type is periods.PeriodType.SIXMONTHLY and period.end.month == 6:
        return "下半年"
    return "下一步"


def we_for(unit: OrgUnit) -> str:
    return {
        OrgUnitType.BUREAU: "我局",
        OrgUnitType.DEPARTMENT: "我科",
        OrgUnitType.WARD: "我科",
        OrgUnitType.TOWNSHIP: "我院",
        OrgUnitType.HOSPITAL: "我院",
    }.get(unit.type, "我单位")


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
