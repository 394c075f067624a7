"""Rules on how a count and a numbered class are written: one count printed once per meaning,
and Roman numerals as official texts write them.

- count-twice: the same count named twice with two values ("健康讲座127次" in 基本公共卫生,
  "其中健康讲座128次" under 健康教育): two sections read two sources, and a reader trusts
  neither. A count is known by the few characters before it (its name); comparisons, bounds,
  counts of one unit or one month and bracketed samples (有效问卷995份 of one survey) are not
  the count itself; nor are two ledger records' own values (two campaigns' 专题党课).
- latin-numeral: "I类切口" with the Latin letter I; the national documents write Ⅰ类切口
  (U+2160 ROMAN NUMERAL ONE), as they write Ⅱ类、Ⅲ级.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..model import Document, Paragraph, Section, Table, walk
from ..narrative import Figure, Text, plain
from .base import Finding

COUNT_UNITS = ("次", "人次", "份", "例", "场")
NAME_WIDTH = 4  # characters before a count that name it ("健康讲座", "健康咨询")
# words before a figure that make it a comparison or a bound rather than the count itself
NOT_THE_COUNT = ("由", "增至", "减至", "上年", "同期", "比", "较", "不少于", "不低于", "以上", "达到", "力争", "目标")  # fmt: skip
# a clause about one unit or one month counts only part of the document's whole
PART_OF_THE_WHOLE = re.compile(r"卫生院|医院|中心|科室|[乡镇]|月|季度|其他")
PLAN_TITLES = ("打算", "计划", "下一步", "安排")
# one meaning, two names: the 基本公卫 service norms' terms and the ledger's
SAME_MEANING = {
    "健康知识讲座": "健康讲座",
    "公众健康咨询活动": "健康咨询",
    "健康咨询活动": "健康咨询",
}
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+$")


def counts_twice(document: Document) -> list[Finding]:
    """The same named count printed with two different values in the body of one document
    (the plan part, which states targets, is left out)."""
    seen: dict[str, tuple[Decimal, str]] = {}
    found = []
    for text in _body_texts(document):
        for index, span in enumerate(text):
            name = _count_name(text, index)
            if name is None:
                continue
            key = name + _unit_of(span.text)
            if key not in seen:
                seen[key] = (span.value, span.text, _record_of(span))
            elif seen[key][0] != span.value and not _two_records(seen[key][2], _record_of(span)):
                found.append(Finding("count-twice", f"“{name}”先写{seen[key][1]}，又写{span.text}"))  # fmt: skip
    return found


def _record_of(span: Figure) -> str:
    """The one ledger record a figure is the value of ("台账记录 181 LECTURES" → "181"), "" for
    a total over records or any other source."""
    match = re.match(r"台账记录 (\d+)", str(span.source.get("query") or ""))
    return match.group(1) if match else ""


def _two_records(first: str, second: str) -> bool:
    """Two records' own values (the 专题党课 of two campaigns, each under its own item) are two
    counts, not one count printed twice."""
    return bool(first and second and first != second)


def _body_texts(document: Document):
    in_plan = 0
    for level, _, block in walk(document):
        if isinstance(block, Section):
            plan = any(word in block.title for word in PLAN_TITLES)
            in_plan = level if plan else (in_plan if in_plan and level > in_plan else 0)
        elif isinstance(block, Paragraph) and not in_plan:
            yield block.text


def _count_name(text: Text, index: int) -> str | None:
    span = text[index]
    if not isinstance(span, Figure) or "derived" in span.source or not _unit_of(span.text):
        return None
    before = plain(text[:index])
    if before.count("（") > before.count("）"):
        return None  # a bracketed count annotates another figure: 满意度88.4%（有效问卷995份）
    clause = re.split(r"[，；。：]", before)[-1]
    for name, same in SAME_MEANING.items():
        clause = clause.replace(name, same)
    run = _CJK_RUN.search(clause)
    if run is None or len(run.group()) < 2:
        return None
    if any(word in clause for word in NOT_THE_COUNT) or PART_OF_THE_WHOLE.search(clause):
        return None
    return run.group()[-NAME_WIDTH:]


def _unit_of(printed: str) -> str:
    """The count word a figure ends with ("127次" → "次", "6218人次" → "人次"), "" for others."""
    for unit in sorted(COUNT_UNITS, key=len, reverse=True):
        if printed.endswith(unit) and printed[: -len(unit)][-1:].isdigit():
            return unit
    return ""


LATIN_NUMERAL = re.compile(r"(?<![A-Za-z])(III|II|IV|I|V)(?=[类级度])")


def latin_numerals(text: Text) -> list[Finding]:
    """ "I类切口" → "Ⅰ类切口": a class or grade numbered with Latin letters."""
    words = plain(text)
    return [
        Finding(
            "latin-numeral", f"“{m.group()}{words[m.end()]}”应写作罗马数字（Ⅰ、Ⅱ、Ⅲ）：{words[:40]}"
        )
        for m in LATIN_NUMERAL.finditer(words)
    ]


def latin_numerals_in_titles(document: Document) -> list[Finding]:
    """The same in headings, table titles and table headers and rows."""
    found = []
    for _, _, block in walk(document):
        if isinstance(block, Section):
            found += latin_numerals((block.title,))
        elif isinstance(block, Table):
            found += latin_numerals((block.title, *block.header))
            for row in block.rows:
                found += latin_numerals(tuple(span for cell in row for span in (*cell, " ")))
    return found
