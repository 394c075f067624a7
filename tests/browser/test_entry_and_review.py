"""A clerk fills a form on a phone-sized screen and submits it; the reviewer approves it."""

import pytest

from tests.world import PASSWORD
from weijian.reporting.models import DataValue, Submission, SubmissionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def log_in(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('我的待办')")


def test_a_clerk_fills_and_submits_and_the_reviewer_approves(
    browser, live_server, world, screenshot
):
    base = live_server.url
    clerk = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = clerk.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # 保存并上报 asks for confirmation
    log_in(page, base, "alice")
    screenshot(page, "01-task-board-clerk")
    page.click("#overdue a:has-text('门急诊与住院工作量月报') >> nth=0")
    page.wait_for_selector("h1:has-text('门急诊与住院工作量月报')")
    period_id = page.url.rstrip("/").split("/")[-1]

    # A bad value first: refused with a Chinese reason, nothing saved.
    page.fill("input[name='v:OPD:MALE']", "-3")
    page.fill("input[name='v:OPD:FEMALE']", "130")
    page.fill("input[name='v:DIS:default']", "40")
    page.click("button[value=submit]")
    page.wait_for_selector("text=不能为负数")
    assert DataValue.objects.count() == 0
    screenshot(page, "02-entry-refused")

    page.fill("input[name='v:OPD:MALE']", "120")
    page.click("button[value=submit]")
    page.wait_for_selector("text=已保存并上报")
    screenshot(page, "03-entry-submitted")
    submission = Submission.objects.get(org_unit=world.medicine, period_id=period_id)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert sorted(DataValue.objects.values_list("value", flat=True)) == ["120", "130", "40"]
    clerk.close()

    reviewer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = reviewer.new_page()
    log_in(page, base, "rita")
    page.click("#to_review a:has-text('门急诊与住院工作量月报')")
    page.wait_for_selector("#review")
    screenshot(page, "04-review")
    page.click("#review button[value=APPROVE]")
    page.wait_for_selector("text=已审核通过")
    screenshot(page, "05-approved")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED
    assert submission.reviewed_by == world.rita
    reviewer.close()
