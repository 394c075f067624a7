"""Chinese phrasing of figures in the register of work summaries (Django-free, layer 1).

Everything returns *spans*: a `Text` is a tuple of plain strings and `Figure`s, and every
number that is printed is a `Figure` carrying its source, so the composer can write the
provenance of each printed number and a test can check that no digit is printed outside one.

Conventions (decided here, relied on by the composer and the tests):

- Rounding is 四舍五入 (ROUND_HALF_UP), never banker's rounding.
- Thousands separators: none up to four integer digits ("8991人次", as the model summaries
  write it; GB/T 15835-2011 出版物上数字用法: 四位以内的整数可以不分节). Counts and money of 1万
  or more are printed in 万/亿 ("12.35万人次", "789万元", "1.2亿元"; non-technical texts use
  万/亿 as units for large numbers), so in practice no figure has five integer digits; the rare
  unscaled one (an average or a rate) is grouped by threes with "," ("12,345DDDs").
- Magnitudes: a count (人次, 人, 例, 次, 份, 元 …) of 10000 or more → 万 with two decimals,
  trailing zeros dropped ("7.3万人次"); 1亿 or more → 亿. Money given in 万元 is scaled the
  same way ("12345万元" → "1.23亿元"). Rates, 天 and other per-unit averages are never scaled.
- A value that is exactly whole prints without decimals ("100%", "8991人次"); otherwise the
  quantity's `decimals` (default 2) are kept, trailing zeros included ("96.50%").
- Comparisons: counts by relative change in % (one decimal) plus the absolute change; rates in
  % by 个百分点, rates in ‰ by 个千分点, other rates (/10万, 人/床 …) and per-unit averages
  (天) by the absolute change in their own unit. `flat_within` is a relative threshold in
  percent for both; a change that would print as zero is always "基本持平".
- "以上/以内" include the bound (民法典 第一千二百五十九条: "以上""以下""以内"包括本数), so
  "均在95%以上" means every value ≥ 95.
- No value → no sentence: functions return `()` or `None`, never "None", "nan" or "增长0%".
- Small bases: a count whose earlier value is below 10 is compared by the absolute change
  only ("比上年增加5起", as the model texts write it, rather than "增长166.7%").
- Claims are made only when the data backs them: `all_meet` (every value present and within
  the bound), `zero_events` (register complete and count zero), `record` and `streak` (an
  unbroken history before the current period); otherwise they return None.
- Figures computed here (changes, completion shares, the elapsed share, thresholds, milestones,
  streak counts) have the source {"derived": op, "inputs": [the sources used], …}; figures of
  a Quantity keep its source untouched.
- Variety is deterministic: `choose` picks by a SHA-256 of a key built from the figures'
  sources (indicator, period, unit), so the same input always gives the same text, and each
  situation has several phrasings drawn from the model texts (同比/比上年同期/较上年同期 …).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Literal

from weijian.periods import Period, PeriodError, PeriodType

# ---------------------------------------------------------------------------------------------
# Spans


@dataclass(frozen=True)
class Figure:
    """A number as it will be printed, with where it came from."""

    text: str  # "12.35万人次", "3.2个百分点", "96.50%"
    value: Decimal  # the unrounded value the text was made from
    source: Mapping = field(hash=False)  # opaque provenance, passed through untouched

    def __str__(self) -> str:
        return self.text


Span = str | Figure
Text = tuple[Span, ...]


def plain(text: Text) -> str:
    """The text as printed."""
    return "".join(span if isinstance(span, str) else span.text for span in text)


def figures(text: Text) -> list[Figure]:
    """The figures of a text, in order."""
    return [span for span in text if isinstance(span, Figure)]


_DIGITS = re.compile(r"[0-9０-９]+")
_YEARS = re.compile(r"(?<![0-9])[12][0-9]{3}(?=年)")


def stray_numbers(text: Text, *, ignore_years: bool = False) -> list[str]:
    """Digits printed outside any Figure (a number without provenance): should be empty.
    With `ignore_years`, a calendar year written as a label ("2027年") is not counted."""
    found: list[str] = []
    for span in text:
        if isinstance(span, str):
            if ignore_years:
                span = _YEARS.sub("", span)
            found.extend(_DIGITS.findall(span))
    return found


def join(parts: Iterable[Text | None], sep: str = "，") -> Text:
    """Join clauses, skipping empty ones (a clause without data is simply left out)."""
    kept = [part for part in parts if part and plain(part).strip(_END_PUNCT)]
    out: list[Span] = []
    for index, part in enumerate(kept):
        if out:
            out.append(sep)
        out.extend(_strip_end(part) if index < len(kept) - 1 else part)
    return _merge(out)


def sentence(*parts: Text | None, sep: str = "，") -> Text:
    """Clauses joined by `sep` and closed with "。"; () when every clause is empty. With
    sep="；" it is the run of indicator clauses the model texts use ("门诊…，比去年同期增长…；
    出院…，比去年同期…。")."""
    body = join(parts, sep=sep)
    if not body:
        return ()
    return _merge([*_strip_end(body), "。"])


def merge(spans: Iterable[Span]) -> Text:
    """Spans (strings and figures) as one canonical Text: adjacent strings merged, empty
    strings dropped. The way to put a lead-in before a clause: merge(["从科室看，", *clause])."""
    return _merge(spans)


def _merge(spans: Iterable[Span]) -> Text:
    """Adjacent strings merged, empty strings dropped: a canonical Text."""
    out: list[Span] = []
    for span in spans:
        if isinstance(span, str):
            if not span:
                continue
            if out and isinstance(out[-1], str):
                out[-1] = out[-1] + span
                continue
        out.append(span)
    return tuple(out)


_END_PUNCT = "。；;，,、 \t\n"


def _strip_end(text: Text) -> Text:
    spans = list(text)
    while spans and isinstance(spans[-1], str):
        stripped = spans[-1].rstrip(_END_PUNCT)
        if stripped:
            spans[-1] = stripped
            break
        spans.pop()
    return tuple(spans)


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
AVERAGE_UNITS = frozenset({"天", "小时", "分钟", "岁", "分", "人/床", "次/床", "DDDs"})
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
            number = _digits(value / factor, 2, strip=True)
            if word == "万" and abs(Decimal(number)) >= WAN:  # 9999.999万 rounds up to 1亿
                number, word = _digits(value / YI, 2, strip=True), "亿"
            return _unit_text(number, f"{word}{unit}")
    raise AssertionError("unreachable")


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
}


