"""The list under 存在的问题: the problems the judgements found, in order of seriousness
(context.TIERS, then how far off), at most MAX_PROBLEMS, with what belongs together said
together — the safety events that rose, three or more trends, the inspections and their late
rectifications — and the gist of the worst ones for a summary's opening."""

from __future__ import annotations

from decimal import Decimal

from . import narrative as n
from .context import MAX_PROBLEMS, OVERDUE_CODE, Context, Problem
from .narrative import Text


def all_problems(ctx: Context) -> list[Problem]:
    """The problems in order of seriousness (tier, then how far off), at most MAX_PROBLEMS;
    three or more figures going the wrong way are one problem, the worst of them spelled out."""
    problems = list(ctx.problems)
    found = ctx.reporting
    # a summary sent to the bureau does not tell it of the unit's own late reports: the bureau
    # keeps that record, and beside a doubled infection rate it is noise
    to_bureau = "卫生健康局" in ctx.words_in(ctx.spec.get("addressee") or "")
    if found is not None and (found.late or found.missing) and not to_bureau:
        text = found.problem_text(ctx.words)
        problems.append(
            Problem("reporting", "", "报表上报", text, Decimal(found.late + found.missing))
        )
    # a count of events up by one or two (跌倒 8 → 9 例) is left out: not a problem a director
    # would list (causes.trivial_count_change); so is a target missed within its measurement
    # noise (judgements.near_miss: the section states it against its target, near_misses)
    problems = [p for p in problems if not p.minor and p.kind != "near_target"]
    problems = _rectification_together(problems)
    problems = _inspections_together(problems)
    problems.sort(key=_seriousness)
    safety = [p for p in problems if p.kind == "safety"]
    if len(safety) >= 2:  # one problem: the safety events that rose, each with its counts
        at = problems.index(safety[0])
        problems = [p for p in problems if p not in safety]
        in_template_order = sorted(safety, key=ctx.problems.index)
        problems.insert(at, _safety_together(in_template_order))
    trends = [p for p in problems if p.kind == "trend"]
    if len(trends) >= 3:
        problems = [p for p in problems if p.kind != "trend"]
        problems.append(_trends_together(trends))
        problems.sort(key=_seriousness)
    return _at_most(problems, MAX_PROBLEMS)


def near_misses(ctx: Context) -> list[Problem]:
    """Targets missed within their measurement noise (院感发病率 1.21 % against 1.20 %), which
    all_problems leaves out: the section beside the figure says it against its target; a plan
    may still watch it."""
    return [p for p in ctx.problems if p.kind == "near_target"]


def _at_most(problems: list[Problem], limit: int) -> list[Problem]:
    """The `limit` most serious problems, a problem of a topic already kept counting no more
    (problems.grouped says them in one paragraph): two missed 院感 targets count once, and a
    cap on problems no longer cuts the 住院次均费用 rise out of the cost paragraph it belongs
    to. Trends said together count once, as they did."""
    from .problems import topic_of

    kept: list[Problem] = []
    topics: set = set()
    for problem in problems:
        topic = topic_of(problem)
        key = topic[0] if topic is not None else id(problem)
        if key not in topics and len(topics) >= limit:
            continue
        topics.add(key)
        kept.append(problem)
    return kept


def _safety_together(safety: list[Problem]) -> Problem:
    """ "住院患者死亡由上年同期的87人增至104人（…），院内压力性损伤由…": the template's order
    (deaths first), one problem that keeps its members for one task."""
    spans: list = list(safety[0].text)
    for p in safety[1:]:  # the year compared with is said once: "…；住院患者跌倒由8例增至9例"
        head, *rest = p.text
        if isinstance(head, str):
            head = head.replace("由上年同期的", "由").replace("由上年的", "由")
        # "；" between the events: each may end with the department carrying it ("，其中内科由
        # 26例增至37例"), which a "，" would run into the next event
        spans += ["；", head, *rest]
    text = n.merge(spans)
    names = "、".join(p.name for p in safety)
    joined = Problem("safety", safety[0].dx, names, text, max(p.size for p in safety), "down")
    joined.members = safety
    return joined


def _inspections_together(problems: list[Problem]) -> list[Problem]:
    """Inspections failed and their findings not put right in time are one problem (the
    inspection work's follow-through), in the place of the more serious: "督导检查中有4次得分
    低于考评表合格线，其中“急救技能”在4次检查中均被扣分，检查发现问题整改不够及时，…". Each
    keeps its task (and its cause)."""
    failed = next((p for p in problems if p.kind == "inspection"), None)
    late = next((p for p in problems if p.kind == "overdue"), None)
    if failed is None or late is None:
        return problems
    head, *rest = late.text
    if not isinstance(head, str) or "发现问题整改不够及时" not in head:
        return problems
    head = "检查" + head[head.index("发现问题整改不够及时") :]
    text = n.merge([*failed.text, "，", head, *rest])
    joined = Problem(failed.kind, failed.dx, failed.name, text, failed.size, cause=failed.cause)
    joined.members = [failed, late]
    return [joined if p is failed else p for p in problems if p is not late]


