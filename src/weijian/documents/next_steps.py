"""存在问题 and 下一步工作打算: the judged problems in order of seriousness; each answered by a
task with a measure, a responsible office and a deadline; the coming period's targets and the
health days still ahead. A plan's 工作目标 (and the rule that no target falls below a result
already reached) are in plan_targets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import resources

import yaml

from weijian import periods
from weijian.orgs.models import OrgUnitType

from . import narrative as n
from . import timeframe
from .context import Context, Problem, cat, target_in_scope
from .health_days import year_health_days
from .ledger_facts import campaign_steps
from .model import Paragraph
from .narrative import Quantity, Text
from .plan_agenda import agenda_tasks
from .plan_measures import TOPIC_MEASURES, focus_of, topic_measure, unfinished_text, with_how
from .plan_review import year_summary
from .plan_targets import beats_target, rate_with_reason, target_goal, volume_goal
from .plan_themes import agenda_theme, days_theme, theme_of, themed_sections
from .ranking import all_problems
from .tasks import URGENT_KINDS, Task, cadence_of, is_dated

# -- measures (their words: plan_measures.yaml) ----------------------------------------------

MEASURES = TOPIC_MEASURES["tasks"]  # plan_measures.yaml, by kind of problem
MERGEABLE = set(TOPIC_MEASURES["mergeable"])  # said once for all their problems
GROUP_MEASURES = TOPIC_MEASURES["group"]  # figures of one office going the same wrong way
GROUP_MIXED = GROUP_MEASURES["mixed"]


# Who answers a problem, per kind of unit: the map is data (offices.yaml, each entry with its
# reason); a template may put its own first (`offices: {HAI_: 院感科}`).
OFFICE_MAP = yaml.safe_load(
    (resources.files("weijian.documents") / "offices.yaml").read_text("utf-8")
)
OFFICES = {
    kind: [(entry["prefix"], entry["office"], entry.get("else")) for entry in entries]
    for kind, entries in OFFICE_MAP["problems"].items()
}
REPORTING_OFFICE = OFFICE_MAP["reporting"]


def _unit_kind(ctx: Context) -> str:
    kind = ctx.owner.type
    if kind == OrgUnitType.BUREAU:
        return "bureau"
    if kind in (OrgUnitType.DEPARTMENT, OrgUnitType.WARD):
        return "department"
    if kind in (OrgUnitType.TOWNSHIP, OrgUnitType.COMMUNITY, OrgUnitType.CDC):
        return "primary"
    return "hospital"


def office_for(ctx: Context, problem: Problem) -> str:
    kind = _unit_kind(ctx)
    if problem.kind == "reporting":
        return REPORTING_OFFICE[kind]
    own = [(prefix, office, None) for prefix, office in (ctx.spec.get("offices") or {}).items()]
    for prefix, office, fallback in [*own, *OFFICES[kind]]:
        if problem.dx.startswith(prefix):
            return _office_it_has(ctx, office, fallback)
    return ""


def _office_it_has(ctx: Context, office: str, fallback: str | None) -> str:
    """`office`, or `fallback` where the unit's sub-units are listed and none bears its name
    (a 乡卫生院 without a 妇女保健科: its 公共卫生科 answers)."""
    if not fallback:
        return office
    names = ctx.cache.get("sub_unit_names")
    if names is None:
        names = ctx.cache["sub_unit_names"] = sub_unit_names(ctx.owner)
    return office if not names or office in names else fallback


def sub_unit_names(owner) -> set[str]:
    """The names (and short names) of the unit's sub-units, one level down."""
    from weijian.orgs.models import OrgUnit

    rows = OrgUnit.objects.filter(path__startswith=owner.path, depth=owner.depth + 1)
    return {name for pair in rows.values_list("name", "short_name") for name in pair if name}