def derived(text: str, value: Decimal, op: str, *inputs: Quantity, **extra) -> Figure:
    """A figure computed here (a change, a completion rate): its source names the operation
    and carries the sources of its inputs untouched."""
    source = {"derived": op, "inputs": [q.source for q in inputs], **extra}
    return Figure(text, value, source)


# ---------------------------------------------------------------------------------------------
# Deterministic variety


def choose(variants: Sequence, key: str):
    """Pick one of `variants` by a stable hash of `key` (same key → same pick, across runs)."""
    if not variants:
        raise ValueError("choose() needs at least one variant")
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return variants[int.from_bytes(digest[:8], "big") % len(variants)]


def key_of(*quantities: Quantity | None, extra: str = "") -> str:
    """A stable key from the quantities' sources (indicator, period, unit …)."""
    parts = [
        json.dumps(dict(q.source), sort_keys=True, ensure_ascii=False, default=str)
        for q in quantities
        if q is not None
    ]
    return "|".join([*parts, extra])


_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, **slots: Span | Text) -> Text:
    """Fill "{name}" slots of a phrase template with strings, figures or texts."""
    out: list[Span] = []
    pos = 0
    for match in _SLOT.finditer(template):
        out.append(template[pos : match.start()])
        slot = slots[match.group(1)]
        if isinstance(slot, tuple):
            out.extend(slot)
        else:
            out.append(slot)
        pos = match.end()
    out.append(template[pos:])
    return _merge(out)


# ---------------------------------------------------------------------------------------------
# Periods in words


def _period(period: str | None, *quantities: Quantity | None) -> Period | None:
    """The period named explicitly, else the "pe" of the first source that has one."""
    candidates = [period] + [
        q.source.get("pe") for q in quantities if q is not None and hasattr(q.source, "get")
    ]
    for candidate in candidates:
        if candidate:
            try:
                return Period.parse(str(candidate))
            except PeriodError:
                continue
    return None


_QUARTER_WORDS = {"1": "一季度", "2": "二季度", "3": "三季度", "4": "四季度"}


