"""Findings of the security review: garbage in URLs and POST bodies, absurd numbers and
over-long text are refused with a Chinese message and change nothing (no 500, on SQLite and
PostgreSQL alike)."""

import datetime as dt

from tests.world import PASSWORD
from weijian.inspections import actions
from weijian.inspections.models import Inspection, Photo


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
