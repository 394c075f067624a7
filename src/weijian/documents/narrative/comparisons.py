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
    _printed_zero,
    _shown,
    _value,
    derived,
    fmt,
    has_value,
)
from .spans import Figure, Span, Text, _merge, fill, join

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

# One phrasing per meaning (not a rotation of synonyms): the opener follows the period (比上年
# for a year, 同比 otherwise); counts change by a % (money also by its amount, 增收/减收);
# rates in % by points, with the verb by which way is better (提高 for a rate that should rise,
# 上升 for one that should fall); rates in ‰ or per 10万 — and % rates whose change would print
# as 0.0 points — against the earlier value itself (高于上年同期的0.104‰), never "个千分点";
# days 缩短/延长; other averages 增加/减少 in their own unit.
_COUNT = {True: "{cmp}增长{pct}", False: "{cmp}下降{pct}"}
_MONEY = {True: "{cmp}{more}{abs}，增长{pct}", False: "{cmp}{less}{abs}，下降{pct}"}
_SMALL = {True: "{cmp}{more}{abs}", False: "{cmp}{less}{abs}"}
_DAYS = {True: "{cmp}延长{abs}", False: "{cmp}缩短{abs}"}
_ABS = {True: "{cmp}增加{abs}", False: "{cmp}减少{abs}"}
_AGAINST = {True: "高于{ref}的{prev}", False: "低于{ref}的{prev}"}
_FLAT = "与{ref}基本持平"
_SAME = "与{ref}持平"


# A count that moved by one or two is said in the count ("同比增加1件"), never as a % of its
# base ("同比增长1.7%" for 59 → 60 reads as a trend where there is none).
SMALL_CHANGE = Decimal(3)


def _few(now: Decimal, before: Decimal, unit: str) -> bool:
    """Whole counts (not money) that moved by fewer than SMALL_CHANGE."""
    whole = now == now.to_integral_value() and before == before.to_integral_value()
    return whole and "元" not in unit and abs(now - before) < SMALL_CHANGE


def _rate_verb(up: bool, direction: str | None) -> str:
    if up:
        return "提高" if direction == "up" else "上升"
    return "下降"


def _comparison_words(kind: str, period: Period | None) -> tuple[str, str]:
    """(the opener, the reference period in words)."""
    if kind == "同比":
        if period is not None and period.type is PeriodType.YEARLY:
            return "比上年", "上年"
        return "同比", "上年同期"
    if kind == "环比":
        word = _previous_word(period)
        return "环比", word
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
    direction: str | None = None,
) -> Text:
    """The comparison clause: "同比增长5.2%", "比上年增收220万元，增长39%", "同比提高1.2个百分点",
    "高于上年同期的0.104‰", "与上年同期基本持平". () when either value is missing, or for
    counts when the earlier value is zero or negative (a % change from nothing means nothing).

    `flat_within` is the relative change (in %) under which the two are "基本持平"; a change
    that rounds to zero at print precision is always 持平. `period` (or the current source's
    "pe") decides the wording: 比上年 for a year, 同比 otherwise, 环比 for 环比. Values in
    different units are not compared (). `with_previous` appends the earlier value:
    "（上年同期11.74万人次）". Counts whose earlier value is below `small_base` are compared by
    the absolute change only ("比上年增加5起"; "增长166.7%" on a base of 3 says nothing); a
    larger count that moved by one or two (SMALL_CHANGE) is not compared at all (() — "投诉64件，
    同比减少1件" says nothing a director needs).
    `change_words` other than 增加/减少 (("增收", "减收") for income) mark an amount of money,
    said with its change in 元 first, as the model texts do ("比去年同期增收220万元，增加39%").
    `direction` ("up": higher is better) picks 提高 or 上升 for a rate that rose.

    `key` is accepted for compatibility and ignored: the wording follows the meaning only.
    """
    del key
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
    cmp, ref = _comparison_words(kind, _period(period, cur))
    diff = now - before
    relative = diff / abs(before) * 100

    def finish(text: Text) -> Text:
        if with_previous:
            return _merge([*text, f"（{ref}", fmt(prev), "）"])
        return text

    flat = fill(_FLAT, ref=ref)
    if diff == 0:
        return finish(fill(_SAME, ref=ref))
    if abs(relative) < flat_within:
        return finish(flat)
    up = diff > 0

    if ratelike or cur.unit in AVERAGE_UNITS:
        # the change between the printed values, so that the reader's subtraction agrees
        shown = _shown(cur) - _shown(prev)
        if shown == 0:
            return finish(flat)
        up = shown > 0
        if ratelike and (cur.unit != "%" or _points_zero(shown)):
            return fill(_AGAINST[up], ref=ref, prev=fmt(prev))
        change = _change_figure(shown, cur.unit, cur.decimals, "change", cur, prev)
        if _printed_zero(change):
            return finish(flat)
        if ratelike:
            verb = _rate_verb(up, direction)
            return finish(fill("{cmp}{verb}{pp}", cmp=cmp, verb=verb, pp=change))
        template = _DAYS[up] if cur.unit == "天" else _ABS[up]
        return finish(fill(template, cmp=cmp, abs=change))

    delta = Quantity(abs(diff), cur.unit, {}, decimals=cur.decimals)
    absolute = derived(fmt(delta).text, diff, "abs_change", cur, prev)
    if _printed_zero(absolute):
        return finish(flat)
    more, less = change_words
    if before >= small_base and _few(now, before, cur.unit):
        return ()  # 64 complaints against 65: a change of one or two on a count is not said
    if before < small_base:
        return finish(fill(_SMALL[up], cmp=cmp, more=more, less=less, abs=absolute))
    pct_text = _digits(abs(relative), 1, strip=True)
    if Decimal(pct_text) == 0:
        return finish(flat)
    pct = derived(f"{pct_text}%", relative, "pct_change", cur, prev)
    if change_words != ("增加", "减少"):
        return finish(fill(_MONEY[up], cmp=cmp, more=more, less=less, abs=absolute, pct=pct))
    return finish(fill(_COUNT[up], cmp=cmp, pct=pct))


def _points_zero(points: Decimal) -> bool:
    """A change of a % rate that prints as 0.0 points at one decimal."""
    return _digits(abs(points), 1) == "0.0"


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
    """An indicator clause: "门急诊12.35万人次，同比增长5.2%", "病人满意度为96.50%，同比提高
    1.2个百分点". () without a current value. A rate or an average takes 为 (达到 would claim a
    goal reached); a count none."""
    if not has_value(cur):
        return ()
    if verb is None:
        verb = "为" if _is_ratelike(cur) or cur.unit in AVERAGE_UNITS else ""
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
        direction=direction,
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
    del key
    return fill("占{whole}的{p}", whole=whole_label, p=share)


def done_in_time(done: Quantity, total: Quantity, *, rate: str, late: str) -> Text:
    """What a count done in time means beside the count it is part of: "按时办结率为93.8%，
    未按时办结4件" (60 of 64; one decimal as every share); () without both values, with a total
    of zero or with more done than received (the figures would contradict each other)."""
    if not (has_value(done) and has_value(total)) or _value(total) <= 0:
        return ()
    if _value(done) > _value(total):
        return ()
    ratio = _value(done) / _value(total) * 100
    share = derived(_percent_text(ratio), ratio, "share", done, total)
    text = fill("{rate}为{p}", rate=rate, p=share)
    missed = _value(total) - _value(done)
    if missed <= 0:
        return text
    rest = derived(fmt(Quantity(missed, total.unit, {})).text, missed, "remainder", total, done)
    return _merge([*text, f"，{late}", rest])


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
    prose agree: "+5.2%" for counts, "+1.2个百分点" for rates in %, "上升"/"下降" for rates
    the prose compares by the earlier value (‰, per 10万, or a change under 0.05 points),
    "−0.5天" for averages (between the printed values), "+5起" on a small base, "持平" when
    nothing shows or when `compare` (with the same `flat_within`) would say 基本持平.
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
        if shown == 0:
            return ("持平",)
        if ratelike and (cur.unit != "%" or _points_zero(shown)):
            return ("上升" if shown > 0 else "下降",)
        figure = _change_figure(shown, cur.unit, cur.decimals, "change", cur, prev)
        sign = shown
    elif before >= small_base and _few(now, before, cur.unit):
        return ()  # as `compare`: a change of one or two on a count is not said
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
