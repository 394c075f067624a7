import datetime as dt

import pytest
import time_machine

from weijian.reporting import actions
from weijian.reporting.models import (
    DataElement,
    DataValue,
    DataValueAudit,
    Form,
    FormElement,
    FormSection,
    Submission,
)


def save(world, values, user=None, unit=None, period="202601", **kw):
    return actions.save_values(
        user or world.alice, world.form, unit or world.medicine, period, values, **kw
    )


def test_it_saves_and_audits_values(world):
    result = save(
        world, {("OPD", "MALE"): "120", ("OPD", "FEMALE"): "130", ("DIS", "default"): "40"}
    )
    assert (result.created, result.updated) == (3, 0)
    assert DataValue.objects.filter(org_unit=world.medicine).count() == 3
    audits = DataValueAudit.objects.filter(org_unit=world.medicine, action="CREATE")
    assert sorted(audits.values_list("new_value", flat=True)) == ["120", "130", "40"]
    assert {a.changed_by for a in audits} == {world.alice}


def test_changes_and_clears_are_audited_with_old_and_new(world):
    save(world, {("DIS", "default"): "40", ("NOTE", "default"): "正常"})
    result = save(world, {("DIS", "default"): "41", ("NOTE", "default"): ""}, reason="核对病案")
    assert (result.updated, result.deleted) == (1, 1)
    update = DataValueAudit.objects.get(action="UPDATE")
    assert (update.old_value, update.new_value, update.reason) == ("40", "41", "核对病案")
    delete = DataValueAudit.objects.get(action="DELETE")
    assert (delete.old_value, delete.new_value) == ("正常", "")
    assert not DataValue.objects.filter(element=world.note).exists()


def test_an_unchanged_save_writes_nothing(world):
    save(world, {("DIS", "default"): "40"})
    result = save(world, {("DIS", "default"): "40"})
    assert (result.changed, result.unchanged) == (0, 1)
    assert DataValueAudit.objects.count() == 1


def test_one_bad_cell_saves_nothing_and_every_problem_is_listed(world):
    save(world, {("DIS", "default"): "40"})
    with pytest.raises(actions.ReportingError) as caught:
        save(
            world,
            {
                ("OPD", "MALE"): "-5",
                ("OPD", "FEMALE"): "很多",
                ("DIS", "default"): "50",
                ("XYZ", "default"): "1",
            },
        )
    assert caught.value.message == "有 3 处数据不正确，未保存任何数据"
    reasons = {p.where: p.reason for p in caught.value.problems}
    assert reasons["门急诊人次（男）"] == "不能为负数（填了 -5）"
    assert reasons["门急诊人次（女）"] == "“很多”不是数字"
    assert reasons["XYZ"] == "本报表没有数据项“XYZ”"
    assert DataValue.objects.get(element=world.discharges).value == "40"
    assert DataValueAudit.objects.count() == 1


def test_it_refuses_an_outsider(world):
    with pytest.raises(actions.ReportingError, match="没有“内科”的填报权限"):
        save(world, {("DIS", "default"): "1"}, user=world.olivia)
    for person in (world.rita, world.victor, world.bob):
        with pytest.raises(actions.ReportingError, match="填报权限"):
            save(world, {("DIS", "default"): "1"}, user=person)
    assert not DataValue.objects.exists()
    assert not Submission.objects.exists()


def test_it_refuses_a_form_not_assigned_to_the_unit(world):
    with pytest.raises(actions.ReportingError, match="未分配给“人民医院”"):
        save(world, {("DIS", "default"): "1"}, user=world.admin, unit=world.hospital)


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("202613", "不存在"),
        ("2026Q1", "不是月报期间"),
        ("209901", "尚未开始"),
        ("x", "不是有效的期间编码"),
    ],
)
def test_it_refuses_periods_that_do_not_exist_or_fit(world, period, message):
    with pytest.raises(actions.ReportingError, match=message):
        save(world, {("DIS", "default"): "1"}, period=period)
    assert not DataValue.objects.exists()


def test_it_refuses_entry_into_a_closed_unit(world):
    world.medicine.closing_date = dt.date(2025, 12, 31)
    world.medicine.save()
    with pytest.raises(actions.ReportingError, match="不在启用期内"):
        save(world, {("DIS", "default"): "1"}, period="202601")
    # Before it closed, corrections are still possible.
    assert save(world, {("DIS", "default"): "1"}, period="202512").created == 1


def test_system_managed_elements_cannot_be_typed_in(world):
    world.discharges.system_managed = True
    world.discharges.save()
    with pytest.raises(actions.ReportingError):
        save(world, {("DIS", "default"): "1"})
    assert not DataValue.objects.exists()


@time_machine.travel(dt.datetime(2026, 3, 10, 9, 0))
def test_the_current_period_is_open_but_the_next_is_not(world):
    assert save(world, {("DIS", "default"): "1"}, period="202603").created == 1
    with pytest.raises(actions.ReportingError, match="尚未开始"):
        save(world, {("DIS", "default"): "1"}, period="202604")


def test_saving_a_150_element_form_makes_a_bounded_number_of_queries(
    world, django_assert_max_num_queries
):
    form = Form.objects.create(code="BIG", name="大表", due_days=5)
    section = FormSection.objects.create(form=form, name="全部")
    elements = DataElement.objects.bulk_create(
        DataElement(code=f"E{i:03d}", name=f"指标{i}", unit="人次") for i in range(150)
    )
    FormElement.objects.bulk_create(
        FormElement(form=form, element=e, section=section, sort_order=i)
        for i, e in enumerate(elements)
    )
    form.org_units.add(world.medicine)
    values = {(f"E{i:03d}", "default"): str(i) for i in range(150)}
    # Queries: scope (1), assignment (1-2), the form stamp (1; form_cells_cache.py), cells (3;
    # the first save of the process only), default option (1), the report's
    # submission (1; when there is none yet: would anything change (1), then get-or-create +
    # lock (3-4)), stored values (1), bulk writes (a few) — never one per cell.
    with django_assert_max_num_queries(23):
        result = actions.save_values(world.alice, form, world.medicine, "202601", values)
    assert result.created == 150
    values = {k: str(int(v) + 1) for k, v in values.items()}
    with django_assert_max_num_queries(20):
        result = actions.save_values(world.alice, form, world.medicine, "202601", values)
    assert result.updated == 150
    assert DataValueAudit.objects.filter(action="UPDATE").count() == 150


def test_a_form_assigned_through_a_group_takes_its_members_values_only(world):
    """is_assigned reads the direct assignment and the groups' members in one query: a unit
    that is only a member of an assigned group may save; the group's assignment does not reach
    a unit outside it."""
    from weijian.orgs.models import OrgUnitGroup
    from weijian.reporting import queries

    world.form.org_units.set([world.surgery])  # 内科 no longer assigned directly
    assert not queries.is_assigned(world.form, world.medicine)
    with pytest.raises(actions.ReportingError):
        save(world, {("DIS", "default"): "40"})
    group = OrgUnitGroup.objects.create(code="WARDS", name="病区")
    group.members.add(world.medicine)
    world.form.org_groups.add(group)
    assert queries.is_assigned(world.form, world.medicine)
    assert queries.is_assigned(world.form, world.surgery)  # still directly
    assert not queries.is_assigned(world.form, world.township)
    assert save(world, {("DIS", "default"): "40"}).created == 1
