"""A patient answers a survey from the public link on a phone; the hospital office sees the
response count change on its results page."""

import pytest

from tests.world import PASSWORD
from weijian.surveys.actions import create_survey, ensure_builtin_questionnaires
from weijian.surveys.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_patient_answers_on_a_phone_and_the_office_sees_the_count_change(
    browser, live_server, world, settings, screenshot
):
    settings.WEIJIAN_SURVEY_MIN_SECONDS = 0
    survey = create_survey(
        world.admin, ensure_builtin_questionnaires()["INPAT"], world.hospital, "住院患者满意度调查"
    )
    base = live_server.url

    office = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    desk = office.new_page()
    desk.goto(f"{base}/login/")
    desk.fill("#id_username", "victor")
    desk.fill("#id_password", PASSWORD)
    desk.click("button[type=submit]")
    desk.wait_for_selector("h1:has-text('我的待办')")
    desk.goto(f"{base}/surveys/{survey.pk}/")
    assert desk.inner_text("#response-count") == "0"

    patient = browser.new_context(viewport=PHONE, locale="zh-CN")
    phone = patient.new_page()
    phone.goto(f"{base}/s/{survey.token}/")
    phone.wait_for_selector("h1:has-text('住院患者满意度调查问卷')")
    questions = list(survey.questionnaire.questions.all())
    # Everything but the overall question first: refused, the question marked, nothing saved.
    for q in questions:
        if q.type == "SCALE" and not q.overall:
            phone.check(f"input[name='{q.field_name}'][value='4']")
        elif q.type == "SINGLE":
            phone.check(f"input[name='{q.field_name}'][value='0']")
        elif q.type == "TEXT":
            phone.fill(f"textarea[name='{q.field_name}']", "护士很耐心")
    phone.click("button:has-text('提交问卷')")
    phone.wait_for_selector("text=第 8 题为必答题，请作答")
    screenshot(phone, "survey-01-refused-phone")
    assert not Response.objects.exists()
    overall = next(q for q in questions if q.overall)
    phone.check(f"input[name='{overall.field_name}'][value='5']")
    phone.click("button:has-text('提交问卷')")
    phone.wait_for_selector("text=提交成功，感谢您的参与")
    screenshot(phone, "survey-02-thanks-phone")
    patient.close()

    desk.reload()
    assert desk.inner_text("#response-count") == "1"
    assert desk.inner_text("#satisfaction") == "100.0%"
    assert desk.is_visible("text=护士很耐心")
    screenshot(desk, "survey-03-office-results")
    office.close()