def _rectification_together(problems: list[Problem]) -> list[Problem]:
    """A low 按期整改率 and problems still overdue are one problem: "…按期整改率76.7%，低于90%
    的要求，逾期未完成整改3项"."""
    late = next((p for p in problems if p.dx == "INSP_RECT_ONTIME"), None)
    overdue = next((p for p in problems if p.dx == OVERDUE_CODE), None)
    if late is None or overdue is None:
        return problems
    count = [s for s in overdue.text if isinstance(s, n.Figure)]
    text = n.merge([*late.text, "，逾期未完成整改", *count])
    joined = Problem("overdue", OVERDUE_CODE, overdue.name, text, max(late.size, overdue.size))
    return [joined if p is overdue else p for p in problems if p is not late]


def worst_problems(ctx: Context, count: int = 2) -> str:
    """The most serious problems named in a few words, for the opening that says they exist
    ("：住院患者死亡、院内压力性损伤增加，I类切口感染率明显上升"): "" when there is none of
    the first three tiers."""
    serious = [p for p in all_problems(ctx) if p.tier <= 2][:count]
    gists = [g for g in (_gist(ctx, p) for p in serious) if g]
    return f"：{'，'.join(gists)}" if gists else ""


def _gist(ctx: Context, problem: Problem) -> str:
    """What a problem is, in a few words: its name and which way it went."""
    name, kind = problem.name, problem.kind
    known = problem.dx in ctx.facts.known
    direction = problem.direction or (ctx.facts.direction(problem.dx) if known else None)
    if kind == "event":
        return f"发生{name}"
    if kind == "safety":
        return f"{name}增加"
    if kind == "surge":
        return f"{name}明显上升"
    if kind == "threshold":
        return f"{name}低于规定底线"
    if kind == "target":
        return f"{name}超出控制目标" if direction == "down" else f"{name}未达到目标"
    if kind == "norm":
        return f"{name}未达到服务规范要求"
    if kind == "insurance":
        return "医保基金监管检查发现违规问题"
    if kind == "complaints":
        return "部分群众投诉未按时办结"
    if kind == "hazards":
        return "上级检查发现的安全隐患自查未发现"
    if kind == "trend":
        worst = problem.members[0] if problem.members else problem
        worse = "上升" if (worst.direction or direction) == "down" else "下降"
        return f"{worst.name}同比{worse}"
    return name


def _seriousness(problem: Problem):
    """Tier; within the first, deaths and events that happened, then safety events that rose
    (falls, pressure injuries, deaths) and rates that doubled by how far they rose; then how
    far off."""
    return (problem.tier, problem.kind != "event", -problem.size)


def _trends_together(trends: list[Problem]) -> Problem:
    """Three or more figures that went the wrong way, one problem said by what each did — no
    "A、B、C等3项指标同比变差" (a blind reader's tell): the ones that moved alike in one clause
    ("住院次均费用8031.18元、门诊次均费用295.60元，同比分别增长3.4%、2.7%"), the others each in
    its own words (with its cause where the data shows one)."""
    worst = trends[0]
    names = "、".join(p.name for p in trends)
    clauses: list[Text] = []
    for group in _alike(trends):
        clauses.append(_said_together(group) if len(group) > 1 else group[0].text)
    text = n.join(clauses, sep="，")  # "；" separates the problems themselves (一是…；二是…)
    merged = Problem("trend", worst.dx, names, text, worst.size, worst.direction)
    merged.members = trends
    return merged


def _alike(trends: list[Problem]) -> list[list[Problem]]:
    """The trends grouped by the words of their change ("同比增长", "同比下降"), in order of
    size; one with more than its change (a cause, the cases) stands alone."""
    groups: dict[str, list[Problem]] = {}
    for index, problem in enumerate(trends):
        shape = _change_shape(problem.text)
        groups.setdefault(shape or f"alone{index}", []).append(problem)
    return list(groups.values())


def _change_shape(text: Text) -> str | None:
    """ "同比增长" for [name, figure, "，同比增长", figure]: the words between a trend's two
    figures; None for any other shape."""
    if len(text) != 4 or not isinstance(text[2], str) or not text[2].startswith("，"):
        return None
    if not (isinstance(text[1], n.Figure) and isinstance(text[3], n.Figure)):
        return None
    return text[2]


def _said_together(group: list[Problem]) -> Text:
    """ "A x、B y，同比分别增长a、b": the shared words once, 分别 after the comparison word."""
    words = group[0].text[2]
    head: list = []
    for index, problem in enumerate(group):
        name, value = problem.text[0], problem.text[1]
        head += (["、"] if index else []) + [name.removesuffix("为") if isinstance(name, str) else name, value]  # fmt: skip
    cmp = next((w for w in ("比上年", "同比") if w in words), "")
    words = words.replace(cmp, f"{cmp}分别", 1) if cmp else words
    changes = n.join([(p.text[3],) for p in group], sep="、")
    return n.merge([*head, words, *changes])
