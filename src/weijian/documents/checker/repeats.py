"""figure-repeat: one figure said in full more than twice in the body — the opening, a
section's paragraph and 存在的问题 each restating "I类切口感染率为1.56%，同比上升1.14个百分点"
(a director's read of 2026-12-07: "the same figures three or four times"). The opening
summarises, a section narrates or tables its figures, 存在的问题 names the problem once.

A figure is the same when its text and its source are (the same indicator, period and unit,
or the same derived change): two indicators that both rose 1.5 points are two figures. Tables
are not counted (a table carries every row once by design), nor the plan parts (下一步,
工作打算: "（2025年为90.46%）" is the base a target starts from), nor review text."""

from __future__ import annotations

from collections import Counter

from ..model import Document, Paragraph, Section
from ..narrative import Figure
from .base import Finding

MAX_SAID = 2
PLAN_PARTS = ("打算", "计划", "主要任务", "下一步", "工作目标")


def repeated_figures(document: Document) -> list[Finding]:
    said: Counter = Counter()
    texts: dict = {}
    paragraphs = list(document.opening)
    for section in document.sections:
        if not any(word in section.title for word in PLAN_PARTS):
            paragraphs += _paragraphs(section)
    for paragraph in paragraphs:
        if paragraph.review:
            continue
        for span in paragraph.text:
            key = _identity(span)
            if key is not None:
                said[key] += 1
                texts[key] = span.text
    return [
        Finding("figure-repeat", f"{texts[key]}在正文中出现{count}次")
        for key, count in said.items()
        if count > MAX_SAID
    ]


def _paragraphs(section: Section) -> list[Paragraph]:
    out: list[Paragraph] = []
    for block in section.blocks:
        if isinstance(block, Section):
            out += _paragraphs(block)
        elif isinstance(block, Paragraph):
            out.append(block)
    return out


def _identity(span) -> tuple | None:
    """(text, source) of a figure from the data or derived from it; None for anything else
    (a template's threshold, a count of listed items: wording, not the data said again)."""
    if not isinstance(span, Figure):
        return None
    source = span.source or {}
    if "dx" not in source and "derived" not in source:
        return None
    inputs = tuple(
        (i.get("dx"), i.get("pe"), i.get("ou")) for i in source.get("inputs") or [] if isinstance(i, dict)
    )  # fmt: skip
    return (span.text, source.get("dx"), source.get("pe"), source.get("ou"), source.get("derived"), inputs)  # fmt: skip
