"""同比/环比 in % or 百分点, ranks, and target status — hand-computed."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.indicators.test_analytics import element, indicator, put
from weijian.indicators.comparisons import change, compare, rank, rank_among_siblings
from weijian.indicators.models import Direction, IndicatorType, Target
from weijian.indicators.targets import Status, progress, target_for
from weijian.periods import Period

JAN26, DEC25, JAN25 = (Period.parse(p) for p in ("202601", "202512", "202501"))


@pytest.fixture
def figures(world):
    visits, cured, patients = element("VISITS"), element("CURED"), element("PATIENTS")
    for period, v, c, p in ((JAN25, 120, 45, 50), (DEC25, 200, 40, 50), (JAN26, 150, 47, 50)):
        put(visits, world.medicine, period, v)
        put(cured, world.medicine, period, c)
        put(patients, world.medicine, period, p)
    indicator("CURE_RATE", "#{CURED}", "#{PATIENTS}", IndicatorType.PERCENT)
    return world


def test_counts_change_by_percent_and_rates_by_points(figures):
    result = compare(["VISITS", "CURE_RATE"], JAN26, [figures.medicine])
    visits = result[("VISITS", "MED")]
    # 同比: (150 − 120) / 120 × 100 = 25 %; 环比: (150 − 200) / 200 × 100 = −25 %
    assert (visits.year_on_year.value, visits.year_on_year.unit) == (Decimal(25), "%")
    assert visits.period_on_period.value == Decimal(-25)
    rate = result[("CURE_RATE", "MED")]
    # 94 % now (47/50), 90 % a year ago (45/50), 80 % last month (40/50)
    assert rate.value == 94
    assert (rate.year_on_year.value, rate.year_on_year.unit) == (Decimal(4), "个百分点")
    assert rate.period_on_period.value == Decimal(14)


def test_growth_from_nothing_has_no_percentage():
    assert change(Decimal(5), Decimal(0), in_points=False).value is None
    assert change(Decimal(5), None, in_points=False).value is None
    assert change(Decimal(5), Decimal(0), in_points=True).value == 5


def test_ranking_follows_the_direction():
    values = {"A": Decimal(3), "B": Decimal(5), "C": Decimal(5), "D": None}
    assert rank(values, Direction.HIGHER_BETTER) == {"B": 1, "C": 1, "A": 3}
    assert rank(values, Direction.LOWER_BETTER) == {"A": 1, "B": 2, "C": 2}


def test_rank_among_siblings(world):
    visits = element("VISITS2")
    put(visits, world.medicine, JAN26, 300)
    put(visits, world.surgery, JAN26, 500)
    assert rank_among_siblings("VISITS2", JAN26, world.medicine) == (2, 2)
    assert rank_among_siblings("VISITS2", JAN26, world.surgery) == (1, 2)


@pytest.mark.parametrize(
    ("today", "value", "status"),
    [
        # Yearly target 12 000 visits. On 1 July 181 of 365 days have passed: 49.6 % elapsed,
        # so the pro-rata target is 12 000 × 181 / 365 = 5 950.7.
        (dt.date(2026, 7, 1), 6000, Status.ON_TRACK),
        (dt.date(2026, 7, 1), 5000, Status.BEHIND),
        (dt.date(2026, 7, 1), 12500, Status.MET),
        (dt.date(2027, 1, 10), 11000, Status.NOT_MET),  # the year is over
    ],
)
def test_a_yearly_count_target_is_judged_against_the_elapsed_share(world, today, value, status):
    element("VISITS")  # a SUM element: its yearly total accumulates month by month
    count = indicator("VISITS_YEAR", "#{VISITS}")
    count.direction = Direction.HIGHER_BETTER
    result = progress(count, Decimal(12000), Decimal(value), Period.parse("2026"), today)
    assert result.status == status
    assert result.completion == Decimal(value) / 120  # value / 12 000 × 100


def test_a_rate_target_is_met_or_not_whatever_the_date(world):
    infections = indicator("HAI", "#{X}", "#{Y}", IndicatorType.PERCENT)
    infections.direction = Direction.LOWER_BETTER
    year = Period.parse("2026")
    assert (
        progress(infections, Decimal(3), Decimal("2.5"), year, dt.date(2026, 3, 1)).status
        == Status.MET
    )
    assert (
        progress(infections, Decimal(3), Decimal("3.5"), year, dt.date(2026, 3, 1)).status
        == Status.NOT_MET
    )
    assert (
        progress(infections, None, Decimal(1), year, dt.date(2026, 3, 1)).status == Status.NO_TARGET
    )
    assert (
        progress(infections, Decimal(3), None, year, dt.date(2026, 3, 1)).status == Status.NO_VALUE
    )


def test_the_yearly_target_applies_to_its_months(world):
    rate = indicator("R1", "#{X}", "#{Y}", IndicatorType.PERCENT)
    Target.objects.create(indicator=rate, org_unit=world.medicine, period="2026", value=95)
    assert target_for(rate, world.medicine, JAN26).value == 95
    assert target_for(rate, world.surgery, JAN26) is None


def test_a_stock_is_not_pro_rated_like_a_yearly_count(world):
    from weijian.indicators.targets import is_cumulative
    from weijian.reporting.models import AggregationType

    element("BEDS_STOCK", AggregationType.LAST)
    element("VISITS_SUM")
    beds = indicator("BEDS_IND", "#{BEDS_STOCK}")
    visits = indicator("VISITS_IND", "#{VISITS_SUM}")
    assert not is_cumulative(beds) and is_cumulative(visits)
    beds.direction = Direction.HIGHER_BETTER
    # 300 beds against a target of 500 in March is simply not met, not "on track".
    march = progress(beds, Decimal(500), Decimal(300), Period.parse("2026"), dt.date(2026, 3, 1))
    assert march.status == Status.NOT_MET
