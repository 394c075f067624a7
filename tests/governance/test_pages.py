"""Pages of groups and contracts: what each person sees, what the outsider gets (404)."""

import datetime as dt
import io

import pytest
from docx import Document

from tests.governance.test_groups import MEMBERS, found
from tests.world import PASSWORD
from weijian.governance.actions import TargetSpec, issue_contracts
from weijian.governance.models import Contract, GroupMember, LeadingGroup
from weijian.indicators.models import Indicator


def client_for(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def setup(world):
    group = found(world)
    Indicator.objects.create(code="T_OPD", name="门急诊人次", numerator="#{OPD}", type="NUMBER")
    medicine, surgery = issue_contracts(
        world.admin,
        world.hospital,
        year=dt.date.today().year,
        title="目标责任书",
        parties=[world.medicine, world.surgery],
        targets=[TargetSpec("T_OPD", "100"), TargetSpec(duty="控制院感")],
    )
    return world, group, medicine, surgery


def test_the_outsider_gets_404_on_every_group_and_contract_page(client, setup):
    w, group, medicine, _ = setup
    c = client_for(client, w.olivia)
    for url in [
        f"/groups/{group.pk}/",
        f"/groups/{group.pk}/adjust/",
        f"/groups/{group.pk}/notice.docx",
        f"/contracts/{medicine.pk}/",
    ]:
        assert c.get(url).status_code == 404, url
    assert c.post(f"/contracts/{medicine.pk}/sign/", {"signed_on": "2026-01-05"}).status_code == 404
    assert c.post(f"/groups/{group.pk}/adjust/", {"members": "组长，甲，院长"}).status_code == 404
    assert "创建健康促进医院" not in c.get("/groups/").content.decode()
    listing = c.get("/contracts/").content.decode()
    assert f"/contracts/{medicine.pk}/" not in listing and "内科" not in listing
    # Olivia manages nothing: no creation pages either.
    assert c.get("/groups/new/").status_code == 404
    assert c.get("/contracts/new/").status_code == 404
    medicine.refresh_from_db()
    assert medicine.status == "PENDING"
    assert GroupMember.objects.filter(group=group).count() == 4


def test_a_department_sees_its_own_contract_not_its_neighbours(client, setup):
    w, _, medicine, surgery = setup
    c = client_for(client, w.alice)
    assert c.get(f"/contracts/{medicine.pk}/").status_code == 200
    assert c.get(f"/contracts/{surgery.pk}/").status_code == 404
    page = c.get("/contracts/").content.decode()
    assert "内科" in page and "外科" not in page


def test_the_office_founds_adjusts_and_downloads_the_notice(client, setup):
    w, group, _, _ = setup
    c = client_for(client, w.admin)
    response = c.post(
        "/groups/new/",
        {
            "unit": "HOS",
            "name": "医院感染管理委员会",
            "duties": "研究制定院感工作规划",
            "document_number": "人医发〔2026〕8号",
            "founded_on": "2026-02-01",
            "members": "主任，王建国，院长\n委员，赵丽，护理部主任",
            "office_location": "院感科",
        },
    )
    new = LeadingGroup.objects.get(name="医院感染管理委员会")
    assert response.status_code == 302 and response.url == f"/groups/{new.pk}/"
    # Bad input: a member list without a leader — nothing saved, the reason shown.
    response = c.post(
        f"/groups/{group.pk}/adjust/",
        {"effective_on": "2026-09-01", "reason": "人事变动", "members": "成员，甲，院长"},
        follow=True,
    )
    assert "成员名单中须有一名组长" in response.content.decode()
    assert group.changes.count() == 1
    response = c.post(
        f"/groups/{group.pk}/adjust/",
        {
            "effective_on": "2026-09-01",
            "document_number": "人医发〔2026〕31号",
            "reason": "因人事变动",
            "members": MEMBERS.replace("李红，副院长", "孙伟，副院长"),
            "office_location": "院办公室",
            "office_director": "孙伟",
        },
        follow=True,
    )
    assert "已调整" in response.content.decode()
    docx = c.get(f"/groups/{group.pk}/notice.docx")
    assert docx.status_code == 200
    assert "filename*=UTF-8''" in docx["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "关于调整创建健康促进医院工作领导小组的通知" in text
    assert "副组长：孙伟（副院长）" in text and "李红" not in text
    assert "人医发〔2026〕31号" in text


def test_signing_from_the_contract_page(client, setup):
    w, _, medicine, _ = setup
    c = client_for(client, w.admin)
    today = dt.date.today().isoformat()
    response = c.post(
        f"/contracts/{medicine.pk}/sign/",
        {"signed_on": today, "responsible_person": "刘主任"},
        follow=True,
    )
    assert "已登记签订" in response.content.decode()
    page = c.get(f"/contracts/?year={dt.date.today().year}").content.decode()
    assert "50.0%" in page  # 1 of 2 signed
    assert Contract.objects.get(pk=medicine.pk).status == "SIGNED"


def test_issuing_contracts_from_the_page(client, setup):
    w, *_ = setup
    c = client_for(client, w.admin)
    assert "内科" in c.get("/contracts/new/?issuer=HOS").content.decode()
    response = c.post(
        "/contracts/new/",
        {
            "issuer": "HOS",
            "year": str(dt.date.today().year),
            "title": "安全生产责任书",
            "parties": ["MED"],
            "indicator_1": "T_OPD",
            "value_1": "abc",
        },
        follow=True,
    )
    assert "不是数字" in response.content.decode()
    assert not Contract.objects.filter(title="安全生产责任书").exists()
    response = c.post(
        "/contracts/new/",
        {
            "issuer": "HOS",
            "year": str(dt.date.today().year),
            "title": "安全生产责任书",
            "parties": ["MED", "SUR"],
            "duty_1": "每季度消防演练一次",
        },
    )
    assert response.status_code == 302
    assert Contract.objects.filter(title="安全生产责任书").count() == 2


def test_the_contract_list_takes_a_bounded_number_of_queries(
    client, setup, django_assert_max_num_queries
):
    w, *_ = setup
    c = client_for(client, w.admin)
    c.get("/contracts/")
    with django_assert_max_num_queries(20):
        assert c.get("/contracts/").status_code == 200
