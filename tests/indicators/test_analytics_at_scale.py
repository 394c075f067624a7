"""The engine's fast paths: bounded queries whatever the request size, reporting counts and
group counts done in SQL, column-wise evaluation equal to cell-by-cell evaluation.

Units (tests/world.py): 示范局 BUR > 人民医院 HOS > 内科 MED, 外科 SUR; 城关卫生院 TWN.
Form WORK (monthly, due 5 days after the month) is assigned to MED, SUR and TWN.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from weijian.indicators import reporting_metrics
from weijian.indicators.analytics import analyse
from weijian.indicators.models import Constant, Indicator, IndicatorType
from weijian.orgs.models import OrgUnitGroup
from weijian.periods import Period
from weijian.reporting import actions
from weijian.reporting.models import AggregationType, DataElement, DataValue, Submission
from weijian.reporting.models import Period as PeriodRow
from weijian.reporting.queries import default_option

MONTHS = [Period.parse(f"2026{m:02d}") for m in range(1, 13)]
JAN = MONTHS[0]


def element(code, aggregation=AggregationType.SUM):
    return DataElement.objects.create(code=code, name=code, aggregation_type=aggregation)


def put(element, unit, period, value, option=None):
    DataValue.objects.create(
        element=element, option=option or default_option(), org_unit=unit,
        period=PeriodRow.for_period(period), value=str(value), number=Decimal(str(value)),
        updated_at=timezone.now(),
    )  # fmt: skip


def indicator(code, numerator, denominator="1", type=IndicatorType.NUMBER):
    return Indicator.objects.create(
        code=code, name=code, numerator=numerator, denominator=denominator, type=type
    )


def every_kind_of_operand(world) -> list[str]:
    """Indicators using #{…} (SUM, LAST, an option), C{…}, N{…}, OUG{…} and R{…}."""
    ddd, bed_days, beds = element("DDD_SUM"), element("BED_DAYS"), element("BEDS", "LAST")
    for month in MONTHS[:3]:
        for unit in (world.medicine, world.surgery, world.township):
            put(ddd, unit, month, 100)
            put(bed_days, unit, month, 300)
            put(beds, unit, month, 10)
        put(world.visits, world.medicine, month, 7, option=world.male)
    Constant.objects.create(code="DAYS", name="天数", value=30)
    group = OrgUnitGroup.objects.create(code="CLIN", name="临床科室")
    group.members.set([world.medicine, world.surgery])
    indicator("DDDS", "#{DDD_SUM} * 100", "#{BED_DAYS}")
    indicator("USE", "#{BED_DAYS}", "#{BEDS} * C{DAYS}", IndicatorType.PERCENT)
    indicator("USE_TWICE", "N{USE} * 2")
    indicator("MALE_OPD", "#{OPD.MALE}")
    indicator("CLINICAL", "OUG{CLIN}")
    indicator("REPORTED", "R{WORK.ACTUAL_REPORTS}", "R{WORK.EXPECTED_REPORTS}")
    return ["DDDS", "USE", "USE_TWICE", "MALE_OPD", "CLINICAL", "REPORTED", "BEDS", "OPD"]


def test_the_query_count_does_not_grow_with_the_request(world, django_assert_max_num_queries):
    codes = every_kind_of_operand(world)
    # Indicators, referenced indicators, element codes, elements, subtree map, the one
    # aggregation, option codes, constants, forms, reporting counts, group counts: 11, and
    # the same for 1 cell as for 8 × 12 × 5.
    with django_assert_max_num_queries(11):
        small = analyse(codes[:1], [JAN], [world.medicine])
    with django_assert_max_num_queries(11):
        large = analyse(codes, MONTHS, [world.bureau, world.hospital, *_departments(world)])
    assert small.rounded("DDDS", "202601", "MED") == Decimal("33.33")  # 100 × 100 / 300
    assert len(large.values) == 8 * 12 * 5
    # 人民医院 in January: DDD (100 + 100) × 100 / bed-days (300 + 300) = 33.33…
    assert large.rounded("DDDS", "202601", "HOS") == Decimal("33.33")
    # Bed use: 600 bed-days / (beds 10 + 10 = 20 × 30 days) × 100 = 100 %; twice that: 200.
    assert large.value("USE", "202601", "HOS") == 100
    assert large.value("USE_TWICE", "202601", "HOS") == 200
    assert large.value("MALE_OPD", "202602", "BUR") == 7
    assert large.value("CLINICAL", "202607", "BUR") == 2  # groups count in every period
    assert large.value("CLINICAL", "202607", "TWN") == 0  # no member: 0, not "no value"
    # No report submitted: 0 of 3 expected in the district, 0 of 2 in the hospital.
    assert large.value("REPORTED", "202601", "BUR") == 0
    assert large.value("BEDS", "202604", "HOS") is None  # nothing stored for April


def _departments(world):
    return [world.medicine, world.surgery, world.township]


def test_a_unit_listed_twice_is_counted_once(world):
    every_kind_of_operand(world)
    once = analyse(["CLINICAL", "DDD_SUM"], [JAN], [world.hospital])
    twice = analyse(["CLINICAL", "DDD_SUM"], [JAN], [world.hospital, world.hospital])
    assert twice.value("CLINICAL", "202601", "HOS") == once.value("CLINICAL", "202601", "HOS") == 2
    assert twice.value("DDD_SUM", "202601", "HOS") == 200


