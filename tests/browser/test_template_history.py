"""An office edits its summary template in the browser and sees who changed what (修改记录,
each change as a diff); a hostile Word layout is refused in Chinese; on a phone too."""

import pytest
from docx import Document as new_docx

from tests.browser.test_entry_and_review import log_in
from weijian.documents.models import SummaryTemplate, WordLayout
from weijian.orgs.models import Role, RoleAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (390, "phone")])
def test_an_edit_shows_in_the_history_and_a_hostile_layout_is_refused(
    browser, live_server, world, screenshot, tmp_path, width, name
):
    RoleAssignment.objects.create(
        user=world.victor, org_unit=world.hospital, role=Role.INSTITUTION_ADMIN
    )
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server.url, "victor")
    page.goto(f"{live_server.url}/documents/templates/")
    page.locator("tr", has=page.locator("code", has_text="DEPARTMENT")).locator("button").click()
    page.wait_for_selector("textarea.spec")
    text = page.input_value("textarea.spec")
    page.fill("textarea.spec", text.replace("业务工作", "医疗业务", 1))
    page.fill("input[name=name]", "我院的模板")
    page.click("form.card button.primary")
    page.wait_for_selector("text=模板已保存")
    history = page.locator("ul.changes li")
    assert history.count() == 2
    assert "修改模板" in history.nth(0).inner_text() and "Victor" in history.nth(0).inner_text()
    assert "复制模板" in history.nth(1).inner_text()
    page.locator("ul.changes summary").first.click()
    diff = page.locator("pre.diff").first.inner_text()
    assert "+name: 我院的模板" in diff and "title: 医疗业务" in diff
    screenshot(page, f"20-template-history-{name}")
    row = SummaryTemplate.objects.get()
    assert row.name == "我院的模板"

    hostile = new_docx()
    hostile.add_paragraph("{{ body }}")
    hostile.add_paragraph("{{ lipsum.__globals__['os'].popen('id').read() }}")
    path = tmp_path / "红头.docx"
    hostile.save(path)
    page.goto(f"{live_server.url}/documents/templates/")
    page.set_input_files("input[type=file][name=file]", str(path))
    page.click("text=上传版式")
    page.wait_for_selector("text=版式文件中有不允许的内容")
    screenshot(page, f"21-layout-refused-{name}")
    assert not WordLayout.objects.exists()
    context.close()