# One-off actions (an investigation of deaths or a surge, a re-inspection of failed checks,
# overdue items put right) are due soon; a task that answers a year's rate or volume can only
# be judged at the year's end, whatever it checks monthly or quarterly on the way.
NEAR_KINDS = {"event", "safety", "surge", "inspection", "overdue"}
# A live safety signal (a death, a cluster or a doubled infection rate, falls rising) cannot
# wait for the quarter: its root-cause review is due by the end of the next month (readers of
# 2026-12-07 17:00: "9月底" for a live cluster is too late; "1月底前完成根因分析").
# (URGENT_KINDS: tasks.py, where an item says its date first for them)


def deadline_for(ctx: Context, problem: Problem) -> str:
    """A live safety signal by the end of the next month; other one-off actions by the end of
    the next quarter (of the plan year's first quarter in a plan); the rest by the end of the
    year whose figures they answer."""
    if not _near(problem):
        return _year_end(ctx)
    if problem.kind in URGENT_KINDS:
        return urgent_deadline(ctx.date or ctx.facts.today, ctx.plan_year)
    if ctx.plan_year is not None:
        return f"{ctx.plan_year}年3月底前"
    end = _quarter_end(ctx.date or ctx.facts.today)
    return f"{end.year}年{end.month}月底前"


