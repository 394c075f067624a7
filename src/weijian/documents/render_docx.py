"""A composed `Document` → .docx through the shared official-format writer (docx.py): headings
numbered by level, review text highlighted yellow, tables, charts with their data.

An uploaded Word layout (layouts.py) replaces the letterhead, page setup, headers and footers:
the office's .docx holds `{{ body }}` alone in a paragraph where the summary goes (and may use
{{ title }}, {{ unit }}, {{ period }}, {{ date }} anywhere, e.g. in a header; nothing else).
The summary's paragraphs and tables (with their GB/T 9704 fonts) are put in place of that
paragraph."""

from __future__ import annotations

import datetime as dt
import io
from copy import deepcopy
from pathlib import Path

from . import charts, layouts
from .docx import Highlight, OfficialDocument, title_lines
from .model import Chart, Document, Paragraph, Section, Table
from .narrative import plain

REVIEW_NOTE = "此处为模板文字，请核对修改"
# A chart is at most a quarter of the 225 mm text block high (130 mm wide at the charts'
# 6.2:2.4 aspect): a chart pushed to the next page never leaves more than 40 % of a page blank.
CHART_WIDTH_MM = 130


def to_official(document: Document, today: dt.date, images=None) -> OfficialDocument:
    doc = OfficialDocument(
        title="\n".join(title_lines(document.title)),
        letterhead=document.letterhead,
        doc_number=document.doc_number,
    )
    if document.addressee:  # 主送机关, flush left under the title
        doc.addressee(f"{document.addressee}：")
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
            doc.image(png, width_mm=CHART_WIDTH_MM, caption=plain(block.caption))


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


BODY_MARK = "\u3000WEIJIAN-BODY\u3000"


def _with_layout(document: Document, today: dt.date, layout: Path, images) -> bytes:
    """The layout's placeholders filled (layouts.fill: nothing but the fixed placeholders,
    escaped); the paragraph holding {{ body }} is then replaced by the summary's paragraphs
    and tables (pictures re-attached to the layout)."""
    from docx import Document as open_docx
    from docx.oxml.ns import qn

    filled = layouts.fill(
        layout.read_bytes(),
        {
            "body": BODY_MARK,
            "title": document.title,
            "unit": document.unit_name,
            "period": document.period_label,
            "date": f"{today.year}年{today.month}月{today.day}日",
        },
    )
    target = open_docx(io.BytesIO(filled))
    source = open_docx(io.BytesIO(to_official(document, today, images).to_bytes()))
    marker = next((p for p in target.paragraphs if BODY_MARK in p.text), None)
    if marker is None:
        raise layouts.LayoutError("版式文件中缺少正文占位符 {{ body }}（请单独占一段）")
    for element in list(source.element.body):
        if element.tag == qn("w:sectPr"):
            continue  # the layout keeps its own page setup
        copied = deepcopy(element)
        for blip in copied.iter(qn("a:blip")):
            image = source.part.related_parts[blip.get(qn("r:embed"))]
            rid, _ = target.part.get_or_add_image(io.BytesIO(image.blob))
            blip.set(qn("r:embed"), rid)
        marker._p.addprevious(copied)
    marker._p.getparent().remove(marker._p)
    stream = io.BytesIO()
    target.save(stream)
    return stream.getvalue()
