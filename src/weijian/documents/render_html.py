"""A composed `Document` → the HTML preview: every number is a link whose tooltip says where it
came from and which opens the pivot page for it; template wording to review is highlighted."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

from django.utils.html import escape

from . import timeframe
from .model import Chart, Document, Paragraph, Section, Table, heading_number
from .narrative import DERIVED_LABELS, Figure, plain

PIVOT_URL = "/pivot/"


def render(document: Document, images: dict[int, bytes] | None = None, names=None) -> str:
    """`images`: chart PNGs by id(chart); `names`: dx/ou code → display name for tooltips."""
    names = names or {}
    images = images or {}
    # the operator's notes stand above the document, outside it (they are not in the .docx)
    notes = "".join(f'<p class="doc-note">提示：{escape(note)}</p>' for note in document.notes)
    out = [
        notes,
        f'<article class="doc-preview"><h1 class="doc-title">{escape(document.title)}</h1>',
    ]
    out.extend(_paragraph(p, names) for p in document.opening)
    for index, section in enumerate(document.sections, start=1):
        out.append(_section(section, 1, index, names, images))
    out.extend(_paragraph(p, names) for p in document.closing)
    out.append('<p class="doc-signature">')
    out.append("<br>".join(escape(s) for s in document.signature))
    out.append("</p></article>")
    return "".join(out)


def _section(section: Section, level: int, index: int, names, images) -> str:
    tag = f"h{min(level + 1, 5)}"
    parts = [
        f'<{tag} class="doc-h{level}">{escape(heading_number(level, index) + section.title)}</{tag}>'
    ]
    child = 0
    for block in section.blocks:
        if isinstance(block, Section):
            child += 1
            parts.append(_section(block, level + 1, child, names, images))
        elif isinstance(block, Paragraph):
            parts.append(_paragraph(block, names))
        elif isinstance(block, Table):
            parts.append(_table(block, names))
        elif isinstance(block, Chart):
            parts.append(_chart(block, images))
    return "".join(parts)


def _paragraph(paragraph: Paragraph, names) -> str:
    inner = _spans(paragraph.text, names)
    if paragraph.review:
        inner = f'<mark class="review" title="模板文字，数据无法核实，请审阅修改">{inner}</mark>'
    return f"<p>{inner}</p>"


def _spans(text, names) -> str:
    return "".join(
        _figure(span, names) if isinstance(span, Figure) else escape(span) for span in text
    )


def _figure(figure: Figure, names) -> str:
    source = dict(figure.source)
    if all(k in source for k in ("dx", "pe", "ou")):
        title = (
            f"{names.get(source['dx'], source['dx'])}（{source['dx']}）· "
            f"{_period_label(source['pe'])} · {names.get(source['ou'], source['ou'])} · "
            f"未取舍值 {figure.value}"
        )
        return (
            f'<a class="fig" href="{escape(pivot_url(source))}" title="{escape(title)}" '
            f'data-dx="{escape(source["dx"])}">{escape(figure.text)}</a>'
        )
    if "derived" in source:
        inputs = source.get("inputs") or []
        based = "；".join(
            f"{names.get(i.get('dx'), i.get('dx'))} {_period_label(i.get('pe', ''))}"
            for i in inputs
            if isinstance(i, dict) and i.get("dx")
        )
        title = f"计算所得（{DERIVED.get(source['derived'], source['derived'])}）" + (
            f"，依据：{based}" if based else ""
        )
    else:
        title = f"{source.get('source', '')}：{source.get('query', json.dumps(source, ensure_ascii=False, default=str))}"
    return f'<span class="fig derived" title="{escape(title)}">{escape(figure.text)}</span>'


DERIVED = {**DERIVED_LABELS, "change_points": "百分点变化"}


def pivot_url(source: dict) -> str:
    pe = source["pe"]
    if timeframe.RANGE_SEPARATOR in pe:
        period = timeframe.parse(pe)
        pe = ";".join(m.id for m in period.periods_within(timeframe.PeriodType.MONTHLY)) or pe
    return PIVOT_URL + "?" + urlencode({"dx": source["dx"], "pe": pe, "ou": source["ou"]}, safe=";")


def _period_label(pe: str) -> str:
    try:
        return timeframe.label(timeframe.parse(pe))
    except ValueError:
        return pe


def _table(table: Table, names) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_spans(cell, names)}</td>" for cell in row) + "</tr>"
        for row in table.rows
    )
    return (
        f'<div class="table-wrap"><table class="doc-table"><caption>{escape(table.title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _chart(chart: Chart, images) -> str:
    png = images.get(id(chart))
    caption = escape(plain(chart.caption))
    if png is None:
        return f'<p class="doc-caption">{caption}</p>'
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure class="doc-chart"><img src="data:image/png;base64,{data}" alt="{escape(chart.title)}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )
