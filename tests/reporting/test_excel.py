"""Excel download and upload of a report form (weijian.reporting.excel).

Rows of the WORK form in the sheet: 1 title, 2 填报单位/报告期, 3 header, 4 section 工作量,
5 OPD·男, 6 OPD·女, 7 DIS, 8 NOTE, 9 blank, 10 signature footer.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests import crafted
from tests.rendering import needs_office, page_texts, to_pdf, to_pngs
from weijian import periods
from weijian.reporting import actions, excel, queries
from weijian.reporting.models import (
    DataElement,
    DataValue,
    DataValueAudit,
    Form,
    FormElement,
    Submission,
    SubmissionStatus,
    ValueType,
)

PERIOD = "202607"
VALUES = {
    ("OPD", "MALE"): "120",
    ("OPD", "FEMALE"): "130",
    ("DIS", "default"): "40",
    ("NOTE", "default"): "流感季节门诊增加",
}


def download(world, unit=None, period=PERIOD, filled=True, form=None) -> bytes:
    form = form or world.form
    return excel.build_workbook(form, unit or world.medicine, periods.parse(period), filled=filled)


def upload(world, data: bytes, user=None, unit=None, period=PERIOD, name="内科7月.xlsx"):
    uploaded = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return excel.import_workbook(
        user or world.alice, world.form, unit or world.medicine, period, uploaded
    )


def sheet_of(data: bytes):
    book = load_workbook(io.BytesIO(data))
    return book, book.worksheets[0]


def code_rows(sheet) -> dict[str, int]:
    """Hidden code (column G) → row number, for the data rows."""
    rows = {}
    for row in range(excel.HEADER_ROW + 1, sheet.max_row + 1):
        code = sheet.cell(row, excel.COL_CODE).value
        if code and code != excel.END_MARK:
            rows[code] = row
    return rows


def edited(data: bytes, change) -> bytes:
    """The file after `change(book, sheet, rows)` edits it, as a user would in Excel."""
    book, sheet = sheet_of(data)
    change(book, sheet, code_rows(sheet))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def set_values(data: bytes, values: dict[str, object]) -> bytes:
    def change(book, sheet, rows):
        for code, value in values.items():
            sheet.cell(rows[code], excel.COL_VALUE).value = value

    return edited(data, change)


def stored(world, unit=None) -> dict[tuple[str, str], str]:
    rows = DataValue.objects.filter(org_unit=unit or world.medicine, period_id=PERIOD)
    return {(v.element.code, v.option.code): v.value for v in rows}


def counts() -> tuple[int, int]:
    return DataValue.objects.count(), DataValueAudit.objects.count()


@pytest.fixture
def saved(world):
    actions.save_values(world.alice, world.form, world.medicine, PERIOD, VALUES)
    return world


# -- the downloaded workbook ---------------------------------------------------------------


def test_the_workbook_is_laid_out_like_the_paper_form(saved):
    book, sheet = sheet_of(download(saved))
    assert sheet["A1"].value == "门急诊与住院工作量月报"
    assert sheet["A1"].font.b and "A1:F1" in {str(r) for r in sheet.merged_cells.ranges}
    info = " ".join(str(c.value) for c in sheet[2] if c.value)
    assert "填报单位：人民医院 / 内科" in info
    assert "报告期：2026年7月" in info and "报表编码：WORK" in info
    headers = [sheet.cell(3, col).value for col in range(1, 7)]
    assert headers == ["序号", "项目（指标名称）", "分组", "计量单位", "数值", "备注/口径"]
    assert sheet["A4"].value == "工作量" and sheet["A4"].fill.fgColor.rgb.endswith("DDEBF7")
    rows = code_rows(sheet)
    assert len(rows) == len(queries.form_cells(saved.form)) == 4
    assert [sheet.cell(rows[c], 3).value for c in ("OPD.MALE", "OPD.FEMALE", "DIS.default")] == [
        "男",
        "女",
        None,
    ]
    assert sheet.cell(rows["OPD.MALE"], 2).value == "门急诊人次"
    assert sheet.cell(rows["DIS.default"], 4).value == "人次"
    assert any(str(c.value) == "填表人：" for c in sheet[rows["NOTE.default"] + 2])
    assert book[excel.META_SHEET].sheet_state == "veryHidden"


def test_filled_download_carries_the_stored_values_and_blank_one_does_not(saved):
    _, sheet = sheet_of(download(saved))
    rows = code_rows(sheet)
    assert sheet.cell(rows["OPD.MALE"], 5).value == 120  # a number, so Excel can sum it
    assert sheet.cell(rows["NOTE.default"], 5).value == "流感季节门诊增加"
    _, blank = sheet_of(download(saved, filled=False))
    assert [blank.cell(row, 5).value for row in code_rows(blank).values()] == [None] * 4


def test_only_the_value_column_is_editable(saved):
    _, sheet = sheet_of(download(saved))
    row = code_rows(sheet)["OPD.MALE"]
    assert sheet.protection.sheet
    value, label = sheet.cell(row, 5), sheet.cell(row, 2)
    assert value.fill.fgColor.rgb.endswith("FFF2CC") and not value.protection.locked
    assert label.protection.locked and label.fill.fill_type is None
    assert sheet.column_dimensions["G"].hidden and sheet.column_dimensions["H"].hidden
    assert sheet.freeze_panes == "A4"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.page_setup.orientation == "portrait" and sheet.page_setup.fitToWidth == 1
    assert sheet["B5"].font.name == "宋体"


def test_value_cells_carry_data_validation(saved):
    _, sheet = sheet_of(download(saved))
    rules = {
        str(dv.sqref): (dv.type, dv.operator, dv.formula1, dv.formula2)
        for dv in sheet.data_validations.dataValidation
    }
    # OPD is a count with a maximum of 100000; DIS a count without one; NOTE free text.
    assert rules["E5 E6"] == ("whole", "between", "0", "100000")
    assert rules["E7"] == ("whole", "greaterThanOrEqual", "0", None)
    assert not any("E8" in ref for ref in rules)


@needs_office
def test_a_name_that_looks_like_a_formula_stays_text_in_libreoffice(world, tmp_path):
    # The case: text starting with “=” became a live formula in a blank form template
    # (LibreOffice showed Err:501). Now every text cell is written as text.
    DataElement.objects.filter(code="DIS").update(name="=出院人次+转院", description="-含转院")
    data = download(world, filled=False)
    cell = sheet_of(data)[1].cell(7, 2)
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=出院人次+转院", "s", True)
    path = tmp_path / "blank.xlsx"
    path.write_bytes(data)
    pdf = to_pdf(path)
    text = "".join(page_texts(pdf))
    assert "=出院人次+转院" in text and "-含转院" in text
    assert "Err:" not in text and "#NAME" not in text
    to_pngs(pdf)


# -- uploads that save ---------------------------------------------------------------------


def test_re_uploading_an_unchanged_file_changes_nothing(saved):
    before = counts()
    result = upload(saved, download(saved))
    assert result.changed == 0 and result.unchanged == 4
    assert counts() == before


def test_edited_values_are_saved_and_audited_as_excel(saved):
    data = set_values(download(saved), {"OPD.MALE": 150, "DIS.default": 41.0, "NOTE.default": None})
    result = upload(saved, data)
    assert (result.created, result.updated, result.deleted) == (0, 2, 1)
    assert stored(saved) == {
        ("OPD", "MALE"): "150",
        ("OPD", "FEMALE"): "130",
        ("DIS", "default"): "41",
    }
    audits = DataValueAudit.objects.filter(source=actions.Source.EXCEL)
    assert {(a.element.code, a.action, a.old_value, a.new_value) for a in audits} == {
        ("OPD", "UPDATE", "120", "150"),
        ("DIS", "UPDATE", "40", "41"),
        ("NOTE", "DELETE", "流感季节门诊增加", ""),
    }
    assert all("内科7月.xlsx" in a.reason and a.changed_by == saved.alice for a in audits)


def test_a_blank_template_filled_in_creates_the_values(world):
    data = set_values(
        download(world, filled=False), {"OPD.MALE": 7, "OPD.FEMALE": "8", "DIS.default": 0}
    )
    result = upload(world, data)
    assert result.created == 3
    assert stored(world) == {("OPD", "MALE"): "7", ("OPD", "FEMALE"): "8", ("DIS", "default"): "0"}


def test_a_row_removed_from_the_sheet_leaves_its_value_alone(saved):
    def drop_discharges(book, sheet, rows):
        row = rows["DIS.default"]
        for column in (excel.COL_VALUE, excel.COL_CODE, excel.COL_SIGNATURE):
            sheet.cell(row, column).value = None
        sheet.cell(rows["OPD.MALE"], excel.COL_VALUE).value = 121

    result = upload(saved, edited(download(saved), drop_discharges))
    assert result.updated == 1
    assert stored(saved)[("DIS", "default")] == "40"


def test_other_value_types_survive_a_round_trip(world):
    extra = [
        DataElement.objects.create(code="RATE", name="使用率", value_type=ValueType.PERCENTAGE),
        DataElement.objects.create(code="HAS", name="是否培训", value_type=ValueType.BOOLEAN),
        DataElement.objects.create(code="BIG", name="金额", value_type=ValueType.NUMBER),
        DataElement.objects.create(code="INSP", name="督查次数", system_managed=True),
    ]
    for order, element in enumerate(extra, start=10):
        FormElement.objects.create(form=world.form, element=element, sort_order=order)
    values = {
        ("RATE", "default"): "38.5",
        ("HAS", "default"): "是",
        ("BIG", "default"): "123456789012.123456",
    }
    actions.save_values(world.alice, world.form, world.medicine, PERIOD, values)
    data = download(world)
    _, sheet = sheet_of(data)
    rows = code_rows(sheet)
    assert sheet.cell(rows["HAS.default"], 5).value == "是"
    assert sheet.cell(rows["BIG.default"], 5).value == "123456789012.123456"  # beyond 15 digits
    assert upload(world, data).changed == 0
    # A value typed into the system-managed row is ignored, not saved and not refused.
    result = upload(world, set_values(data, {"INSP.default": 5, "HAS.default": "否"}))
    assert result.updated == 1 and stored(world)[("HAS", "default")] == "0"
    assert ("INSP", "default") not in stored(world)


# -- uploads that are refused, and save nothing ---------------------------------------------


def test_every_bad_cell_is_listed_with_its_row_and_nothing_is_saved(saved):
    data = set_values(download(saved), {"OPD.MALE": -5, "OPD.FEMALE": "很多", "DIS.default": 99})
    # The form lost NOTE after the file was downloaded: its row's code is now unknown.
    FormElement.objects.filter(form=saved.form, element=saved.note).delete()
    before, values_before = counts(), stored(saved)
    with pytest.raises(actions.ReportingError) as refused:
        upload(saved, data)
    assert refused.value.message == "文件中有 3 处问题，未导入任何数据"
    problems = [(p.where, p.reason) for p in refused.value.problems]
    assert problems[0] == ("第 5 行（门急诊人次·男）", "不能为负数（填了 -5）")
    assert problems[1] == ("第 6 行（门急诊人次·女）", "“很多”不是数字")
    assert problems[2][0] == "第 8 行" and "“NOTE.default”不是本报表的数据项" in problems[2][1]
    assert counts() == before and stored(saved) == values_before


def test_tampered_duplicate_and_stray_rows_are_refused(saved):
    def tamper(book, sheet, rows):
        sheet.cell(rows["NOTE.default"], excel.COL_CODE).value = "DIS.default"  # hand-edited
        for column in (excel.COL_CODE, excel.COL_SIGNATURE):  # a row copied over another
            source = sheet.cell(rows["OPD.MALE"], column).value
            sheet.cell(rows["OPD.FEMALE"], column).value = source
        sheet.cell(rows["NOTE.default"] + 1, excel.COL_VALUE).value = 77  # below the table
        sheet.cell(rows["DIS.default"], excel.COL_VALUE).value = 45

    before = counts()
    with pytest.raises(actions.ReportingError) as refused:
        upload(saved, edited(download(saved), tamper))
    reasons = {p.where: p.reason for p in refused.value.problems}
    assert reasons["第 6 行（门急诊人次·男）"] == "与第 5 行是同一数据项，同一项只能填写一行"
    assert "“DIS.default”被改动" in reasons["第 8 行"]
    assert "没有识别码" in reasons["第 9 行"] and "“77”" in reasons["第 9 行"]
    assert len(reasons) == 3 and counts() == before


def test_a_formula_is_refused_naming_its_cell_with_or_without_a_cached_result(saved):
    data = download(saved)
    uncached = set_values(data, {"DIS.default": "=20+21"})  # openpyxl stores no result
    cached = crafted.with_cached_formula(data, "E7", "20+21", "41")  # as Excel saves it
    before = counts()
    for file in (uncached, cached):
        with pytest.raises(actions.ReportingError, match="的单元格 E7；系统只接受直接填写的数值"):
            upload(saved, file)
    assert counts() == before and stored(saved)[("DIS", "default")] == "40"


# -- crafted files: answered in Chinese at once, nothing changed ------------------------------


@pytest.mark.parametrize("sheet", ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"])
def test_a_far_away_cell_costs_one_cell(saved, sheet):
    # The attack: a downloaded form (about 6 KB) with one cell at XFD1048576 in the data sheet
    # or the very hidden identification sheet. The old reader padded every row up to it
    # (identification sheet: 590 MB and 12 s of CPU here; 41 s and 3 GB in the issue). Now it
    # is one more cell: the unchanged file is read and changes nothing.
    data = crafted.with_far_cell(download(saved), sheet=sheet)
    assert len(data) < 13 * 1024
    before = counts()
    result, peak_mb = crafted.peak_memory(lambda: upload(saved, data))
    assert (result.changed, result.unchanged) == (0, 4) and counts() == before
    assert peak_mb < 30


def test_a_zip_bomb_is_refused_before_it_is_unpacked(saved):
    bomb = crafted.with_bomb(download(saved), "xl/worksheets/sheet1.xml")
    before = counts()
    with pytest.raises(actions.ReportingError, match="解压后达 100.0 MB.*压缩炸弹"):
        upload(saved, bomb)
    assert counts() == before


def test_an_unchanged_upload_makes_no_draft_and_no_audit_rows(world):
    # A blank template sent back untouched, for a report nobody has started.
    result = upload(world, download(world, filled=False))
    assert (result.changed, result.unchanged) == (0, 4)
    assert Submission.objects.count() == 0 and DataValueAudit.objects.count() == 0


def test_an_all_blank_file_does_not_wipe_stored_data(saved):
    before = counts()
    with pytest.raises(actions.ReportingError, match="所有数值都是空白"):
        upload(saved, download(saved, filled=False))
    assert counts() == before


@pytest.mark.parametrize(
    ("made_for", "message"),
    [
        ({"unit": "surgery"}, "该文件是“外科”的报表，不是当前单位“内科”"),
        ({"period": "202606"}, "该文件是2026年6月的报表，不是当前期间2026年7月"),
        ({"form": "OTHER"}, "该文件是“床位月报”的报表，不是当前报表“门急诊与住院工作量月报”"),
    ],
)
def test_a_file_made_for_another_unit_period_or_form_is_refused(saved, made_for, message):
    other = Form.objects.create(code="OTHER", name="床位月报")
    FormElement.objects.create(form=other, element=saved.discharges)
    data = download(
        saved,
        unit=getattr(saved, made_for.get("unit", "medicine")),
        period=made_for.get("period", PERIOD),
        form=other if "form" in made_for else None,
    )
    before = counts()
    with pytest.raises(actions.ReportingError, match=message):
        upload(saved, data)
    assert counts() == before


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "上传的文件是空的"),
        (b"name,value\nOPD,1\n", r"不是 Excel（\.xlsx）文件"),
        (excel.OLE_MAGIC + b"\0" * 600, r"旧版 Excel 97-2003（\.xls）"),
        (_zip({"word/document.xml": b"<w/>"}), "可能是 Word"),
        (_zip({"xl/workbook.xml": b"not xml", "[Content_Types].xml": b"?"}), "文件已损坏"),
    ],
)
def test_a_file_that_is_not_an_xlsx_is_refused(saved, content, message):
    before = counts()
    with pytest.raises(actions.ReportingError, match=message):
        upload(saved, content, name="数据.xlsx")
    assert counts() == before


def test_a_file_over_the_size_limit_is_refused(saved, settings):
    settings.WEIJIAN_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(actions.ReportingError, match="文件过大"):
        upload(saved, download(saved))


def test_a_plain_binary_file_object_is_read_too(saved):
    data = set_values(download(saved), {"OPD.MALE": 122})
    result = excel.import_workbook(
        saved.alice, saved.form, saved.medicine, PERIOD, io.BytesIO(data)
    )
    assert result.updated == 1 and stored(saved)[("OPD", "MALE")] == "122"


def test_missing_or_edited_identification_is_refused(saved):
    def drop_meta(book, sheet, rows):
        del book[excel.META_SHEET]

    def move_to_surgery(book, sheet, rows):
        meta = book[excel.META_SHEET]
        for row in meta.iter_rows():
            if row[0].value == "org_unit":
                row[1].value = "SUR"

    data = download(saved)
    with pytest.raises(actions.ReportingError, match="缺少报表识别信息"):
        upload(saved, edited(data, drop_meta))
    with pytest.raises(actions.ReportingError, match="识别信息校验失败"):
        upload(saved, edited(data, move_to_surgery), unit=saved.surgery, user=saved.bob)


def test_an_outsider_cannot_upload_for_another_unit(saved):
    before = counts()
    with pytest.raises(actions.ReportingError, match="您没有“内科”的填报权限"):
        upload(saved, set_values(download(saved), {"OPD.MALE": 999}), user=saved.olivia)
    assert counts() == before


def test_an_approved_report_is_locked_against_uploads(saved):
    actions.submit(saved.alice, saved.form, saved.medicine, PERIOD)
    submission = Submission.objects.get(form=saved.form, org_unit=saved.medicine)
    actions.approve(saved.rita, submission)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.APPROVED
    before = counts()
    # Even a file full of errors is refused for the lock first: the user cannot fix it anyway.
    for change in ({"OPD.MALE": 999}, {"OPD.MALE": -1}):
        with pytest.raises(actions.ReportingError, match="审核通过.*已锁定"):
            upload(saved, set_values(download(saved), change))
    assert counts() == before
