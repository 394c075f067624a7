"""Documents of a run: the 公示 (ranking) as .xlsx and as an official .docx, and each unit's
考核结果通知 with every deduction explained. Word documents go through the project's one
official-format writer (`weijian.documents.docx`, GB/T 9704)."""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from weijian import periods, xlsx
from weijian.documents.docx import OfficialDocument, chinese_date
from weijian.inspections.templates_io import BOX, CENTER

from . import queries
from .models import Run, Stage, UnitResult
from .numbers import pts

RANKING_WIDTHS = [14, 62, 22, 20, 38]  # mm, within the 156 mm text block
DEDUCTION_WIDTHS = [12, 34, 14, 14, 82]


def title_of(run: Run) -> str:
    return f"{periods.parse(run.period).label}{run.scheme.name.removesuffix('方案')}结果"


def _remark(r: UnitResult) -> str:
    parts = []
    if r.vetoed:
        parts.append("一票否决")
    if r.honours_revoked and not r.vetoed:
        parts.append("取消评先评优资格")
    return "；".join(parts)


def groups(run: Run) -> list[tuple[str, list[UnitResult]]]:
    """The ranking by peer group, in rank order ("" when the scheme has no groups)."""
    rows = list(queries.ranking(run))
    out: dict[str, list[UnitResult]] = {}
    for r in rows:
        out.setdefault(r.peer_group, []).append(r)
    return [
        (name, sorted(members, key=lambda r: (r.rank or 9999, r.org_unit.path)))
        for name, members in out.items()
    ]


def publicity_docx(run: Run, day: dt.date) -> bytes:
    scheme = run.scheme
    final = run.stage == Stage.FINAL
    label = periods.parse(run.period).label
    heading = f"关于{title_of(run)}的{'通报' if final else '公示'}"
    doc = OfficialDocument(heading)
    basis = f"《{scheme.name}》" + (f"（{scheme.doc_number}）" if scheme.doc_number else "")
    if final:
        doc.paragraph(
            f"根据{basis}，经数据采集、单位自评、科室初评、复核和公示，{label}考核结果已定稿，现予通报。"
        )
    else:
        window = ""
        if run.publicity_start and run.publicity_end:
            window = (
                f"公示期为{chinese_date(run.publicity_start)}至{chinese_date(run.publicity_end)}，"
            )
        doc.paragraph(
            f"根据{basis}，经数据采集、单位自评、科室初评和复核，现将{label}考核结果予以公示。"
            f"{window}如有异议，请在公示期内通过系统提出申诉，或向{scheme.owner.name}反映。"
        )
    grouped = groups(run)
    for index, (group, members) in enumerate(grouped, start=1):
        if group:
            doc.heading(group)
        doc.table(
            ["名次", "单位", "总分", "等次", "备注"],
            [
                [str(r.rank or "—"), r.org_unit.ancestor_names(), pts(r.total), r.grade, _remark(r)]
                for r in members
            ],
            column_widths_mm=RANKING_WIDTHS,
            caption=f"表{index} {group or scheme.population}考核结果" if len(grouped) > 1 else "",
        )
    doc.paragraph(_closing(run))
    doc.signature(scheme.owner.name, day)
    return doc.to_bytes()


def _closing(run: Run) -> str:
    """What the totals include and what this version's vetoes do — the rules in force, not a
    generic sentence that might promise a 计0分 the scheme never said."""
    text = "总分含加分和扣分。"
    rules = list(run.version.vetoes.all())
    if rules:
        text += "一票否决事项：" + "；".join(f"{r.name}（{r.effect_label}）" for r in rules) + "。"
    return text


def publicity_xlsx(run: Run) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "公示"
    sheet.append([f"{title_of(run)}公示"])
    sheet.merge_cells("A1:G1")
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    header = ["排名分组", "名次", "单位", "基本分", "加分", "扣分", "总分", "等次", "备注"]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = CENTER
        cell.fill = PatternFill("solid", fgColor="E8F0FB")
    for group, members in groups(run):
        for r in members:
            sheet.append(
                [
                    group or run.scheme.population, r.rank, r.org_unit.ancestor_names(),
                    _float(r.base), _float(r.bonus), _float(r.penalty), _float(r.total), r.grade,
                    _remark(r),
                ]
            )  # fmt: skip
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row):
        for cell in row:
            cell.border = BOX
    for index, width in enumerate([14, 6, 34, 8, 8, 8, 8, 8, 18], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return _save(book)


def _float(value):
    return None if value is None else float(value)


def _save(book) -> bytes:
    return xlsx.to_bytes(book)  # text that looks like a formula stays text


def result_notice_docx(run: Run, result: UnitResult, day: dt.date) -> bytes:
    """考核结果通知 to one unit: the total, grade and rank, vetoes, and every deduction with
    its explanation."""
    scheme = run.scheme
    unit = result.org_unit
    label = periods.parse(run.period).label
    doc = OfficialDocument(f"{label}{scheme.name.removesuffix('方案')}结果通知")
    doc.addressee(f"{unit.name}：")
    parts = [f"根据《{scheme.name}》，你单位{label}考核得分{pts(result.total)}分"]
    if result.bonus or result.penalty:
        parts.append(
            f"（基本分{pts(result.base)}分，加分{pts(result.bonus)}分，扣分{pts(result.penalty)}分）"
        )
    parts.append(f"，等次为{result.grade}")
    if result.rank:
        group = result.peer_group or scheme.population
        parts.append(f"，在{group}中列第{result.rank}名（共{result.rank_size}个单位）")
    doc.paragraph("".join(parts) + "。")
    if result.vetoed or result.notes:
        doc.heading("一票否决及说明")
        for note in result.notes:
            doc.paragraph(note)
    items = queries.unit_items(run, unit)
    lost = [r for r in items if _lost(r)]
    doc.heading("扣分情况")
    if lost:
        doc.table(
            ["序号", "考核项目", "分值", "得分", "扣分说明"],
            [
                [
                    r.node.code,
                    r.node.name,
                    pts(r.node.points),
                    pts(r.earned),
                    queries.explanation(r, run.version.mode),
                ]
                for r in lost
            ],
            column_widths_mm=DEDUCTION_WIDTHS,
        )
        doc.paragraph("请针对扣分项目认真分析原因，制定整改措施并抓好落实。")
    else:
        doc.paragraph("你单位本期考核各项目均未扣分。")
    excluded = [r for r in items if r.earned is None]
    if excluded:
        names = "、".join(f"{r.node.code}{r.node.name}" for r in excluded)
        doc.paragraph(f"{names}本期不参与考核，所在维度按其余项目得分折算。")
    doc.signature(scheme.owner.name, day)
    return doc.to_bytes()


def _lost(row) -> bool:
    if row.earned is None:
        return False
    if row.node.section == "penalty":
        return row.earned > 0
    return row.node.section == "normal" and row.earned < row.node.points
