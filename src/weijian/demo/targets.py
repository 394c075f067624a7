"""This year's targets for the demo, so dashboards show 达标 / 未达标 / 进度滞后.

Workload targets are last year's figure plus 5 %, as offices usually set them; rates get
the fixed values a bureau typically writes into its 目标责任书.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from weijian import periods
from weijian.indicators.analytics import analyse
from weijian.indicators.models import Indicator, Target
from weijian.orgs.models import OrgUnit, OrgUnitType

GROWTH = Decimal("1.05")
# Rates: (indicator, value, which institutions)
HOSPITALS = (OrgUnitType.HOSPITAL, OrgUnitType.TCM_HOSPITAL, OrgUnitType.MCH)
CENTRES = (OrgUnitType.TOWNSHIP, OrgUnitType.COMMUNITY)
FIXED = [
    ("HAI_HAND_HYGIENE", Decimal(85), HOSPITALS),
    ("PERF3_DDDS", Decimal(40), HOSPITALS),
    ("HAI_INCIDENCE", Decimal("1.2"), HOSPITALS),
    ("PHS_HTN_STANDARD_RATE", Decimal(65), CENTRES),
    ("PHS_EHR_RATE", Decimal(90), CENTRES),
    # 重点人群签约率: the district's 目标责任书 value for 家庭医生签约 (national goal 60 % by 2017)
    ("FDS_KEY_SIGN_RATE", Decimal(75), CENTRES),
]
GROWN = [("STAT_OPD_ER_VISITS", HOSPITALS + CENTRES)]


def build_targets(last_month: periods.Period) -> int:
    year = str(last_month.year)
    indicators = {
        i.code: i for i in Indicator.objects.filter(code__in=[c for c, *_ in FIXED + GROWN])
    }
    institutions = list(OrgUnit.objects.filter(depth=2).order_by("code"))
    targets = [
        Target(indicator=indicators[code], org_unit=unit, period=year, value=value, note="演示目标")
        for code, value, types in FIXED
        if code in indicators
        for unit in institutions
        if unit.type in types
    ]
    last_year = periods.Period.parse(str(last_month.year - 1))
    grown_codes = [code for code, _ in GROWN if code in indicators]
    result = analyse(grown_codes, [last_year], institutions)
    for code, types in GROWN:
        for unit in institutions:
            before = result.value(code, last_year.id, unit.code) if code in indicators else None
            if unit.type in types and before:
                value = (before * GROWTH).quantize(Decimal(1), rounding=ROUND_HALF_UP)
                targets.append(
                    Target(
                        indicator=indicators[code],
                        org_unit=unit,
                        period=year,
                        value=value,
                        note="上年实际增长5%",
                    )
                )
    Target.objects.bulk_create(targets)
    return len(targets)
