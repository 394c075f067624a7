"""Report forms as Excel workbooks: download (blank or filled) and upload.

The sheet looks like the paper form a health office prints and signs: title, 填报单位 /
报告期 / 报表编码, a table 序号 | 项目 | 分组 | 计量单位 | 数值 | 备注/口径 with one row per input
cell, and a signature footer. Only the yellow 数值 cells are editable (the sheet is protected
without a password, so nobody types into a label by accident).

Two hidden things let an upload map back reliably, whatever the user did to the visible text:
a very-hidden sheet with the form, unit and period codes (signed), and two hidden columns per
data row with ``ELEMENT.OPTION`` and a signature of that code bound to the form, unit and
period. A row copied from another unit's file, or a code edited by hand, fails its signature.

Upload rules (what a health-office user expects from "the sheet is the whole form"):

* A blank 数值 cell means "no value": the stored value, if any, is removed (audited). A file
  in which every cell is blank is refused when values are stored, because that is almost
  always the wrong file (an untouched blank template), never an intended mass deletion.
* A data row deleted from the sheet leaves that cell's stored value untouched.
* Two rows carrying the same code are refused ("与第 N 行重复"); so are unknown codes, tampered
  codes and values typed into rows that are not template rows. Every problem is listed with
  its row number, and nothing is saved.
* A formula in any cell is refused, naming the cell, cached result or not: the result is
  whatever the file claims. Text is written back as text (`weijian.xlsx.to_bytes`).
* The file is read by `weijian.xlsx.read_book`: its zip sizes checked before unpacking, only
  the cells present read (a far-away cell costs one cell), within a time budget.
* Rows of system-managed elements are shown for reference and ignored on upload.
* Re-uploading an unchanged file changes nothing (SaveResult.changed == 0), and makes no
  draft report where none was started.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.conf import settings
from django.core import signing
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from weijian import periods, xlsx
from weijian.orgs.models import OrgUnit
from weijian.uploads import Limits, UploadRefused

from . import actions, queries
from .models import DEFAULT_OPTION_CODE, DataElement, Form, Submission, ValueType
from .values import ValueProblem, clean_value

# -- layout ------------------------------------------------------------------------------

FONT_NAME = "宋体"  # SimSun on Windows/WPS; fontconfig maps it to a CJK serif elsewhere
COLUMNS = [  # (header, width in Excel character units; a CJK glyph takes about two)
    ("序号", 6),
    ("项目（指标名称）", 30),
    ("分组", 8),
    ("计量单位", 10),
    ("数值", 16),
    ("备注/口径", 32),
]
LAST_VISIBLE = len(COLUMNS)
COL_VALUE = 5
COL_CODE, COL_SIGNATURE = 7, 8  # hidden
HEADER_CODE, HEADER_SIGNATURE = "识别码", "校验码"
TITLE_ROW, INFO_ROW, HEADER_ROW = 1, 2, 3
END_MARK = "#END"  # in the code column of the footer row: the data area stops there

META_SHEET = "weijian"
META_FORMAT = "weijian-form/1"
SIGNING_SALT = "weijian.reporting.excel"

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: "type here"
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
SYSTEM_FILL = PatternFill("solid", fgColor="EDEDED")
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
# A one-character indent keeps text off the cell borders, as on a typeset paper form.
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
RIGHT = Alignment(horizontal="right", vertical="center", indent=1)

# Excel keeps 15 significant digits; longer numbers are written as text so they survive.
EXCEL_DIGITS = 15
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) container

NOTES = (
    "填表说明：1. 只在黄色的“数值”单元格中填写，其他单元格已保护；"
    "2. 上传时，空白的数值单元格表示该项无数据，系统中该项已保存的值将被清除；"
    "3. 请勿增删行、修改隐藏列或隐藏工作表，否则系统无法识别；"
    "4. 上传的文件必须是本单位、本期、本报表的模板。"
)


def font(size: int = 11, bold: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold)


# -- signatures ------------------------------------------------------------------------


def _signer() -> signing.Signer:
    return signing.Signer(salt=SIGNING_SALT)


def _identity(form_code: str, unit_code: str, period_id: str) -> str:
    return f"{form_code}|{unit_code}|{period_id}"


def _sign(payload: str) -> str:
    return _signer().signature(payload)


def _signature_ok(payload: str, signature) -> bool:
    # unsign() rather than comparing ourselves: it is constant-time and honours
    # SECRET_KEY_FALLBACKS, so files survive a key rotation.
    try:
        _signer().unsign(f"{payload}:{signature or ''}")
    except signing.BadSignature:
        return False
    return True


# -- download ----------------------------------------------------------------------------


def build_workbook(form: Form, org_unit: OrgUnit, period: periods.Period, *, filled: bool) -> bytes:
    """The form as an .xlsx for one unit and period; with the stored values when `filled`."""
    cells = queries.form_cells(form)
    stored = {}
    if filled:
        stored = queries.stored_values(org_unit, period.id, {c.element.pk for c in cells})
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(form.name)
    identity = _identity(form.code, org_unit.code, period.id)
    _write_heading(sheet, form, org_unit, period)
    last_row = _write_body(sheet, cells, stored, identity)
    _write_footer(sheet, last_row + 2)
    _set_up_page(sheet)
    _write_meta(book, form, org_unit, period, filled, sheet.title)
    book.properties.title = f"{form.name}（{period.label}）"
    book.properties.creator = "卫健工作台"
    return xlsx.to_bytes(book)


def _sheet_title(name: str) -> str:
    # Excel refuses these characters in sheet names and more than 31 characters.
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")
    return cleaned[:31] or "报表"


def _write_heading(sheet: Worksheet, form: Form, org_unit: OrgUnit, period: periods.Period):
    _merged(sheet, TITLE_ROW, 1, LAST_VISIBLE, form.name, font(18, bold=True), CENTER)
    sheet.row_dimensions[TITLE_ROW].height = 40
    _merged(sheet, INFO_ROW, 1, 3, f"填报单位：{org_unit.ancestor_names()}", font(), LEFT)
    _merged(sheet, INFO_ROW, 4, 5, f"报告期：{period.label}", font(), LEFT)
    _merged(sheet, INFO_ROW, 6, 6, f"报表编码：{form.code}", font(), RIGHT)
    sheet.row_dimensions[INFO_ROW].height = 24
    headers = [h for h, _ in COLUMNS] + [HEADER_CODE, HEADER_SIGNATURE]
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(HEADER_ROW, column, text)
        cell.font, cell.alignment = font(bold=True), CENTER
        cell.fill, cell.border = HEADER_FILL, BOX
    sheet.row_dimensions[HEADER_ROW].height = 30
    for column, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for column in (COL_CODE, COL_SIGNATURE):
        sheet.column_dimensions[get_column_letter(column)].hidden = True


def _merged(sheet, row, first, last, text, cell_font, alignment, fill=None):
    cell = sheet.cell(row, first, text)
    cell.font, cell.alignment = cell_font, alignment
    if fill is not None:
        cell.fill = fill
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    return cell


def _write_body(sheet: Worksheet, cells, stored, identity: str) -> int:
    """Section rows and one row per cell; returns the last row written."""
    row, number = HEADER_ROW, 0
    validations = _Validations(sheet)
    for section, section_cells in groupby(cells, key=lambda c: c.form_element.section):
        if section is not None:
            row += 1
            _write_section(sheet, row, section.name)
        for _, element_cells in groupby(section_cells, key=lambda c: c.form_element.pk):
            element_cells = list(element_cells)
            number += 1
            first = row + 1
            for cell in element_cells:
                row += 1
                _write_cell_row(sheet, row, cell, stored.get(cell.key), identity, validations)
            _merge_element_rows(sheet, first, row, number)
    return row


def _write_section(sheet: Worksheet, row: int, name: str) -> None:
    _merged(sheet, row, 1, LAST_VISIBLE, name, font(bold=True), LEFT, SECTION_FILL)
    for column in range(1, LAST_VISIBLE + 1):
        sheet.cell(row, column).border = BOX
    sheet.row_dimensions[row].height = 22


def _write_cell_row(sheet, row, cell, stored, identity, validations) -> None:
    element = cell.element
    option = "" if cell.option.code == DEFAULT_OPTION_CODE else cell.option.name
    remark = _remark(element, cell.form_element.required)
    texts = [None, element.name, option, element.unit, None, remark]
    for column, text in enumerate(texts, start=1):
        target = sheet.cell(row, column, text)
        target.font, target.border = font(), BOX
        target.alignment = LEFT if column in (2, 6) else CENTER
    _write_value_cell(sheet.cell(row, COL_VALUE), element, stored, validations)
    code = f"{element.code}.{cell.option.code}"
    sheet.cell(row, COL_CODE, code)
    sheet.cell(row, COL_SIGNATURE, _sign(f"{identity}|{code}"))
    value_text = stored.value if stored is not None else ""
    lines = max(
        _lines(element.name, _width(2)), _lines(remark, _width(6)), _lines(value_text, _width(5))
    )
    sheet.row_dimensions[row].height = max(22, 15 * lines + 6)


def _merge_element_rows(sheet: Worksheet, first: int, last: int, number: int) -> None:
    """序号, 项目 and 计量单位 span the option rows of one element, as on the paper form."""
    sheet.cell(first, 1, number)
    if last > first:
        for column in (1, 2, 4):
            sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)


def _write_value_cell(target, element: DataElement, stored, validations) -> None:
    target.border, target.font = BOX, font()
    target.value = _download_value(element, stored)
    if element.system_managed:
        target.fill = SYSTEM_FILL
        target.alignment = RIGHT
        return
    target.fill, target.protection = INPUT_FILL, UNLOCKED
    if element.value_type == ValueType.TEXT:
        target.number_format, target.alignment = "@", LEFT
    elif element.value_type == ValueType.BOOLEAN:
        target.alignment = CENTER
    else:
        target.alignment = RIGHT
        if element.value_type in (ValueType.INTEGER_ZERO_OR_POSITIVE, ValueType.INTEGER):
            target.number_format = "0"
    validations.add(element, target.coordinate)


def _download_value(element: DataElement, stored):
    """The stored value as Excel should hold it: numbers as numbers, 是/否 as words."""
    if stored is None:
        return None
    if element.value_type == ValueType.TEXT:
        return stored.value
    if element.value_type == ValueType.BOOLEAN:
        return "是" if stored.number == 1 else "否"
    digits = sum(ch.isdigit() for ch in stored.value)
    # Text stays text when too long for Excel's precision, or when the element's type was
    # changed after values were stored (the upload check will then say what is wrong).
    if digits > EXCEL_DIGITS or stored.number is None:
        return stored.value
    return float(stored.value) if "." in stored.value else int(stored.value)


def _remark(element: DataElement, required: bool) -> str:
    parts = []
    if element.system_managed:
        parts.append("系统自动生成，无需填写")
    elif not required:
        parts.append("选填")
    if element.value_type == ValueType.BOOLEAN:
        parts.append("填“是”或“否”")
    elif element.value_type == ValueType.PERCENTAGE:
        parts.append("0–100")
    if element.description:
        parts.append(element.description.strip())
    return "；".join(parts)


def _width(column: int) -> int:
    return COLUMNS[column - 1][1]


def _lines(text, width: int) -> int:
    """How many lines `text` wraps to in a column of `width` (CJK glyphs count double)."""
    if not text:
        return 1
    lines = 0
    for part in str(text).split("\n"):
        units = sum(2 if ord(ch) >= 0x2E80 else 1 for ch in part)
        lines += max(1, math.ceil(units / max(width - 2, 1)))
    return lines


class _Validations:
    """One DataValidation per distinct rule, so a long form does not carry hundreds."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.rules: dict[tuple, DataValidation] = {}

    def add(self, element: DataElement, coordinate: str) -> None:
        rule = _validation_rule(element)
        if rule is None:
            return
        if rule not in self.rules:
            kind, low, high, message = rule
            self.rules[rule] = _data_validation(kind, low, high, message)
            self.sheet.add_data_validation(self.rules[rule])
        self.rules[rule].add(coordinate)