def span_word(period: Period | None) -> str:
    """How a summary names its own period in a claim: 全年, 上半年, 三季度, 本月 …"""
    if period is None:
        return "本期"
    if period.type is PeriodType.YEARLY:
        return "全年"
    if period.type is PeriodType.SIXMONTHLY:
        return "上半年" if period.id.endswith("1") else "下半年"
    if period.type is PeriodType.QUARTERLY:
        return _QUARTER_WORDS[period.id[-1]]
    if period.type is PeriodType.MONTHLY:
        return "本月"
    if period.type is PeriodType.WEEKLY:
        return "本周"
    return "当日"


def _previous_word(period: Period | None) -> str:
    """The period before, as 环比 sentences name it: 上月, 上季度, 上半年, 上年下半年 …"""
    if period is None:
        return "上期"
    if period.type is PeriodType.MONTHLY:
        return "上月"
    if period.type is PeriodType.QUARTERLY:
        return "上季度"
    if period.type is PeriodType.SIXMONTHLY:
        return "上年下半年" if period.id.endswith("1") else "上半年"
    if period.type is PeriodType.YEARLY:
        return "上年"
    if period.type is PeriodType.WEEKLY:
        return "上周"
    return "前一日"


# ---------------------------------------------------------------------------------------------
# Comparisons

Kind = Literal["同比", "环比"]

_UP_COUNT = [
    "{cmp}增长{pct}，增加{abs}",
    "{cmp}增加{abs}，增长{pct}",
    "与{ref}相比增加{abs}，增幅{pct}",
    "{cmp}增长{pct}（增加{abs}）",
]
_DOWN_COUNT = [
    "{cmp}下降{pct}，减少{abs}",
    "{cmp}减少{abs}，下降{pct}",
    "与{ref}相比减少{abs}，降幅{pct}",
    "{cmp}下降{pct}（减少{abs}）",
]
_UP_SMALL = ["{cmp}增加{abs}", "与{ref}相比增加{abs}"]
_DOWN_SMALL = ["{cmp}减少{abs}", "与{ref}相比减少{abs}"]
_UP_RATE = ["{cmp}上升{pp}", "{cmp}提高{pp}", "与{ref}相比上升{pp}"]
_DOWN_RATE = ["{cmp}下降{pp}", "{cmp}降低{pp}", "与{ref}相比下降{pp}"]
_UP_DAYS = ["{cmp}延长{abs}", "{cmp}增加{abs}"]
_DOWN_DAYS = ["{cmp}缩短{abs}", "{cmp}减少{abs}"]
_UP_ABS = ["{cmp}上升{abs}", "{cmp}增加{abs}"]
_DOWN_ABS = ["{cmp}下降{abs}", "{cmp}减少{abs}"]
_FLAT = ["与{ref}基本持平", "{kind}基本持平", "与{ref}相比基本持平"]
_SAME = ["与{ref}持平", "{kind}持平"]


def _comparison_words(kind: str, period: Period | None) -> tuple[list[str], str]:
    """(ways to open the comparison, the reference period in words)."""
    if kind == "同比":
        if period is not None and period.type is PeriodType.YEARLY:
            return ["同比", "比上年", "较上年"], "上年"
        return ["同比", "比上年同期", "较上年同期"], "上年同期"
    if kind == "环比":
        word = _previous_word(period)
        return ["环比", f"比{word}", f"较{word}"], word
    raise ValueError(f"kind must be 同比 or 环比, not {kind!r}")


def _points_unit(unit: str) -> str | None:
    return {"%": "个百分点", "‰": "个千分点"}.get(unit)


def _change_figure(diff: Decimal, unit: str, decimals: int | None, op: str, cur, prev) -> Figure:
    """The absolute change of a rate or average in its own unit ("1.2个百分点", "0.41个千分点",
    "2.75/10万", "0.4天"): percentage points with one decimal (two when one would show 0),
    anything else at the quantity's own precision; trailing zeros dropped."""
    points = _points_unit(unit)
    places = 1 if unit == "%" else (DEFAULT_DECIMALS if decimals is None else max(decimals, 1))
    magnitude = abs(diff)
    text = _digits(magnitude, places, strip=True)
    if Decimal(text) == 0 and places < 2:
        text = _digits(magnitude, 2, strip=True)
    return derived(_unit_text(text, points or unit), diff, op, cur, prev)


