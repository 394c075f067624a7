"""Founding, adjusting and issuing from the pages count once, whatever the browser resends;
the database holds one active group of a name per unit even against simultaneous requests."""

import datetime as dt
import importlib
import threading

import pytest
from django.apps import apps
from django.db import connection

from tests.governance.test_groups import MEMBERS
from tests.replay import form_token, submit_twice
from tests.world import PASSWORD
from weijian.governance.actions import GovernanceError, create_group, parse_members
from weijian.governance.models import Contract, GovernanceLog, GroupChange, LeadingGroup

GROUP = {
    "unit": "HOS",
    "name": "医院感染管理委员会",
    "duties": "研究制定院感工作规划",
    "document_number": "人医发〔2026〕8号",
    "founded_on": "2026-02-01",
    "members": "主任，王建国，院长\n委员，赵丽，护理部主任",
}


def logged_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_double_clicked_founding_makes_one_group_and_shows_it(client, world):
    c = logged_in(client, world.admin)
    token = form_token(c.get("/groups/new/").content.decode())
    first, second = submit_twice(c, "/groups/new/", GROUP, token)
    group = LeadingGroup.objects.get()
    assert first.url == f"/groups/{group.pk}/"
    assert second.redirect_chain[-1][0] == f"/groups/{group.pk}/"  # shown the one founded
    assert group.changes.count() == 1


def test_a_resent_adjustment_records_one_change(client, world):
    c = logged_in(client, world.admin)
    group = create_group(
        world.admin, world.hospital, name="创建健康促进医院工作领导小组", duties="d",
        document_number="n", founded_on=dt.date(2026, 1, 5), members=parse_members(MEMBERS),
    )  # fmt: skip
    url = f"/groups/{group.pk}/adjust/"
    token = form_token(c.get(url).content.decode())
    data = {
        "effective_on": "2026-09-01",
        "reason": "人事变动",
        "members": MEMBERS.replace("李红，副院长", "孙伟，副院长"),
    }
    first, second = submit_twice(c, url, data, token)
    assert first.url == f"/groups/{group.pk}/"
    assert "无需调整" not in second.content.decode()  # not a confusing refusal
    assert GroupChange.objects.filter(group=group, kind="ADJUST").count() == 1


def test_resent_contracts_are_issued_once(client, world):
    c = logged_in(client, world.admin)
    year = str(dt.date.today().year)
    token = form_token(c.get("/contracts/new/?issuer=HOS").content.decode())
    data = {"issuer": "HOS", "year": year, "title": "安全生产责任书", "parties": ["MED", "SUR"],
            "duty_1": "每季度消防演练一次"}  # fmt: skip
    first, second = submit_twice(c, "/contracts/new/", data, token)
    assert first.url == f"/contracts/?year={year}"
    assert Contract.objects.count() == 2  # one per party, not four


@pytest.mark.django_db(transaction=True)
def test_simultaneous_foundings_of_one_group_leave_one(world):
    """Without a token (a script, or two tabs): the check-then-insert let both through."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    barrier = threading.Barrier(4)
    refused = []

    def found():
        try:
            barrier.wait()
            create_group(
                world.admin, world.hospital, name="院感管理委员会", duties="d",
                document_number="n", founded_on=dt.date(2026, 1, 5),
                members=parse_members(MEMBERS),
            )  # fmt: skip
        except GovernanceError as exc:
            refused.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=found) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert LeadingGroup.objects.count() == 1
    assert refused == ["“人民医院”已有名为“院感管理委员会”的小组"] * 3


@pytest.mark.django_db(transaction=True)  # SQLite alters schemas outside a transaction only
def test_double_clicked_copies_made_before_the_constraint_are_dissolved_not_lost(world):
    migration = importlib.import_module(
        "weijian.governance.migrations.0002_unique_active_group_name"
    )
    constraint = LeadingGroup._meta.constraints[0]
    with connection.schema_editor() as editor:  # as before the migration: no constraint
        editor.remove_constraint(LeadingGroup, constraint)
    try:
        kept, copy = (
            LeadingGroup.objects.create(
                org_unit=world.hospital,
                name="院感管理委员会",
                duties="d",
                document_number="n",
                founded_on=dt.date(2026, 1, 5),
            )  # fmt: skip
            for _ in range(2)
        )
        migration.dissolve_double_clicked_copies(apps, None)
    finally:
        with connection.schema_editor() as editor:
            editor.add_constraint(LeadingGroup, constraint)
    kept.refresh_from_db()
    copy.refresh_from_db()
    assert (kept.dissolved_on, copy.dissolved_on) == (None, dt.date(2026, 1, 5))
    assert GovernanceLog.objects.get(object_id=copy.pk).detail.startswith("重复成立的同名小组")
