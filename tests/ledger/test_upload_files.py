"""Crafted files against the ledger uploads (台账导入, attachments): each is answered in Chinese
at once and saves nothing; text typed as text is imported as text."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import crafted
from tests.world import PASSWORD
from weijian.ledger.models import Activity, LedgerAudit


@pytest.fixture
def alice(client, ledger):
    assert client.login(username="alice", password=PASSWORD)
    return client


def template(client) -> bytes:
    return client.get(reverse("ledger_template", args=["TRAIN"])).content


def filled(client, *rows) -> bytes:
    book = load_workbook(io.BytesIO(template(client)))
    for row in rows:
        book.worksheets[0].append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD_ROW = ["MED", "手卫生培训", "2026-03-02", None, "手卫生", "科室", None, 1, 20, 20, 19, None]


def post(client, data: bytes):
    upload = io.BytesIO(data)
    upload.name = "培训.xlsx"
    response = client.post(reverse("ledger_import", args=["TRAIN"]), {"file": upload})
    return response, response.content.decode()


def nothing_imported() -> bool:
    return not Activity.objects.exists() and not LedgerAudit.objects.exists()


def test_a_far_away_cell_costs_one_cell(alice):
    # The attack: the 6–13 KB template with one cell at XFD1048576. The old reader padded a
    # million rows to 16 384 columns each (killed after 60 s here). Now it is one cell in
    # no known column: the file has no data rows, and says so.
    data = crafted.with_far_cell(template(alice))
    assert len(data) < 13 * 1024
    (response, page), peak_mb = crafted.peak_memory(lambda: post(alice, data))
    assert response.status_code == 400 and "表格中没有数据行" in page
    assert nothing_imported() and peak_mb < 30


def test_a_far_away_cell_beside_good_rows_does_not_stop_them(alice):
    data = crafted.with_far_cell(filled(alice, GOOD_ROW), "XFD1048576")
    response, _ = post(alice, data)
    assert response.status_code == 302
    assert Activity.objects.get().title == "手卫生培训"


def test_a_far_away_unit_code_is_a_row_with_its_problems(alice):
    data = crafted.with_far_cell(filled(alice, GOOD_ROW), "A1048576", "MED")
    response, page = post(alice, data)
    assert response.status_code == 400
    assert "第 1048576 行 · 标题：不能为空" in page and nothing_imported()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(alice):
    bomb = crafted.with_bomb(filled(alice, GOOD_ROW), "xl/worksheets/sheet1.xml")
    response, page = post(alice, bomb)
    assert response.status_code == 400
    assert "解压后达 100.0 MB" in page and "压缩炸弹" in page and nothing_imported()


def test_a_formula_is_refused_naming_its_cell_cached_result_or_not(alice):
    base = filled(alice, GOOD_ROW)
    cached = crafted.with_cached_formula(base, "I3", "10+10", "20")  # 参训人次 of row 3
    uncached = filled(alice, GOOD_ROW[:8] + ["=10+10"] + GOOD_ROW[9:])
    for data in (cached, uncached):
        response, page = post(alice, data)
        assert response.status_code == 400
        assert "的单元格 I3；系统只接受直接填写的数值和文字" in page
    assert nothing_imported()


def test_text_typed_with_a_leading_apostrophe_is_imported_as_the_text(alice):
    # '=HYPERLINK(…) typed in Excel is a text cell (quotePrefix), not a formula.
    book = load_workbook(io.BytesIO(template(alice)))
    sheet = book.worksheets[0]
    sheet.append(["MED", "x", "2026-03-02", None, "+手卫生", "科室", None, 1, 20])
    sheet["B3"] = '=HYPERLINK("http://x")'
    for cell in (sheet["B3"], sheet["E3"]):
        cell.data_type, cell.quotePrefix = "s", True
    out = io.BytesIO()
    book.save(out)
    response, _ = post(alice, out.getvalue())
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.title == '=HYPERLINK("http://x")' and activity.values["THEME"] == "+手卫生"


def test_an_attachment_that_decodes_huge_is_refused_from_its_header(
    alice, ledger, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from weijian.ledger.models import Attachment

    from .conftest import record

    settings.MEDIA_ROOT = tmp_path
    drill = record(ledger.alice, ledger.types["DRILL"], ledger.medicine, "2026-03-05", "消防演练",
                   KIND="消防", PEOPLE=20)  # fmt: skip
    bomb = SimpleUploadedFile("签到表.png", crafted.pixel_bomb_png(), content_type="image/png")
    url = reverse("ledger_attach", args=[drill.pk])
    response, peak_mb = crafted.peak_memory(lambda: alice.post(url, {"file": bomb}, follow=True))
    assert "像素过多（10000×7000）" in response.content.decode()
    assert not Attachment.objects.exists() and peak_mb < 30
