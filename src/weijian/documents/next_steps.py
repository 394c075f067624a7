"""存在问题 and 下一步工作打算: the judged problems in order, a measure answering each, the
coming period's targets and campaigns; and a plan's 工作目标."""

from __future__ import annotations

from weijian import periods

from . import narrative as n
from . import timeframe
from .context import Context, cat, target_in_scope
from .judgements import all_problems
from .ledger_facts import campaign_steps
from .model import Paragraph, Table
from .narrative import Quantity, Text
from .tables import cell_text


def problems_section(ctx: Context, spec: dict) -> list:
    problems = all_problems(ctx)
    lead = ctx.words_in(spec.get("lead", ""))
    if not problems:
        fallback = spec.get("none")
        return [Paragraph((ctx.words_in(fallback),), review=True)] if fallback else []
    points = [p.text for p in problems]
    blocks: list = []
    if lead:
        blocks.append(Paragraph((lead,)))
    blocks.append(Paragraph(n.enumerate_points(points)))
    return blocks


MEASURES = {
    "unmet_target": [
        "围绕{name}目标，认真分析差距和原因，细化落实措施，确保完成年度目标任务。",
        "对照{name}目标查找差距，层层分解任务，加强过程督导，确保目标如期实现。",
    ],
    "declining": [
        "针对{name}同比下降的情况，深入查找原因，采取针对性措施，力争扭转下滑势头。",
        "加强对{name}的分析研判，挖掘服务潜力，推动该项工作恢复增长。",
    ],
    "rising": [
        "针对{name}同比上升的情况，深入分析原因，加强监测预警和干预，力争扭转上升势头。",
        "把降低{name}作为质量改进的重点，开展专项分析，落实持续改进措施。",
        "加强{name}的日常监测，查找薄弱环节，推动该指标回落到合理水平。",
    ],
    "overdue_rectification": [
        "建立问题整改台账，实行销号管理，对逾期未整改的问题明确责任人和时限，限期整改到位。",
    ],
    "low_satisfaction": [
        "以改善就医体验为重点，查找{name}偏低的原因，优化服务流程，切实提高群众满意度。",
        "针对{name}偏低的问题，深入开展患者满意度分析，逐项整改群众反映集中的问题，持续改善就医感受。",
    ],
    # staff satisfaction is answered for the staff, not the patients
    "low_staff_satisfaction": [
        "关心关爱职工，畅通职工意见反映渠道，认真分析{name}偏低的原因，切实增强职工的获得感和归属感。",
    ],
    "late_reporting": [
        "加强统计报表管理，落实专人负责，严格审核把关，确保各类报表按时、准确上报。",
    ],
}


GROUP_MEASURES = {
    "rising": "针对{name}同比上升的情况，逐项分析原因，加强监测预警和干预，推动各项指标回落到合理水平。",
    "declining": "针对{name}同比下降的情况，深入查找原因，采取针对性措施，力争扭转下滑势头。",
}


def next_steps_section(ctx: Context, spec: dict) -> list:
    facts = ctx.facts
    items: list[Text] = []
    used: dict[str, int] = {}
    problems = all_problems(ctx)
    trends = {"rising": [], "declining": []}
    for problem in problems:
        if problem.kind == "declining":
            trends["rising" if facts.direction(problem.dx) == "down" else "declining"].append(
                problem
            )
    grouped = {id(p) for group in trends.values() if len(group) >= 3 for p in group}
    for problem in problems:
        kind = problem.kind
        if id(problem) in grouped:
            # three or more indicators going the wrong way: one measure names them all
            trend = "rising" if facts.direction(problem.dx) == "down" else "declining"
            group = trends[trend]
            if problem is group[0]:
                names = "、".join(p.name for p in group)
                items.append((GROUP_MEASURES[trend].format(name=names),))
            continue
        if kind == "declining" and facts.direction(problem.dx) == "down":
            kind = "rising"
        if kind == "low_satisfaction" and problem.dx == "SVY_STAFF_RATE":
            kind = "low_staff_satisfaction"
        # problems of one kind take the variants in turn: three rising rates are not answered
        # three times with the same sentence
        variants = MEASURES[kind]
        first = variants.index(n.choose(variants, f"{kind}|{facts.period.id}"))
        measure = variants[(first + used.get(kind, 0)) % len(variants)]
        used[kind] = used.get(kind, 0) + 1
        items.append((measure.format(name=problem.name),))
    items.extend(coming_targets(ctx))
    items.extend((step,) for step in coming_campaigns(ctx))
    for extra in spec.get("extra") or []:
        items.append((ctx.words_in(extra),))
    if not items:
        return []
    blocks: list = []
    if spec.get("lead"):
        blocks.append(Paragraph((ctx.words_in(spec["lead"]),)))
    extra_from = len(items) - len(spec.get("extra") or [])
    for index, item in enumerate(items, start=1):
        blocks.append(Paragraph(cat([f"{index}．", *item]), review=index > extra_from))
    return blocks


