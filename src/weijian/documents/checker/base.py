"""What every checker rule shares: the finding, the knowledge beyond the document, and
how a rule reads the spans around a figure."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import Document, Paragraph, Section
from ..narrative import Figure, Text, plain

UP_WORDS = ("增长", "提高", "上升", "增加", "增收", "延长")


DOWN_WORDS = ("下降", "减少", "降低", "缩短", "减收")


CHANGE_OPS = {"pct_change", "change", "abs_change"}


@dataclass(frozen=True)
class Finding:
    rule: str
    text: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.text}"


@dataclass
class Knowledge:
    """What the checker needs beyond the document: each indicator's better direction ("up",
    "down"), each unit's kind by the name the text uses, the calendar's health days by name
    (month, day), and the document's date."""

    directions: dict[str, str] = field(default_factory=dict)
    unit_kinds: dict[str, str] = field(default_factory=dict)
    health_days: dict[str, tuple[int, int]] = field(default_factory=dict)
    date: dt.date | None = None
    # (dx, pe, ou) → the months ("202512") of pe that have data, None when unknown
    coverage: Callable[[str, str, str], set[str] | None] | None = None
    # survey rate code → the district's floor (%) for that kind of survey
    survey_floors: dict[str, Decimal] = field(default_factory=dict)
    # count indicators that are a stock at the period's end (their elements aggregate by the
    # last value: 签约居民人数), said "截至…", never under 全年
    stocks: set[str] = field(default_factory=set)


def text_before(text: Text, index: int, width: int = 8) -> str:
    """The plain text just before span `index`."""
    out = ""
    for span in reversed(text[:index]):
        out = (span if isinstance(span, str) else span.text) + out
        if len(out) >= width:
            break
    return out[-width:]


def clause_of(text: Text, index: int) -> str:
    before = plain(text[:index])
    start = max(before.rfind(c) for c in "；。") + 1
    return before[start:]


def first_figure_of_clause(text: Text, index: int) -> Figure | None:
    for back in range(index - 1, -1, -1):
        span = text[back]
        if isinstance(span, str) and ("；" in span or "。" in span):
            break
        if isinstance(span, Figure) and "derived" not in span.source:
            candidate = span
            # keep going to the clause's first figure; a bracket opens a clause of its own
            # ("…增至6例（婴儿死亡率为7.69‰，高于上年的3.76‰）": the rate, not the count)
            for earlier in range(back - 1, -1, -1):
                s = text[earlier]
                if isinstance(s, str) and any(c in s for c in "；。，（"):
                    return candidate
                if isinstance(s, Figure) and "derived" not in s.source:
                    candidate = s
            return candidate
    return None


def shown(figure: Figure) -> Decimal:
    """The value as printed (bounds are judged on what the reader sees)."""
    match = re.match(r"-?[0-9.]+", figure.text.replace(",", ""))
    if not match:
        return Decimal(figure.value)
    number = Decimal(match.group())
    if "亿" in figure.text[: len(match.group()) + 1]:
        number *= 100000000
    elif "万" in figure.text[: len(match.group()) + 1]:
        number *= 10000
    return number


def leading_number(text: str) -> Decimal | None:
    match = re.match(r"-?[0-9.]+", text)
    return Decimal(match.group()) if match else None


def sentences(text: Text) -> list[Text]:
    out, current = [], []
    for span in text:
        if isinstance(span, str) and "。" in span:
            parts = span.split("。")
            for part in parts[:-1]:
                current.append(part + "。")
                out.append(tuple(current))
                current = []
            if parts[-1]:
                current.append(parts[-1])
        else:
            current.append(span)
    if current:
        out.append(tuple(current))
    return out


def document_year(document: Document) -> int | None:
    match = re.match(r"(\d{4})", document.period_id or "")
    return int(match.group(1)) if match else None


def problems_section(document: Document) -> Section | None:
    """The 存在的问题 part, where the rules that compare the body with the problems look."""
    return next((s for s in document.sections if s.title == "存在的问题"), None)


def section_text(section: Section) -> tuple[list[Text], str]:
    texts = [b.text for b in section.blocks if isinstance(b, Paragraph) and not b.review]
    return texts, "".join(plain(t) for t in texts)


def next_figure_after(text: Text, index: int, marker: str) -> Figure | None:
    for pos in range(index + 1, min(index + 4, len(text))):
        span = text[pos]
        if isinstance(span, str) and ("；" in span or "。" in span):
            return None
        if isinstance(span, Figure) and "pe" in span.source and "derived" not in span.source:
            before = text_before(text, pos, 4)
            return span if before.endswith(marker) else None
    return None