def _submitted_at(world, unit, period_id, moment):
    Submission.objects.filter(form=world.form, org_unit=unit, period_id=period_id).update(
        first_submitted_at=moment
    )


# PostgreSQL reads the counts with kind, form, unit and period packed as one bigint, or as
# four columns when the ids would not fit it: both give the same counts.
@pytest.mark.parametrize("one_key", [True, False])
def test_on_time_means_first_submitted_by_the_end_of_the_due_day_local_time(
    world, monkeypatch, one_key
):
    if not one_key:
        monkeypatch.setattr(reporting_metrics, "_key_spans", lambda *args: None)
    indicator("ON_TIME", "R{WORK.ACTUAL_REPORTS_ON_TIME}")
    indicator("ACTUAL", "R{WORK.ACTUAL_REPORTS}")
    indicator("EXPECTED", "R{WORK.EXPECTED_REPORTS}")
    indicator("RATE_ON_TIME", "R{WORK.REPORTING_RATE_ON_TIME}")
    full = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "3"}
    for user, unit in ((world.alice, world.medicine), (world.bob, world.surgery)):
        actions.save_values(user, world.form, unit, "202601", full)
        actions.submit(user, world.form, unit, "202601")
    # January is due 5 days after 31 January: 5 February. 内科 first submitted at 23:59 local
    # time on 5 February (on time), 外科 at 00:00 on 6 February (late).
    local = timezone.get_current_timezone()
    _submitted_at(world, world.medicine, "202601", dt.datetime(2026, 2, 5, 23, 59, tzinfo=local))
    _submitted_at(world, world.surgery, "202601", dt.datetime(2026, 2, 6, 0, 0, tzinfo=local))
    result = analyse(["ON_TIME", "ACTUAL", "EXPECTED", "RATE_ON_TIME"], [JAN], [world.hospital])
    assert result.value("EXPECTED", "202601", "HOS") == 2
    assert result.value("ACTUAL", "202601", "HOS") == 2
    assert result.value("ON_TIME", "202601", "HOS") == 1
    assert result.value("RATE_ON_TIME", "202601", "HOS") == 50  # 1 of 2


def test_a_unit_closed_before_the_month_is_not_expected_to_report(world):
    indicator("EXPECTED", "R{WORK.EXPECTED_REPORTS}")
    world.township.closing_date = dt.date(2025, 12, 31)
    world.township.save()
    q1 = Period.parse("2026Q1")
    result = analyse(["EXPECTED"], [q1, Period.parse("202512")], [world.bureau])
    assert result.value("EXPECTED", "2026Q1", "BUR") == 6  # MED and SUR × 3 months
    assert result.value("EXPECTED", "202512", "BUR") == 3  # TWN still open in December


def test_a_period_straddling_an_edition_change_takes_the_edition_in_force_at_its_end(world):
    visits = element("VISITS")
    for month in ("202405", "202406", "202407"):
        put(visits, world.medicine, Period.parse(month), 10)
    old = indicator("VISITS_2023", "#{VISITS}")
    old.valid_to = dt.date(2024, 6, 30)
    old.save()
    new = indicator("VISITS_2024", "#{VISITS} * 2")
    new.valid_from = dt.date(2024, 7, 1)
    new.save()
    pe = [Period.parse(p) for p in ("2024", "2024S1", "2024Q3", "202406", "202407")]
    result = analyse(["VISITS_2023", "VISITS_2024"], pe, [world.medicine])

    def both(period_id):
        return [result.value(code, period_id, "MED") for code in ("VISITS_2023", "VISITS_2024")]

    # 2024 ends under the 2024 edition: (10 + 10 + 10) × 2 = 60, and the old edition is silent.
    assert both("2024") == [None, 60]
    assert both("2024S1") == [20, None]  # 10 + 10, ends 30 June, the old edition
    assert both("2024Q3") == [None, 20]  # July's 10 × 2
    assert both("202406") == [10, None]
    assert both("202407") == [None, 20]


def test_an_element_stored_monthly_and_quarterly_is_counted_once(world):
    """An element on a monthly and a quarterly form: within a requested period each unit's
    values of its finest period type count, never a month and its quarter both."""
    patients, beds = element("PATIENTS"), element("WARD_BEDS", AggregationType.LAST)
    q1 = Period.parse("2026Q1")
    for month, n in zip(MONTHS[:3], (10, 20, 30), strict=False):
        put(patients, world.medicine, month, n)
        put(beds, world.medicine, month, n)
    put(patients, world.medicine, q1, 60)  # the quarterly form's total of the same patients
    put(beds, world.medicine, q1, 25)
    put(patients, world.surgery, q1, 5)  # 外科 only fills the quarterly form
    put(beds, world.surgery, q1, 8)
    codes = ["PATIENTS", "WARD_BEDS"]
    result = analyse(codes, [q1, Period.parse("2026"), JAN], [world.medicine, world.hospital])
    assert result.value("PATIENTS", "2026Q1", "MED") == 60  # 10 + 20 + 30, not + 60 again
    assert result.value("PATIENTS", "2026Q1", "HOS") == 65  # 内科's months 60 + 外科's 5
    assert result.value("PATIENTS", "2026", "HOS") == 65
    assert result.value("PATIENTS", "202601", "MED") == 10
    # LAST: 内科's latest month (March, 30) rather than a tie between March and the quarter.
    assert result.value("WARD_BEDS", "2026Q1", "MED") == 30
    assert result.value("WARD_BEDS", "2026Q1", "HOS") == 38  # 30 + 外科's quarter 8
