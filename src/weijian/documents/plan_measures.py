"""How a task answers its problem: the focus its cause gives (tasks.cause_focus, from the
summary's own words) or, where no cause is known, its topic's measure (plan_measures.yaml, once a
document) in place of the generic words (read 2026-12-07 20:35: "each task says HOW")."""

from __future__ import annotations

from importlib import resources

import yaml

from . import narrative as n
from .context import Context, Problem
from .narrative import Text
from .tasks import cause_focus


def focus_of(problem: Problem, kind: str, members: list | None = None) -> tuple[str, str]:
    """The focus a problem's cause gives its measure (tasks.cause_focus): leading, for one
    figure ("以外科为重点，"); for figures said together, trailing and named for the one whose
    cause it is ("，院内压力性损伤以急诊科为重点": not the deaths' and the falls' as well)."""
    members = problem.members if members is None else members
    found = problem_focus(problem, kind) if not members else ""
    if found or not members:
        return found, ""
    each = [problem_focus(member, kind) for member in members]
    if len(set(each)) == 1:  # one figure, or all for the same cause (非药品费用 in both costs)
        return each[0], ""
    for member, found in zip(members, each, strict=True):
        if found.startswith("以") and found.endswith("为重点，"):
            return "", f"，其中{member.name}{found.rstrip('，')}"
    return "", ""


def problem_focus(problem: Problem, kind: str) -> str:
    """The focus of a problem's measure from its cause as data (`Problem.cause`, helper C's
    causes.Cause, once merged), else read back out of its words (tasks.cause_focus)."""
    cause = getattr(problem, "cause", None)
    if cause is None:
        return cause_focus(n.plain(problem.text), kind)
    return focus_from_cause(cause, kind)


def focus_from_cause(cause, kind: str) -> str:
    """The leading phrase a cause gives: the checklist items failed again → "针对“急救技能”等反复
    失分项开展专项培训，"; the survey items scored lowest → "针对问卷中“…”等满意率最低的方面逐项
    整改，"; a cost's part; the sub-unit that carries it → "以外科为重点，"; a safety signal's
    months → "以5—6月集中发生的病例为重点，"; "" for a denominator (no office acts on it)."""
    quoted = "".join(f"“{label}”" for label in cause.labels)
    if cause.kind == "items" and quoted:
        return f"针对{quoted}等反复失分项开展专项培训，"
    if cause.kind == "survey" and quoted:
        return f"针对问卷中{quoted}等满意率最低的方面逐项整改，"
    if cause.kind == "component":
        if "药品" in cause.label and "非药品" not in cause.label:
            return "以药品费用为重点，加强处方点评，"
        return "以检查、检验和卫生材料等非药品费用为重点，"
    if cause.kind == "unit" and cause.label:
        return f"以{cause.label}为重点，"
    if cause.kind == "months" and cause.first and kind in ("surge", "safety", "event"):
        months = f"{cause.first}月" if cause.last in (0, cause.first) else f"{cause.first}—{cause.last}月"  # fmt: skip
        return f"以{months}集中发生的病例为重点，"
    return ""


TOPIC_MEASURES = yaml.safe_load(
    (resources.files("weijian.documents") / "plan_measures.yaml").read_text("utf-8")
)


def topic_how(codes: list[str], used: set[str]) -> str:
    """The first topic measure (plan_measures.yaml) for the figures' codes not yet used."""
    for code in codes:
        for entry in TOPIC_MEASURES["measures"]:
            if code.startswith(entry["prefix"]) and entry["how"] not in used:
                return entry["how"]
    return ""


def topic_measure(ctx: Context, text: tuple, codes: list[str]) -> tuple[tuple, str]:
    """`text` with its generic words (深入查找原因，采取针对性措施 …) replaced by the topic's
    measure ("针对产后访视率下降的情况，落实产妇出院信息与家庭医生团队的对接…"), and the measure;
    as it was and "" when no topic measure fits, or the text has no generic words."""
    if not text or not isinstance(text[0], str) or not generic_in(text[0]):
        return text, ""
    used = ctx.cache.setdefault("topic_measures", set())
    how = topic_how([c for c in codes if c], used)
    if not how:
        return text, ""
    used.add(how)
    return with_how(text, how), how


def generic_in(words: str) -> str | None:
    return next((g for g in TOPIC_MEASURES["generic"] if g in words), None)


def with_how(text: tuple, how: str) -> tuple:
    """The text's first generic words replaced by `how` (unchanged without them)."""
    generic = generic_in(text[0]) if text and isinstance(text[0], str) else None
    if not how or generic is None:
        return text
    words = text[0]
    if generic.endswith("开展"):  # "严格按照服务规范要求开展健康讲座，逐月检查落实情况" → the
        # topic's measure, "…，逐月检查健康讲座落实情况": the object moves to the check
        before, _, after = words.partition(generic)
        name, _, rest = after.partition("，")
        rest = rest.replace("检查落实情况", f"检查{name}落实情况", 1)
        return (f"{before}{how}，{rest}", *text[1:])
    return (words.replace(generic, how, 1), *text[1:])


def unfinished_text(text: Text) -> tuple:
    """The text without its closing "。"."""
    spans = list(text)
    if spans and isinstance(spans[-1], str):
        spans[-1] = spans[-1].rstrip("。")
    return tuple(spans)
