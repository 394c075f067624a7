"""A department clerk keeps a ledger on a phone: a refused record, a saved one with a photo,
and the count in the indicator engine."""

import io

import pytest
from PIL import Image

from tests.world import PASSWORD
from weijian import periods
from weijian.indicators.analytics import analyse
from weijian.ledger.builtin import load_builtin
from weijian.ledger.models import Activity, Attachment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_clerk_records_a_health_talk_with_a_photo_on_a_phone(
    browser, live_server, world, screenshot, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    load_builtin()
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.click("nav summary:has-text('工作台账')")  # the menu opens
    page.click("nav a:has-text('活动台账')")
    page.wait_for_selector("h1:has-text('工作台账')")
    screenshot(page, "ledger-01-home")
    page.click("a[href='/ledger/HE/new/']")
    page.fill("#title", "高血压防治讲座")
    page.fill("#start", "2026-03-05")
    page.fill("#f_THEME", "高血压")
    page.select_option("#f_FORM", "讲座")
    page.fill("#f_SESSIONS", "2")
    page.fill("#f_REACHED", "-80")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=不能为负数（-80）")
    assert not Activity.objects.exists()
    screenshot(page, "ledger-02-refused")
    page.fill("#f_REACHED", "80")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已登记：高血压防治讲座")
    photo = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 120, 200)).save(photo, "JPEG")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}],
    )
    page.click("button:has-text('上传')")
    page.wait_for_selector("text=已上传：现场.jpg")
    screenshot(page, "ledger-03-detail")
    assert Attachment.objects.get().activity.title == "高血压防治讲座"
    result = analyse(
        ["LG_HE_SESSIONS", "LG_HE_REACHED"], [periods.parse("202603")], [world.hospital]
    )
    # one talk at 内科: 2 sessions, 80 people
    assert result.values[("LG_HE_SESSIONS", "202603", "HOS")] == 2
    assert result.values[("LG_HE_REACHED", "202603", "HOS")] == 80
    context.close()
