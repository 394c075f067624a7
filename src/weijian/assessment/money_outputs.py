"""The money's documents: the allocation table (分配表: score, base, weight, 点值, floors, caps,
vetoes, 预拨 and the balance) as .xlsx and as an official .docx, and the payment list (发放清单:
each unit, and each person where the department's 二次分配 is approved)."""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from weijian import periods, xlsx
from weijian.documents.docx import OfficialDocument
from weijian.inspections.templates_io import BOX, CENTER

from .models import DistributionStatus, Pool, PoolShare
from .numbers import plain_yuan, pts, yuan

ALLOCATION_WIDTHS = [46, 16, 16, 24, 30, 24]  # mm, within the 156 mm text block


def shares(pool: Pool) -> list[PoolShare]:
    return list(pool.shares.select_related("org_unit").order_by("org_unit__path"))


def _title(pool: Pool) -> str:
    return f"{periods.parse(pool.run.period).label}{pool.name}分配表"


def allocation_xlsx(pool: Pool) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "分配表"
    sheet.append([_title(pool)])
    sheet.merge_cells("A1:L1")
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(
        [f"资金总额 {plain_yuan(pool.amount)} 元；分配方法：{pool.get_basis_display()}；"
         f"点值 {pool.point_value if pool.point_value is not None else '—'}；结余 {plain_yuan(pool.returned)} 元"]
    )  # fmt: skip
    header = [
        "单位", "考核得分", "等次", pool.base_label or "基数", "分配权重", "保底/封顶", "否决扣减",
        "应发金额", "预拨金额", "结算差额", "计算说明",
    ]  # fmt: skip
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = CENTER
        cell.fill = PatternFill("solid", fgColor="E8F0FB")
    for s in shares(pool):
        sheet.append(
            [
                s.org_unit.ancestor_names(), _f(s.score), s.grade, _f(s.base), _f(s.weight),
                "保底" if s.at_floor else ("封顶" if s.at_cap else ""), _f(s.withheld),
                _f(s.amount), _f(s.advanced), _f(s.balance), s.explanation,
            ]
        )  # fmt: skip
    sheet.append(
        ["合计", None, None, None, None, None, None, float(sum(s.amount for s in shares(pool)))]
    )
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
        for cell in row:
            cell.border = BOX
    for index, width in enumerate([30, 9, 7, 10, 12, 9, 10, 13, 13, 13, 50], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _print_setup(sheet)
    return _save(book)


def payment_xlsx(pool: Pool) -> bytes:
    """发放清单: units, and the staff of departments whose 二次分配 is approved or posted."""
    book = Workbook()
    sheet = book.active
    sheet.title = "发放清单"
    sheet.append([f"{periods.parse(pool.run.period).label}{pool.name}发放清单"])
    sheet.merge_cells("A1:F1")
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.append(["单位", "姓名", "岗位", "职称", "金额（元）", "备注"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F0FB")
    for s in shares(pool):
        dist = getattr(s, "distribution", None)
        if dist is not None and dist.status in (
            DistributionStatus.APPROVED,
            DistributionStatus.POSTED,
        ):
            for line in dist.lines.all():
                sheet.append(
                    [
                        s.org_unit.ancestor_names(),
                        line.name,
                        line.post,
                        line.title,
                        float(line.amount),
                        "二次分配",
                    ]
                )
        else:
            note = "追回" if s.balance is not None and s.balance < 0 else ""
            amount = s.balance if s.balance is not None else s.amount
            sheet.append(
                [
                    s.org_unit.ancestor_names(),
                    "",
                    "",
                    "",
                    float(amount),
                    note or ("结算补拨" if s.balance is not None else ""),
                ]
            )
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row):
        for cell in row:
            cell.border = BOX
    for index, width in enumerate([30, 10, 10, 10, 14, 12], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _print_setup(sheet)
    return _save(book)


def allocation_docx(pool: Pool, day: dt.date) -> bytes:
    run = pool.run
    doc = OfficialDocument(_title(pool))
    label = periods.parse(run.period).label
    doc.paragraph(
        f"根据《{run.scheme.name}》{label}考核结果，{pool.name}共 {yuan(pool.amount)}，"
        f"按“{pool.get_basis_display()}”分配"
        + (f"，点值 {pool.point_value.normalize():f} 元" if pool.point_value is not None else "")
        + (f"，结余 {yuan(pool.returned)}" if pool.returned else "")
        + "。各单位分配情况如下。"
    )
    doc.table(
        ["单位", "得分", "等次", pool.base_label or "基数", "应发金额（元）", "说明"],
        [
            [
                s.org_unit.ancestor_names(),
                pts(s.score),
                s.grade,
                pts(s.base),
                plain_yuan(s.amount),
                _note(s),
            ]
            for s in shares(pool)
        ],  # fmt: skip
        column_widths_mm=ALLOCATION_WIDTHS,
    )
    for note in pool.notes:
        doc.paragraph(note)
    doc.signature(pool.owner.name, day)
    return doc.to_bytes()


def _note(s: PoolShare) -> str:
    parts = []
    if s.at_floor:
        parts.append("按保底")
    if s.at_cap:
        parts.append("按封顶")
    if s.withheld:
        parts.append(f"否决扣减{plain_yuan(s.withheld)}")
    if s.balance is not None:
        parts.append(
            f"已预拨{plain_yuan(s.advanced)}，{'追回' if s.balance < 0 else '补拨'}{plain_yuan(abs(s.balance))}"
        )
    return "，".join(parts)


def _f(value):
    return None if value is None else float(value)


def _print_setup(sheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _save(book) -> bytes:
    return xlsx.to_bytes(book)  # text that looks like a formula stays text
