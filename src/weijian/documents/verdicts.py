"""Verdicts (Django-free, layer 1): what a group of figures did, in the words a heading or an
opening uses — 稳步增长, 基本持平, 有所下降, 控制在目标以内, 进度滞后 — chosen from the figures
themselves, never from a fixed bank the figures could contradict.

    moves = [movement(Decimal("22.78"), Decimal("22.85"), kind="count", direction="up"), …]
    aspect("门急诊业务量", moves)      # Verdict("门急诊业务量", "flat", "基本持平")
    heading([aspect(...), aspect(...)], lead="强化院感防控")

Rules (one place, relied on by the composer and the document checker's tests):

- A movement is *flat* when the relative change is under 2 % (counts, money, averages) or,
  for rates in %, under 1 percentage point and under 10 % of the earlier value; it is *strong*
  from 10 % (counts and money: 20 %; rates: 5 points or 30 % of the earlier value).
- A direction says which way is better: "up" (门诊人次, 手卫生依从率), "down" (院感发病率, 次均费用)
  or None (monitored only). A target overrides the trend: all targets of an aspect met →
  控制在目标以内 / 达到目标要求; any behind schedule → 进度滞后; any missed → 未达到目标.
- An aspect whose figures disagree (one better, one worse, both beyond flat) has no verdict:
  the heading leaves it out rather than averaging it into 总体平稳. Nor has one where some
  figures moved and others held: 稳步增长 is said only when every figure grew beyond the flat
  band (read 2026-12-07: "门诊和住院业务量稳步增长" above 门诊 +3.9 %, 出院 +0.6 %).
  `split` names the figures instead: "门诊人次稳步增长，入院和出院人次基本持平".
- A figure flat by these bands whose printed change is still a change the wrong way
  (接种率 −0.37 points, printed "下降0.37个百分点") is *slipped*: no heading calls it 保持稳定
  above the paragraph that says it fell; it counts as a (small) bad move, so the heading names
  the work only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Kind = Literal["count", "money", "rate", "level"]
Polarity = Literal["good", "bad", "flat", "up", "down"]  # up/down: a monitored figure moved

FLAT_RELATIVE = Decimal(2)  # % change under which a count, amount or average is flat
STRONG_RELATIVE = Decimal(10)
STRONG_VOLUME = Decimal(20)  # counts and money grow "较快" only from 20 %
FLAT_POINTS = Decimal(1)  # rates in %: under 1 point …
FLAT_RATE_RELATIVE = Decimal(10)  # … and under 10 % of the earlier value is flat
STRONG_POINTS = Decimal(5)
STRONG_RATE_RELATIVE = Decimal(30)
MAX_HEADING = 28  # characters: the seeds' longest headings (篇1 一、) are 26


@dataclass(frozen=True)
class Movement:
    """One figure against last year (and its target, when it has one)."""

    kind: Kind
    direction: str | None  # "up", "down" or None
    sign: int  # -1, 0 (flat), 1
    strength: int  # 0 flat, 1 a change, 2 a strong change
    target: str | None = None  # "met", "missed", "behind" or None
    name: str = ""
    # flat by the bands above, but printed as a change the wrong way ("下降0.37个百分点")
    slipped: bool = False

    @property
    def polarity(self) -> Polarity:
        if self.sign == 0:
            return "bad" if self.slipped else "flat"
        if self.direction is None:
            return "up" if self.sign > 0 else "down"
        better = self.sign > 0 if self.direction == "up" else self.sign < 0
        return "good" if better else "bad"


def movement(
    cur: Decimal | None,
    prev: Decimal | None,
    *,
    kind: Kind,
    direction: str | None,
    percent: bool = False,
    target: str | None = None,
    name: str = "",
) -> Movement | None:
    """The movement of `cur` against `prev`; None without both (or from a zero base for counts,
    where a change means nothing). `percent`: the values are rates in % (compared in points)."""
    if cur is None or prev is None:
        if target is None:
            return None
        return Movement(kind, direction, 0, 0, target, name)
    if prev == 0:
        if kind in ("count", "money") or cur == 0:
            sign = 0 if cur == prev else (1 if cur > prev else -1)
            return Movement(kind, direction, sign, 2 if sign else 0, target, name)
        return Movement(kind, direction, 1 if cur > 0 else -1, 2, target, name)
    relative = (cur - prev) / abs(prev) * 100
    sign = 1 if cur > prev else -1 if cur < prev else 0
    if kind == "rate" and percent:
        points = abs(cur - prev)
        flat = points < FLAT_POINTS and abs(relative) < FLAT_RATE_RELATIVE
        strong = points >= STRONG_POINTS or abs(relative) >= STRONG_RATE_RELATIVE
    elif kind == "rate":
        flat = abs(relative) < FLAT_RATE_RELATIVE
        strong = abs(relative) >= STRONG_RATE_RELATIVE
    else:
        flat = abs(relative) < FLAT_RELATIVE
        limit = STRONG_VOLUME if kind in ("count", "money") else STRONG_RELATIVE
        strong = abs(relative) >= limit
    if flat:
        return Movement(kind, direction, 0, 0, target, name)
    return Movement(kind, direction, sign, 2 if strong else 1, target, name)


# -- words ------------------------------------------------------------------------------------

Style = Literal["volume", "income", "quality", "risk", "cost", "monitor"]

# style → {sign: (moderate, strong)}; 0 → the flat phrase
PHRASES: dict[str, dict[int, tuple[str, str]]] = {
    "volume": {1: ("稳步增长", "较快增长"), 0: ("基本持平", "基本持平"), -1: ("有所下降", "明显下降")},
    "income": {1: ("稳步增长", "较快增长"), 0: ("基本持平", "基本持平"), -1: ("有所下降", "明显下降")},
    "quality": {1: ("有所提高", "明显提高"), 0: ("保持稳定", "保持稳定"), -1: ("有所下降", "明显下降")},
    "risk": {1: ("有所上升", "明显上升"), 0: ("保持平稳", "保持平稳"), -1: ("有所下降", "明显下降")},
    "cost": {1: ("有所上升", "明显上升"), 0: ("基本稳定", "基本稳定"), -1: ("有所下降", "明显下降")},
    "monitor": {1: ("有所增加", "明显增加"), 0: ("基本持平", "基本持平"), -1: ("有所减少", "明显减少")},
}  # fmt: skip
GENERAL = {
    "good": "持续改善",
    "bad": "有所下滑",
    "flat": "保持稳定",
    "up": "有所变化",
    "down": "有所变化",
}
TARGET_PHRASES = {
    ("met", "down"): "控制在目标以内",
    ("met", "up"): "达到目标要求",
    ("behind", "up"): "进度滞后",
    ("behind", "down"): "进度滞后",
    ("missed", "up"): "未达到目标",
    ("missed", "down"): "超出控制目标",
}


def style_of(kind: Kind, direction: str | None) -> Style:
    if direction is None:
        return "monitor"
    if direction == "up":
        return {"count": "volume", "money": "income"}.get(kind, "quality")
    return "risk" if kind == "rate" else "cost"


@dataclass(frozen=True)
class Verdict:
    label: str
    polarity: str  # good, bad, flat, up, down
    phrase: str

    @property
    def text(self) -> str:
        return f"{self.label}{self.phrase}"


def aspect(
    label: str, moves: Sequence[Movement | None], style: Style | None = None
) -> Verdict | None:
    """The verdict on one aspect (a group of like figures): None when it has no figures or
    when they disagree beyond flat."""
    moves = [m for m in moves if m is not None]
    if not moves:
        return None
    targeted = [m for m in moves if m.target]
    if targeted and len(targeted) == len(moves):
        return _target_verdict(label, targeted)
    trend = [m for m in moves if not m.target] or moves
    judged = [m for m in trend if m.direction is not None]
    if judged and len(judged) < len(trend):
        trend = judged  # monitored-only figures do not colour a verdict beside judged ones
    slipped = [m for m in trend if m.slipped and not m.sign]
    if slipped:  # "保持稳定" above "下降0.37个百分点" reads as a cover-up: a small fall
        first = slipped[0]
        chosen = style or style_of(first.kind, first.direction)
        worse = -1 if first.direction == "up" else 1
        return Verdict(label, "bad", PHRASES[chosen][worse][0])
    moved = [m for m in trend if m.sign]
    if len({m.polarity for m in moved}) > 1:
        return None  # mixed: no single word is true of them all
    if moved and len(moved) < len(trend):
        return None  # some grew, some held: 稳步增长 is not true of the held ones (`split`)
    if len({m.direction for m in trend}) > 1:
        # like-minded figures of both directions (住院日缩短, 周转加快): one general word
        polarity = moved[0].polarity if moved else "flat"
        return Verdict(label, polarity, GENERAL[polarity])
    first = trend[0]
    chosen = style or style_of(first.kind, first.direction)
    sign = moved[0].sign if moved else 0
    strong = sign != 0 and all(m.strength == 2 for m in moved)
    phrase = PHRASES[chosen][sign][1 if strong else 0]
    return Verdict(label, _polarity(sign, first.direction), phrase)


def split(
    label: str,
    moves: Sequence[Movement | None],
    names: Sequence[str],
    style: Style | None = None,
) -> list[Verdict]:
    """The verdicts of an aspect whose figures are named one by one (`names`, in the order of
    `moves`; None for a figure the section does not print): one verdict when every printed
    figure shares it — under `label` when all of them are printed, else under the printed
    ones' names ("急诊和出院人次稳步增长": 门诊 is in the opening only) — otherwise one per
    group of figures sharing a word ("门诊人次稳步增长", "入院和出院人次基本持平"), in order.
    [] when none is printed."""
    pairs = [(m, name) for m, name in zip(moves, names, strict=True) if m is not None]
    if not pairs:
        return []
    whole = label if len(pairs) == len(moves) else joined_names([name for _, name in pairs])
    together = aspect(whole, [m for m, _ in pairs], style)
    if together is not None:
        return [together]
    groups: dict[tuple[str, str], list[str]] = {}
    for move, name in pairs:
        alone = aspect(name, [move], style)
        if alone is not None:
            groups.setdefault((alone.phrase, alone.polarity), []).append(name)
    return [
        Verdict(joined_names(named), polarity, phrase)
        for (phrase, polarity), named in groups.items()
    ]


def joined_names(names: Sequence[str]) -> str:
    """ "急诊人次", "出院人次" → "急诊和出院人次" (a shared ending said once); three or more
    "门诊、急诊和出院人次"; names without a shared ending "急诊人次和手术量"."""
    if len(names) == 1:
        return names[0]
    ending = _shared_ending(names)
    stems = [name[: len(name) - len(ending)] for name in names]
    return f"{'、'.join(stems[:-1])}和{stems[-1]}{ending}"


def _shared_ending(names: Sequence[str]) -> str:
    """The longest ending (two characters or more) every name has, leaving each a stem of
    two characters or more ("入院人次", "出院人次" share 人次, not 院人次)."""
    shortest = min(len(name) for name in names)
    for size in range(shortest - 2, 1, -1):
        ending = names[0][-size:]
        if all(name.endswith(ending) for name in names):
            return ending
    return ""


def _target_verdict(label: str, moves: list[Movement]) -> Verdict:
    statuses = {m.target for m in moves}
    direction = moves[0].direction or "up"
    for status in ("missed", "behind"):
        if status in statuses:
            return Verdict(label, "bad", TARGET_PHRASES[(status, direction)])
    return Verdict(label, "good", TARGET_PHRASES[("met", direction)])


def _polarity(sign: int, direction: str | None) -> str:
    if sign == 0:
        return "flat"
    if direction is None:
        return "up" if sign > 0 else "down"
    return "good" if (sign > 0) == (direction == "up") else "bad"


def heading(
    verdicts: Sequence[Verdict | None], *, lead: str = "", limit: int = 2, worse: bool = False
) -> str | None:
    """A section heading from its aspects' verdicts: "业务量基本持平，手术量稳步增长"; aspects
    with the same phrase share it ("门诊和住院业务量基本持平") when that fits. Headings stand
    under 主要工作及成效: they name the work and what went well or held, never a bad result
    (that is said in the paragraph and ranked under 存在的问题); beside a bad verdict no good one
    stands alone either, so the lead ("强化院感防控") stands alone. With `lead` one
    verdict follows it. None when no aspect has a verdict that is not bad and there is no lead
    (the template's own title, which names the work, is used).

    `worse`: the section holds a figure that went the wrong way (an aspect judged bad, or a
    problem among its indicators: a death, a target missed, a rate doubled). Then no verdict
    on the improving figures stands alone above it ("强化院感防控，多重耐药菌检出率有所下降"
    over I类切口感染率 5 → 19 cases): the heading names the work only."""
    worse = worse or any(v is not None and v.polarity == "bad" for v in verdicts)
    found = [v for v in verdicts if v is not None and v.polarity != "bad"]
    if not found or worse:
        return lead or None
    room = 1 if lead else limit
    for candidates in (_merge_alike(found), found):
        chosen = _pick(candidates, room)
        while chosen:
            text = "，".join(
                [lead, *(v.text for v in chosen)] if lead else [v.text for v in chosen]
            )
            if len(text) <= MAX_HEADING:
                return text
            if len(chosen) == 1:
                break
            chosen = chosen[:-1]
    return lead or None


def _merge_alike(verdicts: list[Verdict]) -> list[Verdict]:
    merged: list[Verdict] = []
    for v in verdicts:
        same = next((m for m in merged if m.phrase == v.phrase), None)
        if same is None:
            merged.append(v)
        else:
            joint = "、" if "和" in same.label or "和" in v.label else "和"
            merged[merged.index(same)] = Verdict(
                f"{same.label}{joint}{v.label}", same.polarity, v.phrase
            )
    return merged


def _pick(verdicts: list[Verdict], room: int) -> list[Verdict]:
    """The first verdicts in template order, an improvement before a figure that held when
    there is room for fewer than all ("加强医疗质量管理，跌倒和压力性损伤发生率明显下降" beside
    a 住院死亡率 that held: true of what it names)."""
    if room >= len(verdicts):
        return verdicts
    return sorted(verdicts, key=lambda v: v.polarity != "good")[:room]


def overall(polarities: Sequence[str]) -> str:
    """The document's (or a section's) verdict from its parts: good when some part improved
    and none worsened; bad when any worsened and none improved; mixed when both; flat
    otherwise ("none" when there is nothing to judge)."""
    kinds = set(polarities)
    if "mixed" in kinds:
        kinds |= {"good", "bad"}
    if not kinds:
        return "none"
    if "bad" in kinds and "good" in kinds:
        return "mixed"
    if "bad" in kinds:
        return "bad"
    if "good" in kinds:
        return "good"
    return "flat"
