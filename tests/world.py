"""A small hand-made district for tests, with named people (the Healthchecks way).

    示范局 BUR (bureau)
    ├── 人民医院 HOS (hospital)
    │   ├── 内科 MED      clerk Alice enters here
    │   └── 外科 SUR      clerk Bob enters here
    └── 城关卫生院 TWN (township)   clerk Olivia enters here: the outsider to the hospital

    Rita   审核员 at HOS: reviews MED and SUR, not HOS itself
    Victor 只读 at HOS
    Admin  局管理员 at BUR

Form WORK (月报, due 5 days after month end) with three elements, assigned to MED, SUR, TWN.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from weijian.orgs.models import OrgUnit, OrgUnitType, Role, RoleAssignment
from weijian.reporting.models import (
    Category,
    CategoryMembership,
    CategoryOption,
    DataElement,
    Form,
    FormElement,
    FormSection,
    ValueType,
)

PASSWORD = "test-pass-123"


@dataclass
class World:
    bureau: OrgUnit
    hospital: OrgUnit
    medicine: OrgUnit
    surgery: OrgUnit
    township: OrgUnit
    alice: User
    bob: User
    olivia: User
    rita: User
    victor: User
    admin: User
    form: Form
    visits: DataElement
    discharges: DataElement
    note: DataElement
    male: CategoryOption
    female: CategoryOption


def make_user(username: str, role: str | None = None, unit: OrgUnit | None = None) -> User:
    user = User.objects.create_user(username, password=PASSWORD, first_name=username.title())
    if role:
        RoleAssignment.objects.create(user=user, org_unit=unit, role=role)
    return user


def make_world() -> World:
    bureau = OrgUnit.objects.add_root(dict(code="BUR", name="示范局", type=OrgUnitType.BUREAU))
    hospital = OrgUnit.objects.add_child(
        bureau, dict(code="HOS", name="人民医院", type=OrgUnitType.HOSPITAL)
    )
    medicine = OrgUnit.objects.add_child(
        hospital, dict(code="MED", name="内科", type=OrgUnitType.DEPARTMENT)
    )
    surgery = OrgUnit.objects.add_child(
        hospital, dict(code="SUR", name="外科", type=OrgUnitType.DEPARTMENT)
    )
    township = OrgUnit.objects.add_child(
        bureau, dict(code="TWN", name="城关卫生院", type=OrgUnitType.TOWNSHIP)
    )
    for unit in (bureau, hospital, medicine, surgery, township):
        unit.refresh_from_db()

    male = CategoryOption.objects.create(code="MALE", name="男")
    female = CategoryOption.objects.create(code="FEMALE", name="女")
    sex = Category.objects.create(code="SEX", name="性别")
    CategoryMembership.objects.create(category=sex, option=male, sort_order=1)
    CategoryMembership.objects.create(category=sex, option=female, sort_order=2)

    visits = DataElement.objects.create(
        code="OPD", name="门急诊人次", unit="人次", category=sex, max_value=100000
    )
    discharges = DataElement.objects.create(code="DIS", name="出院人次", unit="人次")
    note = DataElement.objects.create(code="NOTE", name="情况说明", value_type=ValueType.TEXT)
    form = Form.objects.create(code="WORK", name="门急诊与住院工作量月报", due_days=5)
    section = FormSection.objects.create(form=form, name="工作量", sort_order=1)
    FormElement.objects.create(form=form, element=visits, section=section, sort_order=1)
    FormElement.objects.create(form=form, element=discharges, section=section, sort_order=2)
    FormElement.objects.create(
        form=form, element=note, section=section, sort_order=3, required=False
    )
    form.org_units.set([medicine, surgery, township])

    return World(
        bureau=bureau,
        hospital=hospital,
        medicine=medicine,
        surgery=surgery,
        township=township,
        alice=make_user("alice", Role.CLERK, medicine),
        bob=make_user("bob", Role.CLERK, surgery),
        olivia=make_user("olivia", Role.CLERK, township),
        rita=make_user("rita", Role.REVIEWER, hospital),
        victor=make_user("victor", Role.VIEWER, hospital),
        admin=make_user("admin", Role.BUREAU_ADMIN, bureau),
        form=form,
        visits=visits,
        discharges=discharges,
        note=note,
        male=male,
        female=female,
    )


def fresh(user: User) -> User:
    """The same user without the scope cached on the object (after role changes)."""
    return User.objects.get(pk=user.pk)
