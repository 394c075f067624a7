import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from weijian import periods
from weijian.demo.catalogue import CHECKS, ELEMENTS, FORMS
from weijian.demo.load import load_demo, reset_all_data
from weijian.demo.reports import last_months
from weijian.demo.users import DEMO_PASSWORD, LOGINS
from weijian.orgs.models import OrgUnit, OrgUnitGroup, OrgUnitType, RoleAssignment
from weijian.orgs.scope import get_scope
from weijian.reporting import queries
from weijian.reporting.models import (
    AggregationType,
    DataElement,
    DataValue,
    DataValueAudit,
    Form,
    Submission,
    SubmissionEvent,
    ValueType,
)

from .checks import (
    all_violations,
    health_education_disagreements,
    impossible_rates,
    incomplete_reports,
    training_results,
    violations,
    weekend_events,
)

# -- the tree ------------------------------------------------------------------------------


def test_tree_has_bureau_institutions_and_departments(demo):
    root = OrgUnit.objects.get(code="DEMO")
    assert (root.depth, root.type, root.name) == (1, OrgUnitType.BUREAU, "示范区卫生健康局")
    institutions = {u.code: u.type for u in OrgUnit.objects.get_children(root)}
    assert institutions["RMYY"] == OrgUnitType.HOSPITAL
    assert institutions["ZYY"] == OrgUnitType.TCM_HOSPITAL
    assert institutions["FYBJY"] == OrgUnitType.MCH
    assert institutions["CDC"] == OrgUnitType.CDC
    primary = [
        t for t in institutions.values() if t in (OrgUnitType.TOWNSHIP, OrgUnitType.COMMUNITY)
    ]
    assert len(primary) == 8
    hospital = OrgUnit.objects.get(code="RMYY")
    departments = OrgUnit.objects.get_children(hospital)
    assert departments.count() >= 20
    assert {d.depth for d in departments} == {3}
    assert {"内科", "外科", "妇产科", "儿科", "重症医学科", "感染性疾病科", "院感科"} <= {
        d.name for d in departments
    }
    assert all(u.code.isascii() and u.opening_date for u in OrgUnit.objects.all())
    assert OrgUnit.objects.find_problems() == ([], [], [], [], [])


def test_one_department_closed_a_year_ago(demo):
    closed = OrgUnit.objects.filter(closing_date__isnull=False)
    assert [u.code for u in closed] == ["RMYY_LNBK"]
    year_before = periods.parse(demo.last_period).same_period_last_year()
    assert closed[0].closing_date == year_before.end
    assert (
        dt.timedelta(days=330)
        < timezone.localdate() - closed[0].closing_date
        < dt.timedelta(days=430)
    )


def test_closed_unit_has_no_data_after_closing(db):
    load_demo(months=15)
    unit = OrgUnit.objects.get(code="RMYY_LNBK")
    assert DataValue.objects.filter(
        org_unit=unit, period__start_date__lte=unit.closing_date
    ).exists()
    assert not DataValue.objects.filter(
        org_unit=unit, period__start_date__gt=unit.closing_date
    ).exists()
    assert not Submission.objects.filter(
        org_unit=unit, period__start_date__gt=unit.closing_date
    ).exists()


def test_groups_drive_assignments(demo):
    groups = {
        g.code: set(g.members.values_list("code", flat=True)) for g in OrgUnitGroup.objects.all()
    }
    assert {"QSZ", "DCSQ"} <= groups["PRIMARY_CARE"]
    assert "RMYY_NK" in groups["DEPT_CLINICAL"] and "RMYY_NK" not in groups["DEPT_SURGICAL"]
    assert "RMYY_WK" in groups["DEPT_SURGICAL"]
    assigned = queries.assignments()
    by_code = {
        f.code: {OrgUnit.objects.get(pk=pk).code for pk in assigned[f.pk]}
        for f in Form.objects.all()
    }
    assert "RMYY_NK" in by_code["WORKLOAD"] and "QSZ" in by_code["WORKLOAD"]
    assert (
        by_code["FINANCE"] >= {"RMYY", "ZYY", "FYBJY", "QSZ"}
        and "RMYY_NK" not in by_code["FINANCE"]
    )
    assert "FYBJY" in by_code["MCH"] and "DCSQ" not in by_code["MCH"]
    assert not any("CDC" in units for units in by_code.values())


# -- people --------------------------------------------------------------------------------


