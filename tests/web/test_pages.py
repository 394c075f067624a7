"""Every page, as its rightful user and as the outsider (Olivia, the township clerk, looking at
the hospital's 内科)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.world import PASSWORD
from weijian.reporting import actions
from weijian.reporting.models import DataValue, Form, Submission, SubmissionStatus

PERIOD = "202601"
FULL = {("OPD", "MALE"): "120", ("OPD", "FEMALE"): "130", ("DIS", "default"): "40"}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def med_url(name, period=PERIOD):
    return reverse(name, args=["WORK", "MED", period])


UNIT_PAGES = ["entry", "history", "xlsx_download"]
UNIT_POSTS = ["entry", "review", "xlsx_upload"]


@pytest.mark.parametrize("name", UNIT_PAGES)
def test_the_outsider_cannot_read_another_units_pages(client, world, name):
    actions.save_values(world.alice, world.form, world.medicine, PERIOD, FULL)
    response = login(client, world.olivia).get(med_url(name))
    assert response.status_code == 404
    assert "120" not in response.content.decode()
    assert "页面不存在" in response.content.decode()


@pytest.mark.parametrize("name", UNIT_POSTS)
def test_the_outsider_cannot_write_through_any_endpoint(client, world, name):
    actions.save_values(world.alice, world.form, world.medicine, PERIOD, FULL)
    actions.submit(world.alice, world.form, world.medicine, PERIOD)
    response = login(client, world.olivia).post(
        med_url(name), {"v:DIS:default": "999", "action": "APPROVE", "reason": "x"}
    )
    assert response.status_code == 404
    assert DataValue.objects.get(element=world.discharges).value == "40"
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/forms/",
        "/review/",
        "/completeness/",
        "/forms/WORK/MED/202601/",
        "/completeness/WORK/202601/",
    ],
)
def test_anonymous_visitors_are_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_page_is_chinese(client, db):
    response = client.get("/login/")
    assert "用户名" in response.content.decode() and "登录" in response.content.decode()


def test_a_wrong_password_gets_a_chinese_message(client, world):
    response = client.post("/login/", {"username": "alice", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()


def test_login_lands_on_the_task_board(client, world):
    response = client.post("/login/", {"username": "alice", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "我的待办" in response.content.decode()


def test_the_task_board_shows_the_clerks_overdue_reports_and_not_others(client, world):
    page = login(client, world.alice).get("/").content.decode()
    assert "已逾期" in page
    assert "内科" in page and "外科" not in page and "城关卫生院" not in page


def test_the_task_board_shows_the_reviewer_what_awaits_review(client, world):
    actions.save_values(world.alice, world.form, world.medicine, PERIOD, FULL)
    actions.submit(world.alice, world.form, world.medicine, PERIOD)
    page = login(client, world.rita).get("/").content.decode()
    assert "待我审核" in page
    assert med_url("entry") in page
    page = login(client, world.olivia).get("/").content.decode()
    assert med_url("entry") not in page


def test_the_clerk_enters_and_submits_through_the_page(client, world):
    login(client, world.alice)
    response = client.post(
        med_url("entry"),
        {"v:OPD:MALE": "120", "v:OPD:FEMALE": "130", "v:DIS:default": "40", "action": "submit"},
        follow=True,
    )
    assert "已保存并上报" in response.content.decode()
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
    assert DataValue.objects.count() == 3


def test_bad_input_on_the_page_changes_nothing_and_says_why(client, world):
    actions.save_values(world.alice, world.form, world.medicine, PERIOD, {("DIS", "default"): "40"})
    response = login(client, world.alice).post(
        med_url("entry"), {"v:OPD:MALE": "-1", "v:DIS:default": "50", "action": "save"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "未保存任何数据" in page and "不能为负数" in page
    # The user's typing is kept on the page so they can correct it.
    assert 'value="50"' in page
    assert DataValue.objects.get(element=world.discharges).value == "40"


def test_the_reviewer_approves_and_the_clerk_can_no_longer_edit(client, world):
    actions.save_values(world.alice, world.form, world.medicine, PERIOD, FULL)
    actions.submit(world.alice, world.form, world.medicine, PERIOD)
    response = login(client, world.rita).post(med_url("review"), {"action": "APPROVE"}, follow=True)
    assert "已审核通过" in response.content.decode()
    assert Submission.objects.get().status == SubmissionStatus.APPROVED
    page = login(client, world.alice).get(med_url("entry")).content.decode()
    assert "保存并上报" not in page and "readonly" in page


def test_a_clerk_cannot_approve_their_own_report(client, world):
    actions.save_values(world.alice, world.form, world.medicine, PERIOD, FULL)
    actions.submit(world.alice, world.form, world.medicine, PERIOD)
    response = login(client, world.alice).post(
        med_url("review"), {"action": "APPROVE"}, follow=True
    )
    assert "没有审核" in response.content.decode()
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_a_reviewer_who_entered_values_sees_no_approve_button_and_is_refused(client, world):
    actions.save_values(world.admin, world.form, world.medicine, PERIOD, FULL)
    actions.submit(world.alice, world.form, world.medicine, PERIOD)
    page = login(client, world.admin).get(med_url("entry")).content.decode()
    assert "不能由您审核通过" in page and 'value="APPROVE"' not in page
    assert 'value="APPROVE"' in login(client, world.rita).get(med_url("entry")).content.decode()
    response = login(client, world.admin).post(
        med_url("review"), {"action": "APPROVE"}, follow=True
    )
    assert "填报或上报过该报表" in response.content.decode()
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_return_without_reason_is_refused_on_the_page(client, world):
    actions.save_values(world.alice, world.form, world.medicine, PERIOD, FULL)
    actions.submit(world.alice, world.form, world.medicine, PERIOD)
    response = login(client, world.rita).post(
        med_url("review"), {"action": "RETURN", "reason": ""}, follow=True
    )
    assert "请填写退回原因" in response.content.decode()
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_the_history_page_shows_old_and_new_values(client, world):
    actions.save_values(world.alice, world.form, world.medicine, PERIOD, {("DIS", "default"): "40"})
    actions.save_values(
        world.alice, world.form, world.medicine, PERIOD, {("DIS", "default"): "44"}, reason="补录"
    )
    page = (
        login(client, world.victor)
        .get(med_url("history") + "?element=DIS&option=default")
        .content.decode()
    )
    assert "出院人次" in page and "44" in page and "补录" in page and "修改" in page


@pytest.mark.parametrize("period", ["202613", "2026Q1", "abc"])
def test_a_period_that_does_not_exist_is_a_chinese_404(client, world, period):
    response = login(client, world.alice).get(med_url("entry", period))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_the_completeness_pages_render_for_the_bureau(client, world):
    actions.save_values(world.alice, world.form, world.medicine, PERIOD, FULL)
    actions.submit(world.alice, world.form, world.medicine, PERIOD)
    login(client, world.admin)
    page = client.get("/completeness/?type=MONTHLY&period=202601").content.decode()
    assert "门急诊与住院工作量月报" in page
    page = client.get("/completeness/WORK/202601/").content.decode()
    assert 'id="expected">3<' in page and 'id="reported">1<' in page


@time_machine.travel(dt.datetime(2026, 12, 7, 9, 0))
def test_switching_to_quarterly_with_the_month_still_in_the_box_shows_a_quarter(client, world):
    """The walk-through: 季报 chosen while the period box still held 202611 was a 404."""
    quarterly = Form.objects.create(code="QREP", name="季度报表", period_type="QUARTERLY")
    quarterly.org_units.set([world.medicine, world.township])
    login(client, world.admin)
    # 202611 lies in 2026Q4, not over on 7 December: the latest ended quarter, 2026Q3
    page = client.get("/completeness/?type=QUARTERLY&period=202611")
    assert page.status_code == 200
    assert (
        "上报情况 · 2026年第3季度" in page.content.decode() and "季度报表" in page.content.decode()
    )
    # a month of an ended quarter: that quarter
    page = client.get("/completeness/?type=QUARTERLY&period=202602").content.decode()
    assert "上报情况 · 2026年第1季度" in page
    assert client.get("/completeness/QREP/202611/").status_code == 200
    page = login(client, world.olivia).get("/completeness/QREP/202611/").content.decode()
    assert "城关卫生院" in page and "内科" not in page


def test_the_outsider_sees_only_their_own_unit_in_completeness(client, world):
    page = login(client, world.olivia).get("/completeness/WORK/202601/").content.decode()
    assert "城关卫生院" in page and "内科" not in page and "外科" not in page


def test_the_review_list_shows_only_reviewable_units(client, world):
    for user, unit in ((world.alice, world.medicine), (world.olivia, world.township)):
        actions.save_values(user, world.form, unit, PERIOD, FULL)
        actions.submit(user, world.form, unit, PERIOD)
    page = login(client, world.rita).get("/review/").content.decode()
    assert "内科" in page and "城关卫生院" not in page


def test_the_review_column_says_who_did_what_not_who_returned_an_earlier_version(client, world):
    """The walk-through: a report returned by Rita, corrected and submitted again showed
    "Rita" in the 审核 column of the awaiting-review list, as if she had reviewed it."""
    actions.save_values(world.alice, world.form, world.medicine, PERIOD, FULL)
    submission = actions.submit(world.alice, world.form, world.medicine, PERIOD)
    actions.return_for_correction(world.rita, submission, "门诊人次有误")
    actions.submit(world.alice, world.form, world.medicine, PERIOD)
    page = login(client, world.admin).get("/review/").content.decode()
    assert "上次退回：Rita" in page and "已重新上报" in page
    entry = client.get(med_url("entry", PERIOD)).content.decode()
    assert "上次退回：Rita" in entry and "审核人" not in entry
    actions.approve(world.admin, Submission.objects.get(pk=submission.pk))
    page = client.get("/review/?status=APPROVED").content.decode()
    assert "审核通过：Admin" in page and "Rita" not in page
    assert (
        "内科" not in login(client, world.olivia).get("/review/?status=APPROVED").content.decode()
    )


def test_the_admin_site_is_for_superusers_only(client, world):
    response = login(client, world.admin).get("/admin/")
    assert response.status_code == 302  # not a superuser: sent to the admin login
    world.admin.is_superuser = world.admin.is_staff = True
    world.admin.save()
    assert login(client, world.admin).get("/admin/orgs/orgunit/").status_code == 200


def test_submit_with_an_empty_required_cell_keeps_the_values_and_names_the_gap(client, world):
    response = login(client, world.alice).post(
        med_url("entry"), {"v:DIS:default": "40", "action": "submit"}, follow=True
    )
    page = response.content.decode()
    assert "不能上报（已填写的数据已保存）" in page
    assert "门急诊人次（男）：必填项未填写" in page
    assert DataValue.objects.get(element=world.discharges).value == "40"
    assert Submission.objects.get().status == SubmissionStatus.DRAFT


def test_a_system_managed_cell_is_shown_but_not_sent_back(client, world):
    world.note.system_managed = True
    world.note.save()
    login(client, world.alice)
    page = client.get(med_url("entry")).content.decode()
    assert 'name="v:NOTE:default"' in page and "disabled" in page
    # The browser does not submit disabled inputs, so a normal save goes through.
    response = client.post(med_url("entry"), {"v:DIS:default": "40", "action": "save"}, follow=True)
    assert "已保存" in response.content.decode()
    assert DataValue.objects.get(element=world.discharges).value == "40"


def test_the_admin_lists_indicators_and_targets(client, world):
    world.admin.is_superuser = world.admin.is_staff = True
    world.admin.save()
    login(client, world.admin)
    for url in (
        "/admin/indicators/indicator/",
        "/admin/indicators/target/",
        "/admin/indicators/validationrule/",
    ):
        assert client.get(url).status_code == 200