def _validation_rule(element: DataElement) -> tuple | None:
    value_type = element.value_type
    if value_type == ValueType.BOOLEAN:
        return ("list", None, None, "请选择“是”或“否”")
    if value_type == ValueType.TEXT:
        return None
    kind = "decimal" if value_type in (ValueType.NUMBER, ValueType.PERCENTAGE) else "whole"
    low, high = _bounds(element)
    words = "整数" if kind == "whole" else "数字"
    if low is not None and high is not None:
        return (kind, low, high, f"请填写 {low} 到 {high} 之间的{words}")
    if low is not None:
        return (kind, low, None, f"请填写不小于 {low} 的{words}")
    if high is not None:
        return (kind, None, high, f"请填写不大于 {high} 的{words}")
    return (kind, None, None, f"请填写{words}")


def _bounds(element: DataElement) -> tuple[str | None, str | None]:
    def plain(number):
        return None if number is None else format(Decimal(str(number)).normalize(), "f")

    low, high = element.min_value, element.max_value
    if element.value_type == ValueType.INTEGER_ZERO_OR_POSITIVE:
        low = max(low, 0) if low is not None else 0
    if element.value_type == ValueType.PERCENTAGE:
        low = max(low, 0) if low is not None else 0
        high = min(high, 100) if high is not None else 100
    return plain(low), plain(high)


