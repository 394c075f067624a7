"""An office composes a half-year summary in the browser: the progress indicator shows while
it composes, the preview arrives in place, each number links to the pivot with its source."""

import pytest

from tests.browser.test_entry_and_review import log_in
from tests.documents.test_compose import put
from tests.world import make_user
from weijian.documents.models import GeneratedDocument, SummaryTemplate
from weijian.orgs.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_composing_shows_progress_then_the_preview_with_sourced_numbers(
    browser, live_server, world, screenshot
):
    for month in range(1, 7):
        put(world.discharges, world.medicine, f"2026{month:02d}", 90)
    spec = {
        "code": "T_OWN", "name": "医院总结", "title": "{unit}{period}工作总结",
        "opening": [{"review": "{period}，我院在上级的正确领导下，扎实工作。"}],
        "sections": [{"title": "业务工作", "kind": "figures", "lead": "{span}，全院",
                      "items": [{"dx": "DIS", "label": "出院患者"}]}],
    }  # fmt: skip
    SummaryTemplate.objects.create(
        code="T_OWN", name="医院总结", org_unit=world.hospital, spec=spec, updated_by=world.admin
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    make_user("hana", Role.INSTITUTION_ADMIN, world.hospital)  # the hospital's office
    log_in(page, live_server.url, "hana")
    page.goto(f"{live_server.url}/documents/")
    page.select_option("select[name=pe]", "2026S1")  # the period picker (按半年)
    page.select_option("select[name=template]", "T_OWN")
    page.click("form.compose-form button.primary")
    # While composing, the indicator is shown (htmx adds .htmx-request).
    page.wait_for_selector("#composing", state="attached")
    page.wait_for_selector(".doc-preview", timeout=60_000)
    assert not page.is_visible("#composing")
    screenshot(page, "10-summary-preview")
    figure = page.locator("a.fig", has_text="540人次").first
    # 6 months × 90 discharges at 内科 = 540 for the hospital's first half-year
    assert "出院人次（DIS）" in figure.get_attribute("title")
    assert figure.get_attribute("href") == "/pivot/?dx=DIS&pe=2026S1&ou=HOS"
    assert page.locator("mark.review").count() >= 1
    assert GeneratedDocument.objects.filter(created_by__username="hana").count() == 1
    # The list of generated documents is refreshed in the same response.
    assert page.locator("#history a", has_text="人民医院2026年上半年工作总结").count() == 1
    with page.expect_download() as download:
        page.click("text=下载 Word 定稿（.docx）")
    assert download.value.suggested_filename == "人民医院2026年上半年工作总结.docx"
    context.close()
