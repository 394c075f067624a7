"""The party office logs the year's campaign of study (ledger STUDY, issue 11 item 5) on a desktop
and on a phone: a refused record (more problems put right than found) and a saved one, with the
dates of the campaign. Screenshots in var/screenshots/ledger-study-*.png."""

import datetime as dt

import pytest

from tests.world import PASSWORD
from weijian.ledger.builtin import load_builtin
from weijian.ledger.models import Activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", list(SIZES))
def test_the_party_office_logs_a_campaign_of_study(browser, live_server, world, screenshot, size):
    load_builtin()
    context = browser.new_context(viewport=SIZES[size], locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/ledger/STUDY/new/")
    page.wait_for_selector("h1:has-text('专题学习教育')")
    page.select_option("select[name=unit]", "HOS")
    page.fill("#title", "深入贯彻中央八项规定精神学习教育")
    page.fill("#start", "2025-03-18")
    page.fill("#end", "2025-07-31")
    page.select_option("#f_KIND", "专题学习教育")
    page.fill("#f_DOCNO", "院党发〔2025〕2号")
    for key, value in (("CLASSES", "2"), ("LECTURES", "3"), ("WARNINGS", "2"), ("ISSUES", "18"), ("FIXED", "19")):  # fmt: skip
        page.fill(f"#f_{key}", value)
    screenshot(page, f"ledger-study-{size}-form")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=本次未保存任何内容")
    assert not Activity.objects.filter(type__code="STUDY").exists()
    screenshot(page, f"ledger-study-{size}-refused")
    page.fill("#f_FIXED", "18")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已登记：深入贯彻中央八项规定精神学习教育")
    saved = Activity.objects.get(type__code="STUDY")
    assert (saved.start_date, saved.end_date) == (dt.date(2025, 3, 18), dt.date(2025, 7, 31))
    assert (saved.values["ISSUES"], saved.values["FIXED"]) == (18, 18)
    screenshot(page, f"ledger-study-{size}-saved")
    context.close()
