"""上年工作计划落实情况: the summary of a year reports on the tasks its plan saved (PlanTask):
a target task is judged from the data (达到 / 未达到 the goal), any other task by the status its
office recorded (已完成 / 推进中 / 未完成; 未反馈 when none was recorded)."""

from __future__ import annotations

from decimal import Decimal

from weijian.indicators.analytics import analyse

from . import narrative as n
from .context import Context, cat
from .facts import chinese_name
from .model import Paragraph
from .narrative import Quantity, Text
from .work_done import count_figure

SOURCE = "年度工作计划"


def plan_review_section(ctx: Context, spec: dict) -> list:
    from .models import PlanTask, TaskStatus

    facts = ctx.facts
    year = facts.period.end.year
    tasks = list(PlanTask.objects.filter(org_unit=ctx.owner, year=year).order_by("sort_order"))
    if not tasks:
        return []
    judged = _judge_targets(ctx, [t for t in tasks if t.indicator and t.target_value is not None])
    counts = dict.fromkeys(TaskStatus.values, 0)
    missed_targets: list[Text] = []
    for task in tasks:
        status = judged.get(task.pk, (task.status, None))[0]
        counts[status] += 1
        if task.pk in judged and status != TaskStatus.DONE:
            missed_targets.append(judged[task.pk][1])
    query = f"PlanTask {ctx.owner.code} {year}"
    parts: list = [
        f"{year}年工作计划确定的",
        count_figure(len(tasks), "项", SOURCE, query),
        "工作目标和重点任务中，已完成",
        count_figure(counts[TaskStatus.DONE], "项", SOURCE, f"{query} 已完成"),
    ]
    for status, word in ((TaskStatus.ONGOING, "正在推进"), (TaskStatus.NOT_DONE, "未完成")):
        if counts[status]:
            parts += [f"，{word}", count_figure(counts[status], "项", SOURCE, f"{query} {word}")]
    if counts[TaskStatus.PENDING]:
        parts += ["，另有", count_figure(counts[TaskStatus.PENDING], "项", SOURCE, f"{query} 未反馈"), "尚未反馈完成情况"]  # fmt: skip
    blocks = [Paragraph(cat([*parts, "。"]))]
    if missed_targets:
        blocks.append(
            Paragraph(cat(["未达到计划目标的有：", *n.join(missed_targets, sep="；"), "。"]))
        )
    unfinished = [t.text for t in tasks if t.pk not in judged and t.status == TaskStatus.NOT_DONE]
    if unfinished:
        listed = "；".join(text.rstrip("。") for text in unfinished[:3])
        blocks.append(Paragraph((f"未完成的重点任务：{listed}。",), review=True))
    return blocks


def _judge_targets(ctx: Context, tasks: list) -> dict[int, tuple[str, Text]]:
    """Each target task's status from the data over the summary's period, and a clause naming
    the goal and the result ("手卫生依从率目标85%，实际83.23%")."""
    from .models import TaskStatus

    facts = ctx.facts
    if not tasks:
        return {}
    result = analyse({t.indicator for t in tasks}, [facts.period], [facts.unit])
    found = {}
    for task in tasks:
        value = result.value(task.indicator, facts.period.id, facts.unit.code)
        if value is None:
            continue
        goal = Decimal(task.target_value)
        met = value <= goal if task.direction == "down" else value >= goal
        cumulative = task.indicator in facts.indicators and facts.is_cumulative(task.indicator)
        partial = facts.period.type.name != "YEARLY" or "~" in facts.period.id
        if met:
            status = TaskStatus.DONE
        else:
            status = TaskStatus.ONGOING if partial and cumulative else TaskStatus.NOT_DONE
        indicator = result.indicators.get(task.indicator)
        unit = indicator.unit if indicator else ""
        rate = bool(indicator and indicator.is_rate)
        decimals = indicator.decimals if indicator else None
        goal_fig = n.fmt(Quantity(goal, unit, {"source": SOURCE, "query": f"PlanTask {task.pk}"}, is_rate=rate, decimals=decimals))  # fmt: skip
        now_fig = n.fmt(Quantity(value, unit, {"dx": task.indicator, "pe": facts.period.id, "ou": facts.unit.code}, is_rate=rate, decimals=decimals))  # fmt: skip
        name = (
            chinese_name(indicator.short_name or indicator.name, indicator.name)
            if indicator
            else task.indicator
        )
        found[task.pk] = (status, cat([f"{name}目标", goal_fig, "，实际", now_fig]))
    return found
