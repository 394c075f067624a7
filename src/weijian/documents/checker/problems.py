"""Rules on 存在的问题 as an office writes it (issue 11, director reads of 2026-12-07):
- problems-paragraph: three or more problems run together in one paragraph ("一是…；二是…；
  三是…"): each problem is its own numbered paragraph, with its evidence and cause.
- count-as-trend: a service count held to a norm (宣传栏更新, 健康知识讲座, 公众健康咨询) said to
  have fallen (下降/下滑) in 存在的问题 or a plan: a count is judged against its norm (每年不少于
  6次), never as a declining rate.
- missed-target-softened: 略高于/略低于 a target (控制目标, 目标值, 目标要求) anywhere: a missed
  target, a 责任书's above all, is said as missed with its gap ("未完成…（≤1.20%），差0.01个
  百分点"), never softened (director reads of 2026-12-07).
- trivial-problem: a problem in 存在的问题 that is a count of events up by one or two
  ("住院患者跌倒由上年同期的8例增至9例"): no problem a director would list
  (causes.trivial_count_change).
- drilldown-twice: a problem's counts followed by a department's own "其中外科由0例增至11例"
  ("…由上年同期的5例增至19例，其中外科由0例增至11例"): read as machine-made (2026-12-07 23:30);
  the department is said once, "新增病例主要集中在外科（11例，上年同期无）".
- near-miss-problem: a numbered problem that is a target missed within its noise ("超出1.20%的
  控制目标0.01个百分点": a gap under five steps of its printed precision, judgements.near_miss):
  the section states it against its target; 存在的问题 does not number it. A 责任书's miss
  ("未完成《…》确定的控制目标（≤1.20%），差0.01个百分点") is not this pattern: it stays."""

from __future__ import annotations

import re
from decimal import Decimal

from ..causes import trivial_count_change
from ..model import Document, Paragraph, Section, walk
from ..narrative import Text, plain
from .base import Finding, problems_section

_ORDINAL = re.compile(r"[一二三四五六七八九十]是")
# the 基本公卫 health-education counts the system holds norms for
_NORM_COUNTS = r"宣传栏|健康知识讲座|健康讲座|公众健康咨询|健康咨询"
_FELL = re.compile(rf"({_NORM_COUNTS})[^。；]{{0,16}}(下降|下滑|减少的情况)")
_PLAN_TITLES = ("打算", "计划", "思路", "下一步")
_SOFTENED = re.compile(
    r"略(高于|低于|超出|超过|未达到)[^，。；]{0,16}?(控制目标|目标值|目标要求|目标)"
)
# a problem (its numbered head, or the whole paragraph) that is one count's rise and nothing else
_COUNT_RISE = re.compile(
    r"^(?:[一二三四五六七八九十]是)?[^。；，]{0,20}?由(?:上年同期的|上年的)?(\d+)(例次|例|人|起)增至(\d+)\2。?$"
)


def run_together(document: Document) -> list[Finding]:
    section = problems_section(document)
    if section is None:
        return []
    found = []
    for block in section.blocks:
        if isinstance(block, Paragraph) and not block.review:
            text = plain(block.text)
            if len(_ORDINAL.findall(text)) >= 3:
                found.append(Finding("problems-paragraph", text[:40] + "…"))
    return found


def counts_as_trends(document: Document) -> list[Finding]:
    found = []
    problems = problems_section(document)
    for _, _, block in walk(document):
        if not isinstance(block, Section):
            continue
        if block is not problems and not any(t in block.title for t in _PLAN_TITLES):
            continue
        for paragraph in block.blocks:
            if isinstance(paragraph, Paragraph) and not paragraph.review:
                match = _FELL.search(plain(paragraph.text))
                if match:
                    found.append(Finding("count-as-trend", match.group(0)))
    return found


def softened_misses(text: Text) -> list[Finding]:
    """ "院感发病率为1.21%，略高于1.20%的控制目标": a miss said as nearly met."""
    return [Finding("missed-target-softened", m.group(0)) for m in _SOFTENED.finditer(plain(text))]


_DRILLDOWN = re.compile(r"其中[^，。；、（）由]{1,12}由[\d.]+[^\d，。；]{0,4}(增至|降至)")
_MOVED = re.compile(r"由[^，。；]{0,8}?[\d.]+[^\d，。；]{0,4}(增至|降至)")
_NEAR_MISS = re.compile(r"(?:超出|低于)[\d.]+%?的(?:控制目标|目标值)(\d+(?:\.(\d+))?)个百分点")
NOISE_STEPS = 5  # judgements.NOISE_STEPS (the checker reads the text only)


def _problem_texts(document: Document) -> list[str]:
    """The plain texts of 存在的问题's own paragraphs (not review text)."""
    section = problems_section(document)
    if section is None:
        return []
    return [
        plain(block.text)
        for block in section.blocks
        if isinstance(block, Paragraph) and not block.review
    ]


def problem_wording(document: Document) -> list[Finding]:
    """drilldown-twice and near-miss-problem in 存在的问题's paragraphs."""
    found = []
    for text in _problem_texts(document):
        for clause in re.split(r"[；。]", text):
            match = _DRILLDOWN.search(clause)
            if match and _MOVED.search(clause[: match.start()]):
                found.append(Finding("drilldown-twice", clause[:60]))
        for match in _NEAR_MISS.finditer(text):
            places = len(match.group(2) or "")
            if Decimal(match.group(1)) < NOISE_STEPS * Decimal(10) ** -places:
                found.append(Finding("near-miss-problem", match.group(0)))
    return found


def trivial_problems(document: Document) -> list[Finding]:
    """A numbered problem that is only a count of events up by one or two."""
    found = []
    for text in _problem_texts(document):
        match = _COUNT_RISE.match(text.strip())
        if match and trivial_count_change(Decimal(match.group(1)), Decimal(match.group(3))):
            found.append(Finding("trivial-problem", match.group(0)))
    return found
