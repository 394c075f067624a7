"""Lists as .xlsx (Django-free): a title row, a header row, the rows, sensible widths.

Saved through issue 10's `weijian.xlsx.to_bytes`: every text cell that an office suite would
take for a formula (starting with = + - @, a tab or a carriage return: OWASP's "CSV
injection") is written as a plain string marked quotePrefix, so Excel, WPS and LibreOffice
show it as typed and keep it text when edited — user text never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .xlsx import to_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="F0F3F8")


def sheet(
    book: Workbook | None, title: str, heading: str, headers, rows, note: str = ""
) -> Workbook:
    """Add a sheet (the first one when `book` is None) and return the workbook."""
    if book is None:
        book = Workbook()
        ws = book.active
        ws.title = title[:31]
    else:
        ws = book.create_sheet(title[:31])
    ws.append([heading])
    ws["A1"].font = Font(bold=True, size=14)
    if note:
        ws.append([note])
    ws.append(list(headers))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [max(6, _width(h)) for h in headers]
    for row in rows:
        values = [_plain(v) for v in row]
        ws.append(values)
        for i, value in enumerate(values[: len(widths)]):
            widths[i] = min(60, max(widths[i], _width(value)))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width + 2
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return book


def _plain(value):
    if isinstance(value, Decimal):
        return (
            float(value)
            if value == value.to_integral_value() or abs(value) < 10**15
            else str(value)
        )
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value


def _width(value) -> int:
    """Columns wide enough for CJK text: a Chinese character takes two widths."""
    text = str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def xlsx_bytes(book: Workbook) -> bytes:
    return to_bytes(book)


def disposition(filename: str) -> str:
    """A Content-Disposition header value that keeps a Chinese file name."""
    return f"attachment; filename*=UTF-8''{quote(filename)}"
