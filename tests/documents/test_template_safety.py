"""Summary templates' text is filled by plain substitution of the known placeholders: format
specs, conversions and attribute or index access are refused on save and never rendered.
Every change of a template or layout is audited: who, when, what."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as new_docx

from tests.world import PASSWORD
from weijian.documents import specs
from weijian.documents.models import GeneratedDocument, SummaryTemplate, TemplateChange
from weijian.orgs.models import Role, RoleAssignment

WORDS = {"unit": "人民医院", "period": "2026年上半年", "span": "上半年"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def reported(world):
    """One value reported in March 2026: the hospital has data for 2026S1 (a period without
    any is refused before its template is used)."""
    from tests.documents.test_compose import put

    put(world.discharges, world.medicine, "202603", 100)


@pytest.fixture
def victor(client, world):
    RoleAssignment.objects.create(
        user=world.victor, org_unit=world.hospital, role=Role.INSTITUTION_ADMIN
    )
    assert client.login(username="victor", password=PASSWORD)
    return client


def copied(client) -> SummaryTemplate:
    client.post("/documents/templates/copy/", {"source": "DEPARTMENT", "ou": "HOS"})
    return SummaryTemplate.objects.get()


# -- the placeholders ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("{unit:>400000000}工作总结", "不能带格式或转换（“{unit:>400000000}”）"),
        ("{unit!r}工作总结", "不能带格式或转换（“{unit!r}”）"),
        ("{unit:{period}}工作总结", "不能带格式或转换（“{unit:{period}}”）"),
        ("{}工作总结", "花括号中应写占位符名称"),
        ("{0}工作总结", "无法识别的占位符：{0}"),
        ("{unit.__class__}工作总结", "无法识别的占位符：{unit.__class__}"),
        ("{unit[0]}工作总结", "无法识别的占位符：{unit[0]}"),
        ("{unit工作总结", "花括号不成对"),
    ],
)
def test_anything_but_a_plain_placeholder_is_refused_on_save(title, message):
    spec = {**specs.builtin_specs()["DEPARTMENT"], "title": title}
    with pytest.raises(specs.SpecError, match=re.escape(message)):
        specs.check(spec)


def test_plain_placeholders_and_doubled_braces_fill_as_written():
    assert specs.fill("{unit}{period}工作总结", WORDS) == "人民医院2026年上半年工作总结"
    assert specs.fill("{{unit}}：{unit}", WORDS) == "{unit}：人民医院"


def test_filling_refuses_a_format_spec_even_in_a_template_stored_before_the_check():
    # 400 000 000 spaces of padding would be 400 MB: refused before str.format sees it.
    with pytest.raises(specs.SpecError, match="不能带格式或转换"):
        specs.fill("{unit:>400000000}", WORDS)


def test_saving_a_format_spec_through_the_page_changes_nothing(victor):
    row = copied(victor)
    before = row.spec
    text = specs.dump_yaml(row.spec).replace("title: ", "title: '{unit:>400000000}'  # ", 1)
    response = victor.post(f"/documents/templates/{row.code}/", {"name": row.name, "spec": text})
    assert response.status_code == 400 and "不能带格式或转换" in response.content.decode()
    row.refresh_from_db()
    assert row.spec == before and TemplateChange.objects.filter(action="EDIT").count() == 0


def test_a_stored_template_with_a_format_spec_is_refused_when_generating(victor, world):
    row = copied(victor)
    SummaryTemplate.objects.filter(pk=row.pk).update(spec={**row.spec, "title": "{unit:>4000}"})
    response = victor.post(
        "/documents/generate/",
        {
            "ou": "HOS",
            "pe": "2026S1",
            "template": row.code,
            "force": "1",
        },  # a department's, asked for
    )
    assert response.status_code == 400 and "不能带格式或转换" in response.content.decode()
    assert not GeneratedDocument.objects.exists()


# -- the audit -----------------------------------------------------------------------------------


def test_copying_and_editing_a_template_are_recorded_with_what_changed(victor, world):
    row = copied(victor)
    text = specs.dump_yaml(row.spec).replace("业务工作", "医疗业务")
    victor.post(f"/documents/templates/{row.code}/", {"name": "我院科室总结", "spec": text})
    copy, edit = TemplateChange.objects.order_by("at", "pk")
    assert (copy.action, copy.user, copy.template_code, copy.org_unit) == (
        "COPY", world.victor, row.code, world.hospital
    )  # fmt: skip
    assert copy.spec_before is None and copy.spec_after["code"] == row.code
    assert (edit.action, edit.user, edit.name_before, edit.name_after) == (
        "EDIT", world.victor, "科室工作总结（人民医院）", "我院科室总结"
    )  # fmt: skip
    lines = edit.diff().splitlines()
    assert "+name: 我院科室总结" in lines
    assert [line.strip("-+ ") for line in lines if line[:1] in "-+" and "title: " in line] == [
        "title: 业务工作",
        "title: 医疗业务",
    ]
    page = victor.get(f"/documents/templates/{row.code}/").content.decode()
    assert "修改记录" in page and "医疗业务" in page and "Victor" in page


def test_saving_the_same_text_again_records_nothing(victor):
    row = copied(victor)
    text = specs.dump_yaml(row.spec)
    victor.post(f"/documents/templates/{row.code}/", {"name": row.name, "spec": text})
    assert list(TemplateChange.objects.values_list("action", flat=True)) == ["COPY"]


def test_an_uploaded_layout_is_recorded_with_its_file(victor, world):
    document = new_docx()
    document.add_paragraph("{{ body }}")
    out = io.BytesIO()
    document.save(out)
    file = SimpleUploadedFile("红头.docx", out.getvalue())
    victor.post("/documents/layouts/", {"ou": "HOS", "name": "红头", "file": file})
    change = TemplateChange.objects.get()
    assert (change.action, change.user, change.layout.name) == (
        "UPLOAD_LAYOUT",
        world.victor,
        "红头",
    )
    assert change.detail.startswith("红头.docx，") and "sha256" in change.detail


def test_the_outsider_sees_no_history_and_changes_nothing(client, victor, world):
    row = copied(victor)
    client.logout()
    assert client.login(username="olivia", password=PASSWORD)
    assert client.get(f"/documents/templates/{row.code}/").status_code == 404
    text = specs.dump_yaml(row.spec).replace("业务工作", "外人改的")
    assert (
        client.post(f"/documents/templates/{row.code}/", {"name": "x", "spec": text}).status_code
        == 404
    )
    assert TemplateChange.objects.count() == 1