def _data_validation(kind: str, low, high, message: str) -> DataValidation:
    options = {
        "allow_blank": True,
        "showErrorMessage": True,
        "errorTitle": "数值不正确",
        "error": message,
    }
    if kind == "list":
        return DataValidation(type="list", formula1='"是,否"', **options)
    if low is not None and high is not None:
        return DataValidation(type=kind, operator="between", formula1=low, formula2=high, **options)
    if low is not None:
        return DataValidation(type=kind, operator="greaterThanOrEqual", formula1=low, **options)
    if high is not None:
        return DataValidation(type=kind, operator="lessThanOrEqual", formula1=high, **options)
    # No bounds: still refuse text; Excel needs some range, so take the widest we accept.
    return DataValidation(
        type=kind,
        operator="between",
        formula1="-99999999999999",
        formula2="99999999999999",
        **options,
    )


def _write_footer(sheet: Worksheet, row: int) -> None:
    for first, last, text in ((1, 2, "填表人："), (3, 4, "审核人："), (5, 6, "填报日期：")):
        cell = _merged(sheet, row, first, last, text, font(), LEFT)
        cell.protection = UNLOCKED  # people type their names here before printing
    sheet.cell(row, COL_CODE, END_MARK)
    sheet.row_dimensions[row].height = 28
    notes = _merged(sheet, row + 2, 1, LAST_VISIBLE, NOTES, font(9), LEFT)
    notes.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    sheet.row_dimensions[row + 2].height = 15 * _lines(NOTES, sum(w for _, w in COLUMNS)) + 6


