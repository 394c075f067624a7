import datetime as dt
from decimal import Decimal

import time_machine

from tests.indicators.test_analytics import element, indicator, put
from tests.world import PASSWORD
from weijian.indicators.dashboard import sparkline
from weijian.indicators.models import IndicatorType, Target
from weijian.periods import Period


@time_machine.travel(dt.datetime(2026, 3, 15, 9, 0))
def test_the_dashboard_shows_month_year_to_date_change_and_target(client, world):
    cured, patients = element("CURED"), element("PATIENTS")
    for pid, c, p in (
        ("202501", 40, 50),
        ("202502", 45, 50),
        ("202601", 46, 50),
        ("202602", 48, 50),
    ):
        put(cured, world.medicine, Period.parse(pid), c)
        put(patients, world.medicine, Period.parse(pid), p)
    rate = indicator("CURE", "#{CURED}", "#{PATIENTS}", IndicatorType.PERCENT, decimals=1)
    rate.unit = "%"
    rate.save()
    Target.objects.create(indicator=rate, org_unit=world.medicine, period="2026", value=95)
    client.login(username="alice", password=PASSWORD)
    page = client.get("/dashboard/").content.decode()
    # February: 48 / 50 = 96.0 %; Jan–Feb 2026: 94 / 100 = 94.0 %; Jan–Feb 2025: 85 / 100 = 85 %
    assert "96.0%" in page and "94.0%" in page
    assert "↑ 9.0个百分点" in page  # 94.0 − 85.0
    assert "未达标" in page and "目标 95" in page  # a rate of 94 % against 95 %
    assert "<polyline" in page


def test_the_outsider_cannot_open_another_units_dashboard(client, world):
    client.login(username="olivia", password=PASSWORD)
    assert client.get("/dashboard/?ou=MED").status_code == 404
    assert client.get("/dashboard/?ou=TWN").status_code == 200


def test_sparkline_leaves_gaps_for_missing_months():
    svg = sparkline([Decimal(1), Decimal(2), None, Decimal(3), Decimal(4)])
    assert svg.count("<polyline") == 2
    assert sparkline([None, Decimal(1)]) == ""


def test_indicators_without_any_data_for_the_unit_are_left_out(client, world):
    indicator("NO_DATA_HERE", "#{NOTHING}")
    client.login(username="olivia", password=PASSWORD)
    page = client.get("/dashboard/").content.decode()
    assert "NO_DATA_HERE" not in page and "另有 1 个指标本单位近一年没有数据" in page


@time_machine.travel(dt.datetime(2026, 2, 25, 9, 0))
def test_progress_is_judged_up_to_the_last_full_month_not_today(client, world):
    # January's 100 visits against 1 200 a year is exactly on pace (1 200 × 31/365 = 101.9 is
    # the pro-rata figure; 100 is within it only if judged at the end of January, 31 days,
    # not on 25 February, 55 days → 180.8).
    visits = element("VISITS_Y")
    put(visits, world.medicine, Period.parse("202601"), 100)
    count = indicator("VISITS_YEAR", "#{VISITS_Y}")
    count.direction = "HIGHER_BETTER"
    count.save()
    Target.objects.create(indicator=count, org_unit=world.medicine, period="2026", value=1200)
    client.login(username="alice", password=PASSWORD)
    page = client.get("/dashboard/").content.decode()
    assert "进度滞后" in page  # 100 < 101.9: just behind at the end of January
    Target.objects.filter(indicator=count).update(value=1100)  # pro-rata 93.4
    page = client.get("/dashboard/").content.decode()
    assert "进度正常" in page
