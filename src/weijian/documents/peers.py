"""Comparisons between sub-units that mean something: units are ranked only against units of
the same kind (a general hospital is not ranked against a maternal-child hospital on length of
stay, a township centre not against a community centre), only when at least MIN_PEERS of them
have the figure for the whole period on at least MIN_CASES cases each, and only when best and
worst differ by enough to matter (MIN_SPREAD % of their mean; for rates in % MIN_POINTS points
and MIN_RATE_SPREAD % of their mean). Otherwise nothing is said: no "相对较差" for a 0.75-point gap.
Institutions are named only when one lags (a bureau supervises by exception); a unit
lowest on several indicators is one clause with the range of its gaps, not a list of figures."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from weijian.orgs.models import OrgUnit, OrgUnitType

from . import narrative as n
from .context import Context
from .narrative import Text
from .tables import unit_label

MIN_PEERS = 3
MIN_CASES = Decimal(30)
MIN_SPREAD = Decimal(10)  # % of the mean of best and worst
MIN_POINTS = Decimal(2)  # rates in %: points between best and worst …
MIN_RATE_SPREAD = Decimal(5)  # … and % of their mean (85 % against 81 % matters; 0.4 vs 0.5 ‰ not)

# Which units compare with which; the plural names them in the text.
PEER_CLASS = {
    OrgUnitType.HOSPITAL: "各综合医院",
    OrgUnitType.TCM_HOSPITAL: "各中医医院",
    OrgUnitType.MCH: "各妇幼保健院",
    OrgUnitType.CDC: "各疾控中心",
    OrgUnitType.TOWNSHIP: "各乡镇卫生院",
    OrgUnitType.COMMUNITY: "各社区卫生服务中心",
    OrgUnitType.DEPARTMENT: "各科室",
    OrgUnitType.WARD: "各科室",
}
DEPARTMENTS = "各科室"
# a unit lowest on more indicators than this is said in one clause with the range of its gaps,
# not a list of its figures and gaps (read 2026-12-07 23:30: "分别为84.88%、64.22%、…，分别
# 低于全区水平5.58、4.89、…个百分点" read as a data dump)
LISTED_UP_TO = 1
SHARED_ENDING = 4


def peer_groups(values: list[tuple[OrgUnit, Decimal]]) -> dict[str, list[tuple[OrgUnit, Decimal]]]:
    groups: dict[str, list[tuple[OrgUnit, Decimal]]] = defaultdict(list)
    for unit, value in values:
        label = PEER_CLASS.get(unit.type)
        if label:
            groups[label].append((unit, value))
    return groups


@dataclass(frozen=True)
class Spread:
    """How like units stand on one indicator, by what the figures mean: `close` (best and worst
    too near to name anyone), `laggard` (the worst stands apart from the group's median: named
    with its gap) or `leader` (the best stands apart, the rest close)."""

    who: str
    kind: str  # "close" | "laggard" | "leader"
    name: str
    text: Text  # the clause without the indicator's name in front
    named: str = ""  # the unit it names (a laggard, a leader)
    value: n.Figure | None = None  # the named unit's figure
    gap: n.Figure | None = None  # a laggard's distance from the overall figure
    end: str = ""  # 最低 / 最高: where a laggard (or a leader) stands
    whole: str = ""  # 全院 / 全区: the parent whose overall figure is the yardstick
    overall: n.Figure | None = None  # the parent's overall figure a laggard's gap is from


def spread(ctx: Context, dx: str, *, stated: bool = False) -> Spread | None:
    """The spread of `dx` across the largest group of like sub-units that passes the rules
    (MIN_PEERS units, MIN_CASES each); None when there is no such group. `stated`: the
    paragraph before has given the overall rate, so the laggard's gap is said against
    "全院水平" without the figure again (it would be its third time in the body)."""
    facts = ctx.facts
    direction = facts.direction(dx)
    if direction is None:
        return None
    values = [
        (unit, value) for unit, value in facts.child_values(dx) if _enough_cases(ctx, dx, unit)
    ]
    groups = [g for g in peer_groups(values).items() if len(g[1]) >= MIN_PEERS]
    if not groups:
        return None
    who, group = max(groups, key=lambda g: len(g[1]))
    ordered = sorted(group, key=lambda uv: uv[1], reverse=direction == "up")
    (best, best_value), (worst, worst_value) = ordered[0], ordered[-1]
    unit = facts.unit_of(dx)
    best_q, worst_q = facts.quantity(dx, unit=best), facts.quantity(dx, unit=worst)
    name = facts.name(dx)
    low, high = sorted([best_q, worst_q], key=lambda q: q.value)
    if not _apart(best_value, worst_value, unit) or n.fmt(best_q).text == n.fmt(worst_q).text:
        between = n.fill("较为接近（{lo}—{hi}）", lo=n.fmt(low), hi=n.fmt(high))
        return Spread(who, "close", name, between)
    whole = ctx.words.get("whole", "全院")
    overall = facts.quantity(dx, facts.period)
    # The yardstick is the unit's own overall rate (analytics' figure for the parent), the
    # one an office writer quotes ("低于全院水平（69.30%）"); no office writes 中位数. The
    # median only decides whether the worst stands apart when the overall figure is missing.
    middle = overall.value if overall.value is not None else median([v for _, v in group])
    if _apart(middle, worst_value, unit):
        low_end = worst_value < middle
        end = "最低" if low_end else "最高"
        parts = [unit_label(worst), f"{end}（", n.fmt(worst_q), "）"]
        gap = None
        if overall.value is not None:
            gap = _gap(worst_q, overall, dx)
            side = "低于" if low_end else "高于"
            # the parent's rate is its own (all its cases over all its patients), not an
            # average of its departments: "低于全院水平（69.30%）", never "全院…的平均水平"
            shown = [] if stated else ["（", n.fmt(overall), "）"]
            parts += [f"，{side}{whole}水平", *shown, gap]
        text = n.merge(parts)
        return Spread(
            who,
            "laggard",
            name,
            text,
            unit_label(worst),
            n.fmt(worst_q),
            gap,
            end,
            whole,
            n.fmt(overall) if gap and not stated else None,
        )
    rest = [facts.quantity(dx, unit=u) for u, _ in ordered[1:]]
    lo, hi = min(rest, key=lambda q: q.value), max(rest, key=lambda q: q.value)
    top = "最高" if direction == "up" else "最低"  # the best end said by its direction, not 最好
    text = n.fill(
        "{best}{top}（{bv}），其余在{lo}—{hi}之间",
        best=unit_label(best), top=top, bv=n.fmt(best_q), lo=n.fmt(lo), hi=n.fmt(hi),
    )  # fmt: skip
    return Spread(who, "leader", name, text, unit_label(best), n.fmt(best_q), end=top)


def spread_sentences(spreads: list[Spread], used: set[str] | None = None) -> list[Text]:
    """One sentence per group of units, each meaning said once: a unit that lags on several
    indicators named once with all of them ("石坪乡卫生院高血压、糖尿病规范管理率分别为…"), each
    other laggard with its gap (另有…), leaders the same way, the indicators on which the units
    are close together in one clause — never the same formula twice. `used` holds the groups
    already introduced in the document ("从各乡镇卫生院看，" once; then "各乡镇卫生院之间，")."""
    used = set() if used is None else used
    out = []
    by_who: dict[str, list[Spread]] = defaultdict(list)
    for item in spreads:
        by_who[item.who].append(item)
    for who, items in by_who.items():
        clauses: list[Text] = []
        for index, group in enumerate(_by_unit([s for s in items if s.kind == "laggard"])):
            clauses.append(_laggards(who, group, first=index == 0))
        # institutions are supervised by exception: a bureau names the one that lags, and
        # "平均住院日较为接近（6.40天—6.51天）" or "电子建档率以青山镇中心卫生院最高（92.63%），其余在
        # 87.62%—90.63%之间" among its centres tells its director nothing to act on (read
        # 2026-12-07 23:30); a hospital still says which departments lead or are close together
        departments = who == DEPARTMENTS
        leaders = [s for s in items if s.kind == "leader"] if departments else []
        for index, group in enumerate(_by_unit(leaders)):
            clauses.append(_leaders(who, group, first=index == 0))
        close = [s for s in items if s.kind == "close"] if departments else []
        if len(close) == 1:
            clauses.append(n.merge([close[0].name, *close[0].text]))
        elif close:
            names = "、".join(s.name for s in close)
            clauses.append((f"{names}{who}之间差距不大",))
        if clauses:
            lead = f"{who}之间，" if who in used else f"从{who}看，"
            used.add(who)
            out.append(n.merge([lead, *n.join(clauses, sep="；"), "。"]))
    return out


def _by_unit(items: list[Spread]) -> list[list[Spread]]:
    """Spreads grouped by the unit they name, in the order first named; a laggard's group
    also keeps one end (a unit lowest on one and highest on another is said twice)."""
    groups: dict[tuple[str, str], list[Spread]] = {}
    for item in items:
        groups.setdefault((item.named, item.end), []).append(item)
    return list(groups.values())


def _laggards(who: str, group: list[Spread], *, first: bool) -> Text:
    """One indicator: "电子建档率石坪乡卫生院最低（84.88%），低于全区水平5.58个百分点". A unit
    lowest on several: one clause with the range of its gaps and what follows for it, "石坪乡
    卫生院电子建档率、老年人健康管理率、高血压和糖尿病规范管理率均为最低，低于全区水平
    4.89—5.67个百分点，需重点督导" (at most two figures; the rates are the table's and the
    paragraph's before)."""
    if len(group) <= LISTED_UP_TO or any(s.value is None for s in group):
        said = [n.merge([s.name if first and not i else f"另有{s.name}", *s.text]) for i, s in enumerate(group)]  # fmt: skip
        return n.join(said, sep="；")
    lead = "" if first else "另有"
    parts: list = [f"{lead}{group[0].named}{_names(group)}均为{group[0].end}"]
    side = "低于" if group[0].end == "最低" else "高于"
    gaps = _gap_range([s.gap for s in group])
    if gaps:
        parts += [f"，{side}{group[0].whole}水平", *gaps]
    # the bureau supervises its institutions; a hospital's office follows up its departments
    parts.append("，需重点关注" if who == DEPARTMENTS else "，需重点督导")
    return n.merge(parts)


