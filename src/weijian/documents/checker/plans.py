"""A plan's targets and tasks as its readers judge them (director reads of 2026-12-07 17:00):
a target with no basis ("this year's result rounded up"), a live safety signal given a far
deadline ("9月底 for a live cluster"), and routine duties listed as plan items ("filler")."""

from __future__ import annotations

import re

from ..model import Document, Paragraph, Table
from ..narrative import Figure, plain
from .base import Finding, Knowledge, shown
from .wording import DEADLINE, ITEM, PLAN_PARTS, plan_paragraphs

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


# a target's arithmetic said inside a sentence: "按近两年年均提高1.4个百分点确定", "×12÷11", "年均
# 增幅确定" (read 2026-12-07 20:35: "77.3%以上（2025年为75.89%，…按近两年年均提高1.4个百分点确定）"
# is a calculation; a director writes "77%以上" and puts the arithmetic in a table)
ARITHMETIC = re.compile(
    r"按近[^；。]{0,6}年年?均[^；。]{0,20}确定|增幅按近|×\s*12\s*÷|[0-9.]+[+−-][0-9.]+="
)


def plan_targets(document: Document, knowledge: Knowledge | None = None) -> list[Finding]:
    """A plan's 工作目标: each target that states the result it starts from also says why its
    figure is the target (plan-basis), and the table of targets gives each its basis (测算依据)
    and no target below the result beside it (plan-floor); a plan part's sentence carries no
    arithmetic (plan-target-arithmetic: in a summary's 下一步 too)."""
    found = []
    for top in document.sections:
        if not any(w in top.title for w in (*PLAN_PARTS, "工作目标")):
            continue
        for block in top.blocks:
            if isinstance(block, Paragraph) and ARITHMETIC.search(plain(block.text)):
                found.append(Finding("plan-target-arithmetic", f"测算过程不宜写入正文：{plain(block.text)[:60]}"))  # fmt: skip
    if document.template_kind != "plan":  # a summary's 目标完成情况 reports, it sets nothing
        return found
    for top in document.sections:
        if "目标" not in top.title:
            continue
        for block in top.blocks:
            if isinstance(block, Table):
                found += _target_table(block, knowledge or Knowledge())
            if not isinstance(block, Paragraph):
                continue
            for clause in TARGET_CLAUSE.findall(plain(block.text)):
                if "为" in clause and "（" in clause and not BASIS.search(clause):
                    found.append(Finding("plan-basis", f"工作目标未说明确定依据：{clause}"))
    return found


def _target_table(table: Table, knowledge: Knowledge) -> list[Finding]:
    """The plan's table of targets (指标, 实际, 目标[, 依据]): a row with no basis, a target below
    the result reached in the row (as printed, the way the figure improves)."""
    header = list(table.header)
    actual = next((i for i, h in enumerate(header) if "实际" in h), None)
    goal = next((i for i, h in enumerate(header) if "目标" in h), None)
    if actual is None or goal is None:
        return []
    basis = next((i for i, h in enumerate(header) if "依据" in h), None)
    found = []
    if basis is None:
        found.append(Finding("plan-basis", f"目标表未列测算依据：{table.title}"))
    for row in table.rows:
        name = plain(row[0])
        if basis is not None and plain(row[basis]).strip("—- ") == "":
            found.append(Finding("plan-basis", f"目标未说明测算依据：{name}"))
        now = next((s for s in row[actual] if isinstance(s, Figure)), None)
        aim = next((s for s in row[goal] if isinstance(s, Figure)), None)
        dx = (now.source.get("dx") if now else None) or ""
        direction = knowledge.directions.get(dx)
        if now is None or aim is None or direction not in ("up", "down"):
            continue
        if (shown(aim) < shown(now)) if direction == "up" else (shown(aim) > shown(now)):
            found.append(Finding("plan-floor", f"{name}目标{aim.text}低于已达到的{now.text}"))
    return found


# the office-and-date frame an item opens with: "由医务科牵头，护理部配合，于2027年1月底前…",
# "质控科于2027年3月底前…" (read 2026-12-08: the same "由X牵头，于Y前…" on every item read as
# machine-made; a date belongs to the items whose work has one)
FRAME = re.compile(
    r"^(\d+．|[一二三四五六七八九十]+是)?(由[^，。]{2,20}?牵头，([^，。]{2,30}?配合，)?|[^，。由]{2,12}?)于\d{4}年\d{1,2}月底前"
)
MAX_FRAMED = 3


def plan_tasks(document: Document, knowledge: Knowledge) -> list[Finding]:
    """A plan part's items: a live safety signal's investigation due within two months of the
    document's date (plan-urgent); no routine duty as an item of its own (plan-routine); the
    same office-and-date frame opening more than three items (plan-template-repeat)."""
    found = []
    framed = []
    for top in document.sections:
        if not any(w in top.title for w in PLAN_PARTS):
            continue
        for block in plan_paragraphs(top):
            words = plain(block.text)
            if not ITEM.match(words) and any(b is block for b in top.blocks):
                continue  # the part's lead, not an item
            if FRAME.match(words):
                framed.append(words)
            if ROUTINE.search(words):
                found.append(Finding("plan-routine", f"常规工作不宜单列为计划事项：{words}"))
            match = DEADLINE.search(words)
            if URGENT.search(words) and match and knowledge.date:
                months = (int(match.group(1)) - knowledge.date.year) * 12 + int(match.group(2)) - knowledge.date.month  # fmt: skip
                if months > URGENT_MONTHS:
                    found.append(Finding("plan-urgent", f"安全问题的处置时限过晚：{words}"))
    # a plan's parts are themed (plan_themes.py); a summary's 打算 still numbers its answers
    if document.template_kind == "plan" and len(framed) > MAX_FRAMED:
        found.append(Finding("plan-template-repeat", f"{len(framed)}项计划以同一“由…牵头，于…前”格式开头：{framed[0][:30]}…"))  # fmt: skip
    return found
