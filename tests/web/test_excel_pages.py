"""Excel download and upload through the entry page."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.world import PASSWORD
from weijian.periods import Period
from weijian.reporting import actions, excel
from weijian.reporting.models import DataValue, DataValueAudit, Submission

URL = "/forms/WORK/MED/202601/"


def workbook_with(world, changes):
    """Alice's downloaded sheet for 2026-01 with values typed in, by ELEMENT.OPTION code."""
    content = excel.build_workbook(world.form, world.medicine, Period.parse("202601"), filled=True)
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    # Column G is the hidden code column; column E holds the values.
    rows = {
        sheet.cell(r, 7).value: r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 7).value
    }
    for code, value in changes.items():
        sheet.cell(rows[code], 5).value = value
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("门急诊.xlsx", out.getvalue())


def test_the_clerk_downloads_the_form_as_xlsx(client, world):
    client.login(username="alice", password=PASSWORD)
    response = client.get(URL + "xlsx/?blank=1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["A1"].value == "门急诊与住院工作量月报"


def test_a_good_upload_saves_and_says_how_much(client, world):
    client.login(username="alice", password=PASSWORD)
    upload = workbook_with(world, {"OPD.MALE": 120, "OPD.FEMALE": 130, "DIS.default": 40})
    response = client.post(URL + "upload/", {"file": upload}, follow=True)
    assert "Excel 导入成功：新增 3 项" in response.content.decode()
    assert DataValueAudit.objects.filter(source="Excel").count() == 3


def test_an_upload_with_errors_lists_them_and_saves_nothing(client, world):
    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "40"}
    )
    client.login(username="alice", password=PASSWORD)
    upload = workbook_with(world, {"OPD.MALE": -5, "DIS.default": "很多"})
    page = client.post(URL + "upload/", {"file": upload}, follow=True).content.decode()
    assert "未导入任何数据" in page
    assert "不能为负数" in page and "不是数字" in page and "第 " in page
    assert DataValue.objects.get().value == "40"


def test_an_unchanged_blank_template_says_so_and_starts_no_report(client, world):
    client.login(username="alice", password=PASSWORD)
    blank = client.get(URL + "xlsx/?blank=1").content
    upload = SimpleUploadedFile("门急诊.xlsx", blank)
    page = client.post(URL + "upload/", {"file": upload}, follow=True).content.decode()
    assert "未发现改动" in page
    assert not Submission.objects.exists() and not DataValueAudit.objects.exists()


def test_uploading_without_a_file_is_refused_politely(client, world):
    client.login(username="alice", password=PASSWORD)
    page = client.post(URL + "upload/", follow=True).content.decode()
    assert "请选择要上传的 Excel 文件" in page
