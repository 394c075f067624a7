"""Claims that must be backed by the data: every month met a bound, nothing happened, a
record, a streak. Each returns None when the data does not carry it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

from weijian.periods import Period, PeriodError, PeriodType

from .comparisons import _period, span_word
from .numbers import Quantity, _is_ratelike, _value, fmt, has_value
from .spans import Figure, Text, choose, fill, key_of

# ---------------------------------------------------------------------------------------------
# Claims that must be backed by the data


def all_meet(
    values: list[Quantity],
    threshold: Decimal,
    *,
    above: bool = True,
    over: str = "各月",
    key: str | None = None,
    threshold_source: Mapping | None = None,
) -> Text | None:
    """The claim "各月均在95%以上", only when every value is present and meets the threshold ("以上" and
    "以内" include the bound); None otherwise, or for an empty list."""
    if not values or not all(has_value(q) for q in values):
        return None
    numbers = [_value(q) for q in values]
    if above and not all(n >= threshold for n in numbers):
        return None
    if not above and not all(n <= threshold for n in numbers):
        return None
    first = values[0]
    bound = fmt(
        Quantity(
            threshold,
            first.unit,
            threshold_source
            if threshold_source is not None
            else {"derived": "threshold", "inputs": [], "value": str(threshold)},
            is_rate=first.is_rate,
            decimals=first.decimals,
        )
    )
    key = key if key is not None else key_of(*values, extra="all_meet")
    variants = ["{over}均在{t}以上"] if above else ["{over}均控制在{t}以内"]
    return fill(choose(variants, key), over=over, t=bound)


def zero_events(
    count: Quantity,
    *,
    register_complete: bool,
    what: str,
    period: str | None = None,
    key: str | None = None,
    when: str | None = None,
) -> Text | None:
    """The claim "全年未发生医疗安全不良事件" only when the register was complete for the period and the
    count is zero; None otherwise (a missing count or an incomplete register proves nothing)."""
    if not register_complete or not has_value(count) or _value(count) != 0:
        return None
    when = when if when is not None else span_word(_period(period, count))
    key = key if key is not None else key_of(count, extra="zero|" + what)
    variants = ["{when}未发生{what}"]
    return fill(choose(variants, key), when=when, what=what)


def record(
    values_by_period: list[tuple[str, Quantity]],
    current_period: str,
    *,
    direction: Literal["up", "down"] = "up",
    min_history: int = 3,
    key: str | None = None,
) -> Text | None:
    """The claim "创历史新高" / "首次突破10万人次", only when the history shows it.

    The periods before `current_period` must form an unbroken run (consecutive periods, or the
    same period of consecutive years) of at least `min_history` periods, all with values, ending
    just before the current one; the current value must beat every one of them strictly.
    "首次突破X" is used when a round milestone X (1, 2 or 5 × 10ⁿ) lies above every earlier
    value and at or below the current one. Lower-is-better (`direction="down"`): "降至历史最低".
    """
    try:
        current = Period.parse(current_period)
        history = sorted(
            ((Period.parse(pe), q) for pe, q in values_by_period), key=lambda item: item[0].start
        )
    except PeriodError:
        return None
    now_q = next((q for p, q in history if p == current), None)
    if now_q is None or not has_value(now_q):
        return None
    earlier = [(p, q) for p, q in history if p.start < current.start]
    if len(earlier) < min_history or not all(has_value(q) for _, q in earlier):
        return None
    run = [p for p, _ in earlier] + [current]
    if any(p.type is not current.type for p in run):
        return None
    consecutive = all(a.next() == b for a, b in zip(run, run[1:], strict=False))
    yearly = all(b.same_period_last_year() == a for a, b in zip(run, run[1:], strict=False))
    if not (consecutive or yearly):
        return None
    now = _value(now_q)
    before = [_value(q) for _, q in earlier]
    key = key if key is not None else key_of(now_q, extra="record")
    same = "同期" if yearly and not consecutive and current.type is not PeriodType.YEARLY else ""
    best_q = (min if direction == "down" else max)(
        (q for _, q in earlier), key=lambda item: _value(item)
    )
    if fmt(best_q).text == fmt(now_q).text:  # "96.50%" again is no record, however it rounds
        return None
    if direction == "down":
        if not now < min(before):
            return None
        variants = [f"降至历史{same}最低水平"]
        return fill(choose(variants, key))
    if not now > max(before):
        return None
    milestone = _milestone(now, max(before))
    if milestone is not None and not _is_ratelike(now_q):
        source = {"derived": "milestone", "inputs": [now_q.source], "value": str(milestone)}
        mark = fmt(Quantity(milestone, now_q.unit, source))
        return fill("首次突破{m}", m=mark)
    return fill(f"创历史{same}新高")


_COUNT_WORDS = ["零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十"]
_STREAK_UNITS = {
    PeriodType.YEARLY: "年",
    PeriodType.QUARTERLY: "个季度",
    PeriodType.MONTHLY: "个月",
    PeriodType.WEEKLY: "周",
}


def streak(
    values_by_period: list[tuple[str, Quantity]],
    current_period: str,
    *,
    min_streak: int = 3,
    key: str | None = None,
) -> Text | None:
    """The claim "连续三年保持增长" / "连续四个月下降", only when the history shows it: the
    current value and the `min_streak` values before it (consecutive periods, or for a half-year
    or quarter the same period of consecutive years: "连续三年同期增长") each strictly above
    (or each strictly below) the one before. The count is a Figure (its text a Chinese numeral,
    as the model texts write 连续三年) whose source lists the periods it rests on."""
    try:
        current = Period.parse(current_period)
        by_period = {Period.parse(pe): q for pe, q in values_by_period}
    except PeriodError:
        return None
    if current not in by_period or not has_value(by_period[current]):
        return None
    if current.type is PeriodType.YEARLY or current.previous() in by_period:
        step, same = Period.previous, ""
        unit = _STREAK_UNITS.get(current.type)
    else:
        step, same, unit = Period.same_period_last_year, "同期", "年"
    if unit is None:
        return None
    chain = [current]
    while (before := step(chain[-1])) in by_period and has_value(by_period[before]):
        chain.append(before)
    values = [_value(by_period[p]) for p in chain]  # newest first
    printed = [fmt(by_period[p]).text for p in chain]
    rises = falls = 0
    for index, (newer, older) in enumerate(zip(values, values[1:], strict=False)):
        if printed[index] == printed[index + 1]:  # a rise that does not show is no rise
            break
        if newer > older and not falls:
            rises += 1
        elif newer < older and not rises:
            falls += 1
        else:
            break
    count = max(rises, falls)
    if count < min_streak:
        return None
    used = chain[: count + 1]
    word = _COUNT_WORDS[count] if count < len(_COUNT_WORDS) else str(count)
    figure = Figure(
        word,
        Decimal(count),
        {"derived": "streak", "inputs": [by_period[p].source for p in reversed(used)]},
    )
    now_q = by_period[current]
    key = key if key is not None else key_of(now_q, extra="streak")
    if rises:
        rate = _is_ratelike(now_q)
        variants = [f"连续{{n}}{unit}{same}保持增长"]
        if rate:
            variants = [f"连续{{n}}{unit}{same}上升"]
    else:
        variants = [f"连续{{n}}{unit}{same}下降"]
    return fill(choose(variants, key), n=figure)


def _milestone(now: Decimal, best_before: Decimal) -> Decimal | None:
    """The largest round number (1, 2, 5 × 10ⁿ, n ≥ 2) in (best_before, now], if any: crossing
    100 is worth a sentence, crossing 20 is not."""
    if now < 100:
        return None
    exponent = len(str(int(now))) - 1
    for power in range(exponent, 1, -1):
        for lead in (5, 2, 1):
            mark = Decimal(lead) * Decimal(10) ** power
            if best_before < mark <= now:
                return mark
    return None
