"""writes.insert_rows skips the field's preparation only where it would change nothing."""

from __future__ import annotations

from django.db import models

from weijian.reporting import writes
from weijian.reporting.models import DataValue, DataValueAudit


def field(model, attname):
    return next(f for f in model._meta.concrete_fields if f.attname == attname)


def test_text_and_integer_columns_pass_their_own_types_through():
    assert writes._unchanged_types(field(DataValue, "value")) == (str, type(None))
    # a key to an integer primary key: ints pass, a str is still converted by the field
    assert writes._unchanged_types(field(DataValue, "element_id")) == (int, type(None))
    prepare = writes._preparer(field(DataValue, "element_id"))
    assert prepare("7") == 7


def test_decimals_dates_and_json_always_go_through_the_field():
    assert writes._unchanged_types(field(DataValue, "number")) == ()
    assert writes._unchanged_types(field(DataValueAudit, "changed_at")) == ()
    assert writes._unchanged_types(models.JSONField(name="data")) == ()
    # a JSONField's str is encoded, not passed as it is
    assert writes._preparer(models.JSONField(name="data"))("x") != "x"


def test_the_period_key_is_text():
    # reporting_period's primary key is the period id ("202601"), so its str passes as it is
    assert writes._unchanged_types(field(DataValue, "period_id")) == (str, type(None))
