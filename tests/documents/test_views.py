"""The 工作总结 pages and the `weijian report` command: scoped (an outsider gets 404 and
nothing changes), bad input answered in Chinese, documents kept per unit with who and when."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from docx import Document as open_docx

from tests.world import PASSWORD
from weijian.documents.models import GeneratedDocument, SummaryTemplate, WordLayout
from weijian.orgs.models import Role, RoleAssignment


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def reported(world):
    """One value (discharges) reported in March 2026: the hospital has data for 2026S1 (and for the 2027
    plan's basis year); a period without any is refused (tested below)."""
    from tests.documents.test_compose import put

    put(world.discharges, world.medicine, "202603", 100)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture(autouse=True)
def office(world):
    """Hana, the hospital's office (机构管理员): she writes its summaries."""
    from tests.world import make_user

    world.hana = make_user("hana", Role.INSTITUTION_ADMIN, world.hospital)
    return world.hana


def generate(client, ou="HOS", pe="2026S1", template="", **extra):
    return client.post("/documents/generate/", {"ou": ou, "pe": pe, "template": template}, **extra)


def test_the_page_lists_only_units_in_scope(client, world):
    page = login(client, world.rita).get("/documents/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "人民医院" in text and "城关卫生院" not in text


def test_generating_keeps_the_document_with_who_and_when_and_serves_it(client, world, media):
    response = generate(login(client, world.hana))
    row = GeneratedDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/documents/{row.pk}/"
    assert (row.org_unit, row.created_by, row.period, row.template_code) == (
        world.hospital, world.hana, "2026S1", "HOSPITAL_HALF_YEAR",
    )  # fmt: skip
    assert row.title == "人民医院2026年上半年工作总结"
    assert (Path(media) / row.docx).exists() and row.docx.startswith("documents/HOS/")
    detail = client.get(f"/documents/{row.pk}/")
    assert "人民医院2026年上半年工作总结" in detail.content.decode()
    download = client.get(f"/documents/{row.pk}/docx/")
    assert download.status_code == 200
    docx = open_docx(io.BytesIO(b"".join(download.streaming_content)))
    assert docx.paragraphs[0].text.strip() or docx.paragraphs[1].text.strip()
    entries = json.loads(
        b"".join(client.get(f"/documents/{row.pk}/provenance.json").streaming_content)
    )
    assert isinstance(entries, list)
    assert "人民医院2026年上半年工作总结" in client.get("/documents/").content.decode()


def _highlighted_runs(response) -> list[str]:
    document = open_docx(io.BytesIO(b"".join(response.streaming_content)))
    return [
        run.text
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.font.highlight_color is not None
    ]


def test_下载_gives_the_定稿_without_highlighting_and_the_审阅稿_keeps_it(client, world):
    # every director who read the downloaded file found the yellow review marks unsignable:
    # 下载 gives the 定稿 (no highlight, text kept), 审阅稿 is the generated file as it is
    generate(login(client, world.hana))
    row = GeneratedDocument.objects.get()
    review = client.get(f"/documents/{row.pk}/docx/review/")
    assert review.status_code == 200
    assert quote("审阅稿") in review["Content-Disposition"]
    marked = _highlighted_runs(review)
    assert marked  # the hospital template's 党建 passage (请填写…) is review text
    final = client.get(f"/documents/{row.pk}/docx/")
    assert final.status_code == 200
    document = open_docx(io.BytesIO(b"".join(final.streaming_content)))
    runs = [run for paragraph in document.paragraphs for run in paragraph.runs]
    assert [run.text for run in runs if run.font.highlight_color is not None] == []
    # the passages that wait for the writer are still there, plain
    text = "".join(run.text for run in runs)
    assert all(passage in text for passage in marked)
    page = client.get(f"/documents/{row.pk}/").content.decode()
    assert f"/documents/{row.pk}/docx/review/" in page and "定稿" in page


def test_the_outsider_gets_neither_download(client, world):
    generate(login(client, world.hana))
    row = GeneratedDocument.objects.get()
    login(client, world.olivia)
    for url in (f"/documents/{row.pk}/docx/", f"/documents/{row.pk}/docx/review/"):
        assert client.get(url).status_code in (403, 404)


def test_htmx_gets_the_preview_in_place(client, world):
    response = generate(login(client, world.hana), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="doc-preview"' in body and "下载 Word" in body
    assert "<html" not in body  # a fragment, not a page


def test_preview_numbers_link_to_the_pivot_with_their_source(client, world):
    from tests.documents.test_compose import put

    for month in range(1, 7):
        put(world.visits, world.medicine, f"2026{month:02d}", 1000)
    response = generate(login(client, world.hana), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    # 6 × 1000 = 6000 门诊 visits at HOS in 2026S1
    assert 'href="/pivot/?dx=OPD_VISITS' not in body  # the world has OPD, not the demo's codes
    GeneratedDocument.objects.all().delete()
    spec = {
        "code": "T", "name": "测试", "title": "{unit}{period}总结",
        "sections": [{"title": "业务", "kind": "figures", "items": [{"dx": "OPD", "label": "门急诊"}]}],
    }  # fmt: skip
    SummaryTemplate.objects.create(
        code="T_OWN", name="测试", org_unit=world.hospital, spec=spec, updated_by=world.admin
    )
    body = generate(client, template="T_OWN", HTTP_HX_REQUEST="true").content.decode()
    assert 'href="/pivot/?dx=OPD&amp;pe=2026S1&amp;ou=HOS"' in body
    assert "门急诊人次（OPD）" in body and "6000人次" in body


def test_a_read_only_user_reads_documents_but_does_not_generate(client, world):
    """The walk-through: a 只读 user could generate documents."""
    generate(login(client, world.hana))
    row = GeneratedDocument.objects.get()
    client.logout()
    login(client, world.victor)  # 只读 at the hospital
    page = client.get("/documents/").content.decode()
    assert "不能生成新的总结" in page and "生成总结</button>" not in page
    assert "人民医院2026年上半年工作总结" in page  # the kept ones he reads
    assert client.get(f"/documents/{row.pk}/docx/").status_code == 200
    response = generate(client)
    assert response.status_code == 400
    assert "您对“人民医院”只有查看权限，不能生成工作总结" in response.content.decode()
    response = generate(client, HTTP_HX_REQUEST="true")
    assert "只有查看权限" in response.content.decode()
    assert GeneratedDocument.objects.count() == 1
    # a department clerk writes her department's summary; the hospital is not hers to see
    login(client, world.alice)
    assert generate(client, ou="MED", pe="2026S1", template="DEPARTMENT").status_code == 302
    assert generate(client).status_code == 404


def test_an_outsider_gets_404_and_nothing_is_generated(client, world):
    login(client, world.olivia)
    assert generate(client).status_code == 404
    assert GeneratedDocument.objects.count() == 0
    client.logout()
    generate(login(client, world.hana))
    row = GeneratedDocument.objects.get()
    client.logout()
    login(client, world.olivia)
    for url in (
        f"/documents/{row.pk}/",
        f"/documents/{row.pk}/docx/",
        f"/documents/{row.pk}/provenance.json",
    ):
        assert client.get(url).status_code == 404, url
    assert "人民医院2026年上半年工作总结" not in client.get("/documents/").content.decode()


def test_bad_input_is_answered_in_chinese_and_saves_nothing(client, world):
    login(client, world.hana)
    response = generate(client, pe="2026H1")
    assert response.status_code == 400 and "不是有效的期间编码" in response.content.decode()
    response = generate(client, pe="2026S1", template="HOSPITAL_ANNUAL")
    assert response.status_code == 400 and "适用于年度" in response.content.decode()
    response = generate(client, pe="2026S1", template="NOPE")
    assert "找不到模板" in response.content.decode()
    response = generate(client, pe="next", template="NEXT_YEAR_PLAN", HTTP_HX_REQUEST="true")
    assert "计划年度" in response.content.decode()
    response = generate(client, pe="2021")  # nothing reported, recorded or inspected then
    assert response.status_code == 400
    assert "人民医院2021年没有任何上报数据、工作台账或检查记录" in response.content.decode()
    assert GeneratedDocument.objects.count() == 0


def test_a_plan_is_generated_for_a_year(client, world):
    generate(login(client, world.hana), pe="2027", template="NEXT_YEAR_PLAN")
    row = GeneratedDocument.objects.get()
    assert (row.title, row.period) == ("人民医院2027年工作计划", "2027")


def test_copying_and_editing_a_template_needs_manage_and_is_all_or_nothing(client, world):
    RoleAssignment.objects.create(
        user=world.victor, org_unit=world.hospital, role=Role.INSTITUTION_ADMIN
    )
    login(client, world.olivia)
    assert (
        client.post("/documents/templates/copy/", {"source": "DEPARTMENT", "ou": "HOS"}).status_code
        == 404
    )
    client.logout()
    login(client, world.victor)
    response = client.post("/documents/templates/copy/", {"source": "DEPARTMENT", "ou": "HOS"})
    row = SummaryTemplate.objects.get()
    assert response["Location"] == f"/documents/templates/{row.code}/"
    assert (row.org_unit, row.based_on, row.code) == (
        world.hospital,
        "DEPARTMENT",
        "DEPARTMENT_HOS",
    )
    page = client.get(f"/documents/templates/{row.code}/")
    assert "业务工作" in page.content.decode()
    bad = client.post(
        f"/documents/templates/{row.code}/", {"name": "我院科室总结", "spec": "sections: [\n"}
    )
    assert bad.status_code == 400 and "不是有效的 YAML" in bad.content.decode()
    row.refresh_from_db()
    assert row.name == "科室工作总结（人民医院）"  # unchanged
    text = page.context["text"].replace("业务工作", "医疗业务")
    good = client.post(f"/documents/templates/{row.code}/", {"name": "我院科室总结", "spec": text})
    assert good.status_code == 302
    row.refresh_from_db()
    assert row.name == "我院科室总结" and row.spec["sections"][0]["title"] == "医疗业务"
    client.logout()
    login(client, world.olivia)
    assert client.get(f"/documents/templates/{row.code}/").status_code == 404


def test_an_uploaded_word_layout_wraps_the_summary(client, world, tmp_path):
    from docx import Document as new_docx

    RoleAssignment.objects.create(
        user=world.victor, org_unit=world.hospital, role=Role.INSTITUTION_ADMIN
    )
    login(client, world.victor)
    plain = new_docx()
    plain.add_paragraph("人民医院文件")
    stream = io.BytesIO()
    plain.save(stream)
    missing = SimpleUploadedFile("x.docx", stream.getvalue())
    client.post("/documents/layouts/", {"ou": "HOS", "name": "红头", "file": missing})
    assert WordLayout.objects.count() == 0  # no {{ body }}: refused
    notdocx = SimpleUploadedFile("x.docx", b"not a word file")
    client.post("/documents/layouts/", {"ou": "HOS", "file": notdocx})
    assert WordLayout.objects.count() == 0
    layout = new_docx()
    layout.add_paragraph("人民医院文件")
    layout.add_paragraph("{{ unit }}办公室")
    layout.add_paragraph("{{ body }}")
    stream = io.BytesIO()
    layout.save(stream)
    client.post(
        "/documents/layouts/",
        {"ou": "HOS", "name": "红头", "file": SimpleUploadedFile("l.docx", stream.getvalue())},
    )
    saved = WordLayout.objects.get()
    client.post("/documents/generate/", {"ou": "HOS", "pe": "2026S1", "layout": saved.pk})
    row = GeneratedDocument.objects.get()
    assert row.layout == saved
    data = b"".join(client.get(f"/documents/{row.pk}/docx/").streaming_content)
    texts = [p.text for p in open_docx(io.BytesIO(data)).paragraphs]
    assert texts[:2] == ["人民医院文件", "人民医院办公室"]
    assert any("人民医院2026年上半年工作总结" in t for t in texts)
    assert any("现将2026年上半年工作总结如下" in t for t in texts)


def test_the_report_command_writes_the_docx_and_its_provenance(world, tmp_path):
    out = tmp_path / "hos.docx"
    stdout = io.StringIO()
    admin = ["--user", "admin"]  # the world has no superuser to act as by default
    call_command(
        "report",
        "summary",
        "--org",
        "HOS",
        "--period",
        "2026S1",
        "--out",
        str(out),
        *admin,
        stdout=stdout,
    )
    assert out.exists() and "人民医院2026年上半年工作总结" in stdout.getvalue()
    entries = json.loads((tmp_path / "hos.provenance.json").read_text(), parse_float=Decimal)
    assert isinstance(entries, list)
    plan = tmp_path / "plan.docx"
    call_command(
        "report",
        "plan",
        "--org",
        "HOS",
        "--year",
        "2027",
        "--out",
        str(plan),
        *admin,
        stdout=stdout,
    )
    assert plan.exists() and (tmp_path / "plan.provenance.json").exists()
    with pytest.raises(CommandError, match="找不到机构"):
        call_command(
            "report", "summary", "--org", "NOPE", "--period", "2026S1", "--out", str(out), *admin
        )
    with pytest.raises(CommandError, match="不在用户的权限范围内"):
        call_command(
            "report",
            "summary",
            "--org",
            "HOS",
            "--period",
            "2026S1",
            "--out",
            str(out),
            "--user",
            "olivia",
        )
    with pytest.raises(CommandError, match="不是有效的期间编码"):
        call_command(
            "report", "summary", "--org", "HOS", "--period", "2026X", "--out", str(out), *admin
        )


def test_the_templates_page_lists_built_ins_and_own_copies(client, world):
    SummaryTemplate.objects.create(
        code="MINE", name="我院总结", org_unit=world.hospital, spec={"code": "MINE"},
        updated_by=world.admin,
    )  # fmt: skip
    page = login(client, world.victor).get("/documents/templates/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "医院半年工作总结" in text and "我院总结" in text and "{{ body }}" in text
    assert "需要机构管理员权限" in text  # a viewer cannot copy
    client.logout()
    text = login(client, world.olivia).get("/documents/templates/").content.decode()
    assert "我院总结" not in text  # another unit's copy


def test_the_history_filters_by_unit_period_and_title_and_keeps_the_outsider_out(client, world):
    from tests.documents.test_compose import put

    put(world.discharges, world.medicine, "202503", 90)  # 2025 needs data of its own to be written
    login(client, world.hana)
    generate(client, "HOS", "2026S1")
    generate(client, "MED", "2026S1")
    generate(client, "HOS", "2025")

    def periods_of(query):
        response = client.get(f"/documents/history/?{query}")
        assert response.status_code == 200
        return sorted((d.org_unit.code, d.period) for d in response.context["history"])

    assert len(periods_of("")) == 3
    assert periods_of("ou=MED") == [("MED", "2026S1")]  # the department and below
    assert periods_of("pe=2025") == [("HOS", "2025")]
    assert periods_of("q=内科") == [("MED", "2026S1")]
    page = client.get("/documents/history/?ou=MED").content.decode()
    assert "2026年上半年" in page and ">2026S1<" not in page  # periods in words
    assert "全部记录（按单位、期间查找）" not in page  # no link from the full list to itself
    login(client, world.olivia)
    assert periods_of("") == []
    assert client.get("/documents/history/?ou=HOS").status_code == 404
