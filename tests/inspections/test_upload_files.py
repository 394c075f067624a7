"""Crafted files against the inspection uploads (考评表导入, photos) through their pages: each
is answered in Chinese at once and changes nothing; an exported checklist keeps formula-like
text as text."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import crafted
from tests.world import PASSWORD
from weijian.inspections import templates_io
from weijian.inspections.actions import ItemInput, save_item
from weijian.inspections.models import Item, TemplateVersion


@pytest.fixture
def ivan(client, insp):
    assert client.login(username="ivan", password=PASSWORD)
    return client


def post(client, data: bytes):
    upload = io.BytesIO(data)
    upload.name = "考评表.xlsx"
    response = client.post(reverse("inspections:template_import"), {"file": upload}, follow=True)
    return response.content.decode()


def snapshot():
    return TemplateVersion.objects.count(), list(Item.objects.values_list("id", "content"))


@pytest.mark.parametrize("sheet", ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"])
def test_a_far_away_cell_costs_one_cell(ivan, insp, sheet):
    # The attack: an exported checklist (about 8 KB) with one cell at XFD1048576, in the
    # 考评表 sheet or the 说明 sheet. The old reader (not read-only) built every row up to
    # it. Now it is one cell in no known column, and the unchanged checklist re-imports.
    data = crafted.with_far_cell(templates_io.export_xlsx(insp.version), sheet=sheet)
    assert len(data) < 13 * 1024
    page, peak_mb = crafted.peak_memory(lambda: post(ivan, data))
    assert "考评表 TESTYG" in page and "已更新" in page
    assert peak_mb < 30


def test_a_zip_bomb_is_refused_before_it_is_unpacked(ivan, insp):
    bomb = crafted.with_bomb(templates_io.export_xlsx(insp.version), "xl/worksheets/sheet1.xml")
    before = snapshot()
    page = post(ivan, bomb)
    assert "解压后达 100.0 MB" in page and "压缩炸弹" in page
    assert snapshot() == before


def test_a_formula_is_refused_naming_its_cell_cached_result_or_not(ivan, insp):
    data = templates_io.export_xlsx(insp.version)
    cached = crafted.with_cached_formula(data, "G3", "1+1", "2")  # 分值 of the first item
    book = load_workbook(io.BytesIO(data))
    book["考评表"]["G3"] = "=1+1"
    out = io.BytesIO()
    book.save(out)
    before = snapshot()
    for file in (cached, out.getvalue()):
        assert "工作表“考评表”的单元格 G3；系统只接受直接填写的数值和文字" in post(ivan, file)
    assert snapshot() == before


def test_item_text_that_looks_like_a_formula_is_exported_as_text_and_comes_back(insp):
    save_item(
        insp.ivan,
        insp.version,
        ItemInput(section="基础管理", code="9.9", content="=HYPERLINK(\"http://x\",\"点此\")",
                  points="5", kind="deduct", rule="-1分/处", method="@现场"),
    )  # fmt: skip
    data = templates_io.export_xlsx(insp.version)
    sheet = load_workbook(io.BytesIO(data))["考评表"]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[1].value == "9.9")
    assert [(c.value, c.data_type) for c in (row[2], row[4], row[5])] == [
        ('=HYPERLINK("http://x","点此")', "s"),
        ("@现场", "s"),
        ("-1分/处", "s"),
    ]
    spec = templates_io.import_xlsx(data)
    item = next(i for i in spec.items() if i.code == "9.9")
    assert (item.content, item.method, item.rule) == (
        '=HYPERLINK("http://x","点此")',
        "@现场",
        "-1分/处",
    )


def test_a_photo_that_decodes_huge_is_refused_from_its_header(ivan, insp, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from weijian.inspections import actions
    from weijian.inspections.models import Photo

    inspection = actions.start_inspection(insp.ivan, insp.version, insp.medicine, dt.date.today())
    bomb = SimpleUploadedFile("现场.png", crafted.pixel_bomb_png(), content_type="image/png")
    assert bomb.size < 100_000
    url = f"/inspections/{inspection.pk}/photo/"
    response, peak_mb = crafted.peak_memory(lambda: ivan.post(url, {"photo": bomb}, follow=True))
    assert "像素过大（70 百万像素）" in response.content.decode()
    assert not Photo.objects.exists() and peak_mb < 30
