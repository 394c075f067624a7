"""The composed document as a tree of plain data (Django-free): what the .docx writer, the HTML
preview and the provenance file all read. Every number in it is a narrative `Figure`.

    Document(title, opening=[Paragraph], sections=[Section], closing=[Paragraph])
    Section(title, blocks=[Paragraph | Table | Chart | Section])   level 1 一、 2 （一） 3 1. 4 (1)
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from .narrative import Figure, Text, figures, plain

CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass
class Paragraph:
    text: Text
    # Wording the data cannot know (guiding ideology, political formulas): the user reviews it.
    review: bool = False


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[Text]]
    note: str = ""
    widths: list[float] | None = None  # column widths in mm (156 mm in all)


@dataclass
class Chart:
    """A bar/line chart; its data is printed in `caption` and `table` too (a chart alone
    cannot be checked)."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[Figure | None]]]
    unit: str = ""
    kind: str = "bar"
    caption: Text = ()


@dataclass
class Section:
    title: str
    blocks: list = field(default_factory=list)
    review_title: bool = False

    def add(self, block) -> None:
        self.blocks.append(block)


@dataclass
class Document:
    title: str
    unit_code: str
    unit_name: str
    period_id: str
    period_label: str
    template_code: str
    template_name: str
    template_kind: str = "summary"  # summary or plan
    opening: list[Paragraph] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    closing: list[Paragraph] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)  # unit name, date (right-aligned)
    date: dt.date | None = None  # the document's date (成文日期)
    tasks: list = field(
        default_factory=list
    )  # next steps with office and deadline (plans keep them)
    addressee: str = ""  # 主送机关 ("区卫生健康局：")
    doc_number: str = ""  # 发文字号, with a letterhead
    letterhead: str = ""
    # notes for the operator who generated it ("…有月份缺少数据，请补录数据后重新生成"): shown on
    # the page above the preview and in the CLI's output, never printed in the document
    notes: list[str] = field(default_factory=list)


def heading_number(level: int, index: int) -> str:
    """一、 （一） 1． （1） for the 1st–4th levels (index from 1)."""
    numeral = chinese_numeral(index)
    if level == 1:
        return f"{numeral}、"
    if level == 2:
        return f"（{numeral}）"
    if level == 3:
        return f"{index}．"
    return f"（{index}）"


def chinese_numeral(n: int) -> str:
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    if n < 20:
        return "十" + (CHINESE_NUMERALS[n - 11] if n > 10 else "")
    tens, ones = divmod(n, 10)
    return CHINESE_NUMERALS[tens - 1] + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "")


def walk(document: Document):
    """(level, numbering, block) for every block in reading order; sections yield themselves
    first with their numbering, then their blocks."""
    for paragraph in document.opening:
        yield 0, "", paragraph
    yield from _walk_sections(document.sections, 1)
    for paragraph in document.closing:
        yield 0, "", paragraph


def _walk_sections(sections: list[Section], level: int):
    for index, section in enumerate(sections, start=1):
        yield from _walk_one(section, level, index)


def _walk_one(section: Section, level: int, index: int):
    yield level, heading_number(level, index), section
    subsections = 0
    for block in section.blocks:
        if isinstance(block, Section):
            subsections += 1
            yield from _walk_one(block, level + 1, subsections)
        else:
            yield level, "", block


def subsections(section: Section) -> list[Section]:
    """Every section below `section`, at any depth, in reading order."""
    return [
        b for _, _, b in _walk_one(section, 1, 1) if isinstance(b, Section) and b is not section
    ]


def block_texts(block) -> list[Text]:
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, Table):
        return [cell for row in block.rows for cell in row]
    if isinstance(block, Chart):
        return [block.caption]
    return []


def all_figures(document: Document) -> list[Figure]:
    found: list[Figure] = []
    for _, _, block in walk(document):
        for text in block_texts(block):
            found.extend(figures(text))
    return found


def plain_text(document: Document) -> str:
    """The document as plain text, in reading order (what a reader sees, numbers as printed)."""
    lines = [document.title]
    for _, number, block in walk(document):
        if isinstance(block, Section):
            lines.append(number + block.title)
        elif isinstance(block, Paragraph):
            lines.append(plain(block.text))
        elif isinstance(block, Table):
            lines.append(block.title)
            lines.append("\t".join(block.header))
            lines.extend("\t".join(plain(cell) for cell in row) for row in block.rows)
        elif isinstance(block, Chart):
            lines.append(block.title)
            lines.append(plain(block.caption))
    lines.extend(document.signature)
    return "\n".join(lines)


ANALYTICS_KEYS = ("dx", "pe", "ou")


def provenance_entry(figure: Figure) -> dict:
    """{"text", "value", "dx", "pe", "ou"} for a number analytics returned as is; {"text",
    "value", "source", "query"} for everything else (targets, inspections, changes…)."""
    source = dict(figure.source)
    entry: dict = {"text": figure.text, "value": figure.value}
    if all(key in source for key in ANALYTICS_KEYS) and "source" not in source:
        entry.update({key: str(source[key]) for key in ANALYTICS_KEYS})
        return entry
    entry["source"] = str(source.get("source", "计算"))
    entry["query"] = str(
        source.get("query")
        or json.dumps(
            {k: v for k, v in source.items() if k != "source"}, ensure_ascii=False, default=str
        )
    )
    return entry


def provenance(document: Document) -> list[dict]:
    return [provenance_entry(f) for f in all_figures(document)]


_RAW = "\u0000number:"


def provenance_json(document: Document) -> str:
    """The provenance list as JSON with every value an exact JSON number (no float rounding):
    the unrounded Decimal is written digit for digit, as `weijian analytics` prints it."""
    entries = []
    for entry in provenance(document):
        entries.append({**entry, "value": _RAW + number_text(entry["value"])})
    text = json.dumps(entries, ensure_ascii=False, indent=2)
    return re.sub(r'"\\u0000number:(-?[0-9.]+)"', r"\1", text)


def number_text(value: Decimal) -> str:
    """34.1, 1234, 0.5: no exponent, no trailing zeros (as the analytics API writes values)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
