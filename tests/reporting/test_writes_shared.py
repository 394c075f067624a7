"""writes.insert_rows sends a column shared by every row once per statement, and stores exactly
what one row per VALUES tuple stored (both databases: run on PostgreSQL too)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from weijian import periods
from weijian.reporting import writes
from weijian.reporting.models import (
    CategoryOption,
    DataElement,
    DataValue,
    DataValueAudit,
    Period,
)
from weijian.reporting.rollups import verify

NOW = dt.datetime(2026, 1, 31, 8, 30, tzinfo=dt.UTC)


@pytest.fixture
def cells(world):
    period = Period.for_period(periods.parse("202601"))
    default = CategoryOption.objects.get(code="default")
    male, female = (CategoryOption.objects.get(code=c) for c in ("MALE", "FEMALE"))
    opd, dis = DataElement.objects.get(code="OPD"), DataElement.objects.get(code="DIS")
    return world, period, [(opd.pk, male.pk), (opd.pk, female.pk), (dis.pk, default.pk)]


def stored(unit):
    return sorted(
        DataValue.objects.filter(org_unit=unit).values_list(
            "element_id", "option_id", "period_id", "value", "number", "comment",
            "stored_by_id", "updated_at",
        )
    )  # fmt: skip


def test_shared_columns_go_once_and_every_row_is_stored_as_given(cells):
    world, period, keys = cells
    unit, user = world.medicine.pk, world.alice.pk
    numbers = [Decimal("1.5"), None, Decimal("40")]
    rows = [
        (e, o, unit, period.pk, str(n or ""), n, "", user, NOW)
        for (e, o), n in zip(keys, numbers, strict=True)
    ]
    with CaptureQueriesContext(connection) as captured:
        writes.insert_rows(DataValue, writes.VALUE_COLUMNS, rows)
    (sql,) = [q["sql"] for q in captured.captured_queries if "INSERT" in q["sql"]]
    # unit, period, comment (""), user and NOW are the same objects in all 3 rows: sent once
    assert "SELECT column1, column2, column3, column4" in sql
    assert "column5" not in sql
    assert stored(world.medicine) == sorted(
        (e, o, "202601", str(n or ""), n, "", user, NOW)
        for (e, o), n in zip(keys, numbers, strict=True)
    )
    # the rollup triggers saw every row: Σ at the unit and its ancestors as the values say
    assert verify()[0] == 0


def test_a_column_of_only_nulls_still_lands_in_its_numeric_column(cells):
    # PostgreSQL types a VALUES column of NULLs and strings as text unless a cell is cast
    world, period, keys = cells
    unit = world.medicine.pk
    rows = [
        (e, o, unit, period.pk, f"备注{n}", None, "", None, NOW) for n, (e, o) in enumerate(keys)
    ]
    writes.insert_rows(DataValue, writes.VALUE_COLUMNS, rows)
    assert list(
        DataValue.objects.filter(org_unit=world.medicine).values_list("number", flat=True)
    ) == [None, None, None]


def test_equal_but_distinct_values_are_not_taken_for_one_another(cells):
    # Decimal("40.0") == Decimal("40") but prints differently: identity decides, so each row
    # keeps its own (the text column shows what was sent)
    world, period, keys = cells
    unit = world.medicine.pk
    texts = [Decimal("40"), Decimal("40.0"), Decimal("40.00")]
    rows = [
        (e, o, unit, period.pk, str(t), t, "", None, NOW)
        for (e, o), t in zip(keys, texts, strict=True)
    ]
    assert writes._shared_columns(rows) == [2, 3, 6, 7, 8]  # unit, period, "", None, NOW
    writes.insert_rows(DataValue, writes.VALUE_COLUMNS, rows)
    assert sorted(
        DataValue.objects.filter(org_unit=world.medicine).values_list("value", flat=True)
    ) == ["40", "40.0", "40.00"]


def test_a_text_too_long_is_refused_not_cut(cells):
    # the cast in the first row is to text, not varchar(1000): the column still refuses 1001
    # characters (SQLite keeps them: it has no length limit, as with the ORM)
    world, period, keys = cells
    unit = world.medicine.pk
    rows = [(e, o, unit, period.pk, "9" * 1001, None, "", None, NOW) for e, o in keys]
    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not enforce a varchar's length")
    with pytest.raises(DataError), transaction.atomic():
        writes.insert_rows(DataValue, writes.VALUE_COLUMNS, rows)
    assert not DataValue.objects.filter(org_unit=world.medicine).exists()


def test_one_row_and_duplicate_rows_take_the_plain_statement(cells):
    world, period, keys = cells
    unit, (e, o) = world.medicine.pk, keys[0]
    row = (e, o, unit, period.pk, "CREATE", "", "7", None, NOW, "", "entry")
    with CaptureQueriesContext(connection) as captured:
        writes.insert_rows(DataValueAudit, writes.AUDIT_COLUMNS, [row])
    assert "SELECT column1" not in captured.captured_queries[-1]["sql"]
    # the same tuple twice: every column shared, nothing left to vary, so plain VALUES
    writes.insert_rows(DataValueAudit, writes.AUDIT_COLUMNS, [row, row])
    assert DataValueAudit.objects.filter(org_unit=world.medicine, new_value="7").count() == 3


def test_batches_stay_under_the_parameter_limit(cells, monkeypatch):
    # 10 shared columns + 1 varying (new_value) and a limit of 13 parameters:
    # (13 - 10) // 1 = 3 rows a statement, so 7 rows take 3 statements (3 + 3 + 1)
    world, period, keys = cells
    unit, (e, o) = world.medicine.pk, keys[0]
    monkeypatch.setattr(connection.features, "max_query_params", 13)
    rows = [
        (e, o, unit, period.pk, "CREATE", "", f"v{n}", None, NOW, "", "entry") for n in range(7)
    ]
    with CaptureQueriesContext(connection) as captured:
        writes.insert_rows(DataValueAudit, writes.AUDIT_COLUMNS, rows)
    inserts = [q["sql"] for q in captured.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == 3
    assert sorted(
        DataValueAudit.objects.filter(org_unit=world.medicine).values_list("new_value", flat=True)
    ) == [f"v{n}" for n in range(7)]