def _gap_range(gaps: list[n.Figure | None]) -> Text:
    """ "4.89—5.67个百分点" (the unit once), "5.6个百分点" when all are alike; nothing when a gap
    is missing or the gaps are in different units."""
    if any(g is None for g in gaps):
        return ()
    units = {re.sub(r"^[\d.]+", "", g.text) for g in gaps}
    if len(units) != 1:
        return ()
    low, high = min(gaps, key=lambda g: g.value), max(gaps, key=lambda g: g.value)
    if low.text == high.text:
        return (low,)
    (unit,) = units
    bare = n.Figure(low.text[: len(low.text) - len(unit)], low.value, low.source)
    return (bare, "—", high)


def _names(group: list[Spread]) -> str:
    """The names, those that end alike said with their shared ending once: "电子建档率、老年人
    健康管理率、高血压和糖尿病规范管理率" (an ending of SHARED_ENDING characters at least: 管理率
    alone would make "老年人健康、高血压规范管理率")."""
    runs: list[list[str]] = []
    for name in (s.name for s in group):
        if runs and len(_ending(runs[-1] + [name])) >= SHARED_ENDING:
            runs[-1].append(name)
        else:
            runs.append([name])
    said = []
    for run in runs:
        ending = _ending(run)
        if len(run) == 1 or any(len(name) == len(ending) for name in run):
            said.append("、".join(run))
            continue
        heads = [name[: -len(ending)] for name in run]
        joined = "和".join(heads) if len(heads) == 2 else "、".join(heads)
        said.append(joined + ending)
    return "、".join(said)


