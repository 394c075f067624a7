"""Word layouts never run code and never take the site down: only the fixed placeholders, the
file bounded before python-docx opens it, malformed XML answered in Chinese. Uploaded through
the page by Victor (机构管理员 of the hospital); a stored file from before these checks is
refused the same way when a summary is generated with it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as new_docx

from tests import crafted
from tests.world import PASSWORD
from weijian.documents.models import GeneratedDocument, WordLayout
from weijian.orgs.models import Role, RoleAssignment


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def reported(world):
    """One value reported in March 2026: the hospital has data for 2026S1 (a period without
    any is refused before its layout or template is used)."""
    from tests.documents.test_compose import put

    put(world.discharges, world.medicine, "202603", 100)


@pytest.fixture
def victor(client, world):
    RoleAssignment.objects.create(
        user=world.victor, org_unit=world.hospital, role=Role.INSTITUTION_ADMIN
    )
    assert client.login(username="victor", password=PASSWORD)
    return client


def layout(*paragraphs: str, header: str = "") -> bytes:
    document = new_docx()
    for text in paragraphs:
        document.add_paragraph(text)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, data: bytes) -> str:
    file = SimpleUploadedFile("红头.docx", data)
    response = client.post("/documents/layouts/", {"ou": "HOS", "name": "红头", "file": file}, follow=True)  # fmt: skip
    return response.content.decode()


def shell_payload(marker: Path) -> str:
    # The classic escape from Jinja to the os module, through a default global.
    return "{{ lipsum.__globals__['os'].popen('touch " + str(marker) + "').read() }}"


def test_a_layout_whose_jinja_would_run_a_command_is_refused(victor, tmp_path):
    marker = tmp_path / "pwned"
    page = upload(victor, layout("{{ body }}", shell_payload(marker)))
    assert "版式文件中有不允许的内容：函数调用" in page
    assert not WordLayout.objects.exists() and not marker.exists()


def test_a_stored_layout_from_before_the_check_runs_nothing_when_used(
    victor, world, media, tmp_path
):
    marker = tmp_path / "pwned"
    path = Path(media) / "documents/HOS/layouts/old.docx"
    path.parent.mkdir(parents=True)
    path.write_bytes(layout("{{ body }}", header=shell_payload(marker)))
    stored = WordLayout.objects.create(
        name="旧版式", org_unit=world.hospital, file="documents/HOS/layouts/old.docx",
        uploaded_by=world.victor,
    )  # fmt: skip
    response = victor.post(
        "/documents/generate/", {"ou": "HOS", "pe": "2026S1", "layout": stored.pk}
    )
    assert response.status_code == 400
    assert "版式文件中有不允许的内容" in response.content.decode()
    assert not marker.exists() and not GeneratedDocument.objects.exists()


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("{% for i in range(9) %}x{% endfor %}", "语句 {% for … %}"),
        ("{{ title|upper }}", "过滤器“|upper”"),
        ("{{ unit.name }}", "属性或下标访问"),
        ("{{ secret_key }}", "未知占位符 {{ secret_key }}"),
        ("{{ range(10) }}", "函数调用"),
    ],
)
def test_nothing_beyond_the_fixed_placeholders_is_accepted(victor, text, named):
    page = upload(victor, layout("{{ body }}", text))
    assert named in page and "只能使用占位符 {{ body }}、{{ title }}" in page
    assert not WordLayout.objects.exists()


def test_placeholder_values_stay_text_in_the_xml(victor, world):
    # A unit name with XML's special characters: unescaped, it broke the document's XML.
    world.hospital.name = '人民医院<西院>&"分院"'
    world.hospital.save()
    upload(victor, layout("{{ unit }}办公室", "{{ body }}", header="{{ title }}"))
    saved = WordLayout.objects.get()
    victor.post("/documents/generate/", {"ou": "HOS", "pe": "2026S1", "layout": saved.pk})
    row = GeneratedDocument.objects.get()
    data = b"".join(victor.get(f"/documents/{row.pk}/docx/").streaming_content)
    document = new_docx(io.BytesIO(data))
    assert document.paragraphs[0].text == '人民医院<西院>&"分院"办公室'
    assert (
        '人民医院<西院>&"分院"2026年上半年工作总结'
        in document.sections[0].header.paragraphs[0].text
    )


def test_a_layout_that_unpacks_huge_is_refused_before_it_is_opened(victor):
    bomb = crafted.with_bomb(layout("{{ body }}"), "word/document.xml")
    assert len(bomb) < 1024 * 1024
    page, peak_mb = crafted.peak_memory(lambda: upload(victor, bomb))
    assert "版式文件解压后达 100.8 MB" in page and "压缩炸弹" in page  # with the other parts
    assert not WordLayout.objects.exists() and peak_mb < 30


@pytest.mark.parametrize(
    ("member", "content", "message"),
    [
        ("word/document.xml", b"<w:document><w:body>", "XML 格式错误"),
        (
            "word/document.xml",
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
            "含有文档类型声明",
        ),
    ],
)
def test_malformed_or_hostile_xml_is_answered_in_chinese(victor, member, content, message):
    page = upload(victor, crafted.with_member(layout("{{ body }}"), member, content))
    assert message in page and not WordLayout.objects.exists()


def test_too_many_braces_are_refused_before_docxtpl_scans_them(victor):
    page = upload(victor, layout("{{ body }}", "{{ " * 101))
    assert "花括号占位符过多（102 处）" in page and not WordLayout.objects.exists()
