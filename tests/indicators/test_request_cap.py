"""A request of more than MAX_CELLS cells (dx × pe × ou) is refused with a precise Chinese
message, before anything is computed, on every face: engine, API, CLI and pivot page."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.api.conftest import basic_auth
from tests.world import PASSWORD
from weijian.indicators import analytics
from weijian.indicators.analytics import AnalyticsError, analyse
from weijian.periods import Period

# 2 elements × 3 months × 2 units = 12 cells, against a cap lowered to 10.
MESSAGE = "请求的数据量过大：2 项指标或数据元 × 3 个期间 × 2 个机构 = 12 个单元格，超过上限 10 个"


@pytest.fixture
def cap_of_ten(monkeypatch):
    monkeypatch.setattr(analytics, "MAX_CELLS", 10)


def test_the_engine_refuses_before_querying(world, cap_of_ten, django_assert_num_queries):
    months = [Period.parse(p) for p in ("202601", "202602", "202603")]
    with django_assert_num_queries(0), pytest.raises(AnalyticsError, match=MESSAGE):
        analyse(["OPD", "DIS"], months, [world.medicine, world.surgery])
    # At the cap it answers; a caller may lift the cap (the benchmarks do).
    assert len(analyse(["OPD", "DIS"], months[:2], [world.medicine, world.surgery]).values) == 8
    assert (
        len(analyse(["OPD", "DIS"], months, [world.medicine, world.surgery], max_cells=0).values)
        == 12
    )


def test_the_api_answers_409(client, world, cap_of_ten):
    response = client.get(
        "/api/analytics?dimension=dx:OPD;DIS&dimension=pe:202601;202602;202603"
        "&dimension=ou:MED;SUR",
        **basic_auth("admin"),
    )
    assert response.status_code == 409
    assert MESSAGE in response.json()["message"]


def test_the_cli_refuses(world, cap_of_ten):
    with pytest.raises(CommandError, match=MESSAGE):
        call_command(
            "analytics", dx="OPD;DIS", pe="202601;202602;202603", ou="MED;SUR", user="admin"
        )


def test_the_pivot_page_says_so(client, world, cap_of_ten):
    client.login(username="admin", password=PASSWORD)
    response = client.get("/pivot/?dx=OPD&dx=DIS&pe=202601;202602;202603&ou=MED;SUR")
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
