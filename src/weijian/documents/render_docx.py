"""A composed `Document` → .docx through the shared official-format writer (docx.py): headings
numbered by level, review text highlighted yellow, tables, charts with their data.

An uploaded Word layout (docxtpl) replaces the letterhead and fonts: the office's .docx holds
`{{p body }}` where the summary goes (and may use {{ title }}, {{ unit }}, {{ period }},
{{ date }} anywhere); the summary is composed as a sub-document and put there."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from . import charts
from .docx import Highlight, OfficialDocument
from .model import Chart, Document, Paragraph, Section, Table
from .narrative import plain

REVIEW_NOTE = "此处为模板文字，请核对修改"


def to_official(document: Document, today: dt.date, images=None) -> OfficialDocument:
    doc = OfficialDocument(title=document.title)
    _fill(doc, document, today, images if images is not None else chart_images(document))
    return doc


def chart_images(document: Document) -> dict[int, bytes]:
    """Every chart drawn once, by id(chart): the .docx and the preview share them."""
    from .model import walk

    return {
        id(block): charts.render_png(block)
        for _, _, block in walk(document)
        if isinstance(block, Chart)
    }


def _fill(doc: OfficialDocument, document: Document, today: dt.date, images) -> None:
    for paragraph in document.opening:
        _paragraph(doc, paragraph)
    for section in document.sections:
        _section(doc, section, 1, images)
    for paragraph in document.closing:
        _paragraph(doc, paragraph)
    doc.signature(document.unit_name, today)


def _section(doc: OfficialDocument, section: Section, level: int, images) -> None:
    doc.heading(section.title, level=min(level, 4))
    for block in section.blocks:
        if isinstance(block, Section):
            _section(doc, block, level + 1, images)
        elif isinstance(block, Paragraph):
            _paragraph(doc, block)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Chart):
            png = images.get(id(block)) or charts.render_png(block)
            doc.image(png, width_mm=150, caption=plain(block.caption))


def _paragraph(doc: OfficialDocument, paragraph: Paragraph) -> None:
    if paragraph.review:
        doc.paragraph([Highlight(plain(paragraph.text), note=REVIEW_NOTE)])
    else:
        doc.paragraph(list(paragraph.text))


def _table(doc: OfficialDocument, table: Table) -> None:
    rows = [[_cell(cell) for cell in row] for row in table.rows]
    doc.table(table.header, rows, caption=table.title, column_widths_mm=table.widths)


def _cell(text) -> object:
    if len(text) == 1:
        return text[0]
    return plain(text)


def docx_bytes(
    document: Document, today: dt.date, layout: Path | None = None, images=None
) -> bytes:
    if layout is None:
        return to_official(document, today, images).to_bytes()
    return _with_layout(document, today, layout, images)


def _with_layout(document: Document, today: dt.date, layout: Path, images) -> bytes:
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(layout))
    body = io.BytesIO(to_official(document, today, images).to_bytes())
    sub = template.new_subdoc(body)
    template.render(
        {
            "body": sub,
            "title": document.title,
            "unit": document.unit_name,
            "period": document.period_label,
            "date": f"{today.year}年{today.month}月{today.day}日",
        }
    )
    stream = io.BytesIO()
    template.save(stream)
    return stream.getvalue()
