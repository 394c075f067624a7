"""On an intranet with no way out: /api/docs (Swagger UI) and the pages with the heaviest
scripts (pivot with ECharts, the pickers) work with every request to another host refused,
and none is even attempted."""

from urllib.parse import urlsplit

import pytest

from tests.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_and_the_pivot_work_with_no_way_out(browser, live_server, world, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    ours = urlsplit(live_server.url).netloc
    elsewhere = []

    def only_ours(route):
        if urlsplit(route.request.url).netloc != ours:
            elsewhere.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", only_ours)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('我的待办')")

    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")  # Swagger UI drew the API's description
    page.wait_for_selector(".swagger-ui .opblock")  # and its operations
    screenshot(page, "offline-api-docs")

    page.goto(f"{live_server.url}/pivot/")
    page.wait_for_selector(".indicator-picker")
    page.click(".unit-picker .picker-toggle")
    page.wait_for_selector(".unit-picker .picker-choice")  # the tree came from our own server
    assert errors == [] and elsewhere == []
    context.close()
