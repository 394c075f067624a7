"""Report pages cost a fixed number of queries, however many units and periods they cover."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.world import PASSWORD
from weijian.orgs.models import OrgUnit, Role, RoleAssignment
from weijian.reporting import actions

FULL = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "3"}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_departments(world, how_many):
    for i in range(how_many):
        unit = OrgUnit.objects.add_child(
            world.hospital, dict(code=f"X{i:02d}", name=f"科室{i}", type="DEPARTMENT")
        )
        world.form.org_units.add(unit)
        RoleAssignment.objects.create(user=world.alice, org_unit=unit, role=Role.CLERK)
        if i % 2:
            actions.save_values(world.admin, world.form, unit, "202601", FULL)
            actions.submit(world.admin, world.form, unit, "202601")


def test_the_task_board_and_completeness_do_not_grow_with_units(client, world):
    actions.save_values(world.alice, world.form, world.medicine, "202601", FULL)
    actions.submit(world.alice, world.form, world.medicine, "202601")
    client.login(username="admin", password=PASSWORD)
    pages = [
        "/",
        "/completeness/?type=MONTHLY&period=202601",
        "/completeness/WORK/202601/",
        "/review/",
    ]
    before = [count_queries(client, url) for url in pages]
    add_departments(world, 15)
    after = [count_queries(client, url) for url in pages]
    assert before == after
    # 18: the board also asks whether any ledger campaign or duty applies (one query), whether
    # any assessment run is under way (one query) and whether the user has closed the
    # first-use hints (one query).
    assert max(after) <= 18


def test_the_entry_page_costs_the_same_for_a_full_form(client, world):
    client.login(username="alice", password=PASSWORD)
    url = "/forms/WORK/MED/202601/"
    empty = count_queries(client, url)
    actions.save_values(world.alice, world.form, world.medicine, "202601", FULL)
    actions.submit(world.alice, world.form, world.medicine, "202601")
    # + the workflow events of the submission, + the look for its latest 退回 (changes since)
    assert count_queries(client, url) <= empty + 3


def test_the_completeness_overview_does_not_grow_with_forms(client, world):
    from weijian.reporting.models import Form

    client.login(username="admin", password=PASSWORD)
    url = "/completeness/?type=MONTHLY&period=202601"
    before = count_queries(client, url)
    for i in range(5):
        extra = Form.objects.create(code=f"EXTRA{i}", name=f"附加报表{i}")
        extra.org_units.set([world.medicine, world.township])
    assert count_queries(client, url) == before
