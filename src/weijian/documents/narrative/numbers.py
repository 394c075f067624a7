"""Quantities and how they print: rounding, 万/亿, units, and the derived figures (changes,
shares) computed from them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from .spans import Figure

# ---------------------------------------------------------------------------------------------
# Quantities and formatting


@dataclass(frozen=True)
class Quantity:
    """What the composer passes in: a value with its unit and source."""

    value: Decimal | None  # None = no data
    unit: str  # "人次", "元", "天", "%", "‰", "例", "次", "个", "床", "" …
    source: Mapping = field(hash=False)
    is_rate: bool = False  # rates compare in 百分点, counts in % and absolute change
    decimals: int | None = None
    # Optional addition to the agreed API: does the value accumulate over the period (门急诊人次,
    # 业务收入: a target is met by a share of it) or is it a level (床位周转次数, 次均费用, 床位数:
    # a target is a bound)? None = decide by the unit (rates and AVERAGE_UNITS are levels).
    cumulative: bool | None = None


# Units whose values are per-unit averages or durations: never scaled to 万, compared by the
# absolute change in their own unit ("平均住院日8.6天，比上年同期缩短0.4天").
AVERAGE_UNITS = frozenset(
    {"天", "小时", "分钟", "岁", "分", "人/床", "次/床", "DDDs", "DDDs/百人天"}
)
RATE_UNITS = frozenset({"%", "‰"})
WAN = Decimal(10000)
YI = Decimal(100000000)
_PREFIXES = {"万": WAN, "亿": YI}
DEFAULT_DECIMALS = 2


def has_value(q: Quantity | None) -> bool:
    """True when `q` carries a finite number (None, NaN and infinities count as no data)."""
    return q is not None and _clean(q.value) is not None


def _clean(value) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return None
    if not value.is_finite():
        return None
    return value


def _value(q: Quantity) -> Decimal:
    value = _clean(q.value)
    if value is None:
        raise ValueError(f"没有数值，不能成文：{dict(q.source)!r}")
    return value


def _is_ratelike(q: Quantity) -> bool:
    return q.is_rate or q.unit in RATE_UNITS or q.unit.startswith("/")


def _is_cumulative(q: Quantity) -> bool:
    if q.cumulative is not None:
        return q.cumulative
    return not (_is_ratelike(q) or q.unit in AVERAGE_UNITS)


def _round(value: Decimal, places: int) -> Decimal:
    # Wide enough for any value the engine gives (below 10^25) at any number of places.
    with localcontext(prec=60):
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _digits(value: Decimal, places: int, *, strip: bool = False) -> str:
    """`value` rounded half-up to `places` decimals; never "-0"."""
    rounded = _round(value, places)
    if rounded == 0:
        rounded = abs(rounded)
    text = format(rounded, "f")
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _number(value: Decimal, decimals: int | None) -> str:
    if value == value.to_integral_value():
        return _digits(value, 0)
    return _digits(value, DEFAULT_DECIMALS if decimals is None else decimals)


def _grouped(number: str) -> str:
    """Five or more integer digits grouped by threes with ","; four or fewer left alone."""
    sign = "-" if number.startswith("-") else ""
    whole, dot, fraction = number.lstrip("-").partition(".")
    if len(whole) <= 4:
        return number
    return f"{sign}{int(whole):,}{dot}{fraction}"


def _unit_text(number: str, unit: str) -> str:
    return f"{number}{unit}"


def _scaled(value: Decimal, unit: str, decimals: int | None) -> str:
    """A count or an amount of money printed with 万/亿 when it is large."""
    if len(unit) > 1 and unit[0] in _PREFIXES:  # given in 万元, 万人次, 亿元: back to the base
        value, unit = value * _PREFIXES[unit[0]], unit[1:]
    plain_text = _number(value, decimals)
    if abs(Decimal(plain_text)) < WAN:
        return _unit_text(plain_text, unit)
    for factor, word in ((YI, "亿"), (WAN, "万")):
        if abs(value) >= factor or word == "万":
            places = _money_places(value / factor) if "元" in unit and word == "万" else 2
            number = _in_places(value / factor, places)
            if word == "万" and abs(Decimal(number)) >= WAN:  # 9999.999万 rounds up to 1亿
                number, word = _in_places(value / YI, 2), "亿"
            return _unit_text(number, f"{word}{unit}")
    raise AssertionError("unreachable")


def _in_places(value: Decimal, places: int) -> str:
    """`value` at `places` decimals, trailing zeros dropped only when nothing was rounded away:
    exactly 5万 prints "5万" and 5.5万 "5.5万", but 49 980 prints "5.00万", never "5万" (read
    2026-12-07: a "5万人次" beside "5.77万人次" looked like a made-up round figure)."""
    exact = _round(value, places) == value
    return _digits(value, places, strip=exact)


# Money in 万元 is rounded as office writers round it, by size: whole 万 from 100万 up
# ("增收605万元", not 605.15万元: the hundreds of 元 are noise at that size), one decimal from
# 10万 ("增收60.5万元"), two below (a 医保 inspection's 违规金额4.37万元: the ledger's own figure,
# which "4.4万元" would misstate); 亿 keeps two decimals ("1.53亿元"), amounts under 1万 keep the
# quantity's own precision (次均费用295.60元). The exact amount stays in the figure's value.
MONEY_WHOLE_WAN = Decimal(100)
MONEY_ONE_DECIMAL_WAN = Decimal(10)


def _money_places(wan: Decimal) -> int:
    if abs(wan) >= MONEY_WHOLE_WAN:
        return 0
    return 1 if abs(wan) >= MONEY_ONE_DECIMAL_WAN else 2


def _shown(q: Quantity) -> Decimal:
    """The value as the reader sees it: a rate or an average rounded as `fmt` prints it, so
    that differences computed from it agree with the printed figures (8.6天 and 9.1天 differ by
    0.5天, even when 8.62 and 9.05 differ by 0.43). Counts and money: the value itself."""
    value = _value(q)
    if _is_ratelike(q) or q.unit in AVERAGE_UNITS:
        return Decimal(_number(value, q.decimals))
    return value


def fmt(q: Quantity) -> Figure:
    """The quantity as printed: "12.35万人次", "789万元", "96.50%", "3.52‰", "8.6天".

    Raises ValueError when there is no value: callers test `has_value` first (or use the
    phrasing functions, which leave the sentence out).
    """
    value = _value(q)
    if _is_ratelike(q) or q.unit in AVERAGE_UNITS:
        text = _unit_text(_grouped(_number(value, q.decimals)), q.unit)
    else:
        text = _scaled(value, q.unit, q.decimals)
    return Figure(text, value, q.source)


# Every `op` a derived figure's source may name, with how a tooltip or a provenance list says it.
DERIVED_LABELS = {
    "pct_change": "变化率",
    "abs_change": "增减量",
    "change": "增减",
    "completion": "目标完成率",
    "below_target": "与目标差距",
    "over_target": "超出目标",
    "remaining": "距目标尚差",
    "behind_schedule": "落后序时进度",
    "elapsed_share": "序时进度",
    "threshold": "判断标准",
    "milestone": "整数关口",
    "streak": "连续期数",
    "share": "占比",
    "plan_floor": "已达到水平（计划目标下限）",
    "overall_gap": "与本单位总体水平的差距",
    "remainder": "未完成数",
}


def derived(text: str, value: Decimal, op: str, *inputs: Quantity, **extra) -> Figure:
    """A figure computed here (a change, a completion rate): its source names the operation
    and carries the sources of its inputs untouched."""
    source = {"derived": op, "inputs": [q.source for q in inputs], **extra}
    return Figure(text, value, source)


def _points_unit(unit: str) -> str | None:
    # Only % changes are said in points; a ‰ change is said in ‰ ("超出0.05‰"), never 个千分点.
    return {"%": "个百分点"}.get(unit)


def _change_figure(diff: Decimal, unit: str, decimals: int | None, op: str, cur, prev, *, keep_zeros: bool = False) -> Figure:  # fmt: skip
    """The absolute change of a rate or average in its own unit ("1.2个百分点", "0.41‰",
    "2.75/10万", "0.4天"): at the precision the rates are printed with (9.54 % − 7.69 % is
    1.85个百分点, not 1.9: the reader's own subtraction must agree), one decimal for % rates of
    unknown precision (two when one would show 0); trailing zeros dropped."""
    points = _points_unit(unit)
    magnitude = abs(diff)
    if unit == "%":
        places = max(decimals, 1) if decimals is not None else 1
    else:
        places = DEFAULT_DECIMALS if decimals is None else max(decimals, 1)
    text = _digits(magnitude, places, strip=not keep_zeros)
    if Decimal(text) == 0 and places < 2:
        text = _digits(magnitude, 2, strip=True)
    return derived(_unit_text(text, points or unit), diff, op, cur, prev)


def _printed_zero(figure: Figure) -> bool:
    match = re.match(r"[0-9.]+", figure.text)
    return match is None or Decimal(match.group()) == 0


def _percent_text(value: Decimal) -> str:
    """A share in % with one decimal, whole numbers without, two decimals when one would show
    0.0; "0%" only for an exact zero (callers leave such a share out)."""
    if value == value.to_integral_value():
        return f"{_digits(value, 0)}%"
    text = _digits(value, 1, strip=True)
    if Decimal(text) == 0:
        text = _digits(value, 2, strip=True)
    return f"{text}%"


def _points_text(value: Decimal) -> str:
    text = _digits(value, 1, strip=True)
    if Decimal(text) == 0:
        text = _digits(value, 2, strip=True)
    return f"{text}个百分点"


def _gap_figure(gap: Decimal, actual: Quantity, goal: Quantity, op: str) -> Figure:
    """A gap to a target at the precision the rate prints with, trailing zeros kept ("差0.10个
    百分点" for 1.30 % against 1.20 %, beside "差1.77个百分点": read 2026-12-07 23:30)."""
    if _points_unit(actual.unit) or (_is_ratelike(actual) or actual.unit in AVERAGE_UNITS):
        keep = actual.decimals is not None and actual.decimals > 0
        return _change_figure(gap, actual.unit, actual.decimals, op, actual, goal, keep_zeros=keep)
    delta = Quantity(gap, actual.unit, {}, decimals=actual.decimals)
    return derived(fmt(delta).text, gap, op, actual, goal)
