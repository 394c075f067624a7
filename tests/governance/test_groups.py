"""Leading groups: founding with members, dated adjustments that keep history, bad input."""

import datetime as dt

import pytest

from weijian.governance.actions import GovernanceError, adjust_group, create_group, parse_members
from weijian.governance.models import GroupChange, GroupMember, LeadingGroup
from weijian.governance.queries import groups_for, members_on

MEMBERS = """组长，王建国，院长
副组长，李红，副院长
成员，张明，医务科科长
成员，赵丽，护理部主任"""


def found(w, **kw):
    fields = dict(
        name="创建健康促进医院工作领导小组",
        duties="统筹全院健康促进医院创建工作。\n研究解决创建中的重大问题。",
        document_number="人医发〔2026〕5号",
        founded_on=dt.date(2026, 3, 2),
        members=parse_members(MEMBERS),
        office_location="院办公室",
        office_director="李红",
    )
    fields.update(kw)
    return create_group(w.admin, w.hospital, **fields)


def test_founding_records_members_and_the_founding_change(world):
    group = found(world)
    assert [(m.role, m.name) for m in members_on(group)] == [
        ("LEADER", "王建国"),
        ("DEPUTY", "李红"),
        ("MEMBER", "张明"),
        ("MEMBER", "赵丽"),
    ]
    change = group.changes.get()
    assert (change.kind, change.document_number) == ("FOUND", "人医发〔2026〕5号")


def test_an_adjustment_closes_old_seats_opens_new_ones_and_keeps_history(world):
    group = found(world)
    adjust_group(
        world.admin,
        group,
        effective_on=dt.date(2026, 9, 1),
        document_number="人医发〔2026〕31号",
        reason="因人事变动",
        members=parse_members(
            "组长，王建国，院长\n副组长，张明，副院长\n成员，赵丽，护理部主任\n成员，陈刚，医务科科长"
        ),
    )
    # Li Hong left, Zhang Ming moved from member to deputy, Chen Gang joined.
    assert [m.name for m in members_on(group)] == ["王建国", "张明", "赵丽", "陈刚"]
    assert [m.name for m in members_on(group, dt.date(2026, 8, 31))] == [
        "王建国",
        "李红",
        "张明",
        "赵丽",
    ]
    li = GroupMember.objects.get(group=group, name="李红")
    assert li.left_on == dt.date(2026, 9, 1)
    zhang = GroupMember.objects.filter(group=group, name="张明").order_by("joined_on")
    assert [(z.role, z.left_on) for z in zhang] == [
        ("MEMBER", dt.date(2026, 9, 1)),
        ("DEPUTY", None),
    ]
    change = group.changes.get(kind=GroupChange.Kind.ADJUST)
    assert "新增 陈刚（医务科科长）" in change.summary
    assert "调出 李红（副院长）" in change.summary
    assert "张明 由成员（医务科科长）改任副组长（副院长）" in change.summary


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "请填写小组成员"),
        ("副组长，李红，副院长", "须有一名组长"),
        ("组长，王建国，院长\n组长，李红，副院长", "只能有一名组长"),
        ("组长，王建国", "三项"),
        ("队长，王建国，院长", "组内职务“队长”"),
        ("组长，王建国，院长\n成员，王建国，院长", "重复"),
    ],
)
def test_bad_member_lists_are_refused(text, message):
    with pytest.raises(GovernanceError) as refused:
        parse_members(text)
    assert message in refused.value.message + "".join(refused.value.problems)


def test_bad_group_input_saves_nothing(world):
    with pytest.raises(GovernanceError, match="请填写成立文号"):
        found(world, document_number=" ")
    with pytest.raises(GovernanceError, match="不能晚于今天"):
        found(world, founded_on=dt.date.today() + dt.timedelta(days=3))
    with pytest.raises(GovernanceError, match="没有“人民医院”的管理权限"):
        create_group(
            world.alice,
            world.hospital,
            name="测试领导小组",
            duties="x",
            document_number="1",
            founded_on=dt.date(2026, 1, 1),
            members=parse_members("组长，甲，院长"),
        )
    assert not LeadingGroup.objects.exists()
    assert not GroupMember.objects.exists()


def test_an_adjustment_without_changes_or_dated_before_the_last_is_refused(world):
    group = found(world)
    same = parse_members(MEMBERS)
    kwargs = dict(document_number="x", reason="人事变动", members=same)
    with pytest.raises(GovernanceError, match="没有变化"):
        adjust_group(world.admin, group, effective_on=dt.date(2026, 9, 1), **kwargs)
    with pytest.raises(GovernanceError, match="不能早于上一次成立日期"):
        adjust_group(
            world.admin,
            group,
            effective_on=dt.date(2026, 1, 1),
            **{**kwargs, "members": parse_members("组长，王建国，院长")},
        )
    assert group.changes.count() == 1
    assert GroupMember.objects.filter(left_on__isnull=False).count() == 0


def test_groups_are_scoped(world):
    found(world)
    assert groups_for(world.victor).count() == 1  # viewer at the hospital
    assert groups_for(world.olivia).count() == 0  # the township clerk: outsider
    assert groups_for(world.alice).count() == 0  # a department sees only its own groups