def test_logins_exist_with_their_roles(demo):
    for login in LOGINS:
        user = User.objects.get(username=login.username)
        assert user.check_password(DEMO_PASSWORD)
        assert RoleAssignment.objects.filter(
            user=user, org_unit__code=login.unit, role=login.role
        ).exists()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert {lg.role for lg in LOGINS} >= {
        "BUREAU_ADMIN",
        "INSTITUTION_ADMIN",
        "CLERK",
        "REVIEWER",
        "INSPECTOR",
        "VIEWER",
    }


def test_task_boards_show_work(demo):
    neike = get_scope(User.objects.get(username="neike"))
    board = queries.task_board(neike)
    assert board.returned and (board.due or board.overdue)
    assert {t.org_unit.code for t in board.returned + board.due + board.overdue} == {"RMYY_NK"}
    hospital_review = queries.task_board(get_scope(User.objects.get(username="yishenhe"))).to_review
    assert hospital_review and all(t.org_unit.code.startswith("RMYY_") for t in hospital_review)
    bureau_review = queries.task_board(get_scope(User.objects.get(username="jushenhe"))).to_review
    assert ("FINANCE", "RMYY") in {(t.form.code, t.org_unit.code) for t in bureau_review}
    township = queries.task_board(get_scope(User.objects.get(username="qingshan")))
    assert township.returned and (township.due or township.overdue)


# -- forms and elements --------------------------------------------------------------------


def test_forms_and_elements_follow_the_catalogue(demo):
    assert Form.objects.count() == len(FORMS) == 9
    typed = DataElement.objects.filter(system_managed=False)  # not the figures apps publish
    assert typed.count() == len(ELEMENTS)
    for element in typed:
        assert element.unit and "（" in element.description, element.code
    last = DataElement.objects.filter(aggregation_type=AggregationType.LAST).values_list(
        "code", flat=True
    )
    assert {"BEDS", "INPATIENTS_END", "NUR_NURSES", "PHS_POPULATION", "HTN_ESTIMATED"} <= set(last)
    assert "OPD_VISITS" not in last
    money = DataElement.objects.filter(unit="万元")
    assert money.count() >= 15 and set(money.values_list("value_type", flat=True)) == {
        ValueType.NUMBER
    }
    assert Form.objects.get(code="FINANCE").due_days == 10
    assert Form.objects.get(code="WORKLOAD").due_days == 5
    assert DataElement.objects.get(code="OPD_VISITS").category.code == "SEX"
    hai = Form.objects.get(code="HAI")
    assert hai.sections.count() == 6 and len(queries.form_cells(hai)) == 31


def test_every_check_refers_to_real_elements():
    codes = {e.code for e in ELEMENTS}
    for check in CHECKS:
        assert set(check.left + check.right) <= codes, check.message


# -- values --------------------------------------------------------------------------------


def test_reported_forms_have_every_cell(demo):
    assert incomplete_reports() == {}


def test_values_respect_every_consistency_check(demo):
    assert all_violations() == {}


def test_no_part_of_the_whole_rate_passes_100_percent_for_any_unit_or_month(demo):
    """Half-typed drafts once held parts without their whole (住院分娩数 without 活产数):
    the district's 住院分娩率 read 115.9 %."""
    assert impossible_rates() == {}


def test_the_consistency_query_does_catch_a_violation(demo):
    value = DataValue.objects.filter(element__code="HH_PERFORMED").first()
    opportunities = DataValue.objects.get(
        element__code="HH_OPPORTUNITIES", org_unit=value.org_unit, period=value.period
    )
    DataValue.objects.filter(pk=value.pk).update(number=opportunities.number + 1)
    hand_hygiene = next(c for c in CHECKS if c.left == ("HH_PERFORMED",))
    assert violations(hand_hygiene) == 1


def test_census_carries_over_from_month_to_month(demo):
    rows = DataValue.objects.filter(
        org_unit__code="RMYY_NK",
        element__code__in=["INPATIENTS_END", "ADMISSIONS", "DISCHARGES", "HAI_INPATIENTS"],
    )
    by_period: dict[str, dict[str, int]] = {}
    for period_id, code, number in rows.values_list("period_id", "element__code", "number"):
        by_period.setdefault(period_id, {})[code] = int(number)
    months = sorted(p for p, v in by_period.items() if len(v) == 4)
    for before, after in zip(months, months[1:], strict=False):
        start = by_period[before]["INPATIENTS_END"]
        now = by_period[after]
        assert now["INPATIENTS_END"] == start + now["ADMISSIONS"] - now["DISCHARGES"]
        assert now["HAI_INPATIENTS"] == start + now["ADMISSIONS"]


