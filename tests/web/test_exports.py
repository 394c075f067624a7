# ruff: noqa: F811  (the ledger and survey fixtures are imported from their conftests)
"""Exports as .xlsx that open in LibreOffice: ledger records, survey results, completeness,
the review list (the inspection ranking: tests/inspections/test_ranking_export.py). User text that looks like a formula stays text; outsiders get 404."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.ledger.conftest import TODAY, ledger, record  # noqa: F401
from tests.rendering import needs_office, page_texts, squeezed, to_pdf
from tests.surveys.conftest import answers, field, survey  # noqa: F401
from tests.world import PASSWORD
from weijian import periods
from weijian.reporting import actions as reporting
from weijian.surveys.actions import submit_response

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","点我")'


def download(client, url, name, tmp_path):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment; filename*=UTF-8''" in response["Content-Disposition"]
    path = tmp_path / name
    path.write_bytes(response.content)
    return load_workbook(io.BytesIO(response.content)), path


def rendered(path) -> str:
    return squeezed("".join(page_texts(to_pdf(path))))


@pytest.fixture
def training(ledger):
    world = ledger
    training = world.types["MEET"]
    record(world.alice, training, world.medicine, "2026-03-02", FORMULA, KIND="科务会", ATTEND=12)
    record(
        world.bob, training, world.surgery, "2026-04-10", "院感防控培训", KIND="科务会", ATTEND=9
    )
    return training


def test_ledger_records_export_keeps_a_formula_like_title_as_text(
    client, ledger, training, tmp_path
):
    client.login(username="rita", password=PASSWORD)
    url = f"/ledger/MEET/records.xlsx?ou=HOS&pe={TODAY.year}"
    book, path = download(client, url, "ledger.xlsx", tmp_path)
    sheet = book.active
    titles = [row[3] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert titles == [FORMULA, "院感防控培训"]
    cell = sheet.cell(row=3, column=4)
    assert cell.data_type == "s" and cell.quotePrefix  # text, not a live formula


@needs_office
def test_ledger_records_open_in_libreoffice_with_the_formula_shown_as_typed(
    client, ledger, training, tmp_path
):
    client.login(username="rita", password=PASSWORD)
    _, path = download(
        client, f"/ledger/MEET/records.xlsx?ou=HOS&pe={TODAY.year}", "l.xlsx", tmp_path
    )
    text = rendered(path)
    assert squeezed(FORMULA) in text and "院感防控培训" in text and "人民医院/外科" in text


def test_the_outsider_cannot_export_the_hospitals_records(client, ledger, training):
    client.login(username="olivia", password=PASSWORD)
    assert client.get(f"/ledger/MEET/records.xlsx?ou=HOS&pe={TODAY.year}").status_code == 404


@needs_office
def test_survey_results_export_opens_in_libreoffice(client, survey, settings, tmp_path):
    settings.WEIJIAN_SURVEY_RATE_PER_HOUR = 100
    comment = field(survey, "您的意见")
    submit_response(survey, answers(survey, 5, **{comment: "+86 护士很耐心"}), ip="192.0.2.1")
    submit_response(survey, answers(survey, 2), ip="192.0.2.2")
    client.login(username="admin", password=PASSWORD)
    year = timezone.localdate().year
    book, path = download(
        client, f"/surveys/{survey.pk}/results.xlsx?pe={year}", "s.xlsx", tmp_path
    )
    assert book.sheetnames == ["统计", "意见建议"]
    # 2 responses, overall 5 and 2 → 1 satisfied → 1 / 2 × 100 = 50.0%
    assert book["统计"]["A2"].value == "有效问卷 2 份，满意 1 份，满意度 50.0%"
    comments = [r[2] for r in book["意见建议"].iter_rows(min_row=3, values_only=True)]
    assert comments == ["+86 护士很耐心"] and book["意见建议"]["C3"].quotePrefix
    text = rendered(path)
    assert "满意度50.0%" in text and "住院患者满意度调查" in text


@needs_office
def test_completeness_and_review_list_exports_open_in_libreoffice(client, world, tmp_path):
    full = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "3"}
    reporting.save_values(world.alice, world.form, world.medicine, "202601", full)
    reporting.submit(world.alice, world.form, world.medicine, "202601")
    client.login(username="rita", password=PASSWORD)

    book, path = download(client, "/completeness/WORK/202601/xlsx", "c.xlsx", tmp_path)
    rows = list(book.active.iter_rows(min_row=4, values_only=True))
    # 内科 reported (on or after the due date, depending on today); 外科 has not
    assert [(r[0], r[1]) for r in rows if r[1] == "未报"] == [("人民医院 / 外科", "未报")]
    assert len(rows) == 2  # 城关卫生院 is outside rita's scope
    assert "上报情况" in rendered(path) and "人民医院/外科" in rendered(path)

    book, path = download(client, "/review.xlsx?status=SUBMITTED", "r.xlsx", tmp_path)
    (row,) = book.active.iter_rows(min_row=3, values_only=True)
    assert row[:4] == ("门急诊与住院工作量月报", "人民医院 / 内科", "2026年1月", "已上报")
    assert "门急诊与住院工作量月报" in rendered(path)


def test_the_outsider_exports_nothing_of_the_hospital(client, world):
    full = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "3"}
    reporting.save_values(world.alice, world.form, world.medicine, "202601", full)
    reporting.submit(world.alice, world.form, world.medicine, "202601")
    client.login(username="olivia", password=PASSWORD)
    book = load_workbook(io.BytesIO(client.get("/review.xlsx").content))
    assert list(book.active.iter_rows(min_row=3, values_only=True)) == []
    book = load_workbook(io.BytesIO(client.get("/completeness/WORK/202601/xlsx").content))
    units = [r[0] for r in book.active.iter_rows(min_row=4, values_only=True)]
    assert units == ["城关卫生院"]
    assert periods.parse("202601")  # the period itself is public knowledge
