"""Rules on the words around each figure: the verb of a change, a target's bound, a % change
on a tiny count, a plan target below a result reached, a survey held against another's floor."""

from __future__ import annotations

import re
from decimal import Decimal

from ..model import Document, Paragraph, Section, walk
from ..narrative import Figure, Text
from .base import (
    CHANGE_OPS,
    DOWN_WORDS,
    UP_WORDS,
    Finding,
    Knowledge,
    clause_of,
    first_figure_of_clause,
    next_figure_after,
    shown,
    text_before,
)


def direction_words(text: Text) -> list[Finding]:
    found = []
    for index, span in enumerate(text):
        if not isinstance(span, Figure) or span.source.get("derived") not in CHANGE_OPS:
            continue
        words = text_before(text, index, 6)
        value = Decimal(span.value)
        said_up = any(words.endswith(w) or words.endswith(w + "了") for w in UP_WORDS)
        said_down = any(words.endswith(w) for w in DOWN_WORDS)
        if (said_up and value < 0) or (said_down and value > 0):
            found.append(Finding("direction-word", f"{clause_of(text, index)}{span.text}"))
    # 高于/低于上年同期的X: X is the earlier value; the clause's first figure the current one
    for index, span in enumerate(text):
        if not isinstance(span, Figure):
            continue
        words = text_before(text, index, 10)
        match = re.search(r"(高于|低于)上年(同期)?的$", words)
        if not match:
            continue
        current = first_figure_of_clause(text, index)
        if current is None:
            continue
        higher = Decimal(current.value) > Decimal(span.value)
        if higher != (match.group(1) == "高于"):
            found.append(Finding("direction-word", f"{clause_of(text, index)}{span.text}"))
    return found


def tiny_changes(text: Text) -> list[Finding]:
    """A % change whose own current figure (the clause's figure of the same dx and period)
    is a whole count that moved by fewer than three: before = now ÷ (1 + pct/100)."""
    found = []
    for index, span in enumerate(text):
        if not isinstance(span, Figure) or span.source.get("derived") != "pct_change":
            continue
        inputs = span.source.get("inputs") or []
        if not inputs or not isinstance(inputs[0], dict):
            continue
        current = next(
            (s for s in reversed(text[:index]) if isinstance(s, Figure)
             and s.source.get("dx") == inputs[0].get("dx") and s.source.get("pe") == inputs[0].get("pe")),
            None,
        )  # fmt: skip
        if current is None or "元" in current.text or "%" in current.text:
            continue
        now = Decimal(current.value)
        if now != now.to_integral_value() or Decimal(span.value) <= -100:
            continue
        before = now / (1 + Decimal(span.value) / 100)
        if abs(now - before) < Decimal("2.5"):
            found.append(Finding("tiny-change", f"{clause_of(text, index)}{span.text}（变化不足3，应说件数）"))  # fmt: skip
    return found


_TARGET_PATTERNS = [
    (re.compile(r"控制在$"), "目标以内", "le"),
    (re.compile(r"超出$"), "控制目标", "gt"),
    (re.compile(r"达到$"), "目标要求", "ge"),
    (re.compile(r"低于$"), "目标值", "lt"),
]


def target_words(text: Text) -> list[Finding]:
    found = []
    for index, span in enumerate(text):
        if not isinstance(span, Figure) or index + 1 >= len(text):
            continue
        after = text[index + 1] if isinstance(text[index + 1], str) else ""
        words = text_before(text, index, 4)
        for pattern, tail, relation in _TARGET_PATTERNS:
            if pattern.search(words) and after.startswith(f"的{tail}"):
                current = first_figure_of_clause(text, index)
                if current is None or current is span:
                    continue
                now, goal = shown(current), shown(span)
                ok = {
                    "le": now <= goal, "gt": now > goal, "ge": now >= goal, "lt": now < goal,
                }[relation]  # fmt: skip
                if not ok:
                    found.append(
                        Finding("target-word", f"{clause_of(text, index)}{span.text}{after[:8]}")
                    )
    return found


