"""Rule heading-verdict: a section heading's verdict that the figures of its own paragraphs
contradict (read 2026-12-07 by every director): 稳步增长 above a volume that grew 0.8 % or
held, or above volumes the section does not print ("门急诊和住院服务量稳步增长" above 急诊 and
手术 only); 保持稳定 / 基本持平 above a figure printed as a change the wrong way ("免疫规划疫苗
接种率保持稳定" above "下降0.37个百分点"); 改善服务、优化就医体验 above a satisfaction that fell.

It reads the section's own paragraphs (not its subsections, tables or review lines), clause by
clause (；。), each clause judged by its first figure and the comparison after it. The flat band
is the verdicts' (verdicts.FLAT_RELATIVE: a count grows "稳步" from 2 %)."""

from __future__ import annotations

import re
from decimal import Decimal

from ..model import Document, Paragraph, Section, walk
from ..narrative import Figure, Text, plain
from ..verdicts import FLAT_RELATIVE
from .base import CHANGE_OPS, DOWN_WORDS, UP_WORDS, Finding, Knowledge

GROWTH = ("稳步增长", "较快增长")
FLAT = ("保持稳定", "基本持平", "保持平稳", "基本稳定")
OTHER = ("有所提高", "明显提高", "有所下降", "明显下降", "有所上升", "明显上升", "持续改善")
SERVICE_CLAIMS = ("优化就医体验", "改善医疗服务", "改善服务")
# what a volume heading names → what a clause that prints it begins with
SUBJECTS = {
    "门诊": r"门诊\d",
    "急诊": r"急诊\d",
    "住院": r"(?:住院患者|出院患者)\d",
    "出院": r"出院患者\d",
    "入院": r"收治住院患者\d",
    "手术": r"手术\d",
}


def heading_verdicts(document: Document, knowledge: Knowledge) -> list[Finding]:
    found: list[Finding] = []
    for _, _, block in walk(document):
        if not isinstance(block, Section):
            continue
        clauses = _clauses([b.text for b in block.blocks if isinstance(b, Paragraph) and not b.review])  # fmt: skip
        if not clauses:
            continue
        found += _growth(block.title, clauses)
        found += _flat(block.title, clauses, knowledge)
        found += _service(block.title, clauses)
    return found


def _growth(title: str, clauses: list[tuple[str, Decimal | None, str]]) -> list[Finding]:
    """A heading whose only verdict is growth: every compared clause grew beyond the flat
    band, and every volume it names is printed below."""
    if not any(p in title for p in GROWTH) or any(p in title for p in (*FLAT, *OTHER)):
        return []
    out = []
    for words, change, _ in clauses:
        if change is None and "持平" not in words:
            continue
        if "持平" in words or change <= 0 or (_is_pct(words) and change < FLAT_RELATIVE):
            out.append(Finding("heading-verdict", f"“{title}”，段中却是：{words}"))
    subject = title.split("，")[-1]
    named = {"门诊", "急诊"} if "门急诊" in subject else set()
    named |= {word for word in SUBJECTS if word in subject}
    if "医疗服务量" in subject:  # 基本医疗服务量: 门诊 first of all
        named.add("门诊")
    body = [words for words, _, _ in clauses]
    for word in sorted(named):
        if not any(re.search(SUBJECTS[word], clause) for clause in body):
            out.append(Finding("heading-verdict", f"“{title}”说{word}，段中却没有{word}的数字"))
    return out


def _flat(title: str, clauses, knowledge: Knowledge) -> list[Finding]:
    """A heading whose only verdict is a hold: no clause prints a change the wrong way."""
    if not any(p in title for p in FLAT) or any(p in title for p in (*GROWTH, *OTHER)):
        return []
    out = []
    for words, change, dx in clauses:
        direction = knowledge.directions.get(dx)
        if change is None or change == 0 or direction is None or "持平" in words:
            continue
        if (change > 0) != (direction == "up"):
            out.append(Finding("heading-verdict", f"“{title}”，段中却是：{words}"))
    return out


def _service(title: str, clauses) -> list[Finding]:
    """改善服务、优化就医体验 only above satisfaction that did not fall."""
    if not any(p in title for p in SERVICE_CLAIMS):
        return []
    return [
        Finding("heading-verdict", f"“{title}”，段中却是：{words}")
        for words, change, _ in clauses
        if "满意度" in words and change is not None and change < 0
    ]


def _is_pct(words: str) -> bool:
    return bool(re.search(r"(增长|下降)\d+(?:\.\d+)?%", words))


def _clauses(texts: list[Text]) -> list[tuple[str, Decimal | None, str]]:
    """(words, signed change or None, dx of the clause's first figure) for every clause."""
    out = []
    for text in texts:
        clause: list = []
        for span in text:
            if isinstance(span, str) and re.search("[；。]", span):
                head, *rest = re.split("[；。]", span)
                clause.append(head)
                out.append(_judge(clause))
                clause = [rest[-1]] if rest and rest[-1] else []
                for middle in rest[:-1]:  # a string holding whole clauses of its own
                    out.append(_judge([middle]))
            else:
                clause.append(span)
        if clause:
            out.append(_judge(clause))
    return [c for c in out if c[0]]


def _judge(clause: list) -> tuple[str, Decimal | None, str]:
    words = plain(tuple(clause))
    first = next((s for s in clause if isinstance(s, Figure) and "dx" in s.source), None)
    dx = first.source["dx"] if first is not None else ""
    changes = [s for s in clause if isinstance(s, Figure) and s.source.get("derived") in CHANGE_OPS]
    # "增收605万元，增长4.1%": the % change is the one the flat band is about
    changes.sort(key=lambda s: s.source.get("derived") != "pct_change")
    change = None
    if changes:
        change = Decimal(changes[0].value) * (-1 if _said_down(clause, changes[0]) else 1)
    if change is None and first is not None:
        against = re.search(r"(高于|低于)上年(同期)?的", words)
        if against:
            change = Decimal(1) if against.group(1) == "高于" else Decimal(-1)
    return words, change, dx


def _said_down(clause: list, figure: Figure) -> bool:
    """The change's printed value is its size; the word before it says which way ("下降0.37
    个百分点" → −0.37). A value already negative stays negative."""
    if Decimal(figure.value) < 0:
        return False
    before = plain(tuple(clause[: clause.index(figure)]))[-6:]
    down = max(before.rfind(w) for w in DOWN_WORDS)
    up = max(before.rfind(w) for w in UP_WORDS)
    return down > up
