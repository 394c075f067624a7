"""The notice (.docx) and the 公示 list (.docx, .xlsx) open in LibreOffice: rendered to PDF,
the pages counted and their text checked."""

import datetime as dt
import io

from openpyxl import load_workbook

from tests.inspections.conftest import submit_complete
from tests.rendering import needs_office, page_texts, squeezed, to_pdf, to_pngs
from weijian.inspections import actions, documents, queries
from weijian.inspections.actions import MarkInput
from weijian.periods import Period, PeriodType


def _inspected(w):
    today = dt.date.today()
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, today)
    actions.record_item(w.ivan, inspection, w.version.items.get(code="1.1"),
                        MarkInput(occurrences="1", finding="治疗室洗手池无洗手液"))  # fmt: skip
    submit_complete(w.ivan, inspection, present="张主任")
    other = actions.start_inspection(w.ivan, w.version, w.surgery, today)
    submit_complete(w.ivan, other, present="王主任")
    notice = actions.issue_notice(
        w.ivan, inspection, measures="补充洗手液并落实每日检查", responsible="李护士长",
        deadline=today + dt.timedelta(days=7),
    )  # fmt: skip
    return notice, today


@needs_office
def test_the_notice_renders_with_its_number_findings_and_deadline(insp, tmp_path):
    notice, today = _inspected(insp)
    path = tmp_path / "notice.docx"
    path.write_bytes(documents.notice_docx(notice))
    pdf = to_pdf(path)
    pages = page_texts(pdf)
    text = squeezed("".join(pages))
    assert len(pages) >= 1
    for phrase in [
        "整改通知书",
        f"院感整改〔{today.year}〕1号",
        "内科：",
        "治疗室洗手池无洗",
        "李护士长",
        "签收人",
    ]:
        assert phrase in text, phrase
    assert to_pngs(pdf)


@needs_office
def test_the_public_ranking_renders_as_docx_and_xlsx(insp, tmp_path):
    w = insp
    _, today = _inspected(w)
    month = Period.containing(PeriodType.MONTHLY, today)
    rows = queries.ranking(w.admin, w.template, month)
    # 外科 unmarked: 20/20 → 20, rank 1; 内科 one occurrence: 20 − 2 = 18, rank 2
    assert [(r.unit.code, r.score, r.rank) for r in rows] == [("SUR", 20, 1), ("MED", 18, 2)]
    path = tmp_path / "ranking.docx"
    path.write_bytes(documents.ranking_docx(w.template.name, "人民医院", month.label, rows, today))
    text = squeezed("".join(page_texts(to_pdf(path))))
    assert f"{month.label}{w.template.name}检查结果公示" in text
    # each row in order: rank, unit, inspections, score (no last month: —)
    assert "1人民医院/外科120——2人民医院/内科118——" in text
    xlsx = tmp_path / "ranking.xlsx"
    xlsx.write_bytes(documents.ranking_xlsx(w.template.name, month.label, rows))
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes())).active
    assert [c.value for c in sheet[3]][:4] == [1, "人民医院 / 外科", 1, 20]
    pages = page_texts(to_pdf(xlsx))
    assert len(pages) >= 1 and "内科" in squeezed("".join(pages))


def test_the_ranking_xlsx_keeps_a_formula_like_unit_name_as_text(insp):
    w = insp
    _, today = _inspected(w)
    w.medicine.name = "=1+1"
    w.medicine.save()
    rows = queries.ranking(w.admin, w.template, Period.containing(PeriodType.MONTHLY, today))
    data = documents.ranking_xlsx(w.template.name, "2026年3月", rows)
    sheet = load_workbook(io.BytesIO(data)).active
    cell = next(c for r in sheet.iter_rows() for c in r if c.value == "人民医院 / =1+1")
    assert cell.data_type == "s"
    title = "=cmd|' /C calc'!A0"  # the classic DDE payload as a checklist's name
    sheet = load_workbook(io.BytesIO(documents.ranking_xlsx(title, "", rows))).active
    assert (sheet["A1"].value, sheet["A1"].data_type) == (f"{title}检查结果公示", "s")


def test_the_notice_table_keeps_its_column_widths_in_the_grid(insp):
    """LibreOffice and WPS lay a table out from w:tblGrid: the notice's widths are there."""
    from docx import Document

    notice, _ = _inspected(insp)
    table = Document(io.BytesIO(documents.notice_docx(notice))).tables[0]
    grid = [round(col.w.mm) for col in table._tbl.tblGrid.gridCol_lst]  # stored in twips
    assert grid == documents.NOTICE_WIDTHS
    assert table.autofit is False
