"""The pivot table as an .xlsx: a title row, then each table with its header row.

Numbers are written as numbers (Decimal, so 84.4 stays 84.4), with as many decimals shown as
the API gave; empty cells stay empty; names stay text (`weijian.xlsx.to_bytes`). Widths count
a CJK glyph as two characters.
"""

from __future__ import annotations

import unicodedata

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from weijian import xlsx

from .pivot_table import LAYOUT_NAMES, Pivot, as_number

FONT_NAME = "宋体"
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def number_format(text: str) -> str:
    decimals = len(text.partition(".")[2])
    return "0." + "0" * decimals if decimals else "0"


def build_workbook(pivot: Pivot) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "数据透视"
    query = pivot.query
    sheet.cell(1, 1, pivot.title).font = Font(name=FONT_NAME, size=14, bold=True)
    corner = f"{LAYOUT_NAMES[query.rows]} \\ {LAYOUT_NAMES[query.cols]}"
    widths: dict[int, int] = {1: display_width(corner)}
    row = 3
    for table in pivot.tables:
        if table.title:
            sheet.cell(row, 1, table.title).font = Font(name=FONT_NAME, bold=True)
            row += 1
        headers = [corner] + [item.label for item in table.columns]
        for column, text in enumerate(headers, start=1):
            cell = sheet.cell(row, column, text)
            cell.font = Font(name=FONT_NAME, bold=True)
            cell.fill, cell.border = HEADER_FILL, BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            widths[column] = max(widths.get(column, 0), display_width(text))
        row += 1
        for item, values in table.rows:
            label = sheet.cell(row, 1, item.label)
            label.font, label.border = Font(name=FONT_NAME), BOX
            widths[1] = max(widths[1], display_width(item.label))
            for column, text in enumerate(values, start=2):
                cell = sheet.cell(row, column, as_number(text))
                cell.font, cell.border = Font(name=FONT_NAME), BOX
                if text is not None:
                    cell.number_format = number_format(text)
                    widths[column] = max(widths.get(column, 0), len(text))
            row += 1
        row += 1
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 40)
    sheet.freeze_panes = "B4" if not pivot.tables or not pivot.tables[0].title else None
    return xlsx.to_bytes(book)