def _ending(names: list[str]) -> str:
    suffix = names[0]
    for name in names[1:]:
        while suffix and not name.endswith(suffix):
            suffix = suffix[1:]
    return suffix


def _leaders(who: str, group: list[Spread], *, first: bool) -> Text:
    if len(group) == 1 or any(s.value is None for s in group):
        return n.merge([group[0].name, "以" if first else "", *group[0].text])
    parts: list = [group[0].named]
    for index, item in enumerate(group):
        parts += ["、" if index else "", f"{item.name}（", item.value, "）"]
    return n.merge([*parts, f"均居{who}首位"])


def _gap(worst: n.Quantity, overall: n.Quantity, dx: str) -> n.Figure:
    """The distance from the parent's overall figure in the indicator's own unit (points for
    %), at the rates' own printed precision (69.30 − 64.13 is 5.17个百分点: the reader's own
    subtraction must agree)."""
    places = worst.decimals if worst.decimals is not None else (1 if worst.unit == "%" else 2)
    step = Decimal(1).scaleb(-places)
    # the difference of the printed figures (68.50 − 61.60 = 6.90, not 6.91 from 68.504 −
    # 61.596): the reader's own subtraction must agree
    printed = [Decimal(q.value).quantize(step, rounding=ROUND_HALF_UP) for q in (worst, overall)]
    diff = abs(printed[0] - printed[1])
    number = format(diff, "f")
    if "." in number:  # trailing zeros dropped, as every change in the document
        number = number.rstrip("0").rstrip(".")
    text = f"{number}个百分点" if worst.unit == "%" else f"{number}{worst.unit}"
    return n.derived(text, diff, "overall_gap", worst, overall)


def _enough_cases(ctx: Context, dx: str, unit: OrgUnit) -> bool:
    sample = ctx.facts.child_sample(dx, unit)
    return sample is None or sample >= MIN_CASES


def _apart(best: Decimal, worst: Decimal, unit: str) -> bool:
    mean = (abs(best) + abs(worst)) / 2
    if mean == 0:
        return False
    spread = abs(best - worst)
    if unit == "%":
        return spread >= MIN_POINTS and spread / mean * 100 >= MIN_RATE_SPREAD
    return spread / mean * 100 >= MIN_SPREAD
