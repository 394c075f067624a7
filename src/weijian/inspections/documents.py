"""The rectification notice (整改通知书) and the monthly 公示 list as official Word documents
(through `weijian.documents.docx`, GB/T 9704) and the 公示 list as .xlsx."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from weijian import xlsx
from weijian.documents.docx import OfficialDocument, chinese_date

from .models import NoticeStatus, RectificationNotice
from .scoring import fmt

NOTICE_WIDTHS = [14, 36, 86, 20]  # mm, within the 156 mm text block
RANKING_WIDTHS = [14, 62, 20, 20, 20, 20]


def notice_docx(notice: RectificationNotice) -> bytes:
    if notice.inspection is None:
        return _finding_notice_docx(notice)
    inspection = notice.inspection
    template = inspection.version.template
    issuer = notice.issuer_unit.name
    office = f"{issuer}{template.issuer}" if template.issuer else issuer
    doc = OfficialDocument("整改通知书", letterhead=issuer, doc_number=notice.number)
    doc.addressee(f"{notice.org_unit.name}：")
    verdict = "（一票否决）" if inspection.vetoed else ""
    doc.paragraph(
        f"{chinese_date(inspection.date)}，{office}按照《{template.name}》对你单位进行了检查，"
        f"得分 {fmt(inspection.score)} 分{verdict}。检查发现以下问题，现通知如下，"
        f"请认真整改，于{chinese_date(notice.deadline)}前将整改情况书面报{office}。"
    )
    doc.heading("存在问题")
    doc.table(
        ["序号", "考核项目", "发现问题", "扣分"],
        [[line["code"], line["content"], line["finding"], line["lost"]] for line in notice.items],
        column_widths_mm=NOTICE_WIDTHS,
    )
    doc.heading("整改要求")
    for line in notice.measures_required.splitlines():
        if line.strip():
            doc.paragraph(line.strip())
    doc.heading("整改责任人和期限")
    doc.paragraph(f"整改责任人：{notice.responsible}；整改期限：{chinese_date(notice.deadline)}。")
    if notice.answer:
        doc.heading("整改落实情况")
        doc.paragraph(notice.answer)
        if notice.status == NoticeStatus.CLOSED:
            doc.paragraph(
                f"复查意见：{notice.recheck_note or '整改到位'}，已于"
                f"{chinese_date(timezone.localtime(notice.rechecked_at).date())}复查销号。"
            )
    doc.signature(office, timezone.localtime(notice.issued_at).date())
    doc.paragraph("签收人：　　　　　　　签收日期：　　年　　月　　日", indent=False)
    return doc.to_bytes()


def _finding_notice_docx(notice: RectificationNotice) -> bytes:
    """A notice raised outside an inspection (an assessment's deductions): `origin` says why."""
    issuer = notice.issuer_unit.name
    doc = OfficialDocument("整改通知书", letterhead=issuer, doc_number=notice.number)
    doc.addressee(f"{notice.org_unit.name}：")
    doc.paragraph(
        f"{notice.origin}，发现以下问题。现通知如下，请认真整改，于"
        f"{chinese_date(notice.deadline)}前将整改情况书面报{issuer}。"
    )
    doc.heading("存在问题")
    doc.table(
        ["序号", "考核项目", "发现问题", "扣分"],
        [[line["code"], line["content"], line["finding"], line["lost"]] for line in notice.items],
        column_widths_mm=NOTICE_WIDTHS,
    )
    doc.heading("整改要求")
    for line in notice.measures_required.splitlines():
        if line.strip():
            doc.paragraph(line.strip())
    doc.heading("整改责任人和期限")
    doc.paragraph(f"整改责任人：{notice.responsible}；整改期限：{chinese_date(notice.deadline)}。")
    doc.signature(issuer, timezone.localtime(notice.issued_at).date())
    return doc.to_bytes()


def ranking_docx(title: str, issuer: str, month_label: str, rows, day: dt.date) -> bytes:
    doc = OfficialDocument(f"{month_label}{title}检查结果公示")
    doc.paragraph(
        f"根据{month_label}督查检查情况，现将各受检单位{title}得分及排名公示如下"
        f"（得分为当月各次检查的平均分）。公示期为 5 个工作日，如有异议，请向{issuer}反映。"
    )
    doc.table(
        ["名次", "受检单位", "检查次数", "得分", "上月得分", "较上月"],
        [
            [
                str(r.rank),
                r.unit.ancestor_names(),
                str(r.inspections),
                fmt(r.score),
                fmt(r.last_score) or "—",
                _change(r.change),
            ]
            for r in rows
        ],
        column_widths_mm=RANKING_WIDTHS,
    )
    doc.signature(issuer, day)
    return doc.to_bytes()


def _change(value) -> str:
    if value is None:
        return "—"
    if value == 0:
        return "持平"
    return f"+{fmt(value)}" if value > 0 else fmt(value)


def ranking_xlsx(title: str, month_label: str, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "公示"
    sheet.append([f"{month_label}{title}检查结果公示"])
    sheet.merge_cells("A1:F1")
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    header = ["名次", "受检单位", "检查次数", "得分", "上月得分", "较上月"]
    sheet.append(header)
    thin = Side(style="thin", color="888888")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F0FB")
    for r in rows:
        sheet.append(
            [
                r.rank,
                r.unit.ancestor_names(),
                r.inspections,
                float(r.score),
                float(r.last_score) if r.last_score is not None else None,
                float(r.change) if r.change is not None else None,
            ]
        )
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row):
        for cell in row:
            cell.border = box
    for letter, width in zip("ABCDEF", [8, 36, 10, 10, 10, 10], strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return xlsx.to_bytes(book)