def _printed_zero(figure: Figure) -> bool:
    match = re.match(r"[0-9.]+", figure.text)
    return match is None or Decimal(match.group()) == 0


def compare(
    cur: Quantity,
    prev: Quantity,
    *,
    kind: Kind = "同比",
    flat_within: Decimal = Decimal("0.5"),
    key: str | None = None,
    period: str | None = None,
    with_previous: bool = False,
    small_base: Decimal = Decimal(10),
    change_words: tuple[str, str] = ("增加", "减少"),
) -> Text:
    """The comparison clause: "同比增长5.2%，增加1234人次", "同比上升1.2个百分点",
    "与上年同期基本持平". () when either value is missing, or for counts when the earlier
    value is zero or negative (a % change from nothing means nothing).

    `flat_within` is the relative change (in %) under which the two are "基本持平"; a change
    that rounds to zero at print precision is always 持平. `period` (or the current source's
    "pe") decides the wording: 比上年 for a year, 比上年同期 otherwise, 较上月 … for 环比.
    Values in different units are not compared (). `with_previous` appends the earlier value: "（上年同期11.74万人次）". Counts whose earlier
    value is below `small_base` are compared by the absolute change only ("比上年增加5起", as
    the model texts do; "增长166.7%" on a base of 3 says nothing). `change_words` name the
    absolute change of a count: ("增收", "减收") for income ("业务收入…比去年同期增收220万元").
    """
    if not (has_value(cur) and has_value(prev)):
        return ()
    if cur.unit != prev.unit:  # incomparable: say nothing rather than something wrong
        return ()
    now, before = _value(cur), _value(prev)
    ratelike = _is_ratelike(cur)
    if before == 0 or (before < 0 and not ratelike):
        return ()
    if now < 0 and not ratelike:
        return ()
    openers, ref = _comparison_words(kind, _period(period, cur))
    key = key if key is not None else key_of(cur, prev, extra=kind)
    cmp = choose(openers, key + "|opener")
    diff = now - before
    relative = diff / abs(before) * 100

    def finish(text: Text) -> Text:
        if with_previous:
            return _merge([*text, f"（{ref}", fmt(prev), "）"])
        return text

    if diff == 0:
        return finish(fill(choose(_SAME, key + "|same"), ref=ref, kind=kind))
    if abs(relative) < flat_within:
        return finish(fill(choose(_FLAT, key + "|flat"), ref=ref, kind=kind))
    up = diff > 0

    if ratelike or cur.unit in AVERAGE_UNITS:
        # the change between the printed values, so that the reader's subtraction agrees
        shown = _shown(cur) - _shown(prev)
        change = _change_figure(shown, cur.unit, cur.decimals, "change", cur, prev)
        if shown == 0 or _printed_zero(change):
            return finish(fill(choose(_FLAT, key + "|flat"), ref=ref, kind=kind))
        up = shown > 0
        if _points_unit(cur.unit):
            variants = _UP_RATE if up else _DOWN_RATE
            return finish(fill(choose(variants, key + "|rate"), cmp=cmp, ref=ref, pp=change))
        if cur.unit == "天":
            variants = _UP_DAYS if up else _DOWN_DAYS
        else:
            variants = _UP_ABS if up else _DOWN_ABS
        return finish(fill(choose(variants, key + "|abs"), cmp=cmp, ref=ref, abs=change))

    delta = Quantity(abs(diff), cur.unit, {}, decimals=cur.decimals)
    absolute = derived(fmt(delta).text, diff, "abs_change", cur, prev)
    if _printed_zero(absolute):
        return finish(fill(choose(_FLAT, key + "|flat"), ref=ref, kind=kind))
    more, less = change_words

    def worded(templates: list[str]) -> list[str]:
        return [t.replace("增加", more).replace("减少", less) for t in templates]

    if before < small_base:
        variants = worded(_UP_SMALL if up else _DOWN_SMALL)
        return finish(fill(choose(variants, key + "|small"), cmp=cmp, ref=ref, abs=absolute))
    pct_text = _digits(abs(relative), 1, strip=True)
    if Decimal(pct_text) == 0:
        return finish(fill(choose(_FLAT, key + "|flat"), ref=ref, kind=kind))
    pct = derived(f"{pct_text}%", relative, "pct_change", cur, prev)
    variants = worded(_UP_COUNT if up else _DOWN_COUNT)
    return finish(fill(choose(variants, key + "|count"), cmp=cmp, ref=ref, pct=pct, abs=absolute))


