"""A plan item as an office writes it: the task (measure, office, deadline), its office folded
into the sentence and its deadline a date or the rhythm its words give it (next_steps decides
what the tasks are; this module how each is written)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import narrative as n
from .context import cat
from .narrative import Text


@dataclass
class Task:
    """A next step answering a problem: saved with a plan, reported on by the next summary.
    `deadline` is a date for one-off work ("2027年3月底前"), the rhythm of a standing or
    year-long duty ("每月", "每季度"), or "全年"; `kind` the measure that answers a problem
    ("" for health days, duties and the template's own tasks)."""

    text: Text
    office: str = ""
    deadline: str = ""
    dx: str = ""
    review: bool = False
    holder: str = "牵头科室"  # a department's tasks name a person: "责任人"
    kind: str = ""
    subject: str = ""  # the name of the figure (or figures) the problem is about
    # the topic measure its words carry (next_steps: plan_measures.yaml), kept on rewording
    how: str = ""

    def line(self, date_last: bool = False) -> Text:
        """The task as an office writes it, the responsible office folded into the sentence
        and the deadline said where the work has one: "医院感染管理科于2027年3月底前对I类切口
        感染率…开展专项调查，…"; "由医务科牵头，护理部配合，…"; a monthly duty keeps its "按月"
        and gets no year-end date (read 2026-12-07: the same "（牵头科室：…；完成时限：…）" tail
        on every item marked the plan as machine-made)."""
        span, words = _leading_span(_unfinished(self.text))  # "下半年，" goes before the office
        when = f"于{self.deadline}" if is_dated(self.deadline) else ""
        if (
            date_last and when
        ):  # "…，2027年3月底前完成": not every item opens "X于…前" (plan_themes)
            words, when = [*words, f"，{self.deadline}完成"], ""
        offices = [o for o in self.office.split("、") if o]
        if not offices:
            early = self.deadline if when else _all_year(self.deadline, words)
            return cat([span, early, *words, "。"])
        if len(offices) > 1:
            lead = f"由{offices[0]}牵头，{'、'.join(offices[1:])}配合，{when}"
        elif _starts_with_action(words) or when:
            lead = f"{offices[0]}{when or _all_year(self.deadline, words)}"
        else:
            lead = f"由{offices[0]}负责，{_all_year(self.deadline, words)}"
        return cat([span, lead, *words, "。"])


# A live safety signal (a death, a cluster or a doubled infection rate, falls rising): its
# root-cause review is due by the end of the next month, said first in its item (next_steps).
URGENT_KINDS = {"event", "safety", "surge"}


# how a task's text begins when the office can be its subject ("医务科围绕门急诊全年目标…")
ACTION_STARTS = ("对", "围绕", "针对", "严格", "建立", "加强", "结合", "坚持", "逐月", "关心", "以", "创新", "按照", "做好", "落实", "开展", "巩固", "持续")  # fmt: skip
# the rhythm a task's own words give it, in the order looked for
CADENCES = (("每月", ("每月", "按月", "逐月")), ("每季度", ("每季度", "按季", "逐季")))


def _starts_with_action(words: list) -> bool:
    head = next((w for w in words if isinstance(w, str) and w), "")
    return head.startswith(ACTION_STARTS)


LEADING_SPAN = re.compile(r"^(下半年|下季度|\d+—\d+月)，")


def _leading_span(words: list) -> tuple[str, list]:
    """("下半年，", the rest) when the task opens with the span it falls in."""
    if words and isinstance(words[0], str):
        match = LEADING_SPAN.match(words[0])
        if match:
            return match.group(0), [words[0][match.end() :], *words[1:]]
    return "", words


def _all_year(deadline: str, words: list) -> str:
    """ "全年" for a year-long task whose words name no time of their own."""
    said = n.plain(tuple(words))
    timed = "全年" in said or re.match(r"\d{4}年", said) or cadence_of(tuple(words))
    return "全年" if deadline == "全年" and not timed else ""


def is_dated(deadline: str) -> bool:
    return bool(re.match(r"\d{4}年", deadline))


def _unfinished(text: Text) -> list:
    """The text without its closing punctuation, to add a note and close it once."""
    spans = list(text)
    while spans and isinstance(spans[-1], str) and spans[-1].rstrip("。；，、 ") != spans[-1]:
        stripped = spans[-1].rstrip("。；，、 ")
        if stripped:
            spans[-1] = stripped
            break
        spans.pop()
    return spans


def cadence_of(text: Text) -> str:
    """ "每月", "每季度" or both ("每月、每季度") as the task's words give it, else ""."""
    words = n.plain(text)
    return "、".join(name for name, marks in CADENCES if any(m in words for m in marks))


# -- measures from a problem's cause ----------------------------------------------------------

# what the summary's problem says carries it (explanations.py words it; causes.py weighs it)
_ITEMS = re.compile(r"其中((?:“[^”]+”)+)(?:分别)?在")  # checklist items lost again
_SURVEY = re.compile(r"问卷中((?:“[^”]+”)+)(?:两项)?满意率最低")  # the lowest survey items
_UNIT = re.compile(r"其中([^\s，、。；“”（）()由]{1,12}?)由[0-9.]+")  # the sub-unit carrying it
_MONTHS = re.compile(r"主要集中在(\d+(?:—\d+)?月)")
_OTHER_COSTS = "主要是非药品费用上升"
_DRUG_COSTS = re.compile(r"主要是次均药品费用由")


def cause_focus(problem: str, kind: str = "") -> str:
    """The measure's focus a problem's cause gives, as a leading phrase (read 2026-12-07 20:35:
    "each task says HOW, from the problem's cause"): the checklist items lost again → "针对
    “急救技能”等反复失分项开展专项培训，"; the survey items scored lowest → "针对问卷中“…”等
    满意率最低的方面逐项整改，"; the sub-unit that carries a rise → "以外科为重点，"; a safety
    signal's months → "以5—6月集中发生的病例为重点，"; a cost's part → "以检查、检验和卫生材料等
    非药品费用为重点，". "" when the problem names no cause."""
    items = _ITEMS.search(problem)
    if items:
        return f"针对{items.group(1)}等反复失分项开展专项培训，"
    survey = _SURVEY.search(problem)
    if survey:
        return f"针对问卷中{survey.group(1)}等满意率最低的方面逐项整改，"
    if _OTHER_COSTS in problem:
        return "以检查、检验和卫生材料等非药品费用为重点，"
    if _DRUG_COSTS.search(problem):
        return "以药品费用为重点，加强处方点评，"
    unit = _UNIT.search(problem)
    if unit:
        return f"以{unit.group(1)}为重点，"
    months = _MONTHS.search(problem)
    if months and kind in ("surge", "safety", "event"):
        return f"以{months.group(1)}集中发生的病例为重点，"
    return ""
