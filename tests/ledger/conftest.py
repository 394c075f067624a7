import datetime as dt

import pytest

from weijian.ledger.actions import RecordInput, create_activity
from weijian.ledger.builtin import load_builtin
from weijian.ledger.models import ActivityType

TODAY = dt.date(2026, 6, 20)


@pytest.fixture
def ledger(world):
    """The test world with the built-in ledger types, figures, indicators and health days."""
    load_builtin()
    world.types = {t.code: t for t in ActivityType.objects.all()}
    return world


def record(user, type_, unit, start, title="活动", end=None, **values):
    return create_activity(user, type_, unit, RecordInput(title, start, end, values), today=TODAY)