# ---------------------------------------------------------------------------------------------
# Targets


def target(
    actual: Quantity,
    goal: Quantity,
    *,
    direction: Literal["up", "down"] = "up",
    elapsed: Decimal = Decimal(1),
    key: str | None = None,
    goal_name: str = "全年目标",
) -> Text:
    """The actual against its target.

    Counts, higher is better: the completion share against the (annual) goal — "完成全年目标
    的52.3%", "超额完成全年目标任务", and when below the elapsed share of the year (序时进度)
    "低于序时进度4.8个百分点，进度滞后". Rates, higher is better: "达到目标要求（≥95%）" /
    "低于目标值（95%）1.2个百分点". Lower is better (rates and counts): "控制在目标（≤8%）以内" /
    "未达到控制目标（≤8%），超出0.6个百分点". () when either value is missing.
    """
    if not (has_value(actual) and has_value(goal)):
        return ()
    key = key if key is not None else key_of(actual, goal, extra="target")
    goal_fig = fmt(goal)
    # bounds are judged on the printed values: "95.00%" is not "低于目标值（95%）"
    now, aim = _shown(actual), _shown(goal)

    if direction == "down":
        if now <= aim:
            variants = [
                "控制在目标（≤{goal}）以内",
                "控制在{goal}的目标以内",
                "低于{goal}的控制目标",
            ]
            if now == aim:
                variants = ["控制在目标（≤{goal}）以内", "控制在{goal}的目标以内"]
            return fill(choose(variants, key + "|down-ok"), goal=goal_fig)
        over = _gap_figure(now - aim, actual, goal, "over_target")
        variants = ["未达到控制目标（≤{goal}），超出{gap}", "超出{goal}的控制目标{gap}"]
        return fill(choose(variants, key + "|down-miss"), goal=goal_fig, gap=over)
    if direction != "up":
        raise ValueError(f"direction must be up or down, not {direction!r}")

    if not _is_cumulative(actual):
        if now >= aim:
            variants = ["达到目标要求（≥{goal}）", "达到{goal}的目标要求", "高于{goal}的目标值"]
            if now == aim:
                variants = variants[:2]
            return fill(choose(variants, key + "|rate-ok"), goal=goal_fig)
        short = _gap_figure(aim - now, actual, goal, "below_target")
        variants = ["低于目标值（{goal}）{gap}", "未达到{goal}的目标要求，相差{gap}"]
        return fill(choose(variants, key + "|rate-miss"), goal=goal_fig, gap=short)

    if aim <= 0 or now < 0:
        return ()
    completion = now / aim * 100
    done_text = _percent_text(completion)
    if completion < 100 and Decimal(done_text[:-1]) >= 100:  # never print 100% for 99.96%
        done_text = f"{_digits(completion - Decimal('0.05'), 1)}%"
    done = derived(done_text, completion, "completion", actual, goal)
    if _printed_zero(done):  # "完成全年目标的0%" informs nobody
        return ()
    done_shown = Decimal(done_text[:-1])
    whole = goal_name + "任务"
    if completion >= 100:
        if elapsed < 1:
            variants = [
                "已提前完成{whole}（{goal}），完成率{done}",
                "完成{name}的{done}，提前完成{whole}",
            ]
        elif completion == 100:
            variants = ["全面完成{whole}（{goal}）", "完成{whole}（{goal}）"]
        else:
            variants = [
                "完成{name}的{done}，超额完成{whole}",
                "超额完成{whole}（{goal}），完成率{done}",
            ]
        return fill(
            choose(variants, key + "|done"), name=goal_name, whole=whole, goal=goal_fig, done=done
        )
    if elapsed >= 1 or elapsed <= 0:
        if elapsed <= 0:  # no schedule to judge against: the share alone
            return fill("完成{name}的{done}", name=goal_name, done=done)
        left = _gap_figure(aim - now, actual, goal, "remaining")
        variants = [
            "完成{name}（{goal}）的{done}，未完成{whole}",
            "完成{name}的{done}，距{name}尚差{left}",
        ]
        return fill(
            choose(variants, key + "|short"),
            name=goal_name,
            whole=whole,
            goal=goal_fig,
            done=done,
            left=left,
        )
    schedule = elapsed * 100
    sched_fig = derived(_percent_text(schedule), schedule, "elapsed_share", elapsed=str(elapsed))
    schedule_shown = Decimal(sched_fig.text[:-1])
    if done_shown >= schedule_shown:
        variants = [
            "完成{name}的{done}，快于序时进度",
            "完成{name}（{goal}）的{done}，进度符合序时要求",
        ]
        if elapsed == Decimal("0.5"):
            variants = [*variants, "完成{name}的{done}，实现“时间过半、任务过半”"]
        return fill(choose(variants, key + "|ahead"), name=goal_name, goal=goal_fig, done=done)
    lag = schedule_shown - done_shown
    lag_fig = derived(_points_text(lag), lag, "behind_schedule", actual, goal)
    variants = [
        "完成{name}的{done}，低于序时进度（{sched}）{lag}，进度滞后",
        "完成{name}（{goal}）的{done}，落后序时进度{lag}，进度滞后",
    ]
    if lag >= 10:  # well behind: the model texts' 仅
        variants.append("仅完成{name}（{goal}）的{done}，进度滞后，落后序时进度{lag}")
    return fill(
        choose(variants, key + "|behind"),
        name=goal_name,
        goal=goal_fig,
        done=done,
        sched=sched_fig,
        lag=lag_fig,
    )


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
    if _points_unit(actual.unit) or (_is_ratelike(actual) or actual.unit in AVERAGE_UNITS):
        return _change_figure(gap, actual.unit, actual.decimals, op, actual, goal)
    delta = Quantity(gap, actual.unit, {}, decimals=actual.decimals)
    return derived(fmt(delta).text, gap, op, actual, goal)


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
    if above:
        variants = ["{over}均在{t}以上", "{over}均达到{t}以上", "{over}均不低于{t}"]
    else:
        variants = ["{over}均控制在{t}以内", "{over}均在{t}以下", "{over}均未超过{t}"]
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
    variants = ["{when}未发生{what}", "{when}无{what}发生", "{when}未出现{what}"]
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
        variants = [f"降至历史{same}最低水平", f"为有记录以来{same}最低水平"]
        return fill(choose(variants, key))
    if not now > max(before):
        return None
    milestone = _milestone(now, max(before))
    if milestone is not None and not _is_ratelike(now_q):
        source = {"derived": "milestone", "inputs": [now_q.source], "value": str(milestone)}
        mark = fmt(Quantity(milestone, now_q.unit, source))
        return fill(choose(["首次突破{m}", "首次突破{m}大关"], key + "|m"), m=mark)
    return fill(choose([f"创历史{same}新高", f"达到历史{same}最高水平"], key))


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
        variants = [f"连续{{n}}{unit}{same}保持增长", f"连续{{n}}{unit}{same}实现增长"]
        if rate:
            variants = [f"连续{{n}}{unit}{same}上升", f"连续{{n}}{unit}{same}持续提高"]
    else:
        variants = [f"连续{{n}}{unit}{same}下降", f"连续{{n}}{unit}{same}持续下降"]
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


