"""The world of tests/world.py plus Ivan, 检查员 at the hospital (HOS: MED and SUR below him),
and a small 20-point template loaded from small.yaml (items as in test_scoring.py)."""

import datetime as dt
from pathlib import Path

import pytest

from tests.world import make_user
from weijian.inspections import templates_io
from weijian.inspections.models import ChecklistTemplate
from weijian.orgs.models import Role

SMALL = Path(__file__).parent / "small.yaml"
TODAY = dt.date(2026, 3, 20)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def insp(world, media):
    templates_io.load_builtin([SMALL])
    world.ivan = make_user("ivan", Role.INSPECTOR, world.hospital)
    world.template = ChecklistTemplate.objects.get(code="TESTYG")
    # the hospital's own checklist, so its inspector Ivan may edit it (built-in ones he may not)
    world.template.owner = world.hospital
    world.template.save()
    world.version = world.template.current_version()
    return world


def mark_rest_met(user, inspection):
    """Mark 符合 every item nobody has marked yet: a sheet is submitted only when complete."""
    from weijian.inspections import actions
    from weijian.inspections.models import ItemScore

    marked = ItemScore.objects.filter(inspection=inspection).values_list("item_id", flat=True)
    for item in inspection.version.items.exclude(pk__in=list(marked)):
        actions.record_item(user, inspection, item, actions.MarkInput(met=True))


def submit_complete(user, inspection, **kwargs):
    """Submit after marking the remaining items 符合 (as an inspector finishing the sheet)."""
    from weijian.inspections import actions

    mark_rest_met(user, inspection)
    return actions.submit_inspection(user, inspection, **kwargs)
