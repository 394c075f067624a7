"""Rules on coverage: a figure stated under a period word (全年, 上半年, 1—11月) must cover the
months the word claims, in a sentence or a table column, and have data in each of them; a count
said to be monthly (做到每月一次) under a period word is at least its number of months."""

from __future__ import annotations

import re

from ..model import Document, Paragraph, Table, walk
from ..narrative import Figure, Text, plain
from .base import Finding, Knowledge, document_year, sentences

_SCOPE = re.compile(
    r"(全年|上半年|下半年|一季度|二季度|三季度|四季度|\d{1,2}—\d{1,2}月|\d{1,2}月份|\d{1,2}月)"
)


def scope(document: Document) -> list[Finding]:
    """Each analytics figure in a sentence that opens with a period word must cover that
    period: its source's period may not be shorter than the words say."""
    found = []
    year = document_year(document)
    for _, _, block in walk(document):
        if isinstance(block, Table):
            found += _table_scope(block, year)
        if not isinstance(block, Paragraph) or block.review:
            continue
        for sentence in sentences(block.text):
            head = plain(sentence)[:12]
            match = _SCOPE.match(head) or _SCOPE.match(head.split("，", 1)[-1][:10])
            if not match:
                continue
            claimed = _months_of(match.group(1), year)
            if claimed is None:
                continue
            for span in sentence:
                if (
                    not isinstance(span, Figure)
                    or "pe" not in span.source
                    or "derived" in span.source
                ):
                    continue
                covered = source_months(str(span.source["pe"]))
                if (
                    covered is not None
                    and year is not None
                    and covered[0] == year
                    and covered[1] < claimed
                ):
                    found.append(
                        Finding(
                            "scope",
                            f"“{match.group(1)}”下的{span.text}（数据期间 {span.source['pe']}）",
                        )
                    )
    return found


MONTHLY = "每月一次"


def monthly_counts(document: Document) -> list[Finding]:
    """monthly-count: "全年，…开展主题党日活动11次，做到每月一次" — a count said to be held every
    month that is fewer than the months its sentence's period word claims (a month went
    without). Only under a period word: 今年以来 claims no number of months."""
    found = []
    year = document_year(document)
    for _, _, block in walk(document):
        if not isinstance(block, Paragraph) or block.review:
            continue
        for sentence in sentences(block.text):
            head = plain(sentence)[:12]
            match = _SCOPE.match(head)
            claimed = _months_of(match.group(1), year) if match else None
            if not claimed or MONTHLY not in plain(sentence):
                continue
            for clause in _clauses(sentence):
                count = None  # the count said just before 每月一次 in its clause (；)
                for span in clause:
                    if isinstance(span, Figure) and span.text.endswith("次"):
                        count = span
                    elif isinstance(span, str) and MONTHLY in span and count is not None:
                        if count.value < len(claimed):
                            found.append(Finding("monthly-count", f"“{match.group(1)}”{len(claimed)}个月，“{MONTHLY}”却只有{count.text}"))  # fmt: skip
                        break
    return found


def _clauses(sentence: Text) -> list[list]:
    """The sentence's clauses between its semicolons (；), spans kept."""
    out: list[list] = []
    current: list = []
    for span in sentence:
        if isinstance(span, str) and "；" in span:
            *closed, rest = span.split("；")
            current.append(closed[0])
            out += [current, *([part] for part in closed[1:])]
            current = [rest] if rest else []
        else:
            current.append(span)
    return [*out, current] if current else out


def _table_scope(table: Table, year: int | None) -> list[Finding]:
    """The value column's heading (全年, 上半年, 12月份) over figures of fewer months, unless the
    row's label names its own months (“病床使用率（%）（12月份）”)."""
    if len(table.header) < 2 or year is None:
        return []
    column = _months_of(table.header[1], year)
    found = []
    for row in table.rows:
        if len(row) < 2:
            continue
        label = plain(row[0])
        own = _SCOPE.search(label.rsplit("（", 1)[-1]) if label.endswith("）") else None
        claimed = _months_of(own.group(1), year) if own else column
        for span in row[1]:
            if not isinstance(span, Figure) or "pe" not in span.source:
                continue
            covered = source_months(str(span.source["pe"]))
            if claimed and covered and covered[0] == year and covered[1] < claimed:
                found.append(
                    Finding(
                        "scope",
                        f"表“{table.title}”中{label}的{span.text}（数据期间 {span.source['pe']}）",
                    )  # fmt: skip
                )
    return found


def _months_of(word: str, year: int | None) -> set[int] | None:
    # a dated table heading ("2025年", "2026年1—6月", "2026年12月") is read by its months
    dated = re.fullmatch(r"(\d{4})年(.*)", word)
    if dated:
        word = dated.group(2) or "全年"
    if word == "全年":
        return set(range(1, 13))
    if word == "上半年":
        return set(range(1, 7))
    if word == "下半年":
        return set(range(7, 13))
    if word.endswith("季度"):
        q = "一二三四".index(word[0])
        return set(range(3 * q + 1, 3 * q + 4))
    match = re.match(r"(\d{1,2})—(\d{1,2})月", word)
    if match:
        return set(range(int(match.group(1)), int(match.group(2)) + 1))
    match = re.match(r"(\d{1,2})月", word)
    return {int(match.group(1))} if match else None


def source_months(pe: str) -> tuple[int, set[int]] | None:
    """(year, months) a period id or range covers."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-\d{2}~(\d{4})-(\d{2})-\d{2}", pe)
    if match and match.group(1) == match.group(3):
        return int(match.group(1)), set(range(int(match.group(2)), int(match.group(4)) + 1))
    if re.fullmatch(r"\d{6}", pe):
        return int(pe[:4]), {int(pe[4:])}
    if re.fullmatch(r"\d{4}", pe):
        return int(pe), set(range(1, 13))
    match = re.fullmatch(r"(\d{4})S([12])", pe)
    if match:
        half = int(match.group(2))
        return int(match.group(1)), set(range(1 + 6 * (half - 1), 7 + 6 * (half - 1)))
    match = re.fullmatch(r"(\d{4})Q([1-4])", pe)
    if match:
        q = int(match.group(2))
        return int(match.group(1)), set(range(3 * q - 2, 3 * q + 1))
    return None


def coverage_findings(document: Document, knowledge: Knowledge) -> list[Finding]:
    """Every analytics figure must have data in every month of the period it is stated for
    (a year's figure from December alone is not 全年)."""
    if knowledge.coverage is None:
        return []
    found = []
    seen = set()
    for _, _, block in walk(document):
        texts = [block.text] if isinstance(block, Paragraph) and not block.review else []
        for text in texts:
            for span in text:
                if not isinstance(span, Figure) or "derived" in span.source:
                    continue
                source = span.source
                if not all(k in source for k in ("dx", "pe", "ou")) or "source" in source:
                    continue
                if "未报" in plain(text):  # the gap is said where the figure is
                    continue
                key = (source["dx"], str(source["pe"]), source["ou"])
                if key in seen:
                    continue
                seen.add(key)
                months = source_months(key[1])
                covered = knowledge.coverage(*key)
                if months is None or covered is None:
                    continue
                wanted = {f"{months[0]}{m:02d}" for m in months[1]}
                if knowledge.date is not None:
                    wanted = {m for m in wanted if m < f"{knowledge.date:%Y%m}"}
                missing = sorted(wanted - covered)
                if missing and covered:
                    found.append(
                        Finding(
                            "scope",
                            f"{span.text}（{key[0]}，{key[1]}）缺{len(missing)}个月数据：{','.join(missing[:4])}",
                        )
                    )
    return found
