"""The year's political work told without a record (issue 11 item 5: the system holds none of
it unless the party office logs it, and must never invent it): a sentence of the body (not a
plan part, not review text) that names a campaign of study or a plan (学习教育, 全会精神,
两会精神, “十五五”) with work done on it (读书班, 专题党课, 查摆问题, 征求意见稿, 审议通过…)
and holds no figure in its paragraph, so no record stands behind it; and 已整改N条 above the
problems found."""

from __future__ import annotations

import re

from ..model import Document, Paragraph, Section, walk
from ..narrative import Figure, plain
from .base import Finding

PLAN_TITLES = ("打算", "计划", "下一步", "主要任务", "工作目标", "思路")
CAMPAIGNS = re.compile(r"学习教育|全会精神|两会精神|十五五")
DONE = (
    "读书班",
    "专题党课",
    "警示教育",
    "查摆问题",
    "已全部整改",
    "已整改",
    "征求意见稿",
    "审议通过",
)
FIXED = re.compile(r"查摆问题(\d+)条，已整改(\d+)条")


def unrecorded_campaigns(document: Document) -> list[Finding]:
    found = []
    in_plan = 0
    for level, _, block in walk(document):
        if isinstance(block, Section):
            plan = any(word in block.title for word in PLAN_TITLES)
            in_plan = level if plan else (in_plan if in_plan and level > in_plan else 0)
            continue
        if not isinstance(block, Paragraph) or block.review or in_plan:
            continue
        # the paragraph, not the sentence: the item's heading names the campaign and the next
        # sentence what it held ("一是扎实开展…学习教育。3月至7月，举办读书班2期…")
        words = plain(block.text)
        told = CAMPAIGNS.search(words) and any(w in words for w in DONE)
        if told and not any(isinstance(span, Figure) for span in block.text):
            found.append(Finding("campaign-unrecorded", f"无台账记录支撑的政治学习或规划工作：{words[:40]}"))  # fmt: skip
        for issues, fixed in FIXED.findall(words):
            if int(fixed) > int(issues):
                found.append(Finding("campaign-unrecorded", f"已整改问题多于查摆问题：{words[:40]}"))  # fmt: skip
    return found