def urgent_deadline(day: dt.date, plan_year: int | None = None) -> str:
    """The end of the month after `day` ("2026-12-08" → "2027年1月底前"); in a plan, never
    before the plan year's first month (a plan written in October is not due in November)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    if plan_year is not None and year < plan_year:
        year, month = plan_year, 1
    return f"{year}年{month}月底前"


def _near(problem: Problem) -> bool:
    """A one-off action: not the on-time rate (a year's rhythm). (One or two more events on a
    handful, `Problem.minor`, never reach a task: ranking.all_problems leaves them out.)"""
    return problem.kind in NEAR_KINDS and problem.dx != "INSP_RECT_ONTIME"


def _quarter_end(day: dt.date) -> dt.date:
    quarter = periods.Period.containing(periods.PeriodType.QUARTERLY, day)
    return quarter.end if (quarter.end - day).days >= 45 else quarter.next().end


def tasks_for(ctx: Context) -> list[Task]:
    """One task per problem; figures going the same wrong way said together share one."""
    facts = ctx.facts
    tasks = []
    same_measure: dict[str, tuple[Task, list[str]]] = {}
    answered: list = []
    for problem in all_problems(ctx):  # inspections and their late follow-up: a task each
        answered += (
            problem.members if problem.kind == "inspection" and problem.members else [problem]
        )
    for problem in answered:
        if problem.members and problem.kind == "safety":
            task = _task(ctx, problem, MEASURES["safety"].format(name=problem.name))
            offices = dict.fromkeys(
                o for p in problem.members for o in office_for(ctx, p).split("、")
            )
            task.office = "、".join(o for o in offices if o)
            tasks.append(task)
            continue
        if problem.members:  # figures going the wrong way, a task per office that leads
            groups = by_lead_office(ctx, problem.members)
            tasks += [_group_task(ctx, problem, alike, i > 0) for i, alike in enumerate(groups)]
            continue
        kind = _trend(facts, problem) if problem.kind == "trend" else problem.kind
        if kind == "target":
            kind = _missed(facts, problem)
        if kind == "threshold" and problem.dx == "SVY_STAFF_RATE":
            kind = "staff"
        if kind == "surge":
            tasks.append(_task(ctx, problem, n.fill(MEASURES["surge"], name=problem.name, rise=_rise(ctx, problem)), "surge"))  # fmt: skip
            continue
        if kind == "overdue" and problem.dx == "INSP_RECT_ONTIME":
            tasks.append(_task(ctx, problem, n.fill(MEASURES["ontime"], floor=_on_time_floor())))
            continue
        alike = same_measure.get(kind)
        if alike is not None and kind in MERGEABLE:
            # "针对门诊次均费用、住院次均费用上升的情况…": one measure, never the same words twice
            task, names = alike
            names.append(problem.name)
            task.text = with_how((MEASURES[kind].format(name="、".join(names)),), task.how)
            offices = dict.fromkeys(
                [*task.office.split("、"), *office_for(ctx, problem).split("、")]
            )
            task.office = "、".join(o for o in offices if o)
            continue
        tasks.append(_task(ctx, problem, MEASURES[kind].format(name=problem.name), kind))
        same_measure[kind] = (tasks[-1], [problem.name])
        if kind == "behind":  # the coming target's remainder is said in this task
            ctx.cache.setdefault("behind_tasks", {})[problem.dx] = (tasks[-1], problem.name)
    return tasks


def by_lead_office(ctx: Context, problems: list[Problem]) -> list[list[Problem]]:
    """Problems grouped by the office that leads their answer, in their order: costs per visit
    (医保办) and patient satisfaction (行风办) are two tasks, not one led by whichever came first
    (read 2026-12-07 17:00: 院办 leading 次均费用)."""
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        groups.setdefault(office_for(ctx, problem).split("、")[0], []).append(problem)
    return list(groups.values())


# the measure of a second office's figures going the same way, in other words than the first's
ALT_MEASURES = TOPIC_MEASURES["alternate"]


def _group_task(ctx: Context, problem: Problem, members: list[Problem], again: bool) -> Task:
    """One task for figures of one office going the wrong way: "针对门诊次均费用、住院次均费用
    上升的情况，逐项分析原因…"; a single figure gets its own measure; `again` for the second
    office's (its measure in other words: the checker's plan-duplicate)."""
    trends = {p.name: _trend(ctx.facts, p) for p in members}
    if again and len(set(trends.values())) == 1:
        text = ALT_MEASURES[next(iter(trends.values()))].format(name="、".join(trends))
    elif len(members) == 1:
        text = MEASURES[trends[members[0].name]].format(name=members[0].name)
    elif len(set(trends.values())) == 1:
        text = GROUP_MEASURES[next(iter(trends.values()))].format(name="、".join(trends))
    else:  # what each did, not "同比变差" (read as colloquial, 2026-12-07)
        up = "、".join(name for name, trend in trends.items() if trend == "rising")
        down = "、".join(name for name, trend in trends.items() if trend != "rising")
        text = GROUP_MIXED.format(name=f"{up}上升和{down}下降")
    task = _task(ctx, problem, text, members=members)
    offices = dict.fromkeys(o for p in members for o in office_for(ctx, p).split("、"))
    task.office = "、".join(o for o in offices if o)
    task.dx, task.subject = members[0].dx, "、".join(trends)
    if len(members) == 1:
        task.kind = trends[members[0].name]
    return task


def _task(
    ctx: Context, problem: Problem, text: str | Text, kind: str = "", members: list | None = None
) -> Task:
    text = (text,) if isinstance(text, str) else tuple(text)
    lead, trail = focus_of(problem, kind or problem.kind, members)
    how = ""
    if not lead and not trail:  # no cause known: the topic's own measure, once a document
        # the figures the task answers: an office's share of a group answers its own members
        # only (四级手术 given the infection-control measure of the group's first figure, seen
        # in a 2027 plan on 2026-12-08)
        codes = [m.dx for m in members] if members else [problem.dx, *(m.dx for m in problem.members)]  # fmt: skip
        text, how = topic_measure(ctx, text, codes)
    if lead:  # HOW, from the problem's cause: "以外科为重点，对Ⅰ类切口感染率…"
        if lead.startswith("针对") and text and isinstance(text[0], str) and text[0].startswith("针对"):  # fmt: skip
            text = (text[0][1:], *text[1:])  # "针对…，针对检查中…" → "针对…，对检查中…"
        text = (lead, *text)
    if trail:  # one figure's of several: "…，院内压力性损伤以急诊科为重点。"
        text = (*unfinished_text(text), trail, "。")
    deadline = deadline_for(ctx, problem)
    if not _near(problem):  # a year's work: its rhythm when its words give one
        deadline = cadence_of(text) or deadline
    office = office_for(ctx, problem)
    task = Task(text, office, deadline, problem.dx, kind=kind or problem.kind, subject=problem.name)
    task.how = how
    return task


def _rise(ctx: Context, problem: Problem) -> Text:
    """How far a rate that should fall rose, said truly: 成倍上升 only for a doubling short of
    three times; "上升至上年同期的3倍以上" beyond (the multiple floored, never overstated)."""
    ratio = 1 + problem.size / 100  # size: the relative change in % (1.56 % on 0.46 % → 239)
    times = int(ratio)
    if times < 3:
        return ("成倍上升",)
    when = "上年" if ctx.plan_year is None and _full_year(ctx) else "上年同期"
    source = {"source": "计算", "query": f"{problem.dx} 本期÷{when}（{ratio:.2f}），取整"}
    multiple = n.Figure(f"{times}倍", Decimal(times), source)
    return (f"上升至{when}的", multiple, "以上的情况")


def _full_year(ctx: Context) -> bool:
    period = ctx.facts.period
    return period.type is periods.PeriodType.YEARLY and not timeframe.is_range(period)


def _on_time_floor():
    from .inspection_work import ON_TIME_FLOOR

    rule = {"source": "督导检查规则", "query": "按期整改率要求"}
    return n.fmt(Quantity(ON_TIME_FLOOR, "%", rule, is_rate=True))


def _missed(facts, problem: Problem) -> str:
    if problem.dx in facts.known and facts.target_status(problem.dx) == "behind":
        return "behind"
    direction = problem.direction or (
        facts.direction(problem.dx) if problem.dx in facts.known else None
    )
    return "over" if direction == "down" else "under"


def _trend(facts, problem: Problem) -> str:
    direction = problem.direction or facts.direction(problem.dx)
    return "rising" if direction == "down" else "declining"


def next_steps_section(ctx: Context, spec: dict) -> list:
    if ctx.plan_year is not None:
        tasks = plan_tasks(ctx)
    else:
        tasks = tasks_for(ctx)
        tasks += _target_tasks(ctx, tasks)
    kind = _unit_kind(ctx)
    placed = [(theme_of(task), task) for task in tasks]
    if ctx.plan_year is not None:  # what this year's records show started, continued
        default = OFFICES[kind][-1][1]
        placed += [(agenda_theme(), t) for t in agenda_tasks(ctx, kind, default)]
    codes = [t.dx for t in tasks] + [t["dx"] for t in ctx.cache.get("plan_targets") or []]
    days = [
        Task(_text(step), CAMPAIGN_OFFICE[kind], cadence_of(_text(step)) or "各主题日")
        for step in coming_campaigns(ctx, codes)
    ]
    placed += [(days_theme(kind), t) for t in days]
    placed += [(theme_of(t), t) for t in _standing_tasks(ctx, spec)]
    tasks = [task for _, task in placed]
    if kind == "department":  # a unit's office leads; a department's person answers
        for task in tasks:
            task.holder = "责任人"
    ctx.cache["tasks"] = tasks
    if not tasks:
        return []
    blocks: list = []
    if spec.get("lead"):
        blocks.append(Paragraph((ctx.words_in(spec["lead"]),)))
    if ctx.plan_year is not None:  # a plan's parts by theme, 一是…二是… (read 2026-12-08)
        return blocks + themed_sections(placed)
    # each item says who leads it, inside its own sentence (read 2026-12-07 20:00: a closing
    # "以上第1、9、11项由医院感染管理科牵头落实" reads as an afterthought of a program)
    for index, task in enumerate(tasks, start=1):
        blocks.append(Paragraph(cat([f"{index}．", *task.line()]), review=task.review))
    return blocks


def _target_tasks(ctx: Context, tasks: list[Task]) -> list[Task]:
    """A summary's coming targets that no problem's task answers, each a task of the year."""
    answered = {t.dx for t in tasks if t.dx}
    behind = ctx.cache.get("behind_tasks") or {}
    found = []
    for dx, text in coming_targets(ctx, answered - set(behind)):
        if dx in behind:  # "逐月分析…；全年门急诊目标为…，下半年还需完成…"
            task, name = behind[dx]
            task.text = cat(
                [f"逐月分析{name}完成进度，查找差距和原因，细化落实措施；", *text, "。"]
            )
        elif dx not in answered:  # a target a problem's task answers is not restated
            offices = (office_for(ctx, Problem("target", code, "", ())) for code in dx.split("+"))
            office = "、".join(dict.fromkeys(o for each in offices for o in each.split("、") if o))
            found.append(Task(text, office, cadence_of(text) or "全年", dx.split("+")[0]))
    return found


# -- a plan's tasks: this year's summary's problems, answered in the plan year ---------------


def plan_tasks(ctx: Context) -> list[Task]:
    """A task for every problem the summary of the same unit and year ranks (the plan weighs
    what the summary found, not a shorter list of its own: read 2026-12-07, a township's plan
    answered one of its three), dated in the plan year; then the 工作目标 no task answers."""
    tasks = _summary_tasks(ctx)
    if tasks is None:  # no summary of the year to draw on: the plan's own judgements
        tasks = tasks_for(ctx)
    for task in tasks:
        if task.kind == "behind":  # the summary's "…还需完成…" is this year's remainder
            task.text = with_how((MEASURES["behind"].format(name=task.subject),), task.how)
        if task.kind in URGENT_KINDS and is_dated(task.deadline):
            task.deadline = urgent_deadline(ctx.date or ctx.facts.today, ctx.plan_year)
        elif task.kind in NEAR_KINDS and is_dated(task.deadline):
            task.deadline = f"{ctx.plan_year}年3月底前"
        elif is_dated(task.deadline):
            task.deadline = cadence_of(task.text) or f"{ctx.plan_year}年底前"
    return tasks + _plan_target_tasks(ctx, tasks)


def _summary_tasks(ctx: Context) -> list[Task] | None:
    """The problem tasks of the unit's default summary of the year before the plan's (as far
    as its months go), None when it cannot be composed (the same summary the plan's review
    draws on: plan_review.year_summary)."""
    summary = year_summary(ctx)
    if summary is None:
        return None
    return [t for t in summary.tasks if t.kind]


# the plan's 工作目标 no task names, an office's each; a second or third office's in other words
TARGET_MEASURES = tuple(TOPIC_MEASURES["targets"])


def _plan_target_tasks(ctx: Context, tasks: list[Task]) -> list[Task]:
    """The plan's 工作目标 that no task names, a task per office that leads them (a target
    with no measure is a wish: read 2026-12-07, two of a township's three targets had none;
    抗菌药物 is the pharmacy's, not the infection-control office's, read 17:00)."""
    said = "".join(n.plain(t.text) for t in tasks)
    answered = {t.dx for t in tasks}  # a problem's own target (plan_targets): its task answers it
    left = []
    for target in ctx.cache.get("plan_targets") or []:
        name = ctx.facts.name(target["dx"])
        if name in said or name.removesuffix("人次") in said or target["dx"] in answered:
            continue
        left.append(Problem("target", target["dx"], name, ()))
    found = []
    for index, alike in enumerate(by_lead_office(ctx, left)):
        names = "、".join(p.name for p in alike)
        offices = [o for p in alike for o in office_for(ctx, p).split("、")]
        office = "、".join(dict.fromkeys(o for o in offices if o))
        text = TARGET_MEASURES[index % len(TARGET_MEASURES)].format(names=names)
        found.append(Task((text,), office, "每季度", alike[0].dx, kind="target", subject=names))
    return found


def _standing_tasks(ctx: Context, spec: dict) -> list[Task]:
    """The template's own tasks (`extra`, by kind of unit): each a plan item like any other,
    with who answers it (its `office`, else the unit's general office) and its rhythm (all year
    when its words give none); a slogan with neither is not a task and has no place in a
    template (blind read 2026-12-07)."""
    extras = spec.get("extra") or []
    if isinstance(extras, dict):  # standing tasks by kind of unit (hospital, primary, bureau …)
        extras = extras.get(_unit_kind(ctx)) or []
    default = OFFICES[_unit_kind(ctx)][-1][1]
    tasks = []
    for extra in extras:
        text, office = (extra.get("text", ""), extra.get("office")) if isinstance(extra, dict) else (extra, None)  # fmt: skip
        words = (ctx.words_in(text),)
        tasks.append(Task(words, office or default, cadence_of(words) or "全年", review=True))
    return tasks


# who leads the health days of the coming period
CAMPAIGN_OFFICE = OFFICE_MAP["campaigns"]


def _year_end(ctx: Context) -> str:
    """The deadline of a standing task: the end of the year the next steps fall in."""
    if ctx.plan_year is not None:
        return f"{ctx.plan_year}年底前"
    period = ctx.facts.period
    partial = period.type is not periods.PeriodType.YEARLY and period.end.month < 12
    return f"{period.end.year if partial else period.end.year + 1}年底前"


def _text(step: str | tuple) -> tuple:
    return step if isinstance(step, tuple) else (step,)


def coming_campaigns(ctx: Context, codes: list[str] | tuple = ()) -> list:
    """The ledger calendar's health days and the unit's duties still ahead of the document's
    date: the rest of the year after a half-year or quarter, the next (or planned) year after
    a year."""
    period = ctx.facts.period
    date = ctx.date or ctx.facts.today
    if ctx.plan_year is None and period.type is not periods.PeriodType.YEARLY:
        if period.end.month == 12 or timeframe.is_range(period):
            return []
        months, when = list(range(period.end.month + 1, 13)), timeframe.next_span(period)
        if date.year == period.end.year:
            months = [m for m in months if m > date.month or (m == date.month and date.day <= 5)]
        if when not in ("下半年", "下季度"):
            when = ""
    else:
        months, when = list(range(1, 13)), ""
    if not months:
        return []
    topic = ctx.spec.get("topic") if isinstance(ctx.spec.get("topic"), dict) else {}
    if months == list(range(1, 13)) and not topic:  # a whole coming year: its days by quarter
        year = year_health_days(ctx.owner.type, codes)
        if year:
            return [year]
    # Standing duties (消防演练, 院务会, 每月宣传栏更新) are no next step by themselves: readers
    # of 2026-12-07 (17:00) called "坚持每季度消防演练、每月院务会等常规工作" filler; a duty a
    # problem calls for is answered by that problem's task.
    return campaign_steps(
        ctx.owner, months, when, topic=topic.get("keywords"), types=topic.get("types"),
        duties=False,
    )  # fmt: skip


def coming_targets(ctx: Context, answered: frozenset | set = frozenset()) -> list[tuple[str, Text]]:
    """The next period's targets: for a half-year or quarter, what remains of this year's;
    after a year (or in a plan), next year's. Those already beaten are said together (their
    key the codes joined by "+")."""
    facts = ctx.facts
    if ctx.plan_year is not None:
        return []  # the plan states its targets in 工作目标
    items: list = []
    held: list[str] = []
    this_year = facts.period.end.year
    partial = facts.period.type is not periods.PeriodType.YEARLY and facts.period.end.month < 12
    year = this_year if partial else this_year + 1
    for (dx, target_year), target in sorted(facts.targets.items()):
        if target_year != str(year) or not target_in_scope(ctx, dx) or not facts.full(dx):
            continue
        goal = target_goal(facts, dx, target)
        name = facts.name(dx)
        direction = facts.direction(dx)
        done = facts.value(dx)
        if partial and facts.is_cumulative(dx):
            if done is None or done >= target.value:
                continue
            left = Quantity(
                target.value - done, facts.unit_of(dx),
                {"source": "目标", "query": f"Target {dx} {target_year} − {facts.period.id} 实际"},
            )  # fmt: skip
            items.append(
                (dx, n.fill(
                    "全年{name}目标为{goal}，{next}还需完成{left}，确保完成全年任务",
                    name=name,
                    goal=n.fmt(goal),
                    next=_rest_of_year(facts.period),
                    left=n.fmt(left),
                ))
            )  # fmt: skip
            continue
        when = "全年" if partial else f"{year}年"
        if facts.is_cumulative(dx):  # a year's volume, from this year's: "比2025年增长5%"
            items.append((dx, cat([when, *volume_goal(facts, dx, goal, facts.current(dx))])))
            continue
        if dx in answered:  # a problem's task already answers it
            continue
        if beats_target(facts, dx, facts.current(dx), target.value, direction):
            held.append(dx)  # said together below, from the result reached
            continue
        # already there: keep it (保持); not yet: reach it (力争达到)
        met = done is not None and (
            done <= target.value if direction == "down" else done >= target.value
        )
        if direction == "down":
            phrase = "{when}{name}继续控制在{goal}以内" if met else "{when}{name}控制在{goal}以内"
        else:
            phrase = "{when}{name}保持在{goal}以上" if met else "{when}{name}力争达到{goal}"
        items.append((dx, n.fill(phrase, when=when, name=name, goal=n.fmt(goal))))
    # said together per office that leads them (抗菌药物 the pharmacy's, not 院感科's)
    stubs = [Problem("target", dx, dx, ()) for dx in held]
    for index, alike in enumerate(by_lead_office(ctx, stubs)):
        codes = [p.dx for p in alike]
        items.insert(index, ("+".join(codes), _held_targets(facts, codes, year, partial)))
    return items[:6]


def _rest_of_year(period: periods.Period) -> str:
    """What is left of the year after a part of it: 下半年 after 上半年, "12月" after 1—11月
    (a year written before its end: never "2027年还需完成…" for this year's remainder)."""
    if timeframe.is_range(period) and period.end.month < 12:
        after = period.end.month + 1
        return f"{after}月" if after == 12 else f"{after}—12月"
    return timeframe.next_span(period)


def _held_targets(facts, codes: list[str], year: int, partial: bool) -> Text:
    """The coming targets this period's result already beats. The rest of this year after a
    part of it: the level reached held ("全年手卫生依从率不低于上半年水平（85.72%，已超过全年目标
    85%）"), never a round figure just above it (readers of 2026-12-07 17:00: "this year's result rounded
    up, no reason"); next year after a year: the plan's aim with its basis (plan_targets)."""
    when, whose = ("全年", "全年目标") if partial else (f"{year}年", f"{year}年原定目标")
    clauses = []
    basis = timeframe.label(facts.period)
    for dx in codes:
        now = facts.current(dx)
        target = facts.target(dx, year)
        if not partial and target is not None:
            clauses.append(rate_with_reason(facts, dx, target, now, basis))
            continue
        down = facts.direction(dx) == "down"
        # the level reached is the aim, said as a level with its figure in the bracket: a
        # director writes "不低于上半年水平（85.72%…）", never "保持在85.72%以上" (blind read
        # 2026-12-07 23:40: "no person sets a target to two decimals of this half's figure")
        verb = "不高于" if down else "不低于"
        clause = n.fill("{name}{verb}{basis}水平（{now}", name=facts.name(dx), verb=verb, basis=basis, now=n.fmt(now))  # fmt: skip
        beat = "优于" if down else "超过"
        said = [f"，已{beat}{whose}", n.fmt(target_goal(facts, dx, target))] if target else []
        clauses.append(cat([*clause, *said, "）"]))
    return cat([when, *n.join(clauses, sep="、")])
