"""Sections that read as indicator strings, tables of dashes, clipped terms (issue 11 items 5
and 9; director reads of 2026-12-07 23:30: "（五）（六） print 5–8 indicators in a row, each
'X为a%，同比上升b个百分点'", "tables with empty 目标 columns", "院感发病率")."""

from __future__ import annotations

import re

from ..model import Document, Paragraph, Table, walk
from ..narrative import plain
from .base import Finding

# One indicator clause of the formula: "病床使用率为89.81%，同比上升2.36个百分点" — a level
# after 为 then its comparison with last year in the next clause.
FORMULA = re.compile(r"为[^；。，]*?\d[^；。，]*，(同比|比上年|环比|高于上年|低于上年|与上年)")
MAX_FORMULA = 3  # a fourth in one paragraph reads as a data dump

TARGET_COLUMNS = ("目标", "完成情况")

# clipped names a summary spells out (the short names of the indicator library)
CLIPPED = re.compile(r"院感(例次)?(发病|现患|漏报)率")


def indicator_strings(text) -> list[Finding]:
    """ "indicator-string": more than MAX_FORMULA "X为…，同比…" clauses in one paragraph."""
    words = plain(text)
    found = FORMULA.findall(words)
    if len(found) > MAX_FORMULA:
        return [Finding("indicator-string", f"一段中{len(found)}个“X为…，同比…”：{words[:60]}…")]
    return []


def dash_columns(document: Document) -> list[Finding]:
    """ "dash-column": a 目标 or 完成情况 column with a target in fewer than half its rows (all
    "—" among them): the few targets belong in the prose, and the column reads as targets
    nobody set. (Other columns of "—" are table-empty's, wording.empty_columns.)"""
    found = []
    for _, _, block in walk(document):
        if not isinstance(block, Table) or len(block.rows) < 2:
            continue
        for col, name in enumerate(block.header[1:], start=1):
            if name not in TARGET_COLUMNS:
                continue
            cells = [plain(row[col]).strip() if col < len(row) else "" for row in block.rows]
            empty = sum(1 for c in cells if c in ("—", ""))
            if empty * 2 > len(cells):
                found.append(Finding("dash-column", f"《{block.title}》的“{name}”列{len(cells)}行中{empty}行为“—”"))  # fmt: skip
    return found


def clipped_terms(paragraph: Paragraph) -> list[Finding]:
    """ "term": a clipped indicator name in the body (院感发病率 for 医院感染发病率)."""
    words = plain(paragraph.text)
    return [Finding("term", f"“{m.group(0)}”应写全称：{words[:40]}…") for m in CLIPPED.finditer(words)]  # fmt: skip
