"""Comparisons with an earlier period (同比, 环比) and the statements built on them: an
indicator clause, a share, a breakdown, a table cell."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from weijian.periods import Period, PeriodError, PeriodType

from .numbers import (
    AVERAGE_UNITS,
    Quantity,
    _change_figure,
    _digits,
    _is_ratelike,
    _percent_text,
    _points_unit,
    _printed_zero,
    _shown,
    _value,
    derived,
    fmt,
    has_value,
)
from .spans import Figure, Span, Text, _merge, choose, fill, join, key_of

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
