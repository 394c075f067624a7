"""What happens in a unit each month: visits, admissions, bed-days, births… (Django-free).

Every reported figure is derived from one simulated month of a unit, so figures on different
forms agree (the infection form's inpatients are the workload form's census plus admissions).
Randomness comes from `rng(...)`: a `random.Random` seeded with a fixed seed plus a key, so the
same unit, form and month always get the same numbers whatever else is loaded.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
from dataclasses import dataclass

from weijian import periods

SEED = "weijian-demo-2026"

# The level the profiles describe; activity grows gently from it.
BASE_YEAR = 2024.0

# Spring Festival (春节) dates: activity dips for about ten days around each.
SPRING_FESTIVAL = {
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
    2031: dt.date(2031, 1, 23),
    2032: dt.date(2032, 2, 11),
    2033: dt.date(2033, 1, 31),
    2034: dt.date(2034, 2, 19),
    2035: dt.date(2035, 2, 8),
}


def rng(*key: object) -> random.Random:
    """A generator for one purpose. String seeds are hashed with SHA-512 by `random`, so the
    stream does not depend on PYTHONHASHSEED or on what was generated before."""
    return random.Random(":".join([SEED, *map(str, key)]))


# -- unit profiles -------------------------------------------------------------------------


@dataclass(frozen=True)
class Clinic:
    """A clinical department's (or a township centre's) size at the base year, per month."""

    opd: int = 0  # 门诊人次
    er: int = 0  # 急诊人次
    beds: int = 0
    occupancy: float = 0.85
    alos: float = 8.0  # 平均住院日
    winter: float = 0.08  # amplitude of the winter respiratory peak
    male_share: float = 0.47
    death_rate: float = 0.005
    hai: float = 0.012  # new healthcare-associated infections per inpatient
    abx: float = 0.40  # share of inpatients on systemic antibiotics
    ddd: float = 36.0  # DDDs per 100 patient-days
    cvc: float = 0.04  # device-days per occupied bed-day
    vent: float = 0.0
    uc: float = 0.05
    restraint: float = 0.005  # restraint days per occupied bed-day
    nurses: int = 0
    growth: float = 0.04  # yearly growth of demand


@dataclass(frozen=True)
class Surgery:
    share: float  # discharged patients operated on
    level4: float = 0.10  # shares of operated patients
    level3: float = 0.35
    mis: float = 0.25
    elective: float = 0.80
    day: float = 0.08  # share of elective operations done as day surgery
    clean: float = 0.35  # Ⅰ类切口
    general: float = 0.55  # general anaesthesia


@dataclass(frozen=True)
class Catchment:
    """The resident population a primary-care unit is responsible for."""

    population: int
    drift: float = -0.004  # yearly change of the resident population
    elderly: float = 0.16  # share aged 65+
    births: float = 6.8  # births per 1000 residents a year at the base year
    quality: float = 0.0  # how well the unit does its public-health work (−0.05 … +0.05)


@dataclass(frozen=True)
class Finance:
    """Fees (yuan) and income structure of an institution."""

    opd_fee: float  # income per outpatient/emergency visit
    ip_fee: float  # income per discharge
    fiscal: float  # fiscal subsidy as a share of medical income
    drug: float = 0.28  # drug income as a share of medical income
    staff: float = 0.38  # staff costs as a share of business expense
    fixed: float = 0.0  # fixed monthly fiscal income (万元), e.g. public-health funds


# -- time effects ----------------------------------------------------------------------


def years_since_base(period: periods.Period) -> float:
    return period.start.year + (period.start.month - 1) / 12 - BASE_YEAR


def winter_factor(month: int, amplitude: float) -> float:
    """1 ± amplitude, peaking between December and January, lowest in June–July."""
    return 1 + amplitude * math.cos(2 * math.pi * (month - 0.5) / 12)


def festival_factor(period: periods.Period, depth: float) -> float:
    """The share of normal activity left after the Spring Festival holiday: about ten days
    (three before, seven after the festival) at `1 - depth` of the usual level."""
    festival = SPRING_FESTIVAL.get(period.start.year, dt.date(period.start.year, 2, 5))
    holiday = {festival + dt.timedelta(days=d) for d in range(-3, 7)}
    days_in = sum(1 for day in holiday if period.start <= day <= period.end)
    return 1 - depth * days_in / days_in_month(period)


def days_in_month(period: periods.Period) -> int:
    return calendar.monthrange(period.start.year, period.start.month)[1]


def workday(day: dt.date, first: dt.date | None = None, last: dt.date | None = None) -> dt.date:
    """The day itself from Monday to Friday; a Saturday moves back to Friday (else on to
    Monday), a Sunday on to Monday (else back to Friday), staying within [first, last] —
    by default the day's month. Offices hold meetings, trainings, drills and inspections and
    sign documents on working days; only a theme day's own event keeps its weekend date.
    (调休 working weekends are not modelled: none of the demo's events needs one.)"""
    if day.weekday() < 5:
        return day
    first = first or day.replace(day=1)
    last = last or day.replace(day=calendar.monthrange(day.year, day.month)[1])
    shifts = (-1, 2) if day.weekday() == 5 else (1, -2)
    for shift in shifts:
        moved = day + dt.timedelta(days=shift)
        if first <= moved <= last:
            return moved
    return day


# -- one unit's month ------------------------------------------------------------------


@dataclass
class Month:
    period: periods.Period
    days: int
    opd_male: int = 0
    opd_female: int = 0
    er: int = 0
    beds: int = 0
    open_bed_days: int = 0
    occ_bed_days: int = 0
    census_start: int = 0
    census_end: int = 0
    admissions: int = 0
    discharges: int = 0
    dis_bed_days: int = 0
    deaths: int = 0

    @property
    def opd(self) -> int:
        return self.opd_male + self.opd_female

    @property
    def inpatients(self) -> int:
        """同期住院患者总数: in hospital at the start plus admitted during the month."""
        return self.census_start + self.admissions


def simulate(code: str, clinic: Clinic, months: list[periods.Period]) -> list[Month]:
    """The unit's months in order. The ward census carries over: each month's admissions are
    what makes the end-of-month census follow from the start and the discharges."""
    r = rng(code, "clinic")
    census = round(clinic.beds * clinic.occupancy)
    result = []
    for period in months:
        month = _outpatients(r, clinic, period)
        if clinic.beds:
            census = _inpatients(r, clinic, month, census)
        result.append(month)
    return result


def demand(clinic: Clinic, period: periods.Period, festival_depth: float) -> float:
    trend = (1 + clinic.growth) ** years_since_base(period)
    return (
        trend
        * winter_factor(period.start.month, clinic.winter)
        * festival_factor(period, festival_depth)
    )


def _outpatients(r: random.Random, clinic: Clinic, period: periods.Period) -> Month:
    days = days_in_month(period)
    factor = demand(clinic, period, 0.55) * days / 30.4
    opd = round(clinic.opd * factor * r.gauss(1, 0.035))
    male = binom(r, opd, clinic.male_share)
    er = round(clinic.er * factor * r.gauss(1, 0.05))
    return Month(period=period, days=days, opd_male=male, opd_female=opd - male, er=er)


def _inpatients(r: random.Random, clinic: Clinic, month: Month, census_start: int) -> int:
    beds = clinic.beds
    occupancy = min(0.98, clinic.occupancy * demand(clinic, month.period, 0.35) * r.gauss(1, 0.03))
    month.beds = beds
    month.open_bed_days = beds * month.days
    month.occ_bed_days = round(month.open_bed_days * occupancy)
    month.census_start = census_start
    month.census_end = min(beds, round(beds * occupancy * r.gauss(1, 0.04)))
    month.discharges = max(0, round(month.occ_bed_days / clinic.alos * r.gauss(1, 0.03)))
    month.dis_bed_days = round(month.discharges * clinic.alos * r.gauss(1, 0.03))
    # Admissions close the census balance: start + admitted − discharged = end.
    month.admissions = max(0, month.census_end - census_start + month.discharges)
    month.census_end = census_start + month.admissions - month.discharges
    month.deaths = binom(r, month.discharges, clinic.death_rate)
    return month.census_end


# -- small distributions ---------------------------------------------------------------


def binom(r: random.Random, n: int, p: float) -> int:
    """A binomial draw: exact for small n, normal approximation (clamped to 0…n) otherwise."""
    if n <= 0 or p <= 0:
        return 0
    if p >= 1:
        return n
    if n < 40:
        return sum(1 for _ in range(n) if r.random() < p)
    mean, sd = n * p, math.sqrt(n * p * (1 - p))
    return min(n, max(0, round(r.gauss(mean, sd))))


def poisson(r: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(r.gauss(lam, math.sqrt(lam))))
    limit, k, product = math.exp(-lam), 0, r.random()
    while product > limit:
        k += 1
        product *= r.random()
    return k