def coming_campaigns(ctx: Context) -> list[str]:
    """The ledger calendar's health days and the unit's duties in the coming period: the rest
    of the year after a half-year or quarter, the next (or planned) year after a year."""
    period = ctx.facts.period
    if ctx.plan_year is None and period.type is not periods.PeriodType.YEARLY:
        if period.end.month == 12 or timeframe.is_range(period):
            return []
        months, when = list(range(period.end.month + 1, 13)), timeframe.next_span(period)
        if when not in ("下半年", "下季度"):
            when = ""
    else:
        months, when = list(range(1, 13)), ""
    return campaign_steps(ctx.facts.unit, months, when)


def coming_targets(ctx: Context) -> list[Text]:
    """The next period's targets: for a half-year or quarter, what remains of this year's;
    after a year (or in a plan), next year's."""
    facts = ctx.facts
    if ctx.plan_year is not None:
        return []  # the plan states its targets in 工作目标
    items = []
    this_year = facts.period.end.year
    partial = facts.period.type is not periods.PeriodType.YEARLY and facts.period.end.month < 12
    year = this_year if partial else this_year + 1
    for (dx, target_year), target in sorted(facts.targets.items()):
        if target_year != str(year) or not target_in_scope(ctx, dx):
            continue
        goal = Quantity(
            target.value, facts.unit_of(dx),
            {"source": "目标", "query": f"Target {dx} · {facts.unit.code} · {target_year}"},
            is_rate=facts.is_rate(dx), decimals=facts.decimals(dx),
        )  # fmt: skip
        name = facts.name(dx)
        direction = facts.direction(dx)
        if partial and facts.is_cumulative(dx):
            done = facts.value(dx)
            if done is None or done >= target.value:
                continue
            left = Quantity(
                target.value - done, facts.unit_of(dx),
                {"source": "目标", "query": f"Target {dx} {target_year} − {facts.period.id} 实际"},
            )  # fmt: skip
            items.append(
                n.fill(
                    "全年{name}目标为{goal}，{next}还需完成{left}，确保完成全年任务。",
                    name=name,
                    goal=n.fmt(goal),
                    next=timeframe.next_span(facts.period),
                    left=n.fmt(left),
                )  # fmt: skip
            )
        else:
            # already there: keep it (保持); not yet: reach it (力争达到)
            done = facts.value(dx)
            met = done is not None and (
                done <= target.value if direction == "down" else done >= target.value
            )
            when = "全年" if partial else f"{year}年"
            if direction == "down":
                phrase = (
                    "{when}{name}继续控制在{goal}以内。"
                    if met
                    else "{when}{name}控制在{goal}以内。"
                )
            else:
                phrase = "{when}{name}保持在{goal}以上。" if met else "{when}{name}力争达到{goal}。"
            items.append(n.fill(phrase, when=when, name=name, goal=n.fmt(goal)))  # fmt: skip
    return items[:6]


# plan_targets: next year's targets, with this year's figure beside them


def plan_targets_section(ctx: Context, spec: dict) -> list:
    facts = ctx.facts
    year = str(ctx.plan_year or facts.period.end.year + 1)
    targets = {dx: t for (dx, y), t in facts.targets.items() if y == year}
    borrowed = False
    if not targets:  # no targets set yet for the plan year: start from this year's, to review
        targets = {dx: t for (dx, y), t in facts.targets.items() if y == str(facts.period.end.year)}
        borrowed = True
    if not targets:
        return [
            Paragraph(
                (
                    f"（{year}年指标目标尚未设定，请在系统中设定目标后重新生成，或在此填写工作目标。）",
                ),
                review=True,
            )
        ]
    basis = timeframe.label(facts.period)  # 2026年1—10月 while the year is not over
    clauses, rows = [], []
    for dx, target in sorted(targets.items()):
        name = facts.name(dx)
        goal = Quantity(
            target.value, facts.unit_of(dx),
            {"source": "目标", "query": f"Target {dx} · {facts.unit.code} · {target.period}"},
            is_rate=facts.is_rate(dx), decimals=facts.decimals(dx),
        )  # fmt: skip
        now = facts.quantity(dx)
        verb = "控制在" if facts.direction(dx) == "down" else "达到"
        tail = "以内" if facts.direction(dx) == "down" else ""
        clause = n.fill("{name}{verb}{goal}{tail}", name=name, verb=verb, goal=n.fmt(goal), tail=tail)  # fmt: skip
        if n.has_value(now):
            clause = cat([*clause, f"（{basis}为", n.fmt(now), "）"])
        clauses.append(clause)
        rows.append([(name,), cell_text(now), (n.fmt(goal),)])
    lead = ctx.words_in(spec.get("lead", ""))
    blocks: list = [Paragraph(cat([lead, *n.enumerate_points(clauses)]))]
    if borrowed:
        blocks.append(
            Paragraph(
                (f"（以上目标暂按{facts.period.end.year}年目标列出，{year}年目标请核定后修改。）",),
                review=True,
            )  # fmt: skip
        )
    blocks.append(
        Table(
            title=f"{year}年主要工作目标",
            header=["指标", f"{basis}实际", f"{year}年目标"],
            rows=rows,
        )  # fmt: skip
    )
    return blocks