# ---------------------------------------------------------------------------------------------
# Enumerations and statements

ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def enumerate_points(points: list[Text]) -> Text:
    """Inline enumeration "一是…；二是…；三是…。" (empty points skipped; a single point stands alone).
    More than ten points is a template error: ValueError."""
    items = [_strip_end(p) for p in points if p and plain(p).strip(_END_PUNCT)]
    if not items:
        return ()
    if len(items) == 1:
        return _merge([*items[0], "。"])
    if len(items) > len(ORDINALS):
        raise ValueError(f"一是…十是 最多十项，这里有{len(items)}项")
    out: list[Span] = []
    for index, item in enumerate(items):
        out.append(f"{ORDINALS[index]}是")
        out.extend(item)
        out.append("；" if index < len(items) - 1 else "。")
    return _merge(out)


def state(
    label: str,
    cur: Quantity,
    prev: Quantity | None = None,
    *,
    kind: Kind = "同比",
    direction: Literal["up", "down"] | None = None,
    verb: str | None = None,
    key: str | None = None,
    period: str | None = None,
    flat_within: Decimal = Decimal("0.5"),
    with_previous: bool = False,
) -> Text:
    """An indicator clause: "门急诊12.35万人次，同比增长5.2%，增加6100人次",
    "病人满意度为96.50%，比上年同期上升1.2个百分点". () without a current value."""
    if not has_value(cur):
        return ()
    key = key if key is not None else key_of(cur, prev, extra=kind)
    if verb is None:
        if _is_ratelike(cur) or cur.unit in AVERAGE_UNITS:
            verbs = ["为", "达到"] if direction == "up" else ["为"]
            verb = choose(verbs, key + "|verb")
        else:
            verb = ""
    head = _merge([label, verb, fmt(cur)])
    if prev is None:
        return head
    income = "收入" in label and cur.unit in ("元", "万元")
    tail = compare(
        cur,
        prev,
        kind=kind,
        flat_within=flat_within,
        key=key,
        period=period,
        with_previous=with_previous,
        change_words=("增收", "减收") if income else ("增加", "减少"),
    )
    return join([head, tail])


