"""上年工作计划落实情况: the summary of a year reports on the tasks its plan saved (PlanTask):
a target task is judged from the data (达到 / 未达到 the goal), any other task by the status its
office recorded (已完成 / 推进中 / 未完成; 未反馈 when none was recorded).

In a plan (`ctx.plan_year`), the same section is the year's review that opens it: the year's
main results as the year's summary states them (its opening's figures, with their scope:
"2026年1—11月" while the year is not over), the year's targets met and missed, the year's plan
tasks, and the problems that carry into the plan year (the summary's 存在的问题, in its order).
Read 2026-12-07 20:35: "no 2026 baseline or problems in the plan"."""

from __future__ import annotations

import re
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
    if ctx.plan_year is not None:
        return year_review(ctx) + _plan_tasks_review(ctx)
    return _plan_tasks_review(ctx)


def _plan_tasks_review(ctx: Context) -> list:
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


# -- a plan's review of the year before it ---------------------------------------------------


def year_summary(ctx: Context):
    """The unit's default summary of the year before the plan's (as far as its months go),
    composed once per plan and kept in the context: the review and the tasks both draw on it,
    so the plan says what the summary says (None when it cannot be composed)."""
    if "year_summary" in ctx.cache:
        return ctx.cache["year_summary"]
    from weijian import periods

    from . import compose, specs

    basis = periods.Period.parse(str(ctx.plan_year - 1))
    try:
        spec = compose.resolve_spec(None, ctx.owner, basis)
        summary = compose.compose(ctx.owner, basis, spec, today=ctx.facts.today, date=ctx.date)
    except (specs.SpecError, ValueError):
        summary = None
    ctx.cache["year_summary"] = summary
    return summary


# where a summary's opening turns from its results to its verdict or to the body
_TURNS = ("同时也要看到", "总体看", "总体来看", "现将")
_SPAN = re.compile(r"^\d+—\d+月|^\d+月|^上半年|^全年")
# 存在的问题's own lead and its paragraphs' numbering ("一是医院感染防控仍有薄弱环节。…")
_POINT = re.compile(r"^[一二三四五六七八九十]+是")


def year_review(ctx: Context) -> list:
    """The year's review a plan opens with: the summary's results (its words and figures,
    with the year put before a bare month span), the year's targets met and missed, the
    problems the summary ranks, said by their headings."""
    summary = year_summary(ctx)
    if summary is None:
        return []
    year = ctx.plan_year - 1
    blocks = []
    results = summary_results(summary.opening, year)
    targets = _targets_said(ctx)
    if results or targets:
        blocks.append(Paragraph(cat([*results, *targets])))
    topics = problem_topics(summary)
    if topics:
        said = n.join(topics, sep="；")
        closing = f"。这些问题需要在{ctx.plan_year}年工作中着力加以解决。"
        blocks.append(Paragraph(cat(["同时，工作中还存在一些问题和不足：", *said, closing])))
    return blocks


def summary_results(opening: list, year: int) -> Text:
    """The opening paragraph of a summary that states its figures, up to where it turns to
    its verdict ("同时也要看到…", "总体看…", "现将…如下："), a bare month span given its year
    ("1—11月，全院完成门诊…" → "2026年1—11月，全院完成门诊…")."""
    for paragraph in opening:
        if not n.figures(paragraph.text):
            continue
        kept: list = []
        for span in paragraph.text:
            if isinstance(span, str):
                cut = min((span.index(t) for t in _TURNS if t in span), default=None)
                if cut is not None:
                    kept.append(span[:cut])
                    break
            kept.append(span)
        if kept and isinstance(kept[0], str) and _SPAN.match(kept[0]):
            kept[0] = f"{year}年{kept[0]}"
        while kept and isinstance(kept[-1], str) and not kept[-1].strip("。，；： "):
            kept.pop()
        if kept and isinstance(kept[-1], str):
            kept[-1] = kept[-1].rstrip("。，；： ") + "。"
        elif kept:
            kept.append("。")
        return tuple(kept)
    return ()


def _targets_said(ctx: Context) -> Text:
    """The year's targets met, behind and missed, by name, as the facts judge them (the same
    judgement the summary's problems use): "对照年度目标，手卫生依从率、院感发病率达到目标要求，
    门急诊人次进度滞后。" A rate over fewer months than the year so far is judged as printed
    over its months and says them ("重点人群签约率（1—10月）"). Nothing without targets."""
    from .plan_targets import beats_target, scope_words

    facts = ctx.facts
    year = str(ctx.plan_year - 1)
    status: dict[str, list[tuple[str, str]]] = {"met": [], "behind": [], "missed": []}
    for dx, target_year in sorted(facts.targets):
        if target_year != year or dx not in facts.known:
            continue
        found = facts.target_status(dx)
        name, scope = facts.name(dx), ""
        if found is None and not facts.full(dx) and not facts.is_cumulative(dx):
            target = facts.targets[(dx, target_year)].value
            now = facts.current(dx)
            direction = facts.direction(dx)
            reached = beats_target(facts, dx, now, target, direction) or _equal_as_printed(facts, dx, now, target)  # fmt: skip
            if n.has_value(now) and direction in ("up", "down"):
                found, scope = ("met" if reached else "missed"), scope_words(facts, dx)
        if found in status:
            status[found].append((name, scope))
    parts = [
        f"{_names_with_scope(status[key])}{words}"
        for key, words in (
            ("met", "达到目标要求"),
            ("behind", "进度滞后"),
            ("missed", "未达到目标要求"),
        )
        if status[key]
    ]
    if not parts:
        return ()
    return (f"对照年度目标，{'，'.join(parts)}。",)


def _names_with_scope(items: list[tuple[str, str]]) -> str:
    """ "签约率、建档率（1—10月）" when all share the months; else each its own."""
    scopes = {scope for _, scope in items}
    if len(scopes) == 1 and "" not in scopes:
        return f"{'、'.join(name for name, _ in items)}（{scopes.pop()}）"
    return "、".join(f"{name}（{scope}）" if scope else name for name, scope in items)


def _equal_as_printed(facts, dx: str, now: Quantity, target: Decimal) -> bool:
    places = facts.decimals(dx)
    return n.has_value(now) and now.value.quantize(Decimal(1).scaleb(-(2 if places is None else places))) == target  # fmt: skip


def problem_topics(summary) -> list[Text]:
    """The headings of the summary's 存在的问题, in its order ("医院感染防控仍有薄弱环节"): each
    paragraph's first clause after its "一是", its figures kept with their sources where the
    clause is a figure ("参加群众472人次，同比下降8.2%")."""
    section = next((s for s in summary.sections if "问题" in s.title), None)
    if section is None:
        return []
    topics = []
    for block in section.blocks:
        if not isinstance(block, Paragraph) or not block.text or not isinstance(block.text[0], str):
            continue
        match = _POINT.match(block.text[0])
        if not match:
            continue
        head: list = []
        for index, span in enumerate(block.text):
            if index == 0:
                span = span[match.end() :]
            if isinstance(span, str) and re.search("[。；]", span):
                head.append(re.split("[。；]", span, maxsplit=1)[0])
                break
            head.append(span)
        if n.plain(tuple(head)).strip():
            topics.append(tuple(head))
    return topics