def _set_up_page(sheet: Worksheet) -> None:
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{get_column_letter(LAST_VISIBLE)}{sheet.max_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_PORTRAIT
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.sheet_view.showGridLines = False
    # Protected without a password: guards against typing into labels, not against people.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False
    sheet.protection.formatCells = False


def _write_meta(book, form, org_unit, period, filled: bool, sheet_title: str) -> None:
    meta = book.create_sheet(META_SHEET)
    rows = [
        ("format", META_FORMAT),
        ("说明", "本工作表供系统识别报表，请勿修改"),
        ("form", form.code),
        ("form_name", form.name),
        ("org_unit", org_unit.code),
        ("org_unit_name", org_unit.name),
        ("period", period.id),
        ("period_label", period.label),
        ("sheet", sheet_title),
        ("filled", "1" if filled else "0"),
        ("generated_at", timezone.localtime().isoformat(timespec="seconds")),
        ("signature", _sign(_identity(form.code, org_unit.code, period.id))),
    ]
    for key, value in rows:
        meta.append([key, value])
    meta.sheet_state = "veryHidden"  # not even listed under 取消隐藏


# -- upload ----------------------------------------------------------------------------


@dataclass
class _Upload:
    sheet: xlsx.Sheet  # the data sheet's non-empty cells
    meta: dict[str, str]


@dataclass
class _Columns:
    header_row: int
    value: int
    code: int
    signature: int


def import_workbook(user, form: Form, org_unit: OrgUnit, period_id: str, uploaded_file):
    """Save the values of an uploaded .xlsx made by `build_workbook`; all or nothing.

    Permission, period and lock are checked first, so an outsider or a locked report is told
    so before any cell is examined. Then the file must be this form, unit and period; every
    bad row is listed (ReportingError.problems) and nothing is saved. See the module
    docstring for what blank cells, missing rows and duplicates mean.
    """
    period = actions.resolve_period(form, period_id)
    actions.check_can_enter(user, form, org_unit, period)
    _check_editable(form, org_unit, period)
    upload = _open_upload(_read_upload(uploaded_file))
    _check_identity(upload.meta, form, org_unit, period)
    cells = {cell.key: cell for cell in queries.form_cells(form)}
    identity = _identity(form.code, org_unit.code, period.id)
    raw, where = _read_rows(upload, cells, identity)
    _refuse_blank_file(raw, cells, org_unit, period)
    name = getattr(uploaded_file, "name", "") or ""
    return actions.save_values(
        user, form, org_unit, period.id, raw,
        source=actions.Source.EXCEL, reason=f"Excel 导入：{name}".strip("：")[:500], where=where,
    )  # fmt: skip


def _check_editable(form: Form, org_unit: OrgUnit, period: periods.Period) -> None:
    # save_values checks this too, under a row lock; checking early spares the user a list of
    # cell problems for a report they could not change anyway.
    submission = Submission.objects.filter(
        form=form, org_unit=org_unit, period_id=period.id
    ).first()
    if submission is not None:
        actions.refuse_if_not_editable(submission, period)


def _read_upload(uploaded_file) -> bytes:
    limit = settings.WEIJIAN_MAX_UPLOAD_BYTES
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise actions.ReportingError(
            f"文件过大（{_megabytes(size)}），上传的文件不能超过 {_megabytes(limit)}"
        )
    # A file that cannot seek is read from where it stands.
    with contextlib.suppress(AttributeError, OSError, ValueError):
        uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise actions.ReportingError(f"文件过大，上传的文件不能超过 {_megabytes(limit)}")
    return data


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _open_upload(data: bytes) -> _Upload:
    _check_container(data)
    try:
        book = xlsx.read_book(data, Limits.from_settings(settings), what="报表文件")
    except UploadRefused as exc:
        raise actions.ReportingError(exc.message) from None
    if META_SHEET not in book.sheets:
        raise actions.ReportingError(
            "文件中缺少报表识别信息，不是从本系统下载的报表模板（或识别信息已被删除）；"
            "请在本系统下载模板，填写后再上传"
        )
    meta = {
        str(cells[1]).strip(): _text(cells.get(2))
        for _, cells in book.sheets[META_SHEET].rows()
        if cells.get(1) is not None
    }
    title = _data_sheet_title(book, meta.get("sheet", ""))
    return _Upload(book.sheets[title], meta)


def _check_container(data: bytes) -> None:
    """Say what a file is when it is plainly not an .xlsx; the archive's sizes, its parts and
    its cells are checked by weijian.xlsx."""
    if not data:
        raise actions.ReportingError("上传的文件是空的")
    if data.startswith(OLE_MAGIC):
        raise actions.ReportingError(
            "这是旧版 Excel 97-2003（.xls）文件；请在 Excel 或 WPS 中“另存为” .xlsx 格式后再上传"
        )
    if not data.startswith(b"PK"):
        raise actions.ReportingError(
            "上传的文件不是 Excel（.xlsx）文件，请上传本系统下载的报表模板"
        )


def _data_sheet_title(book, recorded: str) -> str:
    if recorded in book.sheetnames:
        return recorded
    # Renamed by the user: take the first sheet that is not the identification sheet.
    others = [name for name in book.sheetnames if name != META_SHEET]
    if not others:
        raise actions.ReportingError("文件中没有报表数据工作表，请重新下载模板")
    return others[0]


def _check_identity(meta: dict, form: Form, org_unit: OrgUnit, period: periods.Period) -> None:
    form_code, unit_code, period_id = meta.get("form"), meta.get("org_unit"), meta.get("period")
    if meta.get("format") != META_FORMAT or not (form_code and unit_code and period_id):
        raise actions.ReportingError(
            "文件中的报表识别信息不完整，无法确认是哪张报表；请在本系统重新下载模板填写"
        )
    if not _signature_ok(_identity(form_code, unit_code, period_id), meta.get("signature")):
        raise actions.ReportingError(
            "文件的识别信息校验失败（被改动过，或不是由本系统生成）；请在本系统重新下载模板填写"
        )
    if form_code != form.code:
        raise actions.ReportingError(
            f"该文件是“{meta.get('form_name') or form_code}”的报表，不是当前报表“{form.name}”；"
            "请下载本报表的模板填写"
        )
    if unit_code != org_unit.code:
        raise actions.ReportingError(
            f"该文件是“{meta.get('org_unit_name') or unit_code}”的报表，不是当前单位“{org_unit.name}”；"
            "请下载本单位的模板填写"
        )
    if period_id != period.id:
        raise actions.ReportingError(
            f"该文件是{meta.get('period_label') or period_id}的报表，不是当前期间{period.label}；"
            "请下载本期的模板填写"
        )


def _find_columns(sheet: xlsx.Sheet) -> _Columns:
    """Locate the header row by its texts, so an inserted column does not shift the codes."""
    for row, cells in sheet.rows(1, 30):
        texts = {str(value).strip(): column for column, value in cells.items()}
        if HEADER_CODE in texts and HEADER_SIGNATURE in texts and "数值" in texts:
            return _Columns(row, texts["数值"], texts[HEADER_CODE], texts[HEADER_SIGNATURE])
    raise actions.ReportingError(
        "找不到报表的表头（“数值”“识别码”列），文件结构已被改动；请重新下载模板填写"
    )


def _read_rows(upload: _Upload, cells: dict, identity: str):
    """(raw values, where labels) of every data row; ReportingError listing every bad row."""
    columns = _find_columns(upload.sheet)
    raw: dict[tuple[str, str], str] = {}
    where: dict[tuple[str, str], str] = {}
    seen: dict[tuple[str, str], int] = {}
    problems: list[actions.Problem] = []
    for row, found in upload.sheet.rows(first=columns.header_row + 1):
        code = _text(found.get(columns.code))
        if code == END_MARK:
            break
        value = found.get(columns.value)
        if not code:
            if _text(value):
                problems.append(_stray_row(row, value))
            continue
        signature = _text(found.get(columns.signature))
        problem = _check_row(row, code, signature, cells, identity, seen)
        if problem is not None:
            problems.append(problem)
            continue
        key = _key(code)
        seen[key] = row
        cell = cells[key]
        if cell.element.system_managed:
            continue  # shown for reference only; other apps write these values
        where[key] = _where(row, cell)
        raw[key] = _raw(value)
        problem = _value_problem(cell, raw[key], where[key])
        if problem is not None:
            problems.append(problem)
    if problems:
        raise actions.ReportingError(f"文件中有 {len(problems)} 处问题，未导入任何数据", problems)
    if not seen:
        raise actions.ReportingError(
            "文件中没有找到报表数据行（识别码列为空）；请使用本系统下载的模板"
        )
    return raw, where


def _check_row(row, code, signature, cells, identity, seen) -> actions.Problem | None:
    """The structural problem of one coded row, if any: tampered, unknown, duplicate. (A
    formula anywhere in the file was refused when it was read.)"""
    if not _signature_ok(f"{identity}|{code}", signature):
        return actions.Problem(
            f"第 {row} 行",
            f"识别码“{code}”被改动或来自其他文件，无法确认是哪项数据；请勿修改隐藏列",
        )
    key = _key(code)
    if key not in cells:
        return actions.Problem(
            f"第 {row} 行",
            f"识别码“{code}”不是本报表的数据项（可能已从报表中删除）；请重新下载模板",
        )
    if key in seen:
        return actions.Problem(
            _where(row, cells[key]), f"与第 {seen[key]} 行是同一数据项，同一项只能填写一行"
        )
    return None


def _stray_row(row: int, value) -> actions.Problem:
    return actions.Problem(
        f"第 {row} 行",
        f"该行不是模板中的数据行（没有识别码），其中的“{_text(value)[:20]}”无法导入；"
        "请填写在模板原有的行中",
    )


def _value_problem(cell, raw: str, where: str) -> actions.Problem | None:
    # The same check save_values makes; done here too so that value problems are listed
    # together with the structural ones above, in row order, in one refusal.
    try:
        clean_value(cell.element, raw)
    except ValueProblem as exc:
        return actions.Problem(where, str(exc), cell.field_name)
    return None


def _refuse_blank_file(raw: dict, cells: dict, org_unit: OrgUnit, period: periods.Period) -> None:
    if any(value != "" for value in raw.values()):
        return
    element_ids = {cells[key].element.pk for key in raw}
    if queries.stored_values(org_unit, period.id, element_ids):
        raise actions.ReportingError(
            "文件中所有数值都是空白，未导入（上传后会清除本期已保存的全部数据）；"
            "请确认上传的是填写好的文件。如确需清空，请在网页填报页面中删除"
        )


def _key(code: str) -> tuple[str, str]:
    element, _, option = code.partition(".")
    return element, option


def _where(row: int, cell) -> str:
    if cell.option.code == DEFAULT_OPTION_CODE:
        return f"第 {row} 行（{cell.element.name}）"
    return f"第 {row} 行（{cell.element.name}·{cell.option.name}）"


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _raw(value) -> str:
    """An Excel cell's value as the text a user would have typed; "" for blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        # Excel shows 15 significant digits; 0.1+0.2 must come back as 0.3, not 0.30000000000000004.
        return format(value, f".{EXCEL_DIGITS}g")
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
