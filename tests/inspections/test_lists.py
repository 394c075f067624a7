"""The notice list and the inspection records filter by unit (picker), period and text, page,
and stay inside the user's scope."""

import datetime as dt

import pytest

from tests.inspections.test_lifecycle import done, issue  # noqa: F401  (fixture)
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


def test_notices_filter_by_unit_deadline_and_text(client, done):  # noqa: F811
    issue(done)  # 内科, deadline 31 March 2026
    client.login(username="ivan", password=PASSWORD)

    def count(query):
        return client.get(f"/inspections/notices/?{query}").context["page"].paginator.count

    assert count("") == 1
    assert count("ou=MED") == 1 and count("ou=SUR") == 0
    assert count("pe=202603") == 1 and count("pe=202604") == 0
    assert count("q=张主任") == 1 and count("q=外科") == 0
    assert client.get("/inspections/notices/?ou=TWN").status_code == 404  # outside ivan's scope
    assert client.get("/inspections/notices/?pe=2026Q9").status_code == 404


def test_the_outsider_lists_no_notices_of_the_hospital(client, done):  # noqa: F811
    issue(done)
    client.login(username="olivia", password=PASSWORD)
    assert client.get("/inspections/notices/").context["page"].paginator.count == 0
    assert client.get("/inspections/notices/?ou=MED").status_code == 404


def test_inspection_records_filter_by_unit_and_month(client, done):  # noqa: F811
    client.login(username="ivan", password=PASSWORD)
    assert [i.org_unit.code for i in client.get("/inspections/?ou=MED").context["recent"]] == [
        "MED"
    ]
    assert client.get("/inspections/?ou=SUR").context["recent"] == []
    assert len(client.get("/inspections/?pe=202603").context["recent"]) == 1
    assert client.get(f"/inspections/?pe={dt.date(2026, 4, 1):%Y%m}").context["recent"] == []


def test_inspection_records_filter_by_checklist_and_status(client, done):  # noqa: F811
    from weijian.inspections import actions

    # a second inspection, still being scored: 外科, same checklist
    actions.start_inspection(done.ivan, done.version, done.surgery, dt.date(2026, 3, 12))
    client.login(username="ivan", password=PASSWORD)

    def listed(query):
        return sorted(
            (i.org_unit.code, i.status)
            for i in client.get(f"/inspections/?{query}").context["recent"]
        )

    assert listed("") == [("MED", "SUBMITTED"), ("SUR", "DRAFT")]
    assert listed("status=SUBMITTED") == [("MED", "SUBMITTED")]
    assert listed("status=DRAFT&checklist=TESTYG") == [("SUR", "DRAFT")]
    assert listed("checklist=NOSUCH") == []
    assert listed("status=nonsense") == listed("")  # an unknown status narrows nothing
