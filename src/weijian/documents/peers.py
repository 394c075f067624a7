"""Comparisons between sub-units that mean something: units are ranked only against units of
the same kind (a general hospital is not ranked against a maternal-child hospital on length of
stay, a township centre not against a community centre), only when at least MIN_PEERS of them
have the figure for the whole period on at least MIN_CASES cases each, and only when best and
worst differ by enough to matter (MIN_SPREAD % of their mean; for rates in % MIN_POINTS points
and MIN_RATE_SPREAD % of their mean). Otherwise nothing is said: no "相对较差" for a 0.75-point gap."""

from __future__ import annotations

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


def spread(ctx: Context, dx: str) -> Spread | None:
    """The spread of `dx` across the largest group of like sub-units that passes the rules
    (MIN_PEERS units, MIN_CASES each); None when there is no such group."""
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
    # one an office writer quotes ("低于全院69.30%的平均水平"); no office writes 中位数. The
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
            parts += [f"，{side}{whole}", n.fmt(overall), "的平均水平", gap]
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
            n.fmt(overall) if gap else None,
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
        for index, group in enumerate(_by_unit([s for s in items if s.kind == "leader"])):
            clauses.append(_leaders(who, group, first=index == 0))
        close = [s for s in items if s.kind == "close"]
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
    if len(group) == 1 or any(s.value is None or s.gap is None or s.overall is None for s in group):
        said = [n.merge([s.name if first and not i else f"另有{s.name}", *s.text]) for i, s in enumerate(group)]  # fmt: skip
        return n.join(said, sep="；")
    side = "低于" if group[0].end == "最低" else "高于"
    values = n.join([(s.value,) for s in group], sep="、")
    lead = "" if first else "另有"
    head = [f"{lead}{group[0].named}{_names(group)}分别为", *values, f"，均为{who}{group[0].end}"]
    overall = n.join([(s.overall,) for s in group], sep="、")
    gaps = n.join([(s.gap,) for s in group], sep="、")
    tail: list = []
    points = "个百分点"
    if all(s.gap.text.endswith(points) for s in group):  # "3.50、3.51个百分点": the unit once
        bare = [n.Figure(s.gap.text[: -len(points)], s.gap.value, s.gap.source) for s in group]
        gaps, tail = n.join([(g,) for g in bare], sep="、"), [points]
    return n.merge([*head, f"，分别{side}{group[0].whole}平均水平（", *overall, "）", *gaps, *tail])


def _names(group: list[Spread]) -> str:
    """ "高血压、糖尿病规范管理率" for names that end alike, else "A、B"."""
    names = [s.name for s in group]
    suffix = names[0]
    for name in names[1:]:
        while suffix and not name.endswith(suffix):
            suffix = suffix[1:]
    if len(suffix) >= 3 and all(len(name) > len(suffix) for name in names):
        return "、".join(name[: -len(suffix)] for name in names) + suffix
    return "、".join(names)


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
