"""The demo's incident rates agree with the counts a summary prints beside them (Django-free).

A half-year's rate is Σ cases ÷ Σ denominator over its months (the engine sums monthly
figures). A denominator that holds a stock counts it again every month: the nursing form's
同期住院患者总数 used to be census + admissions, so 区人民医院's 2026S1 showed 13 071 "inpatients"
beside 10 515 discharges and its 18 pressure injuries printed as 0.14 %, where a reader of the
same page works out 18 ÷ 10 515 = 0.17 %. The denominators are flows now: each patient once."""

from __future__ import annotations

from decimal import Decimal

from weijian import periods
from weijian.demo.activity import simulate
from weijian.demo.figures import DEFAULT, UnitMonth, figures
from weijian.demo.tree import ALL_UNITS

MONTHS = periods.periods_between(
    periods.PeriodType.MONTHLY, periods.parse("202501").start, periods.parse("202606").end
)
HALF_YEAR = MONTHS[-6:]  # 2026S1


def wards():
    """The people's hospital's departments with beds: their months and figures."""
    for unit in ALL_UNITS.values():
        if unit.code.startswith("RMYY_") and unit.clinic and unit.clinic.beds:
            months = simulate(unit.code, unit.clinic, MONTHS)
            yield (
                unit,
                months,
                [
                    figures(UnitMonth(unit.code, m.period, m, unit.clinic, unit.surgery))
                    for m in months
                ],
            )


def total(figs, code, months=HALF_YEAR):
    return sum(f.get((code, DEFAULT), 0) for f, m in zip(figs, MONTHS, strict=True) if m in months)


def test_the_nursing_denominator_counts_each_patient_once():
    for unit, months, figs in wards():
        half = [m for m in months if m.period in HALF_YEAR]
        inpatients, discharges = total(figs, "NUR_INPATIENTS"), total(figs, "DISCHARGES")
        # the census balance: admitted = discharged + (census at the end − census at the start)
        assert inpatients == discharges + half[-1].census_end - half[0].census_start, unit.code
        for f in figs:  # every month: the workload form's admissions
            assert f[("NUR_INPATIENTS", DEFAULT)] == f[("ADMISSIONS", DEFAULT)]


def test_a_half_years_pressure_injury_rate_is_what_a_reader_works_out_from_discharges():
    cases = inpatients = discharges = 0
    for _, _, figs in wards():
        cases += total(figs, "NUR_PI_NEW")
        inpatients += total(figs, "NUR_INPATIENTS")
        discharges += total(figs, "DISCHARGES")
    engine = Decimal(cases) / inpatients * 100  # what the document prints
    reader = Decimal(cases) / discharges * 100  # what its reader checks it against
    assert cases > 0
    # the hospital's census moves by a few dozen in six months against ~10 000 discharges
    # (< 2 %); the old denominator was 24 % above discharges (13 071 / 10 515)
    assert abs(engine - reader) / reader < Decimal("0.02"), (cases, inpatients, discharges)


def test_the_other_incident_rates_stand_on_flows():
    # falls per occupied bed-day, reoperations per operated patient, deaths per discharge, SSIs
    # per clean-wound patient: each denominator is the sum of its months, as the workload
    # form's own figures are (bed-days on both forms agree every month)
    for _, _, figs in wards():
        for f in figs:
            assert f[("NUR_BED_DAYS", DEFAULT)] == f[("OCC_BED_DAYS", DEFAULT)]
            assert f.get(("NUR_FALLS", DEFAULT), 0) <= f[("NUR_BED_DAYS", DEFAULT)]
            deaths, discharged = f[("DISCHARGE_DEATHS", DEFAULT)], f[("DISCHARGES", DEFAULT)]
            assert deaths <= discharged
            if ("SURG_PATIENTS", DEFAULT) in f:
                assert f[("SURG_REOPERATION", DEFAULT)] <= f[("SURG_PATIENTS", DEFAULT)]
