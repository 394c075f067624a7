"""The entry page's input rows as HTML, built in Python.

A 150-cell form is 150 rows of a dozen tags and variables each; through the template engine
(a lookup and a lazy-aware escape per variable) they were half of the page's CPU, and the page
is rendered twice per save in the month-end rush. Every value from the database or the user
goes through `html.escape` (quotes included), exactly what the template's autoescape did.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe


def _text(value) -> str:
    return escape(str(value), quote=True)


def render(sections: list[dict], *, can_enter: bool, history_url: str) -> SafeString:
    """The <tr>s of every section: its title row, then one row per cell (see views/entry.py
    `_row` for each row's keys)."""
    out: list[str] = []
    for section in sections:
        out.append(f'<tr class="section-title"><td colspan="4">{_text(section["name"])}</td></tr>')
        for row in section["rows"]:
            out.append(_row(row, can_enter, history_url))
    return mark_safe("\n".join(out))


def _row(row: dict, can_enter: bool, history_url: str) -> str:
    classes = " ".join(
        name
        for name, on in (
            ("bad", row["problem"]),
            ("changed", row["changed"]),
            ("empty-required", row["empty_required"] and can_enter),
        )
        if on
    )
    input_id = row["input_id"]
    label = f'<label for="{input_id}">{_text(row["label"])}</label>'
    if row["required"]:
        label += '<span class="req" title="必填">*</span>'
    notes = ""
    if row["problem"]:
        notes += f'<div class="problem">{_text(row["problem"])}</div>'
    if row["changed"]:
        old, new = row["changed"]
        notes += (
            f'<div class="change-note">退回后修改：{_text(old or "（空）")} → '
            f"{_text(new or '（空）')}</div>"
        )
    before, year_ago = row["earlier"]
    if before or year_ago:
        notes += (
            f'<div class="earlier muted">上期 {_text(before or "—")} · '
            f"去年同期 {_text(year_ago or '—')}</div>"
        )
    mode = row["inputmode"]
    state = (
        ' disabled title="系统自动生成"'
        if row["system_managed"]
        else ("" if can_enter else " readonly")
    )
    field = (
        f'<input class="value{" text" if mode == "text" else ""}" type="text" id="{input_id}" '
        f'name="{_text(row["field_name"])}" value="{_text(row["value"])}" inputmode="{mode}"'
        f"{state}>"
    )
    history = _text(f"{history_url}?{row['history_query']}")
    return (
        f'<tr class="{classes}"{" data-required" if row["required"] else ""}>'
        f"<td>{label}{notes}</td>"
        f'<td class="unitcol">{_text(row["unit"])}</td>'
        f"<td>{field}</td>"
        f'<td class="hist"><a href="{history}" title="修改记录">记录</a></td></tr>'
    )
