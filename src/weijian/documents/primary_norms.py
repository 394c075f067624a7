"""A township centre's 健康教育 told against the 基本公卫 service norms the system keeps with the
indicators (健康知识讲座每年不少于12次、每月至少1次; 公众健康咨询每年不少于9次; 宣传栏每年不少于
6次), not as trends (issue 11 item 3; the read of 2026-12-07 23:30: "均与上年基本持平", "比上年
减少2次" for counts a director holds to their norm):

    全年，我院举办健康知识讲座14次，达到服务规范每年不少于12次的要求，但2月未举办；更新健康
    教育宣传栏15次，达到每年不少于6次的要求；开展公众健康咨询活动7次，少于每年不少于9次的
    要求；讲座参加群众696人次；发放健康教育印刷资料1.50万份。

A part of `area` sections (areas.WRITERS["health_education"]); the counts are the engine's
figures, the norms the indicators' benchmarks (judgements.norm_for / norm_words, the same words
存在的问题 uses). A count whose months are not all reported is left out, with a note.
"""

from __future__ import annotations

from decimal import Decimal

from weijian import periods

from . import narrative as n
from .context import Context
from .judgements import norm_for, norm_words
from .narrative import Text

# (indicator, what the centre did) in the order an office tells them; the first three have norms
COUNTS = [
    ("PHS_HE_LECTURES", "举办健康知识讲座"),
    ("PHS_HE_BOARD_UPDATES", "更新健康教育宣传栏"),
    ("PHS_HE_CONSULTATIONS", "开展公众健康咨询活动"),
    ("HE_LECTURE_ATTENDEES", "讲座参加群众"),
    ("PHS_HE_MATERIALS", "发放健康教育印刷资料"),
]
# the words norm_words opens a miss with, and what a met norm says instead
MET = {"少于": "达到", "多于": "未超出", "未达到": "达到", "超出": "未超出"}


def health_education(ctx: Context, scope: periods.Period, words: str) -> list[tuple[str, Text]]:
    facts = ctx.facts
    clauses: list[Text] = []
    named = False  # "服务规范" said once, in the first clause with a norm
    for dx, act in COUNTS:
        if dx not in facts.known or not n.has_value(facts.current(dx)):
            continue
        if not facts.full(dx):
            ctx.notes.append(f"{facts.name(dx)}有月份缺少数据")
            continue
        clause: list = [act, n.fmt(facts.current(dx))]
        norm = _against_norm(ctx, dx)
        if norm and named:  # "达到每年不少于6次的要求" after "达到服务规范每年不少于12次的要求"
            norm[1] = norm[1].replace("服务规范", "", 1)
        named = named or bool(norm)
        clauses.append(n.merge(clause + norm))
    if not clauses:
        return []
    lead = ctx.words_in("{span}，{we}")
    return [("开展健康教育", n.merge([lead, *n.join(clauses, sep="；"), "。"]))]


def _against_norm(ctx: Context, dx: str) -> list:
    """ "，达到服务规范每年不少于12次的要求，但2月未举办" or "，少于服务规范每年不少于9次的要求";
    nothing for a count without a norm."""
    facts = ctx.facts
    indicator = facts.indicators.get(dx)
    if indicator is None or indicator.benchmark_value is None:
        return []
    norm, months = norm_for(facts, dx)
    if norm is None:
        return []
    value = facts.current(dx).value
    low = indicator.benchmark_comparator in (">=", ">")
    said = list(norm_words(facts, dx, norm, months))
    missed = value < norm if low else value > norm
    if not missed:
        head = said[0]
        word = next(w for w in MET if head.startswith(w))
        said[0] = MET[word] + head[len(word) :]
    out = ["，", *said]
    if low and not missed and facts.is_cumulative(dx):
        out += _months_without(ctx, dx, indicator.benchmark_value)
    return out


def _months_without(ctx: Context, dx: str, yearly: Decimal) -> list:
    """ "，但2月未举办": the months without one, when the norm is one a month (12 a year)."""
    if yearly != 12:
        return []
    facts = ctx.facts
    empty = [m for m in facts.data_months() if (facts.value(dx, m) or Decimal(0)) < 1]
    if not empty:
        return []
    listed = "、".join(f"{m.start.month}月" for m in empty[:3])
    more = "等" if len(empty) > 3 else ""
    return [f"，但{listed}{more}未举办"]