def plan_floor(document: Document, knowledge: Knowledge) -> list[Finding]:
    found = []
    for _, _, block in walk(document):
        if not isinstance(block, Paragraph):
            continue
        text = block.text
        for index, span in enumerate(text):
            if not isinstance(span, Figure) or "dx" in span.source or "pe" in span.source:
                continue
            words = text_before(text, index, 4)
            if not (words.endswith("达到") or words.endswith("保持在") or words.endswith("控制在")):
                continue
            now = next_figure_after(text, index, "为")
            if now is None:
                continue
            goal, reached = shown(span), shown(now)
            lower_better = words.endswith("控制在")
            if (lower_better and goal > reached) or (not lower_better and goal < reached):
                found.append(
                    Finding(
                        "plan-floor", f"{clause_of(text, index)}{span.text}（已达到{now.text}）"
                    )
                )
    return found


PLAN_PARTS = ("打算", "计划", "主要任务", "下一步", "工作目标")


def walk_sections(sections):
    for section in sections:
        for block in section.blocks:
            yield 0, section, block
            if isinstance(block, Section):
                yield from walk_sections([block])


# a target's query: "Target HAI_INCIDENCE · RMYY · 2026" (plan_targets.target_goal)
TARGET_QUERY = re.compile(r"^Target (\S+) · (\S+) · ")
# levels (rates, averages): a count's year target is not comparable with part of a year
LEVEL_TEXT = re.compile(r"(%|‰|/[^/]+)$")


def loose_targets(document: Document, knowledge: Knowledge) -> list[Finding]:
    """A target in a plan part (保持在/达到/控制在 a set target) looser than the result the same
    document reports for its period: "高血压规范管理率保持在65%以上" beside 71.88 % reached, "抗菌
    药物使用强度继续控制在40DDDs/百人天以内" beside 34.96. Levels only (a count's whole-year target
    is not held against part of a year)."""
    results: dict[tuple[str, str], Figure] = {}
    for _, _, block in walk(document):
        if isinstance(block, Paragraph):
            for span in block.text:
                if isinstance(span, Figure) and span.source.get("pe") == document.period_id:
                    results.setdefault((span.source["dx"], span.source.get("ou", "")), span)
    found = []
    plan_parts = [s for s in document.sections if any(w in s.title for w in PLAN_PARTS)]
    for _, _, block in walk_sections(plan_parts):
        if not isinstance(block, Paragraph):
            continue
        for index, span in enumerate(block.text):
            match = isinstance(span, Figure) and TARGET_QUERY.match(str(span.source.get("query", "")))  # fmt: skip
            if not match or not LEVEL_TEXT.search(span.text):
                continue
            reached = results.get((match.group(1), match.group(2)))
            words = text_before(block.text, index, 4)
            if reached is None or not any(words.endswith(v) for v in ("保持在", "达到", "控制在")):
                continue
            lower_better = knowledge.directions.get(match.group(1)) == "down" or words.endswith("控制在")  # fmt: skip
            goal, now = shown(span), shown(reached)
            if (lower_better and goal > now) or (not lower_better and goal < now):
                found.append(Finding("plan-loose", f"{clause_of(block.text, index)}{span.text}（本期已达到{reached.text}）"))  # fmt: skip
    return found


def survey_floors(document: Document, knowledge: Knowledge) -> list[Finding]:
    """A satisfaction said to be below a floor must be below the district's own floor for that
    kind of survey (a staff survey is not held against the inpatients' 90 %)."""
    found = []
    for _, _, block in walk(document):
        if not isinstance(block, Paragraph):
            continue
        text = block.text
        for index, span in enumerate(text):
            if not isinstance(span, Figure) or span.source.get("dx") not in knowledge.survey_floors:
                continue
            for after in range(index + 1, min(index + 6, len(text))):
                floor = text[after]
                if isinstance(floor, str) and ("；" in floor or "。" in floor):
                    break
                if isinstance(floor, Figure) and "低于" in text_before(text, after, 3):
                    expected = knowledge.survey_floors[span.source["dx"]]
                    if shown(floor) != expected:
                        found.append(
                            Finding(
                                "target-word",
                                f"{clause_of(text, after)}{floor.text}（本区规则为{expected.normalize():f}%）",
                            )
                        )
                    break
    return found
