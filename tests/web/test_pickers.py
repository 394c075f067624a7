"""The pickers: units found by name or pinyin initials within the user's scope, periods as
words with no future ones, indicator favourites, and the pivot taking words and names."""

import datetime as dt
import json

import pytest

from tests.web.test_pivot import JAN, cure  # noqa: F401  (fixture)
from tests.world import PASSWORD
from weijian.accounts.models import Favourite
from weijian.web.pickers import period_groups, period_words, relative_options

pytestmark = pytest.mark.django_db


def answers(client, **params):
    response = client.get("/pick/units/", params)
    assert response.status_code == 200
    return [(u["code"], u["label"]) for u in json.loads(response.content)["units"]]


def test_a_clerk_starts_from_their_own_unit_and_expands_nothing_above(client, world):
    client.login(username="alice", password=PASSWORD)
    assert answers(client) == [("MED", "人民医院 / 内科")]
    assert answers(client, parent="HOS") == []  # the hospital is above alice's scope
    assert answers(client, q="rmyy") == []


def test_the_reviewer_expands_the_hospital_and_finds_a_department_by_initials(client, world):
    client.login(username="rita", password=PASSWORD)
    assert answers(client) == [("HOS", "人民医院")]
    assert answers(client, parent="HOS") == [("MED", "人民医院 / 内科"), ("SUR", "人民医院 / 外科")]
    assert answers(client, q="wk") == [("SUR", "人民医院 / 外科")]  # 外(wài)科(kē)
    assert answers(client, q="外") == [("SUR", "人民医院 / 外科")]
    assert answers(client, q="MED") == [("MED", "人民医院 / 内科")]  # codes still match


def test_the_outsider_finds_nothing_of_the_hospital(client, world):
    client.login(username="olivia", password=PASSWORD)
    assert answers(client, q="rmyy") == []
    assert answers(client, q="人民") == []
    assert answers(client, parent="HOS") == []
    assert answers(client) == [("TWN", "城关卫生院")]


def test_the_unit_search_needs_a_login(client, world):
    assert client.get("/pick/units/?q=rmyy").status_code == 302


def test_entry_pickers_list_only_units_the_user_may_enter_for(client, world):
    client.login(username="rita", password=PASSWORD)  # a reviewer enters nothing
    assert answers(client, cap="ENTER") == []
    client.login(username="alice", password=PASSWORD)
    assert answers(client, cap="ENTER") == [("MED", "人民医院 / 内科")]


def test_periods_offered_end_before_today_unless_the_running_one_is_asked_for():
    today = dt.date(2026, 11, 23)
    groups = {g.key: g.options for g in period_groups(today, years=2)}
    # last ended month is October; two years back reaches January 2025: 10 + 12 = 22 months
    assert groups["MONTHLY"][0] == ("202610", "2026年10月")
    assert len(groups["MONTHLY"]) == 22 and groups["MONTHLY"][-1][0] == "202501"
    assert groups["QUARTERLY"][0] == ("2026Q3", "2026年第3季度")
    assert groups["SIXMONTHLY"][0] == ("2026S1", "2026年上半年")
    assert groups["YEARLY"] == [("2025", "2025年"), ("2024", "2024年")]  # two years back from 2025
    running = {g.key: g.options for g in period_groups(today, years=1, current=True)}
    assert running["MONTHLY"][0][0] == "202611" and running["YEARLY"] == [("2026", "2026年")]
    assert all(o[0] <= "202611" for o in running["MONTHLY"])  # never December


def test_relative_periods_read_as_words():
    today = dt.date(2026, 11, 23)
    options = dict(relative_options(today))
    assert options["LAST_12_MONTHS"] == "近12个月（逐月）"
    # 本年至今: January to the last ended month, October — ten months
    this_year = ";".join(f"2026{m:02d}" for m in range(1, 11))
    assert options[this_year] == "本年至今（2026年1–10月逐月）"
    assert period_words("2026Q1;2026Q2", today) == "2026年第1季度、2026年第2季度"


def test_the_pivot_takes_a_scope_word_instead_of_keywords(client, world, cure):  # noqa: F811
    client.login(username="victor", password=PASSWORD)
    words = client.get("/pivot/?dx=CURE&pe=202601&ou=HOS&ous=SELF_CHILDREN&rows=ou&cols=dx")
    page = words.content.decode()
    assert words.status_code == 200
    # 本单位及下级: the hospital's row and its two departments' rows (46+30)/(50+40) = 84.4
    assert "84.4" in page and "92.0" in page and "75.0" in page
    children = client.get("/pivot/?dx=CURE&pe=202601&ou=HOS&ous=CHILDREN&rows=ou&cols=dx")
    assert "84.4" not in children.content.decode() and "92.0" in children.content.decode()
    bad = client.get("/pivot/?dx=CURE&pe=202601&ou=HOS&ous=EVERYTHING")
    assert bad.status_code == 400 and "机构范围只能是" in bad.content.decode()


def test_the_pivot_accepts_a_chinese_unit_name(client, world, cure):  # noqa: F811
    client.login(username="victor", password=PASSWORD)
    response = client.get("/pivot/?dx=CURE&pe=202601&ou=人民医院&rows=ou&cols=dx")
    assert response.status_code == 200 and "84.4" in response.content.decode()
    # the outsider's name is not resolved for victor: the API's own refusal stands
    response = client.get("/pivot/?dx=CURE&pe=202601&ou=城关卫生院")
    assert response.status_code == 400 and "找不到组织机构：城关卫生院" in response.content.decode()


def test_a_star_adds_an_indicator_to_my_favourites_and_a_second_takes_it_away(
    client,
    world,
    cure,  # noqa: F811
):
    client.login(username="victor", password=PASSWORD)
    first = client.post("/pick/favourite/CURE/")
    assert json.loads(first.content) == {"code": "CURE", "favourite": True}
    page = client.get("/pivot/").content.decode()
    assert "★ 我的常用（1）" in page
    second = client.post("/pick/favourite/CURE/")
    assert json.loads(second.content)["favourite"] is False
    assert not Favourite.objects.exists()
    assert client.post("/pick/favourite/NOPE/").status_code == 404
    assert client.get("/pick/favourite/CURE/").status_code == 405


def test_the_dashboard_opens_on_a_chosen_month_and_refuses_a_future_one(client, world):
    client.login(username="victor", password=PASSWORD)
    page = client.get("/dashboard/?ou=HOS&pe=202601").content.decode()
    assert "数据截至 2026年1月" in page
    assert client.get("/dashboard/?ou=HOS&pe=209901").status_code == 404
    assert client.get("/dashboard/?ou=TWN&pe=202601").status_code == 404  # outside victor's scope
