"""Comparisons between sub-units that mean something: units are ranked only against units of
the same kind (a general hospital is not ranked against a maternal-child hospital on length of
stay, a township centre not against a community centre), only when at least MIN_PEERS of them
have the figure for the whole period on at least MIN_CASES cases each, and only when best and
worst differ by enough to matter (MIN_SPREAD % of their mean; for rates in % MIN_POINTS points
and MIN_RATE_SPREAD % of their mean). Otherwise nothing is said: no "相对较差" for a 0.75-point gap."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

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


def best_and_worst(ctx: Context, dx: str) -> tuple[str, Text] | None:
    """(who, "手卫生依从率以妇产科最好（88.27%），口腔科相对较差（83.59%）") for the largest
    group of like units that passes the rules; None otherwise."""
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
    if not _apart(best_value, worst_value, facts.unit_of(dx)):
        return None
    best_q, worst_q = facts.quantity(dx, unit=best), facts.quantity(dx, unit=worst)
    if n.fmt(best_q).text == n.fmt(worst_q).text:
        return None
    text = n.fill(
        "{name}以{best}最好（{bv}），{worst}相对较差（{wv}）",
        name=facts.name(dx), best=unit_label(best), bv=n.fmt(best_q),
        worst=unit_label(worst), wv=n.fmt(worst_q),
    )  # fmt: skip
    return who, text


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
