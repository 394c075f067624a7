"""A form's cells are kept between requests only while nothing they come from has changed
(reporting/form_cells_cache.py): every write to the seven tables, however it is made, gives
the database a new stamp and the next request loads the cells again."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from weijian.reporting import form_cells_cache, queries
from weijian.reporting.models import (
    Category,
    CategoryMembership,
    CategoryOption,
    DataElement,
    FormElement,
    FormSection,
)


def labels(form) -> list[str]:
    return [cell.label for cell in queries.form_cells(form)]


def queries_of(function) -> int:
    with CaptureQueriesContext(connection) as ctx:
        function()
    return len(ctx.captured_queries)


def test_unchanged_metadata_costs_one_query(world):
    first = labels(world.form)
    assert queries_of(lambda: labels(world.form)) == 1  # the stamp
    assert labels(world.form) == first
    # world.form: 门急诊人次 split by sex (男, 女), then 出院人次 and 情况说明
    assert first == ["门急诊人次（男）", "门急诊人次（女）", "出院人次", "情况说明"]


def test_a_renamed_element_is_seen_even_through_a_queryset_update(world):
    labels(world.form)
    DataElement.objects.filter(pk=world.discharges.pk).update(name="出院人数")  # no signals
    assert "出院人数" in labels(world.form)


def test_added_and_removed_cells_are_seen(world):
    labels(world.form)
    extra = DataElement.objects.create(code="BEDS", name="实际开放床位")
    section = FormSection.objects.create(form=world.form, name="资源", sort_order=9)
    FormElement.objects.create(form=world.form, element=extra, section=section, sort_order=1)
    assert labels(world.form)[-1] == "实际开放床位"
    FormElement.objects.filter(form=world.form, element=world.discharges).delete()
    assert "出院人次" not in labels(world.form)


def test_options_and_memberships_are_watched(world):
    labels(world.form)
    CategoryOption.objects.filter(pk=world.male.pk).update(name="男性")
    assert labels(world.form)[0] == "门急诊人次（男性）"
    category = Category.objects.get(categorymembership__option=world.male)
    unknown = CategoryOption.objects.create(code="UNK", name="未知")
    CategoryMembership.objects.create(category=category, option=unknown, sort_order=9)
    assert "门急诊人次（未知）" in labels(world.form)


def test_a_rolled_back_change_leaves_the_cells_as_committed(world):
    before = labels(world.form)
    with pytest.raises(RuntimeError), transaction.atomic():
        DataElement.objects.filter(pk=world.discharges.pk).update(name="临时名称")
        assert "临时名称" in labels(world.form)  # seen inside the transaction
        raise RuntimeError
    assert labels(world.form) == before


def test_the_stamp_triggers_come_back_after_a_migrate_rebuilt_a_table(world):
    # A table rebuilt by a migration on SQLite loses its triggers; post_migrate reinstalls
    # them (the same statements, idempotent).
    with connection.cursor() as cursor:
        for statement in form_cells_cache.drop_statements():
            cursor.execute(statement)
    form_cells_cache.install()
    labels(world.form)
    DataElement.objects.filter(pk=world.discharges.pk).update(name="出院人数")
    assert "出院人数" in labels(world.form)
