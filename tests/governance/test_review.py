"""Findings of the security review: over-long text and huge target values are refused with a
Chinese message and change nothing (PostgreSQL raised a 500; SQLite silently kept them)."""

import datetime as dt

import pytest

from weijian.governance.actions import GovernanceError, TargetSpec, adjust_group, parse_members

from .test_contracts import issue
from .test_groups import MEMBERS, found


def test_over_long_group_fields_are_refused_and_nothing_saved(world):
    from weijian.governance.models import LeadingGroup

    for name, value in [
        ("name", "创" * 100 + "领导小组"),  # the column holds 100
        ("document_number", "人医发〔2026〕" + "5" * 100 + "号"),
        ("office_location", "院" * 101),
        ("office_director", "李" * 101),
    ]:
        with pytest.raises(GovernanceError, match="过长"):
            found(world, **{name: value})
    assert not LeadingGroup.objects.exists()

    group = found(world)
    for name, value in [
        ("document_number", "人医发〔2026〕" + "5" * 100 + "号"),
        ("office_location", "院" * 101),
        ("office_director", "李" * 101),
    ]:
        fields = dict(
            effective_on=dt.date(2026, 9, 1),
            document_number="人医发〔2026〕31号",
            reason="因人事变动",
            members=parse_members(MEMBERS + "\n成员，陈刚，医务科科长"),
        )
        fields[name] = value
        with pytest.raises(GovernanceError, match="过长"):
            adjust_group(world.admin, group, **fields)
    assert group.changes.count() == 1 and group.members.count() == 4


def test_an_over_long_contract_title_or_a_huge_target_is_refused(world):
    from weijian.governance.models import Contract
    from weijian.indicators.models import Direction, Indicator, IndicatorType

    Indicator.objects.create(
        code="T_OPD", name="门急诊人次", numerator="#{OPD}", type=IndicatorType.NUMBER,
        direction=Direction.HIGHER_BETTER, decimals=0,
    )  # fmt: skip
    indicators = world

    with pytest.raises(GovernanceError, match="过长"):
        issue(indicators, title="医疗质量安全目标责任书" * 20)  # 220 > 200
    with pytest.raises(GovernanceError) as refused:
        issue(indicators, targets=[TargetSpec("T_OPD", "1e20")])  # the column holds < 1e14
    assert "过大" in "".join(refused.value.problems)
    assert not Contract.objects.exists()


def test_a_garbage_date_is_named_as_such_not_as_missing(client, world):
    from tests.world import PASSWORD
    from weijian.governance.models import LeadingGroup

    assert client.login(username=world.admin.username, password=PASSWORD)
    response = client.post(
        "/groups/new/",
        {"unit": "HOS", "name": "创建健康促进医院工作领导小组", "duties": "统筹",
         "document_number": "人医发〔2026〕5号", "founded_on": "2026-02-30", "members": MEMBERS},
    )  # fmt: skip
    html = response.content.decode()
    assert "“2026-02-30”不是有效日期" in html and "请填写成立日期" not in html
    assert not LeadingGroup.objects.exists()
