"""Printable views of a filled form and of a contract, and the contract's signed scan:
bounded and checked like other uploads, scoped, logged."""

import io

import pytest
from PIL import Image

from tests.world import PASSWORD, make_user
from weijian.governance import actions
from weijian.governance.models import GovernanceLog
from weijian.orgs.models import Role
from weijian.reporting import actions as reporting

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(world):
    office = make_user("ingrid", Role.INSTITUTION_ADMIN, world.hospital)
    from weijian.governance.models import Contract

    made = Contract.objects.create(
        year=2026, issuer=world.hospital, party=world.medicine, title="2026年度内科目标责任书",
        responsible_person="王主任", created_by=office,
    )  # fmt: skip
    return made


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return out.getvalue()


def test_the_form_prints_with_its_values_and_signature_lines(client, world):
    full = {("OPD", "MALE"): "120", ("OPD", "FEMALE"): "130", ("DIS", "default"): "40"}
    reporting.save_values(world.alice, world.form, world.medicine, "202601", full)
    reporting.submit(world.alice, world.form, world.medicine, "202601")
    client.login(username="rita", password=PASSWORD)
    page = client.get("/forms/WORK/MED/202601/print/").content.decode()
    assert "门急诊与住院工作量月报" in page and "人民医院 / 内科" in page and "2026年1月" in page
    assert ">120<" in page and ">130<" in page and "审核人（签字）" in page
    assert 'src="/static/web/base.js"' in page and "<script>" not in page  # CSP: no inline script
    client.login(username="olivia", password=PASSWORD)
    assert client.get("/forms/WORK/MED/202601/print/").status_code == 404


def test_the_contract_prints_without_codes(client, world, contract):
    client.login(username="ingrid", password=PASSWORD)
    page = client.get(f"/contracts/{contract.pk}/print/").content.decode()
    assert "2026年度内科目标责任书" in page and "甲方（盖章）：人民医院" in page
    assert "第一责任人（签字）：王主任" in page


def test_the_signed_scan_is_uploaded_served_and_logged(client, world, contract):
    client.login(username="ingrid", password=PASSWORD)
    upload = io.BytesIO(png())
    upload.name = "签字页.png"
    response = client.post(f"/contracts/{contract.pk}/scan/upload/", {"file": upload})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.scan_name == "签字页.png" and contract.scan_content_type == "image/png"
    served = client.get(f"/contracts/{contract.pk}/scan/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    log = GovernanceLog.objects.get(action="SCAN")
    assert log.user.username == "ingrid" and log.detail.startswith("签字页.png")


def test_a_scan_that_is_not_a_picture_or_pdf_is_refused_and_nothing_changes(
    client, world, contract
):
    client.login(username="ingrid", password=PASSWORD)
    fake = io.BytesIO(b"MZ\x90\x00 not a scan")
    fake.name = "合同.exe"
    response = client.post(f"/contracts/{contract.pk}/scan/upload/", {"file": fake}, follow=True)
    assert "不是图片（JPG、PNG、WebP）或 PDF" in response.content.decode()
    contract.refresh_from_db()
    assert not contract.scan and not GovernanceLog.objects.filter(action="SCAN").exists()


def test_a_scan_over_the_bound_is_refused_before_it_is_read(client, world, contract, settings):
    settings.WEIJIAN_LEDGER_MAX_ATTACHMENT_BYTES = 1024
    client.login(username="ingrid", password=PASSWORD)
    big = io.BytesIO(b"%PDF-1.4" + b"0" * 4096)
    big.name = "big.pdf"
    response = client.post(f"/contracts/{contract.pk}/scan/upload/", {"file": big}, follow=True)
    assert "超过上限" in response.content.decode()
    contract.refresh_from_db()
    assert not contract.scan


def test_the_outsider_neither_uploads_nor_sees_the_scan(client, world, contract):
    actions.attach_scan(contract.created_by, contract, "签字页.png", png())
    client.login(username="olivia", password=PASSWORD)
    assert client.get(f"/contracts/{contract.pk}/scan/").status_code == 404
    upload = io.BytesIO(png())
    upload.name = "x.png"
    assert (
        client.post(f"/contracts/{contract.pk}/scan/upload/", {"file": upload}).status_code == 404
    )
    # alice (a clerk of the party) sees it but may not replace it
    client.login(username="alice", password=PASSWORD)
    assert client.get(f"/contracts/{contract.pk}/scan/").status_code == 200
    client.post(f"/contracts/{contract.pk}/scan/upload/", {"file": upload}, follow=True)
    assert GovernanceLog.objects.filter(action="SCAN").count() == 1
