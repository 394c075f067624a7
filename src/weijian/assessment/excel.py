"""考核方案 in and out of .xlsx, in the usual 考评表 layout (as the inspection checklists, whose
styles and column check this module reuses):

    类别 | 序号 | 考核内容 | 分值 | 考核标准 | 考核方法 | 评分标准 | 数据来源 | 数据绑定 | 计分方法 |
    计分参数 | 无数据时 | 分母为0时 | 考核科室

A row with a 计分方法 is an item (细则); a row without one is a dimension (维度), its 类别 saying
考核项目, 加分项 or 扣分项. An item belongs to the dimension whose 序号 is the longest prefix of
its own followed by a dot (1.2 → 1; B.1 → B). 数据绑定 and 计分参数 are JSON objects (e.g.
{"indicator": "HAI_INCIDENCE"} and {"target": "1.2", "direction": "lower"}); an empty cell is {}.
A sheet “说明” holds the scheme's settings, a sheet “否决事项” its veto rules.

Import replaces the scheme's draft (a new draft when every version is published) and is all
or nothing: the first bad row is named (“第7行：…”) and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.conf import settings as django_settings
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from weijian import xlsx
from weijian.inspections.templates_io import BOX, CENTER, WRAP, _num
from weijian.uploads import Limits, UploadRefused

from .actions.common import AssessmentError, log_scheme, require_manage
from .actions.schemes import NodeInput, VetoInput, _clean_node, new_version, save_veto
from .methods import LABELS as METHOD_LABELS
from .methods import Missing
from .models import AssessorOffice, Node, Scheme, SchemeVersion, Source, Trigger
from .numbers import pts
from .scoring import EFFECT_LABELS, SECTION_LABELS, Mode, Section

COLUMNS = [
    "类别", "序号", "考核内容", "分值", "考核标准", "考核方法", "评分标准", "数据来源", "数据绑定",
    "计分方法", "计分参数", "无数据时", "分母为0时", "考核科室",
]  # fmt: skip
WIDTHS = [9, 7, 26, 6, 30, 14, 30, 14, 24, 12, 26, 10, 10, 10]
VETO_COLUMNS = [
    "编号",
    "否决事项",
    "触发方式",
    "触发条件",
    "后果",
    "计0分的维度",
    "封顶等次",
    "扣减比例",
]
MISSING_TEXT = {Missing.ZERO: "计0分", Missing.FULL: "得满分", Missing.EXCLUDE: "不参与考核"}
SOURCE_TEXT = {
    Source.INDICATOR: "指标", Source.INSPECTION: "检查得分", Source.FINDINGS: "检查发现问题",
    Source.RECTIFICATION: "整改按期率", Source.LEDGER: "工作台账", Source.SURVEY: "满意度调查",
    Source.CONTRACT: "目标责任书", Source.EVIDENCE: "资料报送", Source.MANUAL: "人工评分",
}  # fmt: skip
TRIGGER_TEXT = {
    Trigger.LEDGER: "台账记录", Trigger.INSPECTION: "检查不合格", Trigger.SURVEY: "满意度低于底线",
    Trigger.INDICATOR: "指标越限", Trigger.MANUAL: "人工录入",
}  # fmt: skip


def _reverse(mapping: dict) -> dict:
    out = {str(v): k for k, v in mapping.items()}
    out.update({str(k): k for k in mapping})
    return out


SECTION_BY_TEXT = _reverse(SECTION_LABELS)
METHOD_BY_TEXT = _reverse(METHOD_LABELS)
MISSING_BY_TEXT = _reverse(MISSING_TEXT)
SOURCE_BY_TEXT = _reverse(SOURCE_TEXT)
TRIGGER_BY_TEXT = _reverse(TRIGGER_TEXT)
EFFECT_BY_TEXT = _reverse(EFFECT_LABELS)
CADENCE = {"MONTHLY": "按月", "QUARTERLY": "按季度", "YEARLY": "按年度"}


def _text_cell(sheet, row: int, column: int, value) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever it starts with


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False) if value else ""


# -- export --------------------------------------------------------------------------------------------


def export_xlsx(version: SchemeVersion) -> bytes:
    scheme = version.scheme
    book = Workbook()
    sheet = book.active
    sheet.title = "考评表"
    sheet.append([f"{scheme.name}（第{version.number}版）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = CENTER
    sheet.append(COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = CENTER
        cell.border = BOX
        cell.fill = PatternFill("solid", fgColor="E8F0FB")
    nodes = list(version.nodes.select_related("office"))
    children: dict[int | None, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def rows(parent_id):
        for node in sorted(children.get(parent_id, []), key=lambda n: (n.sort_order, n.pk)):
            yield node
            yield from rows(node.pk)

    for node in rows(None):
        item = node.pk not in children
        values = [
            "" if item else SECTION_LABELS.get(node.section, ""),
            node.code, node.name, _num(node.points), node.standard, node.method_text,
            node.rule_text,
            SOURCE_TEXT.get(node.source, "") if item else "",
            _json(node.binding) if item else "",
            METHOD_LABELS.get(node.method, node.method) if item else "",
            _json(node.params) if item else "",
            MISSING_TEXT.get(node.on_missing, "") if item else "",
            MISSING_TEXT.get(node.on_zero_denominator, "") if item else "",
            node.office.name if node.office else "",
        ]  # fmt: skip
        row = sheet.max_row + 1
        for column, value in enumerate(values, start=1):
            _text_cell(sheet, row, column, value)
        if not item:
            for cell in sheet[row]:
                cell.font = Font(bold=True)
    sheet.append(["合计", "", "", _num(version.total_points)])
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
        for cell in row:
            cell.border = BOX
            cell.alignment = WRAP
    _layout(sheet, WIDTHS)
    _settings_sheet(book, version)
    _veto_sheet(book, version)
    return xlsx.to_bytes(book)


def _layout(sheet, widths) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _settings_sheet(book, version: SchemeVersion) -> None:
    scheme = version.scheme
    info = book.create_sheet("说明")
    grades = "、".join(f"{name}≥{pts_text(minimum)}" for name, minimum in version.grades)
    for label, value in (
        ("编码", scheme.code), ("名称", scheme.name), ("年度", scheme.year),
        ("考核对象", scheme.population), ("文号", scheme.doc_number),
        ("考核周期", CADENCE.get(scheme.cadence, "")), ("总分", _num(version.total_points)),
        ("计分方式", "权重制" if version.mode == Mode.WEIGHTS else "分值制"), ("等次", grades),
        ("版本", version.number), ("生效日期", version.effective_from.isoformat()),
        ("修订说明", version.note),
    ):  # fmt: skip
        row = info.max_row + (0 if info.max_row == 1 and info["A1"].value is None else 1)
        _text_cell(info, row, 1, label)
        _text_cell(info, row, 2, value)
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 80


def pts_text(value) -> str:
    from decimal import Decimal

    return pts(Decimal(str(value)))


def _veto_sheet(book, version: SchemeVersion) -> None:
    sheet = book.create_sheet("否决事项")
    sheet.append(VETO_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for rule in version.vetoes.all():
        row = sheet.max_row + 1
        values = [
            rule.code, rule.name, TRIGGER_TEXT.get(rule.trigger, rule.trigger),
            _json(rule.condition), EFFECT_LABELS.get(rule.effect, rule.effect), rule.section,
            rule.grade, float(rule.share) if rule.share else "",
        ]  # fmt: skip
        for column, value in enumerate(values, start=1):
            _text_cell(sheet, row, column, value)
    for index, width in enumerate([8, 30, 14, 40, 16, 10, 10, 10], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


# -- import ------------------------------------------------------------------------------------------------


@dataclass
class Parsed:
    settings: dict
    nodes: list[tuple[int, NodeInput]] = field(default_factory=list)  # (row, input)
    vetoes: list[tuple[int, VetoInput]] = field(default_factory=list)


def _open(data: bytes) -> xlsx.Book:
    """The uploaded workbook's cells, read within the project's upload bounds (size, zip
    bombs, cell count, time; formulas refused) — `weijian.xlsx.read_book`."""
    try:
        return xlsx.read_book(data, Limits.from_settings(django_settings), what="考核方案文件")
    except UploadRefused as exc:
        raise AssessmentError(exc.message) from None


WIDEST = 40  # the 考评表 has 16 columns; anything far to the right is not ours


def _rows(sheet: xlsx.Sheet, first: int = 1, last: int | None = None, width: int = WIDEST):
    """(row number, values of columns A… up to `width`) of each row holding a value there;
    a cell far to the right (XFD1048576) neither widens the rows nor makes a row."""
    for r_index, _ in sheet.rows(first, last):
        values = sheet.row_values(r_index, width)
        if any(v not in (None, "") for v in values):
            yield r_index, values


def parse(data: bytes, owner) -> Parsed:
    book = _open(data)
    sheet = book.sheets["考评表"] if "考评表" in book.sheets else book.first()
    header_row, columns = None, {}
    for r_index, row in _rows(sheet, 1, 10):
        names = [str(c).strip() if c is not None else "" for c in row]
        if "序号" in names and "考核内容" in names and "分值" in names:
            header_row, columns = r_index, {name: i for i, name in enumerate(names) if name}
            break
    if header_row is None:
        raise AssessmentError("前 10 行中找不到表头（须有“序号”“考核内容”“分值”三列）")
    offices = {o.name: o for o in AssessorOffice.objects.filter(owner=owner)}
    parsed = Parsed(settings=_settings(book))
    codes: list[str] = []
    for r_index, row in _rows(sheet, header_row + 1):
        if not any(v not in (None, "") for v in row):
            continue

        def cell(name, row=row):
            i = columns.get(name)
            value = row[i] if i is not None and i < len(row) else None
            return "" if value is None else str(value).strip()

        if cell("类别") in ("合计", "总分") or cell("序号") in ("合计",):
            continue
        try:
            parsed.nodes.append((r_index, _node_row(cell, codes, offices)))
        except AssessmentError as exc:
            raise AssessmentError(f"第{r_index}行：{exc.message}") from None
        codes.append(parsed.nodes[-1][1].code)
    if not parsed.nodes:
        raise AssessmentError("表格中没有任何考核项目")
    if "否决事项" in book.sheets:
        parsed.vetoes = _veto_rows(book.sheets["否决事项"])
    return parsed


def _node_row(cell, codes: list[str], offices) -> NodeInput:
    code = cell("序号")
    if not code:
        raise AssessmentError("缺少序号")
    method_text = cell("计分方法")
    kind = "item" if method_text else "dimension"
    parent = max((c for c in codes if code.startswith(c + ".")), key=len, default="")
    section_text = cell("类别") or "考核项目"
    section = SECTION_BY_TEXT.get(section_text)
    if section is None:
        raise AssessmentError(f"类别“{section_text}”无效，应为 考核项目、加分项 或 扣分项")
    method = METHOD_BY_TEXT.get(method_text, "") if method_text else ""
    if method_text and not method:
        raise AssessmentError(f"计分方法“{method_text}”无效")
    source_text = cell("数据来源") or ("人工评分" if method == "manual" else "")
    source = SOURCE_BY_TEXT.get(source_text, "") if kind == "item" else ""
    if kind == "item" and not source:
        raise AssessmentError(f"数据来源“{source_text}”无效")
    office_name = cell("考核科室")
    office = offices.get(office_name) if office_name else None
    if office_name and office is None:
        raise AssessmentError(f"考核科室“{office_name}”不存在，请先在方案页设置考核科室")
    missing = {}
    for column, key in (("无数据时", "on_missing"), ("分母为0时", "on_zero_denominator")):
        text = cell(column)
        if text:
            if text not in MISSING_BY_TEXT:
                raise AssessmentError(f"“{column}”应为 计0分、得满分 或 不参与考核")
            missing[key] = MISSING_BY_TEXT[text]
    return NodeInput(
        code=code, name=cell("考核内容"), points=cell("分值"), kind=kind, parent=parent,
        section=section if not parent else Section.NORMAL, standard=cell("考核标准"),
        method_text=cell("考核方法"), rule_text=cell("评分标准"), source=source,
        binding=_json_cell(cell("数据绑定"), "数据绑定"), method=method,
        params=_json_cell(cell("计分参数"), "计分参数"), office=office, **missing,
    )  # fmt: skip


def _json_cell(text: str, what: str) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AssessmentError(
            f"“{what}”不是有效的 JSON（第 {exc.colno} 个字符处）：{text[:60]}"
        ) from None
    if not isinstance(value, dict):
        raise AssessmentError(f"“{what}”应为 {{…}} 形式的 JSON 对象")
    return value


def _settings(book) -> dict:
    if "说明" not in book.sheets:
        return {}
    out = {}
    for _, row in _rows(book.sheets["说明"], width=2):
        if row and row[0] not in (None, "") and len(row) > 1 and row[1] not in (None, ""):
            out[str(row[0]).strip()] = str(row[1]).strip()
    return out


def _veto_rows(sheet) -> list[tuple[int, VetoInput]]:
    out = []
    for r_index, row in _rows(sheet, 2, width=8):
        if not row or not any(v not in (None, "") for v in row):
            continue
        values = [("" if v is None else str(v).strip()) for v in (list(row) + [None] * 8)[:8]]
        code, name, trigger, condition, effect, section, grade, share = values
        where = f"“否决事项”第{r_index}行"
        if trigger not in TRIGGER_BY_TEXT:
            raise AssessmentError(f"{where}：触发方式“{trigger}”无效")
        if effect not in EFFECT_BY_TEXT:
            raise AssessmentError(f"{where}：后果“{effect}”无效")
        try:
            parsed_condition = _json_cell(condition, "触发条件")
        except AssessmentError as exc:
            raise AssessmentError(f"{where}：{exc.message}") from None
        out.append(
            (
                r_index,
                VetoInput(
                    code=code, name=name, trigger=TRIGGER_BY_TEXT[trigger],
                    effect=EFFECT_BY_TEXT[effect], condition=parsed_condition, section=section,
                    grade=grade, share=share or "0",
                ),
            )
        )  # fmt: skip
    return out


def import_xlsx(user, scheme: Scheme, data: bytes) -> SchemeVersion:
    """Replace the scheme's draft with the sheet (all or nothing)."""
    require_manage(user, scheme, "导入考核方案")
    parsed = parse(data, scheme.owner)
    code = parsed.settings.get("编码")
    if code and code != scheme.code:
        raise AssessmentError(f"表格的方案编码“{code}”与本方案“{scheme.code}”不一致，未导入")
    with transaction.atomic():
        draft = scheme.draft() or new_version(user, scheme, "由 Excel 导入")
        draft.vetoes.all().delete()
        draft.nodes.all().delete()
        _apply_settings(draft, parsed.settings)
        for index, (row, data_in) in enumerate(parsed.nodes, start=1):
            try:
                clean = _clean_node(draft, data_in, None)
            except AssessmentError as exc:
                raise AssessmentError(f"第{row}行：{exc.message}") from None
            Node.objects.create(version=draft, sort_order=index, **clean)
        for row, veto in parsed.vetoes:
            try:
                save_veto(user, draft, veto)
            except AssessmentError as exc:
                raise AssessmentError(f"“否决事项”第{row}行：{exc.message}") from None
        log_scheme(scheme, user, "导入考核方案", f"{len(parsed.nodes)} 行", draft)
    return draft


def _apply_settings(draft: SchemeVersion, settings: dict) -> None:
    from decimal import Decimal

    from . import scoring
    from .methods import MethodError
    from .numbers import NumberError, number

    try:
        if settings.get("总分"):
            draft.total_points = number(settings["总分"], "总分")
        if settings.get("计分方式"):
            draft.mode = Mode.WEIGHTS if settings["计分方式"] == "权重制" else Mode.POINTS
        if settings.get("生效日期"):
            draft.effective_from = dt.date.fromisoformat(settings["生效日期"][:10])
        if settings.get("等次"):
            grades = []
            for part in settings["等次"].replace(",", "、").replace("，", "、").split("、"):
                name, _, minimum = part.partition("≥")
                grades.append([name.strip(), str(number(minimum.strip() or "0", f"等次“{name}”"))])
            scoring.check_grades([scoring.Grade(n, Decimal(m)) for n, m in grades])
            draft.grades = grades
    except (NumberError, ValueError, MethodError) as exc:
        raise AssessmentError(f"“说明”页：{exc}") from None
    draft.save()
