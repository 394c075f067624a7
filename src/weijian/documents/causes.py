"""Causes: why a problem's figure moved, from the facts that decompose it — its numerator and
denominator, the sub-units and the months that carry the change, the checklist items failed
again and again, the survey items scored lowest. Django-free: the caller gathers the facts
(judgements.py), this module weighs them and picks the one cause a director reads first; the
caller words it in one clause. Nothing here is said when the facts show no clear driver: no
"原因有待进一步分析".

Shares are of the change itself (now − before): a sub-unit that carries 14 of 14 more cases has
share 1; a cause is named only when it carries at least CARRY_SHARE of the change and the change
goes its way (a unit that rose does not explain a fall).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

CARRY_SHARE = Decimal("0.6")  # a sub-unit or a run of months carrying 60 % of a change
DENOMINATOR_MOVE = Decimal(5)  # % the denominator moved for "主要是…减少所致"
MAX_MONTHS = 2  # "集中在5—6月": a run of at most two months…
MIN_MONTHS_IN_PERIOD = 4  # …in a period of at least four (two of three months is no cluster)
MIN_REPEATS = 2  # a checklist item failed in at least two inspections
LOWEST_ITEMS = 2  # survey items named for a satisfaction below its floor
# A count of events (falls, pressure injuries, deaths, infections) that moved by fewer than
# MIN_COUNT_CHANGE cases moved by chance as far as a reader can tell: no problem, no cause.
MIN_COUNT_CHANGE = Decimal(3)


# An average's components the data keeps (the part of 次均费用 that is drugs): a rise carried
# by one of them is said with it — "，主要是次均药品费用由98.20元增至121.50元所致".
COMPONENTS = {
    f"PERF{level}_{kind}_COST_PER_{per}": (
        (f"PERF{level}_{kind}_DRUG_COST_PER_{per}", "次均药品费用"),
    )
    for level in (2, 3)
    for kind, per in (("OPD", "VISIT"), ("IP", "DISCHARGE"))
}


@dataclass(frozen=True)
class Change:
    now: Decimal
    before: Decimal

    @property
    def delta(self) -> Decimal:
        return self.now - self.before

    def pct(self) -> Decimal | None:
        """The relative change in %, None from zero."""
        return self.delta / abs(self.before) * 100 if self.before else None


@dataclass(frozen=True)
class Cause:
    """Why a problem's figure moved, as data (Problem.cause): what the plan's task aims at
    without reading it back out of the problem's words.

    kind: "denominator" (the rate's denominator moved: `change`, `pct`), "unit" (a sub-unit
    carries it: `label` its short name, `change` its counts), "months" (a run of months:
    `first`, `last`), "component" (a part of an average: `label` "次均药品费用" or "非药品费用"),
    "items" (checklist items failed again and again: `labels`), "survey" (the survey items
    scored lowest: `labels`)."""

    kind: str
    share: Decimal  # of the change it carries (1 for the denominator: it is the mechanism)
    label: str = ""  # the sub-unit's name, or the component's
    change: Change | None = None  # the sub-unit's (or the months') own figures
    first: int = 0  # the months' run, 1-based month numbers
    last: int = 0
    pct: Decimal | None = None  # the denominator's relative change
    labels: tuple[str, ...] = ()  # the checklist or survey items named


def denominator_cause(top: Change, bottom: Change, *, min_move: Decimal = DENOMINATOR_MOVE) -> Cause | None:  # fmt: skip
    """A rate that moved because its denominator did: the denominator moved by `min_move` %
    or more and the numerator by less than half as much (病床使用率 up with 实际占用床日 flat:
    实际开放床日 fell). None when the numerator moved as much (the cases are the cause)."""
    bottom_pct = bottom.pct()
    if bottom_pct is None or abs(bottom_pct) < min_move:
        return None
    top_pct = top.pct()
    if top.before and top_pct is not None and abs(top_pct) >= abs(bottom_pct) / 2:
        return None
    return Cause("denominator", Decimal(1), change=bottom, pct=bottom_pct)


def unit_cause(total: Change, units: list[tuple[str, Change]], *, share: Decimal = CARRY_SHARE) -> Cause | None:  # fmt: skip
    """The sub-unit that carries `share` or more of the total's change, in its direction (a
    rise or a fall alike): the one that carries most when several do. None for no change."""
    if not total.delta:
        return None
    best: Cause | None = None
    for label, change in units:
        carried = change.delta / total.delta  # > 0 only when it moved the same way
        if carried >= share and (best is None or carried > best.share):
            best = Cause("unit", carried, label=label, change=change)
    return best


def months_cause(months: list[tuple[int, Change]], *, share: Decimal = CARRY_SHARE) -> Cause | None:  # fmt: skip
    """A run of at most MAX_MONTHS consecutive months that carries `share` or more of the
    period's change (a cluster in 5—6月), in a period of MIN_MONTHS_IN_PERIOD months or more.
    `months` in calendar order, each (month number, this year's vs last year's figure)."""
    if len(months) < MIN_MONTHS_IN_PERIOD:
        return None
    total = sum((c.delta for _, c in months), Decimal(0))
    if not total:
        return None
    best: Cause | None = None
    for width in range(1, MAX_MONTHS + 1):
        for start in range(len(months) - width + 1):
            run = months[start : start + width]
            now = sum((c.now for _, c in run), Decimal(0))
            before = sum((c.before for _, c in run), Decimal(0))
            carried = (now - before) / total
            if carried >= share and (best is None or carried > best.share):
                best = Cause("months", carried, change=Change(now, before), first=run[0][0], last=run[-1][0])  # fmt: skip
        if best is not None:
            return best  # the shortest run that carries it: one month rather than two
    return None


def strongest(*candidates: Cause | None) -> Cause | None:
    """The cause a director reads first: the denominator when it moved (it is the mechanism
    of the rate), else the one carrying the larger share of the change — a sub-unit before
    months on a tie (where is more useful than when)."""
    found = [c for c in candidates if c is not None]
    for cause in found:
        if cause.kind == "denominator":
            return cause
    order = {"unit": 0, "months": 1}
    found.sort(key=lambda c: (-c.share, order.get(c.kind, 9)))
    return found[0] if found else None


def months_words(cause: Cause) -> str:
    """ "5月", "5—6月"."""
    return f"{cause.first}月" if cause.first == cause.last else f"{cause.first}—{cause.last}月"


def repeated_items(failed: dict[str, int], *, min_repeats: int = MIN_REPEATS) -> list[tuple[str, int]]:  # fmt: skip
    """Checklist items that lost points in `min_repeats` or more inspections, most often first:
    the same defect found again is the cause of an inspection problem. At most two, and only
    items that stand out: an item tied with the first one left out is not named (six items
    each found twice say nothing about which defect recurs)."""
    found = sorted(
        ((item, count) for item, count in failed.items() if count >= min_repeats),
        key=lambda pair: (-pair[1], pair[0]),
    )
    named = found[:2]
    while named and len(found) > len(named) and found[len(named)][1] == named[-1][1]:
        named = named[:-1]
    return named


def lowest_items(items: dict[str, Decimal], overall: Decimal, *, count: int = LOWEST_ITEMS) -> list[tuple[str, Decimal]]:  # fmt: skip
    """The survey items scored lowest (their share of satisfied answers), only those below the
    overall satisfaction: what pulled it down. Lowest first, ties by name."""
    found = [(item, share) for item, share in items.items() if share < overall]
    found.sort(key=lambda pair: (pair[1], pair[0]))
    return found[:count]


def trivial_count_change(before: Decimal, now: Decimal, *, min_change: Decimal = MIN_COUNT_CHANGE) -> bool:  # fmt: skip
    """A count of events that moved by fewer than `min_change` cases (跌倒 8 → 9 例, 2 → 3 例,
    40 → 41 例): not a problem to list, whatever its base — a blind reader took "跌倒由8例增至
    9例" among the problems for a machine's list, and a director would not sign it.

    The rule is on the cases, not on a significance test: a Poisson floor (|Δ| > 2·√base)
    would also drop 住院患者死亡 87 → 104 (Δ 17 < 2·√87 ≈ 18.7), which a director must read
    first. A rate's change is judged by its own band on enough cases (judgements.enough_cases);
    this rule is for the counts said as counts."""
    return abs(now - before) < min_change
