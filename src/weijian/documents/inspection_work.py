"""Inspections in a summary, told the way they happened: those the unit carried out (its
offices inspecting its departments, or the bureau inspecting its institutions) with findings,
notices and on-time rectification (按期整改率 = 按期完成 ÷ 已到期, with 已到期 said when it differs
from 下发), and — separately — those it received from outside, with their scores against the
checklist's pass mark. A unit that was only inspected is never said to have "开展督导检查".

`topic: [院感]` keeps only the checklists of those categories (a special summary counts only
its own topic's inspections). Figures count submitted inspections by date and notices by their
deadline, as the published INSP_ figures do; each carries a query naming what it counts.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from weijian import periods

from . import narrative as n
from .context import Context, Problem, cat
from .explanations import repeated_findings_why
from .model import Paragraph
from .narrative import Quantity
from .work_done import count_figure

SOURCE = "督导检查"


def inspections_section(ctx: Context, spec: dict) -> list:
    from weijian.inspections.models import Inspection, InspectionStatus

    facts = ctx.facts
    unit, period = ctx.owner, facts.period
    base = Inspection.objects.filter(
        status=InspectionStatus.SUBMITTED, date__range=(period.start, period.end)
    ).select_related("version__template", "issuer_unit", "org_unit")
    if spec.get("topic"):
        base = base.filter(version__template__category__in=spec["topic"])
    inside = Q(issuer_unit__path__startswith=unit.path)
    done = list(base.filter(issuer_unit=unit, org_unit__path__startswith=unit.path))
    below = list(
        base.filter(inside, org_unit__path__startswith=unit.path).exclude(issuer_unit=unit)
    )
    received = list(base.filter(org_unit__path__startswith=unit.path).exclude(inside))
    blocks = []
    carried = _carried_out(ctx, spec, done)
    if carried:
        blocks.append(Paragraph(carried))
    own = _by_units_below(ctx, spec, below)
    if own:
        blocks.append(Paragraph(own))
    got = _received(ctx, received, after=bool(blocks))
    if got:
        blocks.append(Paragraph(got))
    return blocks


def _query(ctx: Context, what: str, spec: dict) -> str:
    facts = ctx.facts
    topic = f" 类别={'/'.join(spec['topic'])}" if spec.get("topic") else ""
    return f"检查记录 {what} {ctx.owner.code} {facts.period.start}~{facts.period.end}{topic}"


def _carried_out(ctx: Context, spec: dict, done: list):
    from weijian.inspections.models import NoticeStatus, RectificationNotice

    if not done:
        return ()
    facts = ctx.facts
    query = _query(ctx, "本单位组织", spec)
    templates = list(dict.fromkeys(i.version.template.name for i in done))
    names = "".join(f"《{t}》" for t in templates[:3])
    targets = "各单位" if ctx.owner.type == "BUREAU" else "各科室"
    scores = [i.score for i in done if i.score is not None]
    findings = sum(i.findings for i in done)
    parts: list = [
        f"{ctx.words['span']}，对照{names}，对{targets}开展督导检查",
        count_figure(len(done), "次", SOURCE, query),
    ]
    del scores
    parts += _scores(done, query)
    failed = [i for i in done if _below_pass(i)]
    if failed:  # with the inspections it is about, before the rectification that followed
        parts += ["，其中", count_figure(len(failed), "次", SOURCE, f"{query} 低于合格线"), "检查得分低于考评表合格线"]  # fmt: skip
        parts += _pass_marks(failed, query)
    if findings:
        parts += ["，发现问题", count_figure(findings, "个", SOURCE, f"{query} 发现问题数")]
    notices = RectificationNotice.objects.filter(inspection__in=done)
    issued = notices.count()
    if issued:
        parts += ["，下发整改通知书", count_figure(issued, "份", SOURCE, f"{query} 整改通知书")]
    period = facts.period
    # The same issuer as the notices just counted: a bureau's rate is on its own notices, not
    # on those its hospital's offices gave their departments.
    due = RectificationNotice.objects.filter(
        inspection__issuer_unit=ctx.owner,
        org_unit__path__startswith=ctx.owner.path,
        deadline__range=(period.start, min(period.end, facts.today)),
    )
    if spec.get("topic"):
        due = due.filter(inspection__version__template__category__in=spec["topic"])
    due_count = due.count()
    on_time = sum(1 for notice in due if notice.on_time)
    closed = due.filter(status=NoticeStatus.CLOSED).count()
    if due_count:
        due_query = f"{query} 整改期限在本期内的整改通知书"
        parts += ["；", *_due_words(ctx, due, due_count, issued, due_query)]
        parts += [
            "中，按期完成整改",
            count_figure(on_time, "份", SOURCE, f"{due_query} 中按期销号的"),
        ]
        rate = Decimal(on_time) * 100 / Decimal(due_count)
        rate_source = {"source": SOURCE, "query": f"{due_query}：按期完成 ÷ 已到期"}
        parts += ["，按期整改率", n.fmt(Quantity(rate, "%", rate_source, is_rate=True, decimals=1))]
        if due_count >= ON_TIME_SAMPLE and rate < ON_TIME_FLOOR:
            _late_rectification(ctx, due_count, on_time, rate, rate_source, due_query)
        if closed > on_time:
            parts += ["，逾期后整改销号", count_figure(closed - on_time, "份", SOURCE, f"{due_query} 中逾期后销号的")]  # fmt: skip
    if failed:
        # the cause where the scores show one (the same item failed again); none where they
        # do not (a stock "部分科室制度落实不到位" is a cause the data never showed)
        why = repeated_findings_why(failed, f"{query} 低于合格线")
        ctx.problems.append(
            Problem(
                "inspection",
                "INSP_BELOW_PASS",
                "督导检查得分低于合格线",
                cat(
                    [
                        f"{ctx.words['span']}督导检查中有",
                        count_figure(len(failed), "次", SOURCE, f"{query} 低于合格线"),
                        "得分低于考评表合格线",
                        *why.text,
                    ]
                ),  # fmt: skip
                Decimal(len(failed)) * 100 / Decimal(len(done)),
                cause=why.cause,
            )
        )
    return cat([*parts, "。"])


def _by_units_below(ctx: Context, spec: dict, below: list):
    """Inspections the units below carried out themselves (a hospital's offices in its own
    departments, seen from the bureau)."""
    if not below:
        return ()
    query = _query(ctx, "下级单位自查", spec)
    issuers = list(dict.fromkeys(i.issuer_unit.short_name or i.issuer_unit.name for i in below))
    findings = sum(i.findings for i in below)
    parts: list = [
        f"{'、'.join(issuers[:3])}{'等单位' if len(issuers) > 1 else ''}开展院内质量检查",
        count_figure(len(below), "次", SOURCE, query),
    ]
    if findings:
        parts += ["，发现问题", count_figure(findings, "个", SOURCE, f"{query} 发现问题数")]
    return cat([*parts, "。"])


def _received(ctx: Context, received: list, *, after: bool):
    if not received:
        return ()
    query = _query(ctx, "上级检查", {})
    lead = "同时，" if after else ctx.words["span"] + "，"
    count = count_figure(len(received), "次", SOURCE, query)
    parts: list = [lead, *_who_inspected(ctx, received, count)]
    parts += _scores(received, query)
    failed = [i for i in received if _below_pass(i)]
    if failed:  # with the inspections, before what was found and put right
        parts += ["，其中", count_figure(len(failed), "次", SOURCE, f"{query} 低于合格线"), "得分低于合格线"]  # fmt: skip
    findings = sum(i.findings for i in received)
    if findings:
        parts += ["，检查发现问题", count_figure(findings, "个", SOURCE, f"{query} 发现问题数")]
    if failed:
        ctx.problems.append(
            Problem(
                "inspection",
                "INSP_RECEIVED_BELOW_PASS",
                "上级检查得分低于合格线",
                cat(
                    [
                        "在上级检查中有",
                        count_figure(len(failed), "次", SOURCE, f"{query} 低于合格线"),
                        "得分低于合格线",
                    ]
                ),  # fmt: skip
                Decimal(len(failed)) * 100 / Decimal(len(received)) + 100,
            )
        )
    elif findings:
        parts.append("，已按要求逐项整改")
    return cat([*parts, "。"])


# a checklist's name without its form word: 《消防与治安安全检查表》 → 消防与治安安全 (the subject)
FORM_WORDS = re.compile(r"(工作)?(质量)?(检查表|考核表|评分表|督查表)(（.*）)?$")


def _who_inspected(ctx: Context, received: list, count) -> list:
    """Who inspected the unit, said as an office writes it: a form does not inspect. A
    department's inspections come from the hospital's offices (the checklist's 常用检查科室):
    "护理部、质控院感科等职能科室对我科开展质量检查12次（依据《…》《…》）"; an institution's
    from the bureau, by subject: "接受区卫生健康局消防与治安安全和健康促进与控烟专项检查8次"."""
    we = ctx.words["we"]
    templates = list(dict.fromkeys(i.version.template for i in received))
    if ctx.owner.type in ("DEPARTMENT", "WARD"):
        offices = list(dict.fromkeys(t.issuer for t in templates if t.issuer))
        if not offices:
            offices = list(dict.fromkeys(_unit_name(i.issuer_unit) for i in received))
        shown = "、".join(offices[:3])
        more = "等职能科室" if len(offices) > 1 else ""
        forms = "".join(f"《{t.name}》" for t in templates[:3])
        extra = "等" if len(templates) > 3 else ""
        return [f"{shown}{more}对{we}开展质量检查", count, f"（依据{forms}{extra}）"]
    issuers = "、".join(dict.fromkeys(_unit_name(i.issuer_unit) for i in received))
    subjects = list(dict.fromkeys(FORM_WORDS.sub("", t.name) or t.name for t in templates))
    if len(subjects) > 3:
        named = f"{'、'.join(subjects[:3])}等"
    elif len(subjects) > 1:
        named = f"{'、'.join(subjects[:-1])}和{subjects[-1]}"
    else:
        named = subjects[0]
    return [f"{we}接受{issuers}{named}专项检查", count]


def _unit_name(unit) -> str:
    return unit.name


def _scores(inspections: list, query: str) -> list:
    """The average score per checklist: scores of different forms are not averaged together
    (a nursing form's 95 and a fire-safety form's 88 mean different things). One form: "，平均
    得分95.6分"; two or three: "，平均得分：《A》95.2分、《B》88.0分"; more: left out."""
    by_form: dict[str, list] = {}
    for inspection in inspections:
        if inspection.score is not None:
            by_form.setdefault(inspection.version.template.name, []).append(inspection.score)
    if not by_form or len(by_form) > 3:
        return []

    def average(name: str, scores: list):
        value = sum(scores) / len(scores)
        source = {"source": SOURCE, "query": f"{query} 《{name}》平均得分"}
        return n.fmt(Quantity(value, "分", source, decimals=1))

    if len(by_form) == 1:
        ((name, scores),) = by_form.items()
        return ["，平均得分", average(name, scores)]
    out: list = ["，平均得分："]
    for index, (name, scores) in enumerate(by_form.items()):
        out += ["、" if index else "", f"《{name}》", average(name, scores)]
    return out


def _due_words(ctx: Context, due, due_count: int, issued: int, due_query: str) -> list:
    """The notices that fell due, said so that they never read as more than were issued:
    notices issued before the period and due in it are named ("下发整改通知书158份；年内到期的160份
    （含上年下发的5份）"); "整改期限已到的73份" when fewer fell due than were issued; the bare count
    when they are the same notices."""
    period = ctx.facts.period
    # the notices are already loaded (the on-time count iterated them): no query here
    earlier = [
        timezone.localtime(notice.issued_at).date()
        for notice in due
        if timezone.localtime(notice.issued_at).date() < period.start
    ]
    carried = len(earlier)
    count = count_figure(due_count, "份", SOURCE, due_query)
    if not carried:
        return ["整改期限已到的" if due_count != issued else "", count]
    span = "年内" if period.type is periods.PeriodType.YEARLY else ctx.words["span"]
    when = "上年" if max(earlier).year < period.start.year else "此前"
    carried_figure = count_figure(carried, "份", SOURCE, f"{due_query} 中本期以前下发的")
    noun = "" if issued else "整改通知书"  # named just before when some were issued
    return [f"{span}到期的{noun}", count, f"（含{when}下发的", carried_figure, "）"]


# 按期整改率 below this (%) on at least ON_TIME_SAMPLE notices due is a problem of its own
ON_TIME_FLOOR = Decimal(90)
ON_TIME_SAMPLE = 10


def _late_rectification(ctx: Context, due: int, on_time: int, rate, rate_source, query) -> None:
    words = ctx.words["span"]
    text = cat(
        [
            f"督导检查发现问题整改不够及时，{words}整改期限已到的",
            count_figure(due, "份", SOURCE, query), "整改通知书中按期完成",
            count_figure(on_time, "份", SOURCE, f"{query} 中按期销号的"), "，按期整改率",
            n.fmt(Quantity(rate, "%", rate_source, is_rate=True, decimals=1)), "，低于",
            n.fmt(Quantity(ON_TIME_FLOOR, "%", {"source": "督导检查规则", "query": "按期整改率要求"}, is_rate=True)),
            "的要求",
        ]
    )  # fmt: skip
    ctx.problems.append(
        Problem("overdue", "INSP_RECT_ONTIME", "按期整改率", text, ON_TIME_FLOOR - rate)
    )


def _pass_marks(failed: list, query: str) -> list:
    """ "（90分）" for one checklist's mark, "（病区护理质量检查表90分、…85分）" for up to three;
    [] when a failure was a veto or a verdict without a mark."""
    marks: dict[str, Decimal] = {}
    for inspection in failed:
        if inspection.version.pass_score is None:
            return []
        marks.setdefault(inspection.version.template.name, inspection.version.pass_score)
    if len(marks) > 3:
        return []
    figures = {name: count_figure(mark, "分", SOURCE, f"{query} {name}合格线") for name, mark in marks.items()}  # fmt: skip
    if len(set(marks.values())) == 1:
        return ["（", next(iter(figures.values())), "）"]
    out: list = ["（"]
    for index, (name, figure) in enumerate(figures.items()):
        out += ["、" if index else "", name, figure]
    return [*out, "）"]


def _below_pass(inspection) -> bool:
    mark = inspection.version.pass_score
    return (
        inspection.vetoed
        or inspection.passed is False
        or (mark is not None and inspection.score is not None and inspection.score < mark)
    )
