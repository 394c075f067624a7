"""The demo district's organisation tree and unit groups.

    示范区卫生健康局 DEMO
    ├── 示范区人民医院 RMYY (二级甲等, ~470 beds): 12 clinical, 5 medical-technical, 5 functional departments
    ├── 示范区中医医院 ZYY, 示范区妇幼保健院 FYBJY, 示范区疾病预防控制中心 CDC, each with departments
    └── 6 乡镇卫生院 + 2 社区卫生服务中心, each with 3–4 departments

Which forms a unit reports follows from its groups (see catalogue.FORMS). Sizes (visits, beds,
population, fees) sit on the units as activity profiles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from weijian import periods
from weijian.orgs.models import OrgUnit, OrgUnitGroup, OrgUnitType

from .activity import Catchment, Clinic, Finance, Surgery, rng
from .catalogue import FORMS

ROOT_CODE = "DEMO"
# A 示范区 is led by its 党工委 and 管委会, not a 区委 and 区政府: its summaries say so.
LEADERSHIP = "示范区党工委、管委会"

T = OrgUnitType

GROUPS = {
    "HOSP_L2": "二级医院",
    "TOWNSHIP_HC": "乡镇卫生院",
    "COMMUNITY_HC": "社区卫生服务中心",
    "PRIMARY_CARE": "基层医疗卫生机构",
    "PUBLIC_HEALTH": "专业公共卫生机构",
    "DEPT_CLINICAL": "临床科室",
    "DEPT_INPATIENT": "设床位的临床科室（护理单元）",
    "DEPT_SURGICAL": "手术科室",
    "DEPT_MEDTECH": "医技科室",
    "DEPT_ADMIN": "职能科室",
    "DEPT_PRIMARY": "基层机构内设科室",
}


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    type: str = T.DEPARTMENT
    short_name: str = ""
    opened: dt.date = dt.date(2003, 1, 1)
    groups: tuple[str, ...] = ()
    clinic: Clinic | None = None
    surgery: Surgery | None = None
    catchment: Catchment | None = None
    finance: Finance | None = None
    closes: bool = False  # closed about a year before the demo's last month
    children: tuple[Unit, ...] = field(default=())

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


# -- departments ---------------------------------------------------------------------------


def clinical(code, name, clinic: Clinic, surgery: Surgery | None = None, **kw) -> Unit:
    groups = ["DEPT_CLINICAL"]
    if clinic.beds:
        groups.append("DEPT_INPATIENT")
    if surgery:
        groups.append("DEPT_SURGICAL")
    return Unit(code, name, groups=tuple(groups), clinic=clinic, surgery=surgery, **kw)


def medtech(code, name, **kw) -> Unit:
    return Unit(code, name, groups=("DEPT_MEDTECH",), **kw)


def office(code, name, **kw) -> Unit:
    return Unit(code, name, groups=("DEPT_ADMIN",), **kw)


def primary_dept(code, name) -> Unit:
    return Unit(code, name, groups=("DEPT_PRIMARY",))


# The profile tables keep one unit per entry, so they read as tables.
# fmt: off
C = Clinic

PEOPLES_HOSPITAL = Unit(
    "RMYY", "示范区人民医院", T.HOSPITAL, "区人民医院", dt.date(1951, 10, 1), ("HOSP_L2",),
    finance=Finance(opd_fee=245, ip_fee=7600, fiscal=0.10, drug=0.28, staff=0.38),
    children=(
        clinical("RMYY_NK", "内科", C(opd=9000, beds=130, occupancy=0.92, alos=9.0, winter=0.12, male_share=0.50,
                 death_rate=0.012, hai=0.018, abx=0.38, ddd=36, cvc=0.06, vent=0.01, uc=0.06, restraint=0.01, nurses=48)),
        clinical("RMYY_WK", "外科", C(opd=3500, beds=80, occupancy=0.88, alos=8.5, winter=0.04, male_share=0.55,
                 death_rate=0.004, hai=0.015, abx=0.50, ddd=42, cvc=0.06, uc=0.15, nurses=30),
                 Surgery(0.72, level4=0.14, level3=0.40, mis=0.30, elective=0.78, day=0.08, clean=0.35)),
        clinical("RMYY_FCK", "妇产科", C(opd=4200, beds=50, occupancy=0.80, alos=5.0, winter=0.0, male_share=0.0,
                 death_rate=0.0005, hai=0.006, abx=0.30, ddd=25, cvc=0.01, uc=0.10, nurses=26),
                 Surgery(0.55, level4=0.05, level3=0.45, mis=0.25, elective=0.60, day=0.05, clean=0.08)),
        clinical("RMYY_EK", "儿科", C(opd=6000, beds=45, occupancy=0.85, alos=5.5, winter=0.30, male_share=0.55,
                 death_rate=0.001, hai=0.008, abx=0.45, ddd=22, cvc=0.02, uc=0.005, restraint=0.002, nurses=22)),
        clinical("RMYY_GK", "骨科", C(opd=2600, beds=55, occupancy=0.88, alos=11.0, winter=0.02, male_share=0.56,
                 death_rate=0.002, hai=0.012, abx=0.45, ddd=40, cvc=0.03, uc=0.10, nurses=21),
                 Surgery(0.75, level4=0.16, level3=0.45, mis=0.22, elective=0.72, day=0.04, clean=0.65)),
        clinical("RMYY_JZK", "急诊科", C(opd=800, er=4200, beds=15, occupancy=0.70, alos=2.5, winter=0.15,
                 death_rate=0.02, hai=0.006, abx=0.35, ddd=30, cvc=0.05, vent=0.02, uc=0.08, nurses=24)),
        clinical("RMYY_ICU", "重症医学科", C(beds=12, occupancy=0.82, alos=7.5, winter=0.10, male_share=0.60,
                 death_rate=0.10, hai=0.07, abx=0.85, ddd=110, cvc=0.75, vent=0.45, uc=0.85, restraint=0.25,
                 nurses=30), short_name="ICU", opened=dt.date(2012, 6, 1)),
        clinical("RMYY_YEBH", "眼耳鼻喉科", C(opd=3000, beds=25, occupancy=0.78, alos=5.0, winter=0.10,
                 death_rate=0.0005, hai=0.005, abx=0.35, ddd=25, cvc=0.01, uc=0.01, nurses=12),
                 Surgery(0.82, level4=0.05, level3=0.40, mis=0.55, elective=0.92, day=0.22, clean=0.55)),
        clinical("RMYY_KQK", "口腔科", C(opd=2600, beds=6, occupancy=0.60, alos=4.0, winter=0.0, male_share=0.48,
                 death_rate=0.0, hai=0.004, abx=0.40, ddd=24, cvc=0.0, uc=0.01, nurses=6),
                 Surgery(0.85, level4=0.02, level3=0.30, mis=0.05, elective=0.95, day=0.30, clean=0.20)),
        clinical("RMYY_ZYK", "中医科", C(opd=3600, beds=25, occupancy=0.82, alos=10.0, winter=0.06, male_share=0.45,
                 death_rate=0.003, hai=0.008, abx=0.20, ddd=18, cvc=0.02, uc=0.02, nurses=10)),
        clinical("RMYY_GRK", "感染性疾病科", C(opd=1600, beds=25, occupancy=0.75, alos=10.0, winter=0.20,
                 male_share=0.55, death_rate=0.006, hai=0.012, abx=0.60, ddd=55, cvc=0.03, uc=0.03, nurses=12)),
        clinical("RMYY_LNBK", "老年病科", C(opd=900, beds=20, occupancy=0.90, alos=12.0, winter=0.12, male_share=0.50,
                 death_rate=0.02, hai=0.02, abx=0.45, ddd=38, cvc=0.05, uc=0.12, restraint=0.02, nurses=9),
                 opened=dt.date(2018, 3, 1), closes=True),
        medtech("RMYY_MZK", "麻醉科"),
        medtech("RMYY_SSS", "手术室"),
        medtech("RMYY_JYK", "检验科"),
        medtech("RMYY_YXK", "影像科"),
        medtech("RMYY_YJK", "药剂科"),
        office("RMYY_YWK", "医务科"),
        office("RMYY_HLB", "护理部"),
        office("RMYY_YGK", "院感科", short_name="医院感染管理科"),
        office("RMYY_CWK", "财务科"),
        office("RMYY_YB", "院办", short_name="院长办公室"),
    ),
)

TCM_HOSPITAL = Unit(
    "ZYY", "示范区中医医院", T.TCM_HOSPITAL, "区中医医院", dt.date(1984, 5, 1), ("HOSP_L2",),
    finance=Finance(opd_fee=210, ip_fee=6400, fiscal=0.12, drug=0.33, staff=0.40),
    children=(
        clinical("ZYY_NK", "中医内科", C(opd=7000, beds=80, occupancy=0.85, alos=10.0, winter=0.12, male_share=0.48,
                 death_rate=0.008, hai=0.010, abx=0.25, ddd=22, cvc=0.03, uc=0.04, restraint=0.004, nurses=28)),
        clinical("ZYY_GSK", "骨伤科", C(opd=3000, beds=50, occupancy=0.85, alos=12.0, winter=0.02, male_share=0.55,
                 death_rate=0.002, hai=0.010, abx=0.35, ddd=30, cvc=0.02, uc=0.08, nurses=18),
                 Surgery(0.50, level4=0.06, level3=0.40, mis=0.20, elective=0.85, day=0.03, clean=0.60)),
        clinical("ZYY_ZJTN", "针灸推拿科", C(opd=3500, beds=20, occupancy=0.80, alos=14.0, winter=0.0, male_share=0.42,
                 death_rate=0.0, hai=0.004, abx=0.05, ddd=5, cvc=0.0, uc=0.0, restraint=0.0, nurses=7)),
        clinical("ZYY_KFK", "康复科", C(opd=1200, beds=30, occupancy=0.88, alos=18.0, winter=0.02, male_share=0.55,
                 death_rate=0.002, hai=0.008, abx=0.10, ddd=10, cvc=0.01, uc=0.05, nurses=10)),
        clinical("ZYY_JZK", "急诊科", C(opd=300, er=1500, beds=6, occupancy=0.60, alos=2.0, winter=0.12,
                 death_rate=0.01, hai=0.004, abx=0.30, ddd=28, cvc=0.03, uc=0.05, nurses=8)),
        clinical("ZYY_ZWB", "治未病科", C(opd=1800, winter=0.0, male_share=0.40)),
        medtech("ZYY_YJK", "药剂科", short_name="中药房"),
        medtech("ZYY_JYK", "检验科"),
        medtech("ZYY_YXK", "影像科"),
        office("ZYY_YWK", "医务科"),
        office("ZYY_HLB", "护理部"),
        office("ZYY_YB", "院办"),
    ),
)

# The urban sub-districts' mothers and children are managed by the MCH hospital itself.
URBAN = Catchment(population=123_000, drift=0.012, elderly=0.14, births=6.6, quality=0.03)

MCH_HOSPITAL = Unit(
    "FYBJY", "示范区妇幼保健院", T.MCH, "区妇幼保健院", dt.date(1990, 6, 1), ("HOSP_L2", "PUBLIC_HEALTH"),
    catchment=URBAN,
    finance=Finance(opd_fee=180, ip_fee=4800, fiscal=0.18, drug=0.22, staff=0.42),
    children=(
        clinical("FY_CK", "产科", C(opd=2500, beds=40, occupancy=0.72, alos=4.5, winter=0.0, male_share=0.0,
                 death_rate=0.0, hai=0.005, abx=0.30, ddd=22, cvc=0.01, uc=0.12, nurses=22),
                 Surgery(0.40, level4=0.0, level3=0.55, mis=0.02, elective=0.55, day=0.0, clean=0.02)),
        clinical("FY_FK", "妇科", C(opd=2200, beds=20, occupancy=0.70, alos=5.5, winter=0.0, male_share=0.0,
                 death_rate=0.0, hai=0.006, abx=0.35, ddd=26, cvc=0.01, uc=0.12, nurses=9),
                 Surgery(0.65, level4=0.05, level3=0.45, mis=0.50, elective=0.90, day=0.15, clean=0.15)),
        clinical("FY_EK", "儿科", C(opd=4500, beds=30, occupancy=0.80, alos=5.0, winter=0.35, male_share=0.55,
                 death_rate=0.0, hai=0.008, abx=0.40, ddd=20, cvc=0.01, uc=0.005, nurses=14)),
        Unit("FY_YCBJ", "孕产保健部"),
        Unit("FY_ETBJ", "儿童保健部"),
        Unit("FY_FNBJ", "妇女保健部"),
        medtech("FY_JYK", "检验科"),
        office("FY_BGS", "办公室"),
    ),
)

CDC = Unit(
    "CDC", "示范区疾病预防控制中心", T.CDC, "区疾控中心", dt.date(2002, 1, 1), ("PUBLIC_HEALTH",),
    children=(
        Unit("CDC_MYGH", "免疫规划科"),
        Unit("CDC_CRB", "传染病防制科"),
        Unit("CDC_MB", "慢病防制科"),
        Unit("CDC_JYK", "检验科"),
        Unit("CDC_BGS", "办公室"),
    ),
)
# fmt: on


def township(
    code,
    name,
    population,
    opd,
    beds,
    occupancy,
    *,
    quality=0.0,
    er=0,
    kind=T.TOWNSHIP,
    drift=-0.004,
    depts=("QK", "GWK", "JZMZ", "FB"),
    opened=dt.date(1958, 9, 1),
) -> Unit:
    """A township health centre (or community centre): it reports at the centre node."""
    names = {
        "QK": "全科",
        "GWK": "公共卫生科",
        "JZMZ": "预防接种门诊",
        "FB": "妇女保健科",
        "ZYK": "中医科",
    }
    group = "TOWNSHIP_HC" if kind == T.TOWNSHIP else "COMMUNITY_HC"
    public_health_funds = population * 94 * 0.7 / 12 / 10_000  # 基本公卫补助 retained, 万元 a month
    return Unit(
        code,
        name,
        kind,
        opened=opened,
        groups=(group, "PRIMARY_CARE"),
        clinic=Clinic(
            opd=opd,
            er=er,
            beds=beds,
            occupancy=occupancy,
            alos=6.5,
            winter=0.15,
            male_share=0.46,
            death_rate=0.003,
            growth=0.03,
        ),
        catchment=Catchment(population=population, drift=drift, quality=quality),
        finance=Finance(
            opd_fee=78, ip_fee=2300, fiscal=0.30, drug=0.42, staff=0.45, fixed=public_health_funds
        ),
        children=tuple(primary_dept(f"{code}_{d}", names[d]) for d in depts),
    )


# fmt: off
PRIMARY = (
    township("QSZ", "青山镇中心卫生院", 52_000, 4200, 60, 0.68, er=150, quality=0.03),
    township("HXZ", "河西镇卫生院", 38_000, 3000, 40, 0.62, er=80, quality=0.01),
    township("LTZ", "柳塘镇卫生院", 31_000, 2400, 30, 0.58, quality=-0.01),
    township("DZZ", "大庄镇卫生院", 27_000, 2100, 30, 0.55, quality=0.0),
    township("SPX", "石坪乡卫生院", 14_000, 1100, 12, 0.45, quality=-0.04, depts=("QK", "GWK", "JZMZ")),
    township("BSX", "白沙乡卫生院", 12_000, 900, 10, 0.50, quality=-0.02, depts=("QK", "GWK", "JZMZ")),
    township("DCSQ", "东城街道社区卫生服务中心", 68_000, 5200, 0, 0.0, kind=T.COMMUNITY, drift=0.012,
             quality=0.04, depts=("QK", "GWK", "JZMZ", "ZYK"), opened=dt.date(2008, 7, 1)),
    township("XCSQ", "西城街道社区卫生服务中心", 55_000, 4300, 15, 0.50, kind=T.COMMUNITY, drift=0.012,
             quality=0.02, depts=("QK", "GWK", "JZMZ", "ZYK"), opened=dt.date(2009, 3, 1)),
)
# fmt: on

DISTRICT = Unit(
    ROOT_CODE,
    "示范区卫生健康局",
    T.BUREAU,
    "区卫健局",
    dt.date(2019, 3, 1),
    children=(PEOPLES_HOSPITAL, TCM_HOSPITAL, MCH_HOSPITAL, CDC, *PRIMARY),
)

ALL_UNITS = {u.code: u for u in DISTRICT.walk()}


def closing_date(last_period: periods.Period) -> dt.date:
    """The closed department shut at the end of the month a year before the last period, so
    no period after the closing date expects its reports."""
    year_before = last_period
    for _ in range(12):
        year_before = year_before.previous()
    return year_before.end


# -- building the rows ---------------------------------------------------------------------


def stable_uid(*key: object) -> str:
    """A DHIS2-style uid that is the same on every load, so API examples stay valid."""
    r = rng("uid", *key)
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return r.choice(letters) + "".join(r.choice(letters + "0123456789") for _ in range(10))


def build_tree(last_period: periods.Period) -> dict[str, OrgUnit]:
    """Create the tree in a handful of bulk inserts; code → saved OrgUnit."""
    closed = closing_date(last_period)
    OrgUnit.objects.load_bulk([_node(DISTRICT, closed)], bulk_create=True)
    OrgUnit.objects.filter(code=ROOT_CODE).update(leadership=LEADERSHIP)
    root = OrgUnit.objects.get(code=ROOT_CODE)
    units = OrgUnit.objects.filter(path__startswith=root.path)
    return {u.code: u for u in units}


def _node(unit: Unit, closed: dt.date) -> dict:
    data = {
        "code": unit.code,
        "uid": stable_uid("ou", unit.code),
        "name": unit.name,
        "short_name": unit.short_name,
        "type": str(unit.type),
        "opening_date": unit.opened,
        "closing_date": closed if unit.closes else None,
    }
    # Children in code order, as node_order_by would place them.
    children = sorted(unit.children, key=lambda c: c.code)
    return {"data": data, "children": [_node(c, closed) for c in children]}


def build_groups(units: dict[str, OrgUnit]) -> dict[str, OrgUnitGroup]:
    groups = OrgUnitGroup.objects.bulk_create(
        [
            OrgUnitGroup(code=code, uid=stable_uid("oug", code), name=name)
            for code, name in GROUPS.items()
        ]
    )
    by_code = {g.code: g for g in groups}
    Membership = OrgUnitGroup.members.through
    Membership.objects.bulk_create(
        Membership(orgunitgroup_id=by_code[group].pk, orgunit_id=units[u.code].pk)
        for u in DISTRICT.walk()
        for group in u.groups
    )
    return by_code


def forms_of(unit: Unit) -> list[str]:
    """Codes of the forms the unit reports, through its groups or directly."""
    return [f.code for f in FORMS if set(f.groups) & set(unit.groups) or unit.code in f.units]


def reporting_units() -> list[Unit]:
    """Units that report at least one form, in code order."""
    return sorted((u for u in DISTRICT.walk() if forms_of(u)), key=lambda u: u.code)
