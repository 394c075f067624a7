"""存在的问题 as an office writes it: a few numbered paragraphs (一是…。二是…。), each a
problem — a short topic sentence, then its evidence and, where the data shows it, its cause —
not one long paragraph of indicator clauses. Problems of one topic (院感发病率 above its target
and 手卫生依从率 below its own: one weakness of infection control) are one paragraph, in the
place of the most serious of them. The ranking is ranking.all_problems'; this module only
groups and words it.

The topic of a problem comes from what it is about (its kind and its figure's name), Django-free
(`topic_of`), so the grouping is tested on plain Problems.
"""

from __future__ import annotations

import re

from . import narrative as n
from .context import Context, Problem
from .model import Paragraph
from .narrative import Text
from .narrative.spans import ORDINALS

# (key, topic sentence, what a problem's name or code says for it), first match wins: deaths
# of mothers and infants before other deaths, infection control before safety (a doubled
# infection rate is infection control's), costs before the generic trend.
_TOPICS: list[tuple[str, str, re.Pattern]] = [
    ("mch", "母婴安全形势依然严峻", re.compile(r"孕产妇|婴儿|新生儿|围产")),
    ("hai", "医院感染防控仍有薄弱环节", re.compile(r"感染|院感|手卫生|导管|耐药|漏报|HAI")),
    ("safety", "医疗护理安全仍存在隐患", re.compile(r"死亡|跌倒|压力性损伤|不良事件|坠床|非计划")),
    ("cost", "医疗费用控制压力较大", re.compile(r"费用|药占比|耗材|医药费")),
    ("staff", "职工满意度有待提高", re.compile(r"职工满意度")),
    ("satisfaction", "群众就医满意度有待提高", re.compile(r"满意度")),
    ("volume", "业务量完成情况不够理想", re.compile(r"门急诊|门诊人次|出院|手术|诊疗人次")),
    ("antibiotics", "合理用药管理仍需加强", re.compile(r"抗菌药物|抗菌药")),
    (
        "phs",
        "基本公共卫生服务规范落实不够到位",
        re.compile(r"PHS_|健康教育|讲座|咨询|宣传栏|随访|建档|签约|接种"),
    ),  # fmt: skip
]
# kinds whose sentence already says what the problem is ("督导检查发现问题整改不够及时，…",
# "部分单位统计报表上报不够及时，…"): a topic sentence above it would say it twice
_SELF_STATED = {"overdue", "reporting", "insurance", "complaints", "hazards"}
_INSPECTION_TOPIC = ("inspection", "质量管理仍有短板")


# A topic with more than MAX_TOGETHER problems (a 院感 special summary: every problem is
# infection control's) is said in two paragraphs, the targets missed and the figures that
# worsened, each with its own sentence.
MAX_TOGETHER = 2
_TARGET_KINDS = {"target", "near_target", "threshold", "norm"}
_SPLIT = {
    "hai": ("院感控制目标未全面完成", "部分院感监测指标不降反升"),
    "safety": ("医疗护理安全目标未全面完成", "医疗护理安全仍存在隐患"),
}


def topic_of(problem: Problem) -> tuple[str, str] | None:
    """(key, topic sentence) of a problem, or None for one that states itself or matches no
    topic (it is then said alone, as it stands)."""
    if problem.kind in _SELF_STATED:
        return None
    if problem.kind == "inspection":
        return _INSPECTION_TOPIC
    if problem.members:  # said together: their common topic, or none
        topics = {topic_of(m) for m in problem.members}
        return topics.pop() if len(topics) == 1 else None
    about = f"{problem.name} {problem.dx}"
    for key, sentence, pattern in _TOPICS:
        if pattern.search(about):
            if key == "volume" and problem.kind not in ("target", "near_target"):
                continue  # a volume that fell is a trend, not 进度滞后
            return key, sentence
    return None


def grouped(problems: list[Problem]) -> list[tuple[str | None, list[Problem]]]:
    """The problems in their order, those of one topic together at the first one's place:
    [(topic sentence or None, [problems])]. A topic with more than MAX_TOGETHER problems is
    split into its targets missed and its figures worsened where it has words for both."""
    out: list[tuple[str | None, list[Problem]]] = []
    by_key: dict[tuple, int] = {}
    problems = unmerged(problems)
    keys = [topic_of(p) for p in problems]
    counts: dict[str, int] = {}
    for topic in keys:
        if topic is not None:
            counts[topic[0]] = counts.get(topic[0], 0) + 1
    for problem, topic in zip(problems, keys, strict=True):
        if topic is None:
            out.append((None, [problem]))
            continue
        key, sentence = topic
        group: tuple = (key,)
        if counts[key] > MAX_TOGETHER and key in _SPLIT:
            is_target = problem.kind in _TARGET_KINDS
            group = (key, is_target)
            sentence = _SPLIT[key][0 if is_target else 1]
        if group in by_key:
            out[by_key[group]][1].append(problem)
        else:
            by_key[group] = len(out)
            out.append((sentence, [problem]))
    return out


