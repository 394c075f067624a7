"""Per-unit comparisons said as a data dump (issue 11, the bureau's read of 2026-12-07 23:30).

- unit-figure-list: one clause that sets a unit against the others (最低/最高, 全区水平/全院水平)
  and lists more than three figures after 分别为/分别低于/分别高于 ("石坪乡卫生院电子建档率、
  老年人健康管理率、…分别为84.88%、64.22%、64.90%、62.89%，均为最低，分别低于全区水平5.58、
  4.89、5.66、5.67个百分点"): the reader cannot pair them up; the unit is named in one clause
  with the range of its gaps, the rates belong in a table.
"""

from __future__ import annotations

import re

from ..model import Paragraph
from ..narrative import plain
from .base import Finding

MAX_LISTED = 3
_NUMBER = r"[-−]?\d+(?:\.\d+)?(?:%|‰|天|分|个百分点|个千分点)?"
# "分别为a、b、c、d" / "分别低于全区水平a、b、c、d": the list after 分别…
_LIST = re.compile(
    rf"分别(?:为|是|低于|高于|比)[^、，；。\d]{{0,12}}(?:（[^）]*）)?({_NUMBER}(?:、{_NUMBER})+)"
)
# the clause compares units: a rank or the parent's level
_COMPARES = re.compile(r"最低|最高|末位|首位|(全区|全院|全镇|全市)(平均)?水平")


def unit_figure_lists(paragraph: Paragraph) -> list[Finding]:
    if paragraph.review:
        return []
    found = []
    for sentence in re.split(r"[。；]", plain(paragraph.text)):
        if not _COMPARES.search(sentence):
            continue
        for match in _LIST.finditer(sentence):
            if match.group(1).count("、") + 1 > MAX_LISTED:
                found.append(
                    Finding("unit-figure-list", f"“{sentence[:60]}…”逐项列出{match.group(1)}")
                )
                break
    return found
