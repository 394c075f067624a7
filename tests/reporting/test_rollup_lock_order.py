"""Saves that share ancestors share rollup cells (every clerk of a hospital adds to the
hospital's and the district's cells of the same elements and month). On PostgreSQL each
writes its own slot's rows of those cells (reporting.models.ValueRollup), so two saves
writing in opposite orders neither wait for each other nor deadlock, and the sums stay
exact."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from weijian.orgs.models import OrgUnit, OrgUnitType, Role, RoleAssignment
from weijian.reporting import actions, rollups
from weijian.reporting.models import DataElement, DataValue, Form, FormElement, ValueType

ELEMENTS = 150
MONTHS = ["202601", "202602", "202603", "202604", "202605", "202606"]


def build(make_user):
    bureau = OrgUnit.objects.add_root(dict(code="BUR", name="示范局", type=OrgUnitType.BUREAU))
    hospital = OrgUnit.objects.add_child(
        bureau, dict(code="HOS", name="人民医院", type=OrgUnitType.HOSPITAL)
    )
    form = Form.objects.create(
        code="LOCKS", name="月报", due_days=5
    )  # 150 elements, as the form
    elements = DataElement.objects.bulk_create(
        DataElement(code=f"E{n:02d}", name=f"指标{n:02d}", value_type=ValueType.INTEGER)
        for n in range(ELEMENTS)
    )
    FormElement.objects.bulk_create(
        FormElement(form=form, element=e, sort_order=n) for n, e in enumerate(elements)
    )
    clerks = []
    for n in range(2):
        unit = OrgUnit.objects.add_child(
            hospital, dict(code=f"D{n}", name=f"科室{n}", type=OrgUnitType.DEPARTMENT)
        )
        user = make_user(f"clerk{n}")
        RoleAssignment.objects.create(user=user, org_unit=unit, role=Role.CLERK)
        form.org_units.add(unit)
        clerks.append((user, OrgUnit.objects.get(pk=unit.pk)))
    return form, clerks


def cells_in_order(reverse: bool) -> dict[tuple[str, str], str]:
    codes = [f"E{n:02d}" for n in range(ELEMENTS)]
    return {(code, "default"): "7" for code in (reversed(codes) if reverse else codes)}


@pytest.mark.django_db
def test_new_values_are_written_element_by_element(world):
    # Cells given last element first are still created in element order (ids ascending).
    cells = {("DIS", "default"): "3", ("OPD", "FEMALE"): "2", ("OPD", "MALE"): "1"}
    actions.save_values(world.alice, world.form, world.medicine, "202601", cells)
    written = list(DataValue.objects.order_by("pk").values_list("element_id", "option_id"))
    assert written == sorted(written)
    assert len(written) == 3


@pytest.mark.django_db(transaction=True)
def test_two_saves_sharing_ancestors_queue_instead_of_deadlocking():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: no row locks to order")
    from tests.world import make_user

    form, clerks = build(make_user)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def clerk(user, unit, reverse):
        try:
            for month in MONTHS:
                start.wait(timeout=30)  # both saves of a month begin together
                # Opposite orders: without the lock order, each creates the hospital's and
                # the district's new rows in the other's reverse order.
                actions.save_values(user, form, unit, month, cells_in_order(reverse))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
            start.abort()
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=clerk, args=(user, unit, n == 1))
        for n, (user, unit) in enumerate(clerks)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    # 2 clerks × 6 months × 150 values, all stored, and the rollups exact.
    assert DataValue.objects.count() == 2 * len(MONTHS) * ELEMENTS
    assert rollups.verify() == (0, [])
