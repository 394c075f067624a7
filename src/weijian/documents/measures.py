"""The work behind a section's figures (issue 11 item 5), from the records the system holds:
one sentence before the figures of 医疗质量, 慢病管理, 妇幼, 预防接种 or 满意度 saying what the
unit did on that topic — "组织高血压和糖尿病患者规范管理培训1次（6月16日，参训17人次）；开展
慢阻肺康复、高血压防治、糖尿病饮食指导宣教11次。" — with every count and date a Figure whose source
names the ledger records it counts. Topics and their keywords are data (measures.yaml); a
section whose topic no record matches gets nothing: no measure is ever invented.

The ledgers are read as work_done reads them (kept months, themes, queries): a ledger with
gaps in its months says nothing here either (work_done names the gap in the closing note)."""

from __future__ import annotations

from importlib import resources

import yaml

from weijian.orgs.models import OrgUnitType

from . import narrative as n
from .context import Context, cat
from .model import Paragraph
from .narrative import Text
from .work_done import _kept, _lead, _query, _records, _themes, count_figure, date_figure

TOPICS: dict[str, dict] = yaml.safe_load(
    (resources.files("weijian.documents") / "measures.yaml").read_text("utf-8")
)
# indicator → the records of work on its own topic (measures.yaml `indicators`): the work an
# indicator section may put before that indicator's improvement ("通过…，手卫生依从率提高到…")
INDICATOR_TOPICS: dict[str, dict] = TOPICS.pop("indicators", None) or {}
USED = "measure_rows_used"  # ctx.cache: ledger rows already told beside an indicator
# Records are dated when there are at most this many: "培训2次（3月12日、9月8日）"; beyond it
# the count alone (a list of eight dates is a register, not a summary).
DATED_UP_TO = 3
# per ledger type: the verb before the themes and the word after them. The word is short and
# follows the last theme directly, so each topic's count reads by its own name
# ("合理使用培训7次", "孕期保健宣教2次"), never a generic "专题培训" counted twice.
WORDING = {
    "TRAIN": ("组织", "培训", "专题培训"),
    "HE": ("开展", "宣教", "专题宣教"),
    "DRILL": ("组织", "演练", "应急演练"),
    "MEET": ("召开", "专题会议", "专题会议"),
}


def measures_paragraph(ctx: Context, topic: str) -> Paragraph | None:
    """The sentence of what was done on `topic` in the period, or None without a record."""
    spec = TOPICS.get(topic)
    if spec is None:
        raise ValueError(f"measures.yaml has no topic {topic!r}")
    clauses = [
        clause
        for code, keywords in (spec.get("records") or {}).items()
        if (clause := _clause(ctx, code, keywords))
    ]
    if not clauses:
        return None
    # the section's heading already names the topic: no "围绕预防接种，" before every one of
    # them (three sections in a row opening alike read as a form); the bureau's are its units'
    who = "各单位" if ctx.owner.type == OrgUnitType.BUREAU else ""
    return Paragraph(cat([who, *n.join(clauses, sep="；"), "。"]))


def indicator_measure(ctx: Context, dx: str, *, tell: bool = False) -> Text | None:
    """The work on `dx`'s own topic, short ("组织医院感染防控与手卫生培训2次"); None when the
    indicator has no topic or the ledger no record of it. `tell`: the records are told here,
    once in the document (the section's measures paragraph then leaves them out)."""
    spec = INDICATOR_TOPICS.get(dx)
    if spec is None:
        return None
    clauses = [
        clause
        for code, keywords in (spec.get("records") or {}).items()
        if (clause := _clause(ctx, code, keywords, brief=True, tell=tell))
    ]
    if not clauses:
        return None
    who = "各单位" if ctx.owner.type == OrgUnitType.BUREAU else ""  # the bureau's are its units'
    return n.merge([who, *n.join(clauses, sep="、")])


def _topic_words(named: str, word: str, plain_word: str) -> str:
    """ "抗菌药物合理使用培训", "医院感染暴发应急演练" (a theme that ends in its own word takes no
    second one: never "应急演练演练")."""
    if not named:
        return plain_word
    return named if named.endswith(word) else f"{named}{word}"


def _clause(
    ctx: Context, code: str, keywords: list[str], *, brief: bool = False, tell: bool = False
) -> Text:
    """ "组织医疗质量安全核心制度、抗菌药物合理使用培训7次，参训212人次" for one ledger type;
    () when the ledger was not kept or holds no record of the topic. Records told already
    beside an indicator are left out; `brief`: without the dates and attendance; `tell`: the
    records marked as told."""
    kept = _kept(ctx, code)
    if kept is None:
        return ()
    scope, words = kept
    used = ctx.cache.setdefault(USED, set())
    every = _records(ctx, code, scope, keywords)
    rows = [r for r in every if r.pk not in used]
    if not rows:
        return ()
    query = _query(ctx, code, scope, keywords)
    if len(rows) < len(every):
        query = f"{query} 不含已在指标段落中说明的记录"
    if brief:
        if words != ctx.words["span"]:
            return ()  # a ledger kept for part of the period says nothing beside a figure of all of it
        if tell:
            used.update(r.pk for r in rows)
        verb, word, plain_word = WORDING[code]
        named = "、".join(_themes(rows))
        return cat([verb, _topic_words(named, word, plain_word), count_figure(len(rows), "次", "工作台账", query)])  # fmt: skip
    verb, word, plain_word = WORDING[code]
    themes = _themes(rows)
    named = "、".join(themes) + ("等" if len(_themes(rows, limit=99)) > len(themes) else "")
    parts: list = [_lead(words, ctx), verb, _topic_words(named, word, plain_word)]
    parts.append(count_figure(len(rows), "次", "工作台账", query))
    # dates and attendance in brackets: they annotate this count ("参训212人次" outside them
    # would read as the year's whole attendance, printed again under 加强业务培训)
    notes: list[Text] = []
    if len(rows) <= DATED_UP_TO:
        dates = [(date_figure(r.start_date, "工作台账", f"台账记录 {r.pk}"),) for r in rows]
        notes.append(n.join(dates, sep="、"))
    attend = sum(int(r.values.get("ATTEND") or 0) for r in rows) if code == "TRAIN" else 0
    if attend:
        notes.append(cat(["参训", count_figure(attend, "人次", "工作台账", f"{query} 参训人次合计")]))  # fmt: skip
    if notes:
        parts += ["（", *n.join(notes, sep="，"), "）"]
    return cat(parts)
