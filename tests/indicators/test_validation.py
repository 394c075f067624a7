"""Validation rules: on submit (high importance blocks), on the entry page, and in bulk."""

import pytest

from weijian.indicators import validation
from weijian.indicators.models import Importance, ValidationRule
from weijian.periods import Period
from weijian.reporting import actions
from weijian.reporting.models import Submission, SubmissionStatus

JAN = "202601"


def rule(code, left, operator, right, importance=Importance.HIGH, name=None):
    return ValidationRule.objects.create(
        code=code, name=name or code, left=left, operator=operator, right=right,
        importance=importance,
    )  # fmt: skip


def save(world, values, unit=None, user=None):
    return actions.save_values(user or world.alice, world.form, unit or world.medicine, JAN, values)


@pytest.fixture
def discharges_le_visits(world):
    return rule(
        "DIS_LE_OPD", "#{DIS}", "less_than_or_equal_to", "#{OPD}", name="出院人次不大于门急诊人次"
    )


def test_a_high_importance_violation_blocks_submission(world, discharges_le_visits):
    # 出院 500 > 门急诊 120 + 130 = 250
    save(world, {("OPD", "MALE"): "120", ("OPD", "FEMALE"): "130", ("DIS", "default"): "500"})
    with pytest.raises(actions.ReportingError) as caught:
        actions.submit(world.alice, world.form, world.medicine, JAN)
    assert caught.value.message == "有 1 条重要校验规则未通过，不能上报"
    assert "出院人次不大于门急诊人次：左侧 500，右侧 250" in caught.value.problems[0].reason
    assert not Submission.objects.filter(status=SubmissionStatus.SUBMITTED).exists()


def test_a_medium_violation_is_shown_but_does_not_block(client, world, discharges_le_visits):
    discharges_le_visits.importance = Importance.MEDIUM
    discharges_le_visits.save()
    save(world, {("OPD", "MALE"): "120", ("OPD", "FEMALE"): "130", ("DIS", "default"): "500"})
    client.login(username="alice", password="test-pass-123")
    page = client.get(f"/forms/WORK/MED/{JAN}/").content.decode()
    assert 'id="violations"' in page and "出院人次不大于门急诊人次" in page
    assert actions.submit(world.alice, world.form, world.medicine, JAN).status == "SUBMITTED"


def test_a_satisfied_rule_lets_the_report_through(world, discharges_le_visits):
    save(world, {("OPD", "MALE"): "120", ("OPD", "FEMALE"): "130", ("DIS", "default"): "40"})
    assert actions.submit(world.alice, world.form, world.medicine, JAN).status == "SUBMITTED"


@pytest.mark.parametrize(
    ("operator", "left", "right", "violated"),
    [
        ("compulsory_pair", 1, None, True),
        ("compulsory_pair", None, None, False),
        ("compulsory_pair", 1, 2, False),
        ("exclusive_pair", 1, 2, True),
        ("exclusive_pair", 1, None, False),
        ("equal_to", 3, 3, False),
        ("not_equal_to", 3, 3, True),
        ("greater_than", 3, None, False),  # a side without value skips the rule
    ],
)
def test_operators(operator, left, right, violated):
    assert validation.is_violated(operator, left, right) is violated


def test_bulk_run_over_a_subtree_and_months(world, discharges_le_visits):
    save(world, {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "1", ("DIS", "default"): "9"})
    save(world, {("OPD", "MALE"): "5", ("DIS", "default"): "3"}, unit=world.surgery, user=world.bob)
    months = [Period.parse("202512"), Period.parse(JAN)]
    violations = validation.run([discharges_le_visits], [world.medicine, world.surgery], months)
    assert [(v.org_unit.code, v.period.id, v.left, v.right) for v in violations] == [
        ("MED", JAN, 9, 2)
    ]


def test_the_validate_command_lists_violations_in_chinese(world, discharges_le_visits):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    save(world, {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "1", ("DIS", "default"): "9"})
    out = StringIO()
    call_command("validate", ou="HOS", pe="2026Q1", stdout=out)
    text = out.getvalue()
    assert "人民医院 / 内科 2026年1月：出院人次不大于门急诊人次：左侧 9，右侧 2" in text
    assert "共 1 条" in text
    with pytest.raises(CommandError, match="找不到机构编码“NOPE”"):
        call_command("validate", ou="NOPE", pe="2026")
    with pytest.raises(CommandError, match="不存在"):
        call_command("validate", ou="HOS", pe="202613")


def test_a_rule_checks_a_units_own_figures_not_its_subtree(world, discharges_le_visits):
    # The hospital itself reports nothing of this form; its departments' figures must not be
    # summed up to it and judged there.
    save(world, {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "1", ("DIS", "default"): "9"})
    world.form.org_units.add(world.hospital)
    violations = validation.run(
        [discharges_le_visits], [world.hospital, world.medicine], [Period.parse(JAN)]
    )
    assert [v.org_unit.code for v in violations] == ["MED"]
