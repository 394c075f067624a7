"""The .xlsx template of a ledger type and reading a filled one back (no database access).

Row 1: the column headings (单位编码, 标题, 开始日期, 结束日期, then each field's label);
row 2: how to fill each column (kept on import: it starts with “填写说明”); data from row 3.
The file is read by `weijian.xlsx.read_book` (zip sizes checked first, only the cells present,
formulas refused, a time budget) and written by `weijian.xlsx.to_bytes` (text stays text).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from weijian import xlsx
from weijian.uploads import Limits, UploadRefused

from .schema import FieldSpec, Kind

FIXED = [("UNIT", "单位编码"), ("TITLE", "标题"), ("START", "开始日期"), ("END", "结束日期")]
HINT_MARK = "填写说明"
MAX_ROWS = 2000


class SheetProblem(ValueError):
    """The file itself cannot be read (not .xlsx, headings missing…), in Chinese."""


@dataclass(frozen=True)
class SheetRow:
    number: int  # the Excel row number, as the user sees it
    cells: dict[str, Any]  # by key: UNIT, TITLE, START, END and the field keys


def _hint(spec: FieldSpec) -> str:
    if spec.kind == Kind.CHOICE:
        return "选填：" + "/".join(spec.options)
    return {
        Kind.COUNTER: "整数，不小于 0",
        Kind.NUMBER: "数字",
        Kind.DATE: "日期，如 2026-03-05",
        Kind.BOOLEAN: "是 或 否",
        Kind.PEOPLE: "多人用“、”分隔",
    }.get(spec.kind, "文字")


def template(type_name: str, fields: list[FieldSpec], units: Iterable[tuple[str, str]]) -> bytes:
    """A blank import sheet for the type, with a second sheet listing the units one may use."""
    book = Workbook()
    sheet = book.active
    sheet.title = type_name.replace("/", "、")[:30]
    headings = [label for _, label in FIXED] + [f.label for f in fields]
    hints = [f"{HINT_MARK}：本行不导入", "必填", "必填，如 2026-03-05", "不填则同开始日期"]
    hints += [("必填；" if f.required else "") + _hint(f) for f in fields]
    sheet.append(headings)
    sheet.append(hints)
    bold, grey = Font(bold=True), Font(color="808080", size=9)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for column, _ in enumerate(headings, 1):
        sheet.cell(1, column).font = bold
        sheet.cell(1, column).fill = fill
        sheet.cell(2, column).font = grey
        sheet.cell(2, column).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = 16 if column > 2 else 22
    sheet.freeze_panes = "A3"
    for offset, spec in enumerate(fields, len(FIXED) + 1):
        if spec.kind in (Kind.CHOICE, Kind.BOOLEAN):
            options = spec.options if spec.kind == Kind.CHOICE else ("是", "否")
            letter = get_column_letter(offset)
            rule = DataValidation(type="list", formula1='"' + ",".join(options) + '"')
            rule.add(f"{letter}3:{letter}{MAX_ROWS + 2}")
            sheet.add_data_validation(rule)
    listing = book.create_sheet("可填单位")
    listing.append(["单位编码", "单位名称"])
    for code, name in units:
        listing.append([code, name])
    listing.column_dimensions["A"].width = 18
    listing.column_dimensions["B"].width = 36
    return xlsx.to_bytes(book)


def read_rows(data: bytes, fields: list[FieldSpec], limits: Limits) -> list[SheetRow]:
    """The filled rows of an import sheet, by key. Raises SheetProblem if the file is not a
    sheet of this type (unknown or missing headings), or cannot be read within `limits`."""
    try:
        sheet = xlsx.read_book(data, limits, what="导入文件").first()
    except UploadRefused as exc:
        raise SheetProblem(exc.message) from None
    rows = sheet.rows()
    first = next(rows, None)
    if first is None or first[0] != 1:
        raise SheetProblem("表格是空的：第 1 行应为列标题（请先下载导入模板）")
    columns = _columns(first[1], fields)
    result = []
    for number, found in rows:
        cells = {key: found.get(column) for column, key in columns.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        if isinstance(found.get(1), str) and found[1].startswith(HINT_MARK):
            continue
        result.append(SheetRow(number, cells))
        if len(result) > MAX_ROWS:
            raise SheetProblem(f"一次最多导入 {MAX_ROWS} 行")
    if not result:
        raise SheetProblem("表格中没有数据行（从第 3 行开始填写）")
    return result


def _columns(header: dict[int, Any], fields: list[FieldSpec]) -> dict[int, str]:
    """Column number → key, from the heading row; SheetProblem naming unknown and missing ones."""
    by_label = {label: key for key, label in FIXED} | {f.label: f.key for f in fields}
    columns: dict[int, str] = {}
    unknown = []
    for column, heading in sorted(header.items()):
        text = str(heading).strip()
        if not text:
            continue
        if text not in by_label:
            unknown.append(text)
        else:
            columns[column] = by_label[text]
    missing = [label for key, label in FIXED[:3] if key not in columns.values()]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(f"缺少列：{'、'.join(missing)}")
        if unknown:
            parts.append(f"无法识别的列：{'、'.join(unknown)}")
        raise SheetProblem("；".join(parts) + "（请使用本类型的导入模板）")
    return columns
