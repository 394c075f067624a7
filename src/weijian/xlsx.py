"""Spreadsheets in and out, safely (Django-free; every app's Excel import and export uses it).

Out: `to_bytes(book)` saves a workbook after making every text cell plain text. Text that
starts with = + - @, a tab or a carriage return is what Excel, WPS and LibreOffice take for a
formula when it is typed, pasted or re-entered (OWASP "CSV injection"); openpyxl even writes a
string starting with “=” as a live formula. Such cells are written as strings and marked
quotePrefix (the OOXML flag behind a leading apostrophe), so the office suite shows the text
as typed and keeps it text when someone edits the cell.

In: `read_book(data, limits)` reads the cells actually present in an uploaded .xlsx. A sheet
whose XML names a far-away cell (`XFD1048576`) or declares a huge dimension costs no more
than its real cells: nothing is padded. Any cell holding a formula is refused, naming the
cell — with or without a cached result, because the result is whatever the file says it is.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .uploads import Budget, Limits, UploadRefused, check_zip

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_FORMULAS_NAMED = 5


# -- writing ---------------------------------------------------------------------------------


def is_risky_text(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def keep_as_text(cell) -> None:
    """Make a cell holding risky text a plain string cell, shown exactly as written."""
    if is_risky_text(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def to_bytes(book) -> bytes:
    """The workbook as .xlsx bytes, every risky text cell kept as text (see the docstring)."""
    for sheet in book.worksheets:
        # `_cells` holds only the cells written; iter_rows() would create every empty cell
        # of the used range.
        for cell in list(sheet._cells.values()):
            keep_as_text(cell)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- reading ---------------------------------------------------------------------------------


@dataclass
class Sheet:
    """The non-empty cells of one worksheet, by (row, column), both from 1 as Excel counts."""

    title: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)

    def value(self, row: int, column: int):
        return self.cells.get((row, column))

    def rows(self, first: int = 1, last: int | None = None) -> Iterator[tuple[int, dict]]:
        """(row number, {column: value}) of each row holding a value, in order."""
        by_row: dict[int, dict[int, object]] = {}
        for (row, column), value in self.cells.items():
            if row >= first and (last is None or row <= last):
                by_row.setdefault(row, {})[column] = value
        for row in sorted(by_row):
            yield row, by_row[row]

    def row_values(self, row: int, width: int) -> tuple:
        """Row `row` as a tuple of `width` values (None where empty), for header-driven readers."""
        return tuple(self.cells.get((row, column)) for column in range(1, width + 1))

    @property
    def max_column(self) -> int:
        return max((column for _, column in self.cells), default=0)


@dataclass
class Book:
    sheets: dict[str, Sheet]  # in the workbook's order

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheets)

    def first(self) -> Sheet:
        return next(iter(self.sheets.values()))


def read_book(data: bytes, limits: Limits, what: str = "Excel 文件", budget=None) -> Book:
    """The cells present in an uploaded .xlsx, after `check_zip`; UploadRefused (Chinese) for a
    file that is not a workbook, too large, too slow, or holds formulas."""
    names = check_zip(data, limits, what, kind=" Excel（.xlsx）文件")
    if "xl/workbook.xml" not in names:
        raise UploadRefused("上传的文件不是 Excel（.xlsx）文件（可能是 Word 或其他压缩文件）")
    budget = budget or Budget(limits.seconds, what)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many exception types on malformed parts
        raise UploadRefused(
            f"{what}已损坏或不是有效的 Excel（.xlsx）文件，无法读取；"
            "请在 Excel 或 WPS 中重新保存为 .xlsx 后再上传"
        ) from None
    try:
        sheets, formulas, count = {}, [], 0
        for worksheet in book.worksheets:
            budget.check()
            sheet = Sheet(worksheet.title)
            for cell in _present_cells(book, worksheet, budget):
                if cell["data_type"] == "f":
                    formulas.append(f"工作表“{sheet.title}”的单元格 {_coordinate(cell)}")
                    continue
                if cell["value"] is None or cell["value"] == "":
                    continue
                count += 1
                if count > limits.max_cells:
                    raise UploadRefused(
                        f"{what}中有数据的单元格超过 {limits.max_cells} 个，不是本系统的导入文件；"
                        "请删去多余的内容后再上传"
                    )
                sheet.cells[(cell["row"], cell["column"])] = cell["value"]
            sheets[sheet.title] = sheet
    except UploadRefused:
        raise
    except Exception:  # malformed sheet XML surfaces only while iterating
        raise UploadRefused(f"{what}已损坏，其中的工作表无法读取；请重新保存后再上传") from None
    finally:
        book.close()
    if formulas:
        raise UploadRefused(_formula_message(formulas))
    if not sheets:
        raise UploadRefused(f"{what}中没有工作表")
    return Book(sheets)


def _present_cells(book, worksheet, budget: Budget) -> Iterator[dict]:
    """Each cell written in the sheet's XML, without the padding openpyxl's row iterators add
    (they fill every row up to the sheet's declared dimension). This is the parser openpyxl's
    own read-only worksheet runs (openpyxl is pinned; tests/test_xlsx.py covers it)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=False,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for _, cells in parser.parse():
            budget.check()
            yield from cells


def _coordinate(cell: dict) -> str:
    return f"{get_column_letter(cell['column'])}{cell['row']}"


def _formula_message(formulas: list[str]) -> str:
    named = "、".join(formulas[:MAX_FORMULAS_NAMED])
    more = f"等 {len(formulas)} 个单元格" if len(formulas) > MAX_FORMULAS_NAMED else ""
    return (
        f"文件中含有公式：{named}{more}；系统只接受直接填写的数值和文字，不接受公式"
        "（公式的计算结果无法核实）。请把这些单元格改为数值"
        "（复制后“选择性粘贴 → 数值”）再上传"
    )
