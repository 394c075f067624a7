"""A plan's targets and tasks as its readers judge them (director reads of 2026-12-07 17:00):
a target with no basis ("this year's result rounded up"), a live safety signal given a far
deadline ("9月底 for a live cluster"), and routine duties listed as plan items ("filler")."""

from __future__ import annotations

import re

from ..model import Document, Paragraph
from ..narrative import plain
from .base import Finding, Knowledge
from .wording import DEADLINE, PLAN_PARTS

# the words a target's basis is said in (plan_targets: 按…确定, 巩固现有水平, 尚未达到原定目标,
# 恢复到…水平, 既定目标, 稳中有升); a target that gives only the result it starts from has none
BASIS = re.compile(r"确定|巩固|尚未达到|恢复到|既定目标|稳中有升|目标任务|标准")
# one 工作目标 clause: "一是手卫生依从率达到90.4%以上（2026年1—11月为86.79%…）"
TARGET_CLAUSE = re.compile(r"[一二三四五六七八九十]+是([^；。]+)")
# a task answering a live safety signal: a death, a cluster or surge, events on the rise
URGENT = re.compile(r"专项调查|逐例开展原因分析|根因分析|逐例回顾")
URGENT_MONTHS = 2  # the end of the next month, at most a month more
# a routine duty named as a plan item by itself
ROUTINE = re.compile(r"常规工作|消防演练|院务会|例会")


def plan_targets(document: Document) -> list[Finding]:
    """Each 工作目标 that states the result it starts from also says why its figure is the
    target (plan-basis)."""
    found = []
    if document.template_kind != "plan":  # a summary's 目标完成情况 reports, it sets nothing
        return found
    for top in document.sections:
        if "目标" not in top.title:
            continue
        for block in top.blocks:
            if not isinstance(block, Paragraph):
                continue
            for clause in TARGET_CLAUSE.findall(plain(block.text)):
                if "为" in clause and "（" in clause and not BASIS.search(clause):
                    found.append(Finding("plan-basis", f"工作目标未说明确定依据：{clause}"))
    return found


def plan_tasks(document: Document, knowledge: Knowledge) -> list[Finding]:
    """A plan part's numbered items: a live safety signal's investigation due within two months
    of the document's date (plan-urgent); no routine duty as an item of its own (plan-routine)."""
    found = []
    for top in document.sections:
        if not any(w in top.title for w in PLAN_PARTS):
            continue
        for block in top.blocks:
            if not isinstance(block, Paragraph):
                continue
            words = plain(block.text)
            if not re.match(r"^\d+．", words):
                continue
            if ROUTINE.search(words):
                found.append(Finding("plan-routine", f"常规工作不宜单列为计划事项：{words}"))
            match = DEADLINE.search(words)
            if URGENT.search(words) and match and knowledge.date:
                months = (int(match.group(1)) - knowledge.date.year) * 12 + int(match.group(2)) - knowledge.date.month  # fmt: skip
                if months > URGENT_MONTHS:
                    found.append(Finding("plan-urgent", f"安全问题的处置时限过晚：{words}"))
    return found
