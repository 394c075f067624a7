"""The national library loads, reloads in place, and every indicator computes on the demo."""

import pytest
from django.utils import timezone

from weijian.demo.load import load_demo
from weijian.indicators.analytics import analyse
from weijian.indicators.library.files import read_library
from weijian.indicators.library_sync import load_library
from weijian.indicators.models import Indicator, ValidationRule
from weijian.orgs.models import OrgUnit
from weijian.periods import Period, PeriodType


@pytest.fixture
def demo_year(db):
    """Fourteen months of the demo district, so whatever today is the data reaches into the
    year before last month's (the loader also loads the library and sets targets)."""
    return load_demo(months=14)


def test_the_library_loads_and_reloads_in_place(db):
    library = read_library()
    summary = load_library(library)
    assert summary.indicators == len(library.indicators) == Indicator.objects.count()
    assert ValidationRule.objects.count() == len(library.validation_rules)
    uids = dict(Indicator.objects.values_list("code", "uid"))
    Indicator.objects.filter(code=library.indicators[0].code).update(name="被改过的名称")
    load_library(library)
    assert dict(Indicator.objects.values_list("code", "uid")) == uids  # same rows, same uids
    assert Indicator.objects.get(code=library.indicators[0].code).name == library.indicators[0].name


def test_every_library_indicator_computes_on_the_demo(demo_year):
    last_month = Period.containing(PeriodType.MONTHLY, timezone.localdate()).previous()
    this_year = Period.parse(str(last_month.year))  # the demo's months of this year
    codes = list(Indicator.objects.values_list("code", flat=True))
    district = OrgUnit.objects.get(code="DEMO")
    result = analyse(codes, [last_month, this_year], [district])
    missing = [
        code
        for code in codes
        if result.value(code, this_year.id, "DEMO") is None
        and result.value(code, last_month.id, "DEMO") is None
    ]
    assert missing == [], f"no value on the demo for: {missing}"


def test_the_demo_sets_this_years_targets(demo_year):
    from decimal import ROUND_HALF_UP, Decimal

    from weijian.indicators.models import Target

    last_month = Period.containing(PeriodType.MONTHLY, timezone.localdate()).previous()
    year = str(last_month.year)
    hospital = OrgUnit.objects.get(code="RMYY")
    hygiene = Target.objects.get(indicator__code="HAI_HAND_HYGIENE", org_unit=hospital, period=year)
    assert hygiene.value == 85
    # Workload: last year's figure (the demo months that fall in it) plus 5 %.
    last_year = Period.parse(str(last_month.year - 1))
    before = analyse(["STAT_OPD_ER_VISITS"], [last_year], [hospital]).value(
        "STAT_OPD_ER_VISITS", last_year.id, "RMYY"
    )
    assert before
    visits = Target.objects.get(
        indicator__code="STAT_OPD_ER_VISITS", org_unit=hospital, period=year
    )
    assert visits.value == (before * Decimal("1.05")).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def test_the_rollups_agree_with_the_values_after_the_demo_load(demo_year):
    """`weijian analytics verify` finds nothing after the demo load (bulk inserts with the
    triggers suspended, then published figures and ledgers kept row by row), and the whole
    library on the rollups equals the on-the-fly reference, Decimal for Decimal, for months,
    a quarter, the half-year and the year, at every institution and the district."""
    from weijian.reporting import rollups

    assert rollups.verify() == (0, [])
    last_month = Period.containing(PeriodType.MONTHLY, timezone.localdate()).previous()
    requested = [
        last_month, last_month.previous(), Period.containing(PeriodType.QUARTERLY, last_month.start),
        Period.containing(PeriodType.SIXMONTHLY, last_month.start), Period.parse(str(last_month.year)),
    ]  # fmt: skip
    codes = list(Indicator.objects.values_list("code", flat=True))
    units = list(OrgUnit.objects.filter(depth__lte=2))
    fast = analyse(codes, requested, units).cells()
    reference = analyse(codes, requested, units, reference=True).cells()
    assert len(fast) == len(codes) * len(requested) * len(units)
    assert sum(v is not None for v in fast.values()) > len(fast) // 2  # real figures compared
    assert {k: repr(v) for k, v in fast.items()} == {k: repr(v) for k, v in reference.items()}
