"""The figures one unit reports for one month, on all its forms at once (Django-free).

All forms of a unit-month are computed together from the simulated month, so figures that
appear on two forms agree (the nursing form's bed-days are the workload form's) and every
numerator stays within its denominator (see catalogue.CHECKS). Rates drift gently the way
quality work drives them: infections and antibiotic use down, hand hygiene and management up.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from weijian import periods

from .activity import (
    Catchment,
    Clinic,
    Finance,
    Month,
    Surgery,
    binom,
    poisson,
    rng,
    winter_factor,
    years_since_base,
)
from .catalogue import FORMS_BY_CODE

Key = tuple[str, str]
Figures = dict[Key, int | Decimal]

DEFAULT = "default"
CENT = Decimal("0.01")
TENTH = Decimal("0.1")

# Share of the year's elderly health checks done by the end of each month (campaign from March).
ELDERLY_CAMPAIGN = (0.02, 0.04, 0.12, 0.25, 0.40, 0.55, 0.68, 0.78, 0.87, 0.93, 0.97, 1.0)
HEALTH_DAY_MONTHS = {
    3,
    4,
    5,
    9,
    10,
    11,
    12,
}  # 结核病日, 卫生日, 无烟日, 敬老月, 高血压日, 糖尿病日, 艾滋病日

PATHOGENS = {  # option → (isolates per inpatient, resistant share)
    "PATH_SA": (0.006, 0.30),
    "PATH_EF": (0.003, 0.04),
    "PATH_KP": (0.008, 0.12),
    "PATH_AB": (0.004, 0.55),
}
VACCINES = {  # option → (doses due per child of the monthly cohort, coverage)
    "VAC_HEPB": (3, 0.985),
    "VAC_BCG": (1, 0.99),
    "VAC_POLIO": (4, 0.98),
    "VAC_DTAP": (4, 0.975),
    "VAC_MMR": (2, 0.97),
}


@dataclass(frozen=True)
class UnitMonth:
    """Everything the figures of one unit-month depend on."""

    code: str
    period: periods.Period
    month: Month | None = None  # the unit's own clinical activity
    clinic: Clinic | None = None
    surgery: Surgery | None = None
    catchment: Catchment | None = None
    finance: Finance | None = None
    visits: int = 0  # the institution's outpatient + emergency visits (all departments)
    discharges: int = 0  # the institution's discharges (all departments)


class _Out(dict):
    def put(self, code: str, value, option: str = DEFAULT) -> None:
        self[(code, option)] = value

    def get1(self, code: str, option: str = DEFAULT):
        return self.get((code, option), 0)


def figures(um: UnitMonth) -> Figures:
    r = rng(um.code, um.period.id)
    t = years_since_base(um.period)
    out = _Out()
    if um.month is not None:
        _workload(out, um.month)
        _drugs(out, r, t, um.clinic, um.month)
        if um.surgery and um.month.discharges:
            _surgery(out, r, t, um.surgery, um.month)
        elif um.surgery:
            _surgery_none(out)
        if um.month.beds:
            _infection(out, r, t, um, um.month)
            _nursing(out, r, t, um.clinic, um.month)
    if um.catchment is not None:
        _public_health(out, r, t, um)
        _maternal_child(out, r, t, um)
        _immunisation(out, r, t, um)
    if um.finance is not None:
        _finance(out, r, t, um)
    return dict(out)


# -- hospitals and departments ---------------------------------------------------------


def _workload(out: _Out, m: Month) -> None:
    out.put("OPD_VISITS", m.opd_male, "MALE")
    out.put("OPD_VISITS", m.opd_female, "FEMALE")
    for code, value in (
        ("ER_VISITS", m.er),
        ("ADMISSIONS", m.admissions),
        ("DISCHARGES", m.discharges),
        ("DISCHARGE_DEATHS", m.deaths),
        ("INPATIENTS_END", m.census_end),
        ("BEDS", m.beds),
        ("OPEN_BED_DAYS", m.open_bed_days),
        ("OCC_BED_DAYS", m.occ_bed_days),
        ("DIS_BED_DAYS", m.dis_bed_days),
    ):
        out.put(code, value)


def _surgery(out: _Out, r: random.Random, t: float, s: Surgery, m: Month) -> None:
    patients = binom(r, m.discharges, s.share)
    # County hospitals are pushed to take on harder operations: the level-4 share grows.
    level4 = binom(r, patients, min(0.5, s.level4 * (1 + 0.08 * t)))
    level3 = binom(r, patients - level4, min(1.0, s.level3 / (1 - s.level4)))
    elective = binom(r, patients, s.elective)
    anaesthesia = patients + binom(r, patients, 0.06)
    for code, value in (
        ("SURG_PATIENTS", patients),
        ("SURG_LEVEL4", level4),
        ("SURG_LEVEL3", level3),
        ("SURG_MIS", binom(r, patients, min(0.95, s.mis * (1 + 0.06 * t)))),
        ("SURG_ELECTIVE", elective),
        ("SURG_DAY", binom(r, elective, min(0.6, s.day * (1 + 0.10 * t)))),
        ("SURG_COMPLICATIONS", binom(r, patients, 0.009 * (1 - 0.05 * t))),
        ("SURG_INCISION_I", binom(r, patients, s.clean)),
        ("SURG_REOPERATION", binom(r, patients, 0.003)),
        ("ANES_TOTAL", anaesthesia),
        ("ANES_GENERAL", binom(r, anaesthesia, s.general)),
        ("ANES_COMPLICATIONS", binom(r, anaesthesia, 0.002)),
    ):
        out.put(code, value)


def _surgery_none(out: _Out) -> None:
    """A surgical department with no discharges this month reports zero on its whole form."""
    for code in FORMS_BY_CODE["SURGERY"].element_codes:
        out.put(code, 0)


def _infection(out: _Out, r: random.Random, t: float, um: UnitMonth, m: Month) -> None:
    c = um.clinic
    inpatients, occ = m.inpatients, m.occ_bed_days
    cvc, vent, uc = binom(r, occ, c.cvc), binom(r, occ, c.vent), binom(r, occ, c.uc)
    clabsi, vap, cauti = (
        poisson(r, cvc * 1.2 / 1000),
        poisson(r, vent * 7 / 1000),
        poisson(r, uc * 1.8 / 1000),
    )
    clean = out.get1("SURG_INCISION_I")
    clean_patients = clean - binom(r, clean, 0.02)
    ssi = binom(r, clean_patients, 0.006)
    rate = c.hai * (1 - 0.04 * t) * winter_factor(m.period.start.month, 0.10)
    cases = binom(r, inpatients, rate)
    episodes = max(cases + binom(r, cases, 0.12), ssi + clabsi + vap + cauti)
    cases = min(inpatients, max(cases, 1 if episodes else 0))
    prevalence_base = m.census_end
    prev_cases = binom(r, prevalence_base, min(0.5, rate * 2.2))
    abx = binom(r, inpatients, min(0.95, c.abx * (1 - 0.03 * t)))
    treatment = binom(r, abx, 0.45 if um.surgery else 0.65)
    hand_opportunities = r.randint(120, 260)
    values = {
        "HAI_INPATIENTS": inpatients,
        "HAI_NEW_CASES": cases,
        "HAI_NEW_EPISODES": episodes,
        "HAI_PREV_INPATIENTS": prevalence_base,
        "HAI_PREV_CASES": prev_cases,
        "HAI_PREV_EPISODES": prev_cases + binom(r, prev_cases, 0.10),
        "HAI_REPORTABLE": cases,
        "HAI_UNREPORTED": binom(r, cases, max(0.02, 0.10 * (1 - 0.10 * t))),
        "MDRO_PATIENTS": binom(r, cases, 0.18),
        "HH_OPPORTUNITIES": hand_opportunities,
        "HH_PERFORMED": binom(
            r, hand_opportunities, min(0.96, 0.78 + 0.035 * t + r.gauss(0, 0.02))
        ),
        "ABX_PATIENTS": abx,
        "ABX_TREATMENT_CASES": treatment,
        "ABX_CULTURE_BEFORE": binom(
            r, treatment, min(0.92, 0.55 + 0.05 * t + (0.15 if c.vent > 0.1 else 0))
        ),
        "SSI_I_PATIENTS": clean_patients,
        "SSI_I_INFECTIONS": ssi,
        "SSI_I_PROPHYLAXIS": binom(r, clean_patients, max(0.1, 0.28 * (1 - 0.05 * t))),
        "CVC_DAYS": cvc,
        "CLABSI": clabsi,
        "VENT_DAYS": vent,
        "VAP": vap,
        "UC_DAYS": uc,
        "CAUTI": cauti,
    }
    for code, value in values.items():
        out.put(code, value)
    cultured = 1 + 5 * c.vent  # intensive care cultures far more
    for option, (per_inpatient, resistant) in PATHOGENS.items():
        isolates = poisson(r, inpatients * per_inpatient * cultured)
        out.put("PATHOGEN_ISOLATES", isolates, option)
        out.put("MDRO_ISOLATES", binom(r, isolates, resistant), option)


def _drugs(out: _Out, r: random.Random, t: float, c: Clinic, m: Month) -> None:
    intensity = c.ddd * (1 - 0.03 * t) * r.gauss(1, 0.05)
    ddd = Decimal(m.dis_bed_days * max(0.0, intensity) / 100).quantize(TENTH, ROUND_HALF_UP)
    rx_visits = binom(r, m.opd, 0.78)
    rx_total = rx_visits + binom(r, rx_visits, 0.15)
    reviewed = min(rx_total, r.randint(60, 120))
    drug_discharges = binom(r, m.discharges, 0.97)
    for code, value in (
        ("DDD_SUM", ddd),
        ("ABX_PATIENT_DAYS", m.dis_bed_days),
        ("RX_OPD_TOTAL", rx_total),
        ("RX_REVIEWED", reviewed),
        ("RX_IRRATIONAL", binom(r, reviewed, max(0.01, 0.04 * (1 - 0.1 * t)))),
        ("RX_OPD_ABX", binom(r, rx_total, min(0.5, c.abx * 0.3))),
        ("EDL_OPD_RX_VISITS", rx_visits),
        ("EDL_OPD_VISITS", binom(r, rx_visits, min(0.9, 0.58 + 0.02 * t))),
        ("EDL_IP_DRUG_DISCHARGES", drug_discharges),
        ("EDL_IP_DISCHARGES", binom(r, drug_discharges, 0.93)),
    ):
        out.put(code, value)


def _nursing(out: _Out, r: random.Random, t: float, c: Clinic, m: Month) -> None:
    nurses = round(c.nurses * (1 + 0.03 * t))
    occ = m.occ_bed_days
    devices = out.get1("CVC_DAYS") + out.get1("UC_DAYS") + out.get1("VENT_DAYS")
    tube_days = devices + binom(r, occ, 0.03)  # gastric and drainage tubes as well
    falls = poisson(r, occ * 0.06 / 1000)
    for code, value in (
        ("NUR_NURSES", nurses),
        ("NUR_OPEN_BEDS", m.beds),
        ("NUR_NURSES_LEFT", poisson(r, nurses * 0.06 / 12)),
        ("NUR_BED_DAYS", occ),
        # the month's admissions, not census + admissions: summed over six months the census
        # was counted six times (13 071 "inpatients" beside 10 515 discharges in 2026S1, so 18
        # pressure injuries printed as 0.14 % where a reader works out 0.17 %)
        ("NUR_INPATIENTS", m.admissions),
        ("NUR_FALLS", falls),
        ("NUR_FALL_INJURIES", binom(r, falls, 0.35)),
        ("NUR_PI_NEW", min(m.admissions, poisson(r, m.admissions * 0.0012 * (1 + 20 * c.vent)))),
        ("NUR_TUBE_DAYS", tube_days),
        ("NUR_UEX", poisson(r, tube_days * 0.25 / 1000)),
        ("NUR_RESTRAINT_DAYS", binom(r, occ, c.restraint)),
    ):
        out.put(code, value)


# -- primary care catchments -----------------------------------------------------------


def population(c: Catchment, t: float) -> int:
    return round(c.population * (1 + c.drift) ** t)


def birth_rate(c: Catchment, t: float) -> float:
    """Births per 1000 residents a year: falling, as in China since 2017."""
    return c.births * 0.96**t


def _public_health(out: _Out, r: random.Random, t: float, um: UnitMonth) -> None:
    c, month = um.catchment, um.period.start.month
    q = c.quality
    pop = population(c, t)
    ehr = round(pop * min(0.96, 0.86 + 0.015 * t + q))
    elderly = round(pop * (c.elderly + 0.005 * t))
    # The year's health-check campaign: a per-year pace, cumulative within the year.
    pace = rng(um.code, "elderly", um.period.start.year).uniform(-0.02, 0.02)
    elderly_managed = round(
        elderly * min(0.85, 0.64 + 0.015 * t + q + pace) * ELDERLY_CAMPAIGN[month - 1]
    )
    adults = pop * 0.80
    values = {
        "PHS_POPULATION": pop,
        "PHS_EHR": ehr,
        "PHS_EHR_ACTIVE": round(ehr * min(0.85, 0.60 + 0.04 * t + q)),
        "PHS_ELDERLY": elderly,
        "PHS_ELDERLY_MANAGED": elderly_managed,
    }
    values |= _chronic("HTN", r, adults * 0.20, 0.40, 0.66, 0.84, t, q)
    values |= _chronic("T2D", r, adults * 0.09, 0.38, 0.64, 0.80, t, q)
    registered = round(pop * 0.0046)
    notified = poisson(r, pop * 38 / 100_000 / 12 * (1 - 0.03 * t))
    values |= {
        "SMI_REGISTERED": registered,
        "SMI_STANDARD": round(registered * min(0.95, 0.85 + 0.01 * t + q / 2)),
        "TB_NOTIFIED": notified,
        "TB_MANAGED": notified - (1 if notified and r.random() < 0.04 else 0),
    }
    values |= _health_education(r, pop, month)
    values |= _family_doctor(um, t, values)
    for code, value in values.items():
        out.put(code, value)


def _family_doctor(um: UnitMonth, t: float, phs: dict[str, int]) -> dict[str, int]:
    """家庭医生签约 in the range the national work reports: about 35–45 % of residents and 70–80 %
    of the key groups signed, both rising slowly with a centre's quality; the key groups are
    the 基本公卫 registers already on the form (elderly, managed hypertension and diabetes with
    their overlap, severe mental illness) plus children and pregnant women. Drawn from its own
    stream so that adding it left every other figure of the month unchanged."""
    r = rng(um.code, "family-doctor", um.period.id)
    q = um.catchment.quality
    pop = phs["PHS_POPULATION"]
    chronic = round((phs["HTN_MANAGED"] + phs["T2D_MANAGED"]) * 0.55)  # the rest are 65+
    key = phs["PHS_ELDERLY"] + chronic + phs["SMI_REGISTERED"] + round(pop * 0.07)
    signed_share = min(0.46, 0.36 + 0.012 * t + q / 2 + r.gauss(0, 0.002))
    key_share = min(0.82, 0.70 + 0.014 * t + q + r.gauss(0, 0.003))
    key_signed = min(key, round(key * key_share))
    signed = max(key_signed, round(pop * signed_share))
    # a key person gets about four services a year (随访, 健康评估), others about one
    services = round((key_signed * 4 + (signed - key_signed)) / 12 * r.uniform(0.85, 1.15))
    return {
        "FDS_SIGNED": min(pop, signed),
        "FDS_KEY_POPULATION": key,
        "FDS_KEY_SIGNED": key_signed,
        "FDS_SERVICES": services,
    }


def _chronic(
    prefix: str,
    r: random.Random,
    estimated: float,
    managed: float,
    standard: float,
    controlled: float,
    t: float,
    q: float,
) -> dict[str, int]:
    """Estimated ≥ managed ≥ managed to standard ≥ controlled, each share improving slowly."""
    est = round(estimated)
    man = round(est * min(0.75, managed + 0.02 * t + q) * r.gauss(1, 0.004))
    std = round(man * min(0.92, standard + 0.015 * t + q))
    ctl = round(std * min(0.95, controlled + 0.01 * t))
    return {
        f"{prefix}_ESTIMATED": est,
        f"{prefix}_MANAGED": min(est, man),
        f"{prefix}_STANDARD": min(man, std),
        f"{prefix}_CONTROLLED": min(std, ctl),
    }


def _health_education(r: random.Random, pop: int, month: int) -> dict[str, int]:
    size = (pop / 40_000) ** 0.3
    lectures = 1 + (r.random() < 0.3) - (month == 2 and r.random() < 0.5)
    consultations = 1 if month in HEALTH_DAY_MONTHS or r.random() < 0.2 else 0
    return {
        "HE_LECTURES": lectures,
        "HE_LECTURE_ATTENDEES": sum(round(r.randint(25, 70) * size) for _ in range(lectures)),
        "HE_CONSULTATIONS": consultations,
        "HE_CONSULT_ATTENDEES": consultations * round(r.randint(80, 300) * size),
        "HE_BOARD_UPDATES": r.choice((1, 1, 2)),
        "HE_MATERIALS": round(pop / 40 * r.uniform(0.6, 1.4)),
    }


def _monthly_births(r: random.Random, um: UnitMonth, t: float) -> int:
    c = um.catchment
    autumn = 1.05 if um.period.start.month in (8, 9, 10, 11) else 0.98
    return poisson(r, population(c, t) * birth_rate(c, t) / 1000 / 12 * autumn)


def _maternal_child(out: _Out, r: random.Random, t: float, um: UnitMonth) -> None:
    c, q = um.catchment, um.catchment.quality
    births = _monthly_births(r, um, t)
    infants = min(births, poisson(r, births * 0.0045))
    # Children alive now were born over the last years, when births were more frequent.
    yearly_births = population(c, t) * birth_rate(c, t) / 1000
    children = round(yearly_births * 1.15 * 6.9)
    under3 = round(yearly_births * 1.07 * 3.0)
    values = {
        "MCH_LIVE_BIRTHS": births,
        "MCH_EARLY_REG": binom(r, births, min(0.98, 0.90 + q + 0.01 * t)),
        "MCH_SYS_MANAGED": binom(r, births, min(0.97, 0.89 + q + 0.01 * t)),
        "MCH_POSTPARTUM_VISITS": binom(r, births, min(0.99, 0.94 + q / 2)),
        "MCH_HOSP_DELIVERIES": births - binom(r, births, 0.002),
        "MCH_MATERNAL_DEATHS": 1 if r.random() < births * 15 / 100_000 else 0,
        "MCH_NEWBORN_VISITS": binom(r, births, min(0.99, 0.95 + q / 2)),
        "MCH_CHILDREN_0_6": children,
        "MCH_CHILDREN_0_6_FOLLOWED": round(children * min(0.97, 0.91 + q + 0.005 * t)),
        "MCH_CHILDREN_U3": under3,
        "MCH_CHILDREN_U3_SYS": round(under3 * min(0.97, 0.89 + q + 0.01 * t)),
        "MCH_INFANT_DEATHS": infants,
        "MCH_U5_DEATHS": infants + poisson(r, births * 0.0015),
    }
    for code, value in values.items():
        out.put(code, value)


def _immunisation(out: _Out, r: random.Random, t: float, um: UnitMonth) -> None:
    q = um.catchment.quality
    cohort = round(_monthly_births(r, um, t) * 1.08)  # resident plus migrant children
    out.put("IMM_CERT_DUE", cohort)
    out.put("IMM_CERT_DONE", binom(r, cohort, min(0.999, 0.985 + q / 5)))
    done_total = 0
    for option, (doses, coverage) in VACCINES.items():
        due = poisson(r, cohort * doses)
        done = binom(r, due, min(0.999, coverage + q / 3))
        out.put("IMM_DUE", due, option)
        out.put("IMM_DONE", done, option)
        done_total += done
    out.put("AEFI_REPORTS", poisson(r, done_total * 0.0012))


# -- money ------------------------------------------------------------------------------


def _wan(yuan: float) -> Decimal:
    """Yuan → 万元 with two decimals."""
    return Decimal(max(0.0, yuan) / 10_000).quantize(CENT, ROUND_HALF_UP)


def _finance(out: _Out, r: random.Random, t: float, um: UnitMonth) -> None:
    f = um.finance
    opd = _wan(um.visits * f.opd_fee * 1.03**t * r.gauss(1, 0.03))
    ip = _wan(um.discharges * f.ip_fee * 1.02**t * r.gauss(1, 0.03))
    # Drug shares fall under the zero-markup and volume-procurement policies.
    drug_share = f.drug * (1 - 0.03 * t)
    opd_drug = (opd * Decimal(drug_share + 0.10)).quantize(CENT)
    ip_drug = (ip * Decimal(max(0.05, drug_share - 0.04))).quantize(CENT)
    medical = opd + ip
    fiscal = (medical * Decimal(f.fiscal) + Decimal(f.fixed) * Decimal(r.gauss(1, 0.05))).quantize(
        CENT
    )
    other = (medical * Decimal(0.015)).quantize(CENT)
    total = medical + fiscal + other
    business = (total * Decimal(min(0.99, r.gauss(0.92, 0.02)))).quantize(CENT)
    energy_share = 0.011 * winter_factor(um.period.start.month, 0.15)
    values = {
        "FIN_TOTAL_INCOME": total,
        "FIN_MEDICAL_INCOME": medical,
        "FIN_OPD_INCOME": opd,
        "FIN_IP_INCOME": ip,
        "FIN_DRUG_INCOME": opd_drug + ip_drug,
        "FIN_OPD_DRUG_INCOME": opd_drug,
        "FIN_IP_DRUG_INCOME": ip_drug,
        "FIN_MATERIAL_INCOME": (opd * Decimal("0.04") + ip * Decimal("0.25")).quantize(CENT),
        "FIN_EXAM_INCOME": (opd * Decimal("0.25") + ip * Decimal("0.20")).quantize(CENT),
        "FIN_OPD_INSURANCE": (opd * Decimal("0.42")).quantize(CENT),
        "FIN_IP_INSURANCE": (ip * Decimal("0.63")).quantize(CENT),
        "FIN_FISCAL_INCOME": fiscal,
        "FIN_OTHER_INCOME": other,
        "FIN_TOTAL_EXPENSE": (business / Decimal("0.93")).quantize(CENT),
        "FIN_BUSINESS_EXPENSE": business,
        "FIN_STAFF_EXPENSE": (business * Decimal(min(0.6, f.staff * (1 + 0.02 * t)))).quantize(
            CENT
        ),
        "FIN_ENERGY_EXPENSE": (total * Decimal(energy_share)).quantize(CENT),
    }
    for code, value in values.items():
        out.put(code, value)