def test_values_are_canonical_and_stored_by_the_units_clerk(demo):
    value = DataValue.objects.get(
        element__code="DISCHARGES", org_unit__code="RMYY_NK", period_id=demo.first_period
    )
    assert value.value == str(int(value.number)) and value.stored_by.username == "neike"
    finance = DataValue.objects.filter(
        element__code="FIN_TOTAL_INCOME", org_unit__code="RMYY"
    ).first()
    assert finance.stored_by.username == "caiwu"
    assert not finance.value.endswith("0") or "." not in finance.value
    assert DataValue.objects.filter(org_unit__code="RMYY_GK").first().stored_by.username == "tongji"


def test_magnitudes_are_those_of_a_county_hospital(demo):
    def total(code, unit="RMYY"):
        path = OrgUnit.objects.get(code=unit).path
        return DataValue.objects.filter(
            element__code=code, org_unit__path__startswith=path
        ).aggregate(s=Sum("number"))["s"]

    months = demo.months
    assert 25_000 < total("OPD_VISITS") / months < 60_000
    assert 1_200 < total("DISCHARGES") / months < 2_300
    assert 0.005 < total("HAI_NEW_CASES") / total("HAI_INPATIENTS") < 0.03
    assert 0.70 < total("HH_PERFORMED") / total("HH_OPPORTUNITIES") < 0.95
    assert 25 < 100 * total("DDD_SUM") / total("ABX_PATIENT_DAYS") < 45
    assert 500 < total("OPD_VISITS", "QSZ") / months < 10_000


# -- workflow ------------------------------------------------------------------------------


def test_the_workflow_has_every_state(demo):
    statuses = set(Submission.objects.values_list("status", flat=True))
    assert statuses == {"DRAFT", "SUBMITTED", "RETURNED", "APPROVED", "LOCKED"}
    last = Submission.objects.filter(period_id=demo.last_period)
    assert {"SUBMITTED", "DRAFT"} <= set(last.values_list("status", flat=True))
    returned = Submission.objects.filter(status="RETURNED")
    assert all(s.return_reason for s in returned)
    assert (
        SubmissionEvent.objects.filter(action="RETURN", submission__in=returned).count()
        == returned.count()
    )
    assert not Submission.objects.filter(status="LOCKED", period_id=demo.last_period).exists()


def test_some_reports_are_missing_and_some_late(demo):
    expected = 0
    assigned = queries.assignments()
    units = {u.pk: u for u in OrgUnit.objects.all()}
    months = [periods.parse(p) for p in (demo.first_period, demo.last_period)]
    every = periods.periods_between(periods.PeriodType.MONTHLY, months[0].start, months[1].end)
    for unit_ids in assigned.values():
        expected += sum(
            1 for pk in unit_ids for p in every if units[pk].is_open_during(p.start, p.end)
        )
    assert Submission.objects.count() < expected
    last_missing = Submission.objects.filter(period_id=demo.last_period).count()
    assert last_missing < sum(
        1 for ids in assigned.values() for pk in ids if not units[pk].closing_date
    )
    late = [
        s
        for s in Submission.objects.filter(first_submitted_at__isnull=False).select_related(
            "form", "period"
        )
        if not queries.is_on_time(s, s.due_date())
    ]
    assert late
    assert len(late) < Submission.objects.count() / 4


def test_workflow_times_are_aware_ordered_and_past(demo):
    now = timezone.now()
    for s in Submission.objects.exclude(status="DRAFT").prefetch_related("events"):
        assert s.first_submitted_at <= s.submitted_at <= now
        assert s.first_submitted_at.date() > s.period.end_date - dt.timedelta(days=1)
        if s.reviewed_at:
            assert s.submitted_at < s.reviewed_at <= now
        times = [e.at for e in s.events.all()]
        assert times == sorted(times) and times[0] == s.first_submitted_at
    span = DataValue.objects.aggregate(first=Min("updated_at"), last=Max("updated_at"))
    assert span["last"] <= now and timezone.is_aware(span["first"])


