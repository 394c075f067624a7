"""On a phone: the inspector does an inspection item by item (已评 n/N counting as he goes, no
score or verdict until every item is marked, a veto showing at once), attaches a photo, submits
and issues the notice; the department answers it with an evidence photo; the inspector
re-checks and closes it."""

import io
from decimal import Decimal

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.world import PASSWORD, make_user
from weijian.inspections import templates_io
from weijian.inspections.models import Inspection, NoticeStatus, Photo, RectificationNotice
from weijian.orgs.models import Role

from ..inspections.conftest import SMALL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), (40, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def log_in(browser, base, username):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('我的待办')")
    return context, page


def score(page) -> str:
    return page.inner_text("[data-testid=score]")


def scored(page) -> str:
    return page.inner_text("[data-testid=scored]")


def wait_for_scored(page, text: str) -> None:
    expect(page.locator("[data-testid=scored]")).to_have_text(text)  # no eval: the CSP forbids it


def test_an_inspection_on_a_phone_from_scoring_to_a_closed_notice(
    browser, live_server, world, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    templates_io.load_builtin([SMALL])
    make_user("ivan", Role.INSPECTOR, world.hospital)
    base = live_server.url

    context, page = log_in(browser, base, "ivan")
    page.click("header nav summary:has-text('督查检查')")  # the menu opens
    page.click("header nav a:has-text('检查任务')")
    page.select_option("select[name=template]", "TESTYG")
    page.select_option("select[name=unit]", "MED")
    page.click("form[action$='/start/'] button:has-text('开始检查')")
    page.wait_for_selector("h1:has-text('科室院感质量考核表')")
    # nothing marked: no score and no verdict (an unmarked item is not full marks)
    assert (score(page), scored(page)) == ("—", "已评 0/5 项")

    # 1.1: two occurrences at 2 points each (cap 4) → 2 of 6; still no score, 4 deducted so far
    page.fill("input[aria-label='1.1 问题处数']", "2")
    page.fill("textarea[aria-label='1.1 发现问题']", "护士站2人未按规定洗手")
    page.press("textarea[aria-label='1.1 发现问题']", "Tab")
    wait_for_scored(page, "已评 1/5 项")
    assert score(page) == "—" and "已扣 4 分" in page.inner_text("#scorebar")
    assert "合格" not in page.inner_text("#scorebar")
    # a bad count is answered with a message, not dropped
    page.fill("input[aria-label='1.1 问题处数']", "-3")
    page.press("input[aria-label='1.1 问题处数']", "Tab")
    page.wait_for_selector("[role=alert]:has-text('问题处数不能为负数')")
    page.fill("input[aria-label='1.1 问题处数']", "2")
    page.press("input[aria-label='1.1 问题处数']", "Tab")
    page.wait_for_selector("[role=alert]", state="detached")
    # a veto shows at once, before the sheet is complete; choosing 无否决情形 takes it back
    page.check("input[aria-label='3.1 否决']")
    page.wait_for_selector("[role=alert]:has-text('一票否决')")
    assert score(page) == "0"
    screenshot(page, "insp-01-veto")
    page.check("input[aria-label='3.1 无否决情形']")
    expect(page.locator("[data-testid=score]")).to_have_text("—")
    assert scored(page) == "已评 2/5 项"
    page.select_option("select[aria-label='2.2 得分']", "3")  # graded 5/3/1/0 → 3
    wait_for_scored(page, "已评 3/5 项")
    screenshot(page, "insp-02-partly-scored-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "insp-02-partly-scored-desktop")
    page.set_viewport_size(PHONE)
    page.fill("#present", "张主任、李护士长")
    page.click("button:has-text('提交检查')")
    page.wait_for_selector("text=还有 2 项未评分，不能提交")
    # 1.2 符合 (4 of 4) and 2.1 达标 (5 of 5): complete, 2 + 4 + 5 + 3 = 14 of 20
    page.check("input[aria-label='1.2 符合']")
    wait_for_scored(page, "已评 4/5 项")
    page.check("input[aria-label='2.1 达标']")
    expect(page.locator("[data-testid=score]")).to_have_text("14")
    assert "不合格" in page.inner_text("#scorebar")  # 14 < pass line 16

    page.set_input_files(
        "input[aria-label='1.1 照片']",
        files=[{"name": "hand.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}],
    )
    page.click("#item-{} button:has-text('上传照片')".format(
        Inspection.objects.get().version.items.get(code="1.1").pk))  # fmt: skip
    page.wait_for_selector("text=照片已上传")
    assert Photo.objects.count() == 1
    screenshot(page, "insp-03-scored")

    page.fill("#present", "张主任、李护士长")
    page.click("button:has-text('提交检查')")
    page.wait_for_selector("text=检查已提交")
    inspection = Inspection.objects.get()
    assert (inspection.status, inspection.score, inspection.findings) == (
        "SUBMITTED",
        Decimal(14),
        2,
    )
    page.click("button:has-text('下发整改通知书')")
    page.wait_for_selector("h1:has-text('院感整改')")
    screenshot(page, "insp-04-notice")
    notice = RectificationNotice.objects.get()
    context.close()

    context, page = log_in(browser, base, "alice")
    page.click(f"#inspections a:has-text('{notice.number}')")
    page.wait_for_selector("#answer")
    page.fill("#answer textarea", "已组织全科手卫生培训，护士站增设手消毒剂")
    page.set_input_files(
        "#answer input[type=file]",
        files=[{"name": "fixed.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}],
    )
    page.click("button:has-text('提交整改反馈')")
    page.wait_for_selector("text=整改情况已反馈")
    assert not page.query_selector("#recheck")  # the department cannot re-check itself
    screenshot(page, "insp-05-answered")
    context.close()

    context, page = log_in(browser, base, "ivan")
    page.click(f"#inspections a:has-text('{notice.number}')")
    page.fill("#note", "现场复查，整改到位")
    page.click("button:has-text('复查通过，销号')")
    page.wait_for_selector("text=复查通过，已销号")
    screenshot(page, "insp-06-closed")
    context.close()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED and notice.photos.count() == 1