def unmerged(problems: list[Problem]) -> list[Problem]:
    """Trends said together (ranking._trends_together) whose figures are of different
    topics (次均费用 and 门诊患者满意度) back apart, each to be grouped with its own topic; one
    topic's stay as said ("住院次均费用…、门诊次均费用…，同比分别增长…")."""
    out: list[Problem] = []
    for problem in problems:
        if problem.kind == "trend" and problem.members and topic_of(problem) is None:
            out.extend(problem.members)
        else:
            out.append(problem)
    return out


def paragraph_text(ordinal: str, sentence: str | None, members: list[Problem]) -> Text:
    """ "一是医院感染防控仍有薄弱环节。院感发病率为1.30%，…；手卫生依从率为83.23%，…。"; a
    problem without a topic: "五是部分单位统计报表上报不够及时，…。"."""
    evidence = _costs_once(members) or n.join([_strip_end(p.text) for p in members], sep="；")
    head = f"{ordinal}{sentence}。" if sentence else ordinal
    return n.merge([head, *evidence, "。"])


def _costs_once(members: list[Problem]) -> Text:
    """Two averages whose rise the rest of the cost carries (Problem.cause: component
    非药品费用), their shared cause said once (read 2026-12-07 23:30: the same "主要是非药品费用
    上升" twice marked the text as a machine's): "住院次均费用…，同比增长3.4%；门诊次均费用…，
    同比增长2.7%，两项费用的上升均主要来自非药品费用（次均药品费用分别由1785.03元降至
    1778.80元、由106.42元增至106.86元）". () when the paragraph is not such a pair."""
    from .explanations import OTHER_COSTS

    if len(members) != 2 or not all(
        p.cause is not None and p.cause.kind == "component" and p.cause.label == OTHER_COSTS
        for p in members
    ):
        return ()
    bases, drugs, words = [], [], set()
    lead = f"，主要是{OTHER_COSTS}"
    for problem in members:
        cut = next((i for i, s in enumerate(problem.text) if isinstance(s, str) and s.startswith(lead)), None)  # fmt: skip
        figures = [s for s in problem.text[cut or 0 :] if isinstance(s, n.Figure)]
        if cut is None or len(figures) != 2:
            return ()
        bases.append(problem.text[:cut])
        words.add(problem.text[cut][len(lead) :][:2])  # 上升 or 下降
        verb = "增至" if problem.cause.change.delta > 0 else "降至"
        drugs.append(["由", figures[0], verb, figures[1]])
    if len(words) != 1:  # one rose, one fell: each keeps its own words
        return ()
    word = words.pop()
    return n.merge([
        *bases[0], "；", *bases[1], f"，两项费用的{word}均主要来自{OTHER_COSTS}（次均药品费用分别",
        *drugs[0], "、", *drugs[1], "）",
    ])  # fmt: skip


def _strip_end(text: Text) -> Text:
    spans = list(text)
    while spans and isinstance(spans[-1], str) and spans[-1].endswith(("。", "；", "，")):
        spans[-1] = spans[-1].rstrip("。；，")
        if not spans[-1]:
            spans.pop()
    return tuple(spans)


def problems_section(ctx: Context, spec: dict) -> list:
    from .ranking import all_problems

    problems = all_problems(ctx)
    lead = ctx.words_in(spec.get("lead", ""))
    if not problems:
        fallback = spec.get("none")
        return [Paragraph((ctx.words_in(fallback),), review=True)] if fallback else []
    groups = grouped(problems)
    blocks: list = [Paragraph((lead,))] if lead else []
    if len(groups) == 1:  # one problem: no 一是
        sentence, members = groups[0]
        return [*blocks, Paragraph(paragraph_text("", sentence, members))]
    for index, (sentence, members) in enumerate(groups):
        blocks.append(Paragraph(paragraph_text(f"{ORDINALS[index]}是", sentence, members)))
    return blocks