def test_early_in_the_month_nothing_is_in_the_future(db):
    today = dt.date(2026, 3, 1)
    load_demo(today=today, months=2)
    noon = dt.datetime(2026, 3, 1, 12, tzinfo=timezone.get_current_timezone())
    latest = SubmissionEvent.objects.aggregate(m=Max("at"))["m"]
    assert latest <= noon
    assert DataValueAudit.objects.aggregate(m=Max("changed_at"))["m"] <= noon
    assert Submission.objects.filter(period_id="202602").exists()


def test_every_value_has_its_audit_trail(demo):
    # (figures apps publish, e.g. inspections' INSP_…, are recomputed without a reason)
    typed = {"element__system_managed": False}
    creates = DataValueAudit.objects.filter(action="CREATE", source="演示数据", **typed)
    assert creates.count() == DataValue.objects.filter(**typed).count()
    updates = DataValueAudit.objects.filter(action="UPDATE", **typed)
    assert updates.exists() and all(a.reason for a in updates)
    for audit in updates:
        value = DataValue.objects.get(
            element=audit.element, option=audit.option, org_unit=audit.org_unit, period=audit.period
        )
        assert (value.value, value.updated_at) == (audit.new_value, audit.changed_at)
        create = DataValueAudit.objects.get(
            action="CREATE",
            element=audit.element,
            option=audit.option,
            org_unit=audit.org_unit,
            period=audit.period,
        )
        assert create.new_value == audit.old_value != audit.new_value


def test_a_corrected_return_shows_in_the_history(demo):
    months = last_months(timezone.localdate(), 4)
    submission = Submission.objects.get(
        form__code="WORKLOAD", org_unit__code="RMYY_NK", period_id=months[-2].id
    )
    actions = list(submission.events.values_list("action", flat=True))
    assert actions == ["SUBMIT", "RETURN", "SUBMIT", "APPROVE"]
    reason = submission.events.get(action="RETURN").reason
    assert reason.endswith("请核实后重新上报")
    assert DataValueAudit.objects.filter(
        org_unit__code="RMYY_NK", period_id=months[-2].id, action="UPDATE", reason="按审核意见更正"
    ).exists()


# -- determinism ---------------------------------------------------------------------------


def fingerprint() -> tuple:
    sums = dict(
        DataValue.objects.values_list("element__code")
        .annotate(s=Sum("number"))
        .values_list("element__code", "s")
    )
    statuses = dict(
        Submission.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    updates = sorted(
        DataValueAudit.objects.filter(action="UPDATE").values_list(
            "element__code", "org_unit__code", "period_id", "old_value", "new_value"
        )
    )
    return sums, statuses, updates, DataValue.objects.count()


def test_the_same_day_gives_the_same_district(db, clean_caches):
    load_demo(months=3)
    first = fingerprint()
    reset_all_data()
    load_demo(months=3)
    assert fingerprint() == first


@pytest.mark.parametrize("months", [0, 121])
def test_month_count_is_bounded(db, months):
    from weijian.demo.load import DemoError

    with pytest.raises(DemoError):
        load_demo(months=months)
    assert not OrgUnit.objects.exists()


def test_office_work_falls_on_working_days(demo):
    # four months of meetings, trainings, drills, inspections, notices, groups and contracts:
    # none on a Saturday or Sunday (test_full_history checks all three years)
    assert weekend_events() == []


def test_training_results_are_whole_people_within_the_training(demo):
    # a pass rate is 合格 ÷ 考核 of whole people: 0 ≤ 合格 ≤ 考核 ≤ 参训 on every record
    assert training_results() == []


def test_the_demo_district_is_led_by_its_party_working_committee_and_administration(demo):
    # a 示范区 has a 党工委 and a 管委会, not a 区委 and 区政府: set once on the bureau, every
    # unit below follows it in its summaries' "在……的正确领导下"
    assert OrgUnit.objects.get(code="DEMO").leadership == "示范区党工委、管委会"
    assert OrgUnit.objects.get(code="RMYY_NK").leadership_line() == "示范区党工委、管委会"


def test_a_centres_health_education_ledger_agrees_with_its_report(demo):
    # the SPECIAL_HE summary prints the report's 健康讲座/公众健康咨询 counts and the 台账's
    # activities: each centre-month's 讲座 and 咨询 records number what its report says
    # (a centre's 2025 summary once said 讲座16次 and then 其中健康讲座11次)
    assert health_education_disagreements() == []