def share_of(part: Quantity, whole: Quantity, *, whole_label: str, key: str | None = None) -> Text:
    """The share "占全院门急诊量的35.2%" (one decimal, whole numbers without); () without both values
    or with a whole of zero."""
    if not (has_value(part) and has_value(whole)) or _value(whole) <= 0:
        return ()
    ratio = _value(part) / _value(whole) * 100
    share = derived(_percent_text(ratio), ratio, "share", part, whole)
    if _printed_zero(share):
        return ()
    key = key if key is not None else key_of(part, whole, extra="share")
    return fill(choose(["占{whole}的{p}", "占{whole}的比例为{p}"], key), whole=whole_label, p=share)


def breakdown(
    total: Quantity,
    parts: list[tuple[str, Quantity]],
    *,
    lead: str = "共",
) -> Text:
    """The total with its parts: "共62起，其中国家级13起、省级11起、市县级38起". Parts without a value or zero are left
    out; when the parts add up to more than the total the 其中 clause is dropped (a document
    never prints figures that contradict each other). () without a total."""
    if not has_value(total):
        return ()
    head = _merge([lead, fmt(total)])
    shown = [(label, q) for label, q in parts if has_value(q) and _value(q) != 0]
    if not shown or sum(_value(q) for _, q in shown) > _value(total):
        return head
    out: list[Span] = [*head, "，其中"]
    for index, (label, q) in enumerate(shown):
        if index:
            out.append("、")
        out.extend([label, fmt(q)])
    return _merge(out)


def short_change(
    cur: Quantity,
    prev: Quantity,
    *,
    small_base: Decimal = Decimal(10),
    flat_within: Decimal = Decimal("0.5"),
    minus: str = "−",
) -> Text:
    """The comparison as a table cell, by the same rules as `compare` so the table and the
    prose agree: "+5.2%" for counts, "+1.2个百分点" / "−0.41个千分点" for rates, "−0.5天" for
    averages (between the printed values), "+5起" on a small base, "持平" when nothing shows
    or when `compare` (with the same `flat_within`) would say 基本持平 — a table must not
    print "−0.01个百分点" beside a text that calls it flat.
    () when `compare` would say nothing (a missing or zero earlier value, different units)."""
    if not (has_value(cur) and has_value(prev)) or cur.unit != prev.unit:
        return ()
    now, before = _value(cur), _value(prev)
    ratelike = _is_ratelike(cur)
    if before == 0 or (not ratelike and (before < 0 or now < 0)):
        return ()
    if abs((now - before) / abs(before) * 100) < flat_within:
        return ("持平",)
    if ratelike or cur.unit in AVERAGE_UNITS:
        shown = _shown(cur) - _shown(prev)
        figure = _change_figure(shown, cur.unit, cur.decimals, "change", cur, prev)
        sign = shown
    elif before < small_base:
        delta = Quantity(abs(now - before), cur.unit, {}, decimals=cur.decimals)
        figure = derived(fmt(delta).text, now - before, "abs_change", cur, prev)
        sign = now - before
    else:
        relative = (now - before) / before * 100
        figure = derived(
            f"{_digits(abs(relative), 1, strip=True)}%", relative, "pct_change", cur, prev
        )
        sign = relative
    if sign == 0 or _printed_zero(figure):
        return ("持平",)
    signed = Figure(("+" if sign > 0 else minus) + figure.text, figure.value, figure.source)
    return (signed,)
