"""Help pages per area, linked from each page; first-use hints on the task board."""

import pytest

from tests.world import PASSWORD
from weijian.web.help import AREAS, PAGES

pytestmark = pytest.mark.django_db


def test_every_area_has_a_chinese_help_page(client, world):
    client.login(username="alice", password=PASSWORD)
    for key, area in AREAS.items():
        page = client.get(f"/help/{key}/").content.decode()
        assert f"帮助 · {area['title']}" in page and "谁在什么时候做什么" in page
    assert client.get("/help/nope/").status_code == 404
    assert set(PAGES.values()) <= set(AREAS)


def test_each_page_links_its_own_help(client, world):
    client.login(username="rita", password=PASSWORD)
    assert 'href="/help/review/"' in client.get("/review/").content.decode()
    assert 'href="/help/analysis/"' in client.get("/pivot/").content.decode()
    assert 'href="/help/inspections/"' in client.get("/inspections/").content.decode()
    assert 'href="/help/board/"' in client.get("/").content.decode()


def test_first_use_hints_follow_the_roles_and_go_when_closed(client, world):
    client.login(username="alice", password=PASSWORD)
    hints = client.get("/").context["hints"]
    assert [title for title, _ in hints] == ["填报"]  # a clerk enters, nothing else
    client.login(username="admin", password=PASSWORD)
    assert [t for t, _ in client.get("/").context["hints"]] == ["填报", "审核", "检查", "管理"]
    client.post("/account/hints/dismiss/")
    page = client.get("/")
    assert page.context["hints"] == [] and 'id="first-hints"' not in page.content.decode()
