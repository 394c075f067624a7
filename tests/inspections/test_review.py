"""Findings of the security review: garbage in URLs and POST bodies, absurd numbers and
over-long text are refused with a Chinese message and change nothing (no 500, on SQLite and
PostgreSQL alike)."""

import datetime as dt

import pytest

from tests.world import PASSWORD
from weijian.inspections import actions
from weijian.inspections.actions import InspectionError, MarkInput
from weijian.inspections.models import Inspection, ItemScore, Photo


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_non_numeric_ids_in_post_bodies_give_404_not_a_500(client, insp):
    w = insp
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date.today())
    login(client, w.ivan)
    for item in ("abc", "1 OR 1=1", "²"):
        response = client.post(f"/inspections/{inspection.pk}/photo/", {"item": item})
        assert response.status_code == 404, item
        response = client.post("/inspections/start/", {"unit": "MED", "plan": item})
        assert response.status_code == 404, item
    assert Inspection.objects.count() == 1
    assert not Photo.objects.exists()


def test_an_absurd_number_of_occurrences_is_refused_and_nothing_saved(client, insp):
    w = insp
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date.today())
    item = w.version.items.get(code="1.1")
    for occurrences in ("99999999999999999999", "3000000000"):  # > 2^63, > 2^31 (PostgreSQL int)
        with pytest.raises(InspectionError, match="问题处数"):
            actions.record_item(w.ivan, inspection, item, MarkInput(occurrences=occurrences))
    login(client, w.ivan)
    response = client.post(
        f"/inspections/{inspection.pk}/items/{item.pk}/", {"occurrences": "9" * 30}, follow=True
    )
    assert response.status_code == 200
    assert "问题处数" in response.content.decode()
    assert not ItemScore.objects.exists()
