"""The analytics engine on hand-computed cases.

Units (tests/world.py): 人民医院 HOS with 内科 MED and 外科 SUR; 城关卫生院 TWN.
Values are stored monthly; the engine aggregates them to quarters and subtrees.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from weijian.indicators.analytics import AnalyticsError, analyse
from weijian.indicators.models import Constant, Indicator, IndicatorType
from weijian.orgs.models import OrgUnitGroup
from weijian.periods import Period
from weijian.reporting.models import AggregationType, DataElement, DataValue
from weijian.reporting.models import Period as PeriodRow
from weijian.reporting.queries import default_option

JAN, FEB, MAR, Q1 = (Period.parse(p) for p in ("202601", "202602", "202603", "2026Q1"))


def element(code, aggregation=AggregationType.SUM, value_type="NUMBER"):
    return DataElement.objects.create(
        code=code, name=code, aggregation_type=aggregation, value_type=value_type
    )


def put(element, unit, period, value, option=None):
    DataValue.objects.create(
        element=element, option=option or default_option(), org_unit=unit,
        period=PeriodRow.for_period(period), value=str(value), number=Decimal(str(value)),
        updated_at=timezone.now(),
    )  # fmt: skip


def indicator(code, numerator, denominator="1", type=IndicatorType.NUMBER, decimals=2):
    return Indicator.objects.create(
        code=code, name=code, numerator=numerator, denominator=denominator, type=type,
        decimals=decimals,
    )  # fmt: skip


@pytest.fixture
def ddd(world):
    ddd_sum, bed_days = element("DDD_SUM"), element("BED_DAYS")
    put(ddd_sum, world.medicine, JAN, "1234.5")
    put(bed_days, world.medicine, JAN, 3087)
    put(ddd_sum, world.surgery, JAN, 500)
    put(bed_days, world.surgery, JAN, 2000)
    return indicator("DDDS", "#{DDD_SUM}", "#{BED_DAYS}", IndicatorType.PER_HUNDRED)


def test_ddds_are_summed_before_dividing_never_averaged(world, ddd):
    result = analyse(["DDDS"], [JAN], [world.medicine, world.surgery, world.hospital])
    # 内科: 1234.5 × 100 / 3087 = 39.99028...; 外科: 500 × 100 / 2000 = 25
    assert result.rounded("DDDS", "202601", "MED") == Decimal("39.99")
    assert result.value("DDDS", "202601", "SUR") == Decimal(25)
    # 人民医院: (1234.5 + 500) × 100 / (3087 + 2000) = 173450 / 5087 = 34.0967...
    # — not the mean of the departments' rates, (39.99 + 25) / 2 = 32.50.
    assert result.rounded("DDDS", "202601", "HOS") == Decimal("34.10")
    exact = Decimal(173450) / Decimal(5087)
    assert abs(result.value("DDDS", "202601", "HOS") - exact) < Decimal("1e-20")


def test_a_zero_or_missing_denominator_gives_no_value(world, ddd):
    put(DataElement.objects.get(code="DDD_SUM"), world.township, JAN, 10)
    put(DataElement.objects.get(code="BED_DAYS"), world.township, FEB, 0)
    result = analyse(["DDDS"], [JAN, FEB], [world.township])
    assert result.value("DDDS", "202601", "TWN") is None  # no bed days at all in January
    assert result.value("DDDS", "202602", "TWN") is None  # 0 / 0
    assert result.rows() == []


def test_per_mille_and_per_hundred_thousand_factors(world):
    vap, vent_days = element("VAP"), element("VENT_DAYS")
    deaths, births = element("MAT_DEATHS"), element("LIVE_BIRTHS")
    put(vap, world.medicine, JAN, 3)
    put(vent_days, world.medicine, JAN, 1250)
    put(deaths, world.township, JAN, 1)
    put(births, world.township, JAN, 8000)
    indicator("VAP_RATE", "#{VAP}", "#{VENT_DAYS}", IndicatorType.PER_THOUSAND)
    indicator("MMR", "#{MAT_DEATHS}", "#{LIVE_BIRTHS}", IndicatorType.PER_HUNDRED_THOUSAND)
    result = analyse(["VAP_RATE", "MMR"], [JAN], [world.medicine, world.township])
    assert result.value("VAP_RATE", "202601", "MED") == Decimal("2.4")  # 3 / 1250 × 1000
    assert result.value("MMR", "202601", "TWN") == Decimal("12.5")  # 1 / 8000 × 100000


def test_a_quarter_sums_its_months_and_skips_missing_ones(world):
    episodes, inpatients = element("HAI_EP"), element("INPATIENTS")
    for month, (e, n) in zip((JAN, FEB, MAR), ((2, 100), (None, 120), (4, 130)), strict=True):
        if e is not None:
            put(episodes, world.medicine, month, e)
        put(inpatients, world.medicine, month, n)
    indicator("HAI_RATE", "#{HAI_EP}", "#{INPATIENTS}", IndicatorType.PERCENT)
    result = analyse(["HAI_RATE", "HAI_EP"], [FEB, Q1], [world.medicine])
    # February has inpatients but no episodes recorded: the numerator side has no value.
    assert result.value("HAI_RATE", "202602", "MED") is None
    # Q1: (2 + 4) / (100 + 120 + 130) × 100 = 600 / 350 = 1.714285… %
    assert result.rounded("HAI_RATE", "2026Q1", "MED") == Decimal("1.71")
    assert result.value("HAI_EP", "2026Q1", "MED") == Decimal(6)


def test_each_aggregation_type_over_time_and_units(world):
    beds = element("BEDS", AggregationType.LAST)
    staff = element("STAFF", AggregationType.AVERAGE_SUM_ORG_UNIT)
    temp = element("TEMP", AggregationType.AVERAGE)
    put(beds, world.medicine, JAN, 30)
    put(beds, world.medicine, FEB, 32)
    put(beds, world.surgery, JAN, 20)
    put(beds, world.surgery, MAR, 25)
    put(staff, world.medicine, JAN, 10)
    put(staff, world.medicine, FEB, 12)
    put(staff, world.surgery, JAN, 8)
    put(temp, world.medicine, JAN, "36.5")
    put(temp, world.medicine, FEB, "37.5")
    put(temp, world.surgery, JAN, 36)
    result = analyse(["BEDS", "STAFF", "TEMP"], [Q1], [world.medicine, world.hospital])
    # LAST: 内科's latest in Q1 is February's 32; 外科's is March's 25; hospital 32 + 25 = 57
    assert result.value("BEDS", "2026Q1", "MED") == 32
    assert result.value("BEDS", "2026Q1", "HOS") == 57
    # AVERAGE_SUM_ORG_UNIT: 内科 (10 + 12) / 2 = 11, 外科 8 / 1 = 8, hospital 11 + 8 = 19
    assert result.value("STAFF", "2026Q1", "HOS") == 19
    # AVERAGE: over every value, (36.5 + 37.5 + 36) / 3 = 36.666…
    assert result.rounded("TEMP", "2026Q1", "HOS") == Decimal("36.67")


def test_disaggregation_options_and_totals(world):
    opd = world.visits  # OPD split by 男/女
    put(opd, world.medicine, JAN, 120, option=world.male)
    put(opd, world.medicine, JAN, 130, option=world.female)
    put(opd, world.surgery, JAN, 70, option=world.male)
    indicator("MALE_SHARE", "#{OPD.MALE}", "#{OPD}", IndicatorType.PERCENT)
    result = analyse(["OPD", "OPD.MALE", "MALE_SHARE"], [JAN], [world.hospital])
    assert result.value("OPD", "202601", "HOS") == 320  # 120 + 130 + 70
    assert result.value("OPD.MALE", "202601", "HOS") == 190  # 120 + 70
    assert result.rounded("MALE_SHARE", "202601", "HOS") == Decimal("59.38")  # 190 / 320 × 100


def test_constants_nested_indicators_groups_and_reporting_rates(world):
    beds = element("BEDS2", AggregationType.LAST)
    put(beds, world.medicine, JAN, 40)
    Constant.objects.create(code="DAYS_JAN", name="一月天数", value=31)
    indicator("BED_CAPACITY", "#{BEDS2} * C{DAYS_JAN}")
    indicator("BED_CAPACITY_K", "N{BED_CAPACITY} / 1000", decimals=3)
    group = OrgUnitGroup.objects.create(code="CLIN", name="临床科室")
    group.members.set([world.medicine, world.surgery])
    indicator("CLINICAL_UNITS", "OUG{CLIN}")
    indicator("WORK_RATE", "R{WORK.REPORTING_RATE}")
    from weijian.reporting import actions

    full = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "3"}
    actions.save_values(world.alice, world.form, world.medicine, "202601", full)
    actions.submit(world.alice, world.form, world.medicine, "202601")
    codes = ["BED_CAPACITY", "BED_CAPACITY_K", "CLINICAL_UNITS", "WORK_RATE"]
    result = analyse(codes, [JAN], [world.hospital, world.bureau])
    assert result.value("BED_CAPACITY", "202601", "HOS") == 1240  # 40 × 31
    assert result.value("BED_CAPACITY_K", "202601", "HOS") == Decimal("1.24")
    assert result.value("CLINICAL_UNITS", "202601", "HOS") == 2
    assert result.value("CLINICAL_UNITS", "202601", "BUR") == 2
    # WORK is assigned to MED, SUR (in the hospital) and TWN: 1 of 2 reported in HOS = 50 %,
    # 1 of 3 in the district = 33.3 %.
    assert result.value("WORK_RATE", "202601", "HOS") == 50
    assert result.rounded("WORK_RATE", "202601", "BUR") == Decimal("33.33")


def test_an_edition_applies_only_to_its_own_years(world):
    people = element("PEOPLE")
    put(people, world.township, JAN, 5)
    old = indicator("OLD_DEF", "#{PEOPLE}")
    old.valid_to = dt.date(2025, 12, 31)
    old.save()
    result = analyse(["OLD_DEF"], [JAN, Period.parse("202512")], [world.township])
    assert result.value("OLD_DEF", "202601", "TWN") is None


def test_unknown_codes_are_refused_in_chinese(world):
    with pytest.raises(AnalyticsError, match="找不到指标或数据元：NOPE"):
        analyse(["NOPE"], [JAN], [world.hospital])


def test_one_aggregation_query_whatever_the_size(world, ddd, django_assert_max_num_queries):
    months = [Period.parse(f"2026{m:02d}") for m in range(1, 13)]
    units = [world.bureau, world.hospital, world.medicine, world.surgery, world.township]
    with django_assert_max_num_queries(6):
        result = analyse(["DDDS", "DDD_SUM", "BED_DAYS"], months, units)
    assert len(result.values) == 3 * 12 * 5
