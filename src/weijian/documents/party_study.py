"""The year's political work, which an office writer puts first in the 党建 part of a summary
(issue 11, the reads of 2026-12-07 23:30: every hospital and bureau reader missed it): the
campaigns of study the unit ran (ledger STUDY: 深入贯彻中央八项规定精神学习教育, 学习贯彻党的
二十届四中全会精神…) and the plans and rules it drew up (ledger PLANNING: the unit's “十五五”
发展规划 from 启动编制 to 印发实施), one 一是/二是 item each:

    一是扎实开展深入贯彻中央八项规定精神学习教育。3月至7月，制定实施方案（区医院党发〔2025〕2号），
    举办读书班2期，讲授专题党课3次，开展警示教育2次、专题研讨交流4次，查摆问题18条，已全部整改。
    二是深入学习贯彻党的二十届四中全会精神。10月起，……
    三是科学谋划“十五五”发展。10月15日，启动《…“十五五”发展规划》编制，……；12月18日，形成征求意见稿。

Only the unit's own records (a department's campaign is not the hospital's) that start within
the passed part of the period; nothing at all when there are none (the system holds no record,
so the document says nothing: no placeholder). Every number is a Figure whose source is the
record (its months, counts, 文号)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from weijian import periods
from weijian.ledger.queries import own_records

from .context import Context, cat
from .ledger_facts import counter_value
from .narrative import Figure, Text
from .narrative import join as join_clauses
from .work_done import count_figure, date_figure

SOURCE = "工作台账"
# How the item's heading opens, by the campaign's 类别 (a title that already opens with the
# verb keeps it: "深入学习贯彻…" is not made "深入深入学习贯彻…").
OPENERS = {"专题学习教育": "扎实开展", "学习贯彻会议精神": "深入", "专项整治": "扎实开展", "其他": "扎实推进"}  # fmt: skip
VERBS = ("扎实", "持续", "认真", "全面", "开展")
# (field, verb, measure word): the activities a campaign held, in the order a writer names them
HELD = (("CLASSES", "举办读书班", "期"), ("LECTURES", "讲授专题党课", "次"))
ALSO = (("WARNINGS", "警示教育", "次"), ("SEMINARS", "专题研讨交流", "次"))
# the study of a meeting's spirit is lectured as 宣讲 (a 全会精神 is 宣讲, not a 党课)
MEETING_HELD = (("CLASSES", "举办读书班", "期"),)
MEETING_ALSO = (("LECTURES", "集中宣讲", "次"), ("WARNINGS", "警示教育", "次"), ("SEMINARS", "专题研讨", "次"))  # fmt: skip
PLAN_HEADS = {"发展规划": "科学编制发展规划", "工作方案": "健全完善工作制度", "规章制度": "健全完善工作制度"}  # fmt: skip
STAGES = ("启动编制", "征求意见", "审议通过", "印发实施")


def study_items(ctx: Context, scope: periods.Period) -> list[tuple[str, Text]]:
    """(heading, body) per campaign and per plan of the unit in `scope`, campaigns first in the
    order they started; [] when the unit logged none."""
    rows = list(own_records(["STUDY", "PLANNING"], ctx.owner, scope))
    studies = [r for r in rows if r.type.code == "STUDY"]
    plans = [r for r in rows if r.type.code == "PLANNING"]
    items = [(_study_head(r), _study_body(ctx, r)) for r in studies]
    by_title: dict[str, list] = {}
    for row in plans:
        by_title.setdefault(row.title.strip(), []).append(row)
    for rows in by_title.values():
        items.append((_plan_head(rows[0]), _plan_body(rows)))
    return items


# -- 专题学习教育 --------------------------------------------------------------------------------


def _study_head(row) -> str:
    """ "扎实开展深入贯彻中央八项规定精神学习教育" (the campaign's name is a noun: 深入贯彻… is
    part of it), "深入学习贯彻党的二十届四中全会精神"; a title that opens with a verb stays."""
    title = row.title.strip().rstrip("。")
    opener = OPENERS.get(str(row.values.get("KIND") or ""), "扎实推进")
    if title.startswith((opener, *VERBS)):
        return title
    return f"{opener}{title}"


def _study_body(ctx: Context, row) -> Text:
    """ "3月至7月，制定实施方案（…〔2025〕2号），举办读书班2期，讲授专题党课3次，开展警示教育2次、
    专题研讨交流4次，查摆问题18条，已全部整改。" """
    clauses: list[Text] = []
    docno = _typed(row, "DOCNO")
    if docno:
        clauses.append(cat(["制定实施方案（", *docno, "）"]))
    meeting = row.values.get("KIND") == "学习贯彻会议精神"
    for key, verb, unit in MEETING_HELD if meeting else HELD:
        if counter_value(row, key):
            clauses.append(cat([verb, _count(row, key, unit)]))
    also = [
        cat([word, _count(row, key, unit)])
        for key, word, unit in (MEETING_ALSO if meeting else ALSO)
        if counter_value(row, key)
    ]
    if also:
        clauses.append(cat(["开展", *join_clauses(also, sep="、")]))
    found, fixed = counter_value(row, "ISSUES"), counter_value(row, "FIXED")
    if found:
        issues: list = ["查摆问题", _count(row, "ISSUES", "条")]
        if fixed == found:
            issues.append("，已全部整改")
        elif fixed:
            issues += ["，已整改", _count(row, "FIXED", "条")]
        clauses.append(cat(issues))
    note = _typed(row, "NOTE")
    if note:
        clauses.append(note)
    when = _when(ctx, row)
    if not clauses:  # only the campaign's name and dates: "10月起，组织开展学习。"
        return cat([*when, "，组织开展集中学习。"])
    return cat([*when, "，", *join_clauses(clauses), "。"])


def _when(ctx: Context, row) -> Text:
    """ "3月至7月" once a campaign of several months has ended, "3月" for one that ended within
    its month, "10月起" while it runs, the day ("10月28日") for a one-day record."""
    start, end = row.start_date, row.end_date
    if end == start:
        return (date_figure(start, SOURCE, f"台账记录 {row.pk}"),)
    first = _month(start, row)
    if end >= ctx.facts.today:
        return (first, "起")
    if (end.year, end.month) == (start.year, start.month):
        return (first,)
    return (first, "至", _month(end, row, "结束日期"))


def _month(day: dt.date, row, what: str = "开始日期") -> Figure:
    month = f"{day.year}年{day.month}月" if day.year != row.start_date.year else f"{day.month}月"
    source = {"source": SOURCE, "query": f"台账记录 {row.pk} {what}"}
    return Figure(month, Decimal(day.strftime("%Y%m%d")), source)


def _count(row, key: str, unit: str) -> Figure:
    return count_figure(counter_value(row, key), unit, SOURCE, f"台账记录 {row.pk} {key}")


def _typed(row, key: str) -> Text:
    """A value the clerk typed, without closing punctuation; a Figure (source: the record)
    when it holds a number (文号 "区医院党发〔2025〕2号")."""
    text = str(row.values.get(key) or "").strip().rstrip("。；;，,、 ")
    if not text:
        return ()
    numbers = re.findall(r"\d+(?:\.\d+)?", text)
    if not numbers:
        return (text,)
    return (Figure(text, Decimal(numbers[-1]), {"source": SOURCE, "query": f"台账记录 {row.pk} {key}"}),)  # fmt: skip


# -- 发展规划和制度 ------------------------------------------------------------------------------


def _plan_head(row) -> str:
    if "十五五" in row.title:
        return "科学谋划“十五五”发展"
    return PLAN_HEADS.get(str(row.values.get("KIND") or ""), "健全完善工作制度")


def _plan_body(rows) -> Text:
    """ "10月15日，启动《…“十五五”发展规划》编制，总结评估“十四五”规划实施情况；12月18日，形成
    征求意见稿，广泛征求意见。" The plan is named once, at its first step."""
    name = rows[0].title.strip().strip("《》")
    clauses = []
    for index, row in enumerate(rows):
        named = f"《{name}》" if index == 0 else ""
        stage = str(row.values.get("STAGE") or "")
        body = _typed(row, "BODY")
        docno = _typed(row, "DOCNO")
        if stage == "启动编制":
            act: list = [f"启动{named}编制"]
        elif stage == "征求意见":
            act = [f"{named}形成征求意见稿，广泛征求意见"]
        elif stage == "审议通过":
            act = [named, "经", *body, "审议通过"] if body else [f"{named}审议通过"]
        else:
            act = [f"印发{named or '实施'}"] if named else ["正式印发实施"]
        if docno:
            act += ["（", *docno, "）"]
        note = _typed(row, "NOTE")
        clause = [date_figure(row.start_date, SOURCE, f"台账记录 {row.pk}"), "，", *act]
        if note:
            clause += ["，", *note]
        clauses.append(cat(clause))
    return cat([*join_clauses(clauses, sep="；"), "。"])
