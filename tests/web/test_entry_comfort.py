"""The entry page's comfort: last period's and last year's values beside each cell, the
changes since a return marked for the reviewer, a confirmation before 保存并上报, no link into
a period not yet begun, empty required cells marked."""

import datetime as dt

import pytest
import time_machine

from tests.world import PASSWORD
from weijian.reporting import actions

pytestmark = pytest.mark.django_db

FULL = {("OPD", "MALE"): "120", ("OPD", "FEMALE"): "130", ("DIS", "default"): "40"}


def rows(response):
    return {
        row["cell"].key: row for section in response.context["sections"] for row in section["rows"]
    }


def test_last_month_and_last_year_stand_beside_each_cell(client, world):
    actions.save_values(
        world.alice, world.form, world.medicine, "202512", {("DIS", "default"): "38"}
    )
    actions.save_values(
        world.alice, world.form, world.medicine, "202501", {("DIS", "default"): "31"}
    )
    client.login(username="alice", password=PASSWORD)
    response = client.get("/forms/WORK/MED/202601/")
    assert rows(response)[("DIS", "default")]["earlier"] == ("38", "31")
    assert "上期 38 · 去年同期 31" in response.content.decode()
    assert rows(response)[("OPD", "MALE")]["earlier"] == ("", "")


def test_changes_since_a_return_are_marked_for_the_reviewer(client, world):
    actions.save_values(world.alice, world.form, world.medicine, "202601", FULL)
    submission = actions.submit(world.alice, world.form, world.medicine, "202601")
    actions.return_for_correction(world.rita, submission, "出院人次偏低")
    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "44"}, reason="补录"
    )
    actions.submit(world.alice, world.form, world.medicine, "202601")
    client.login(username="rita", password=PASSWORD)
    response = client.get("/forms/WORK/MED/202601/")
    assert rows(response)[("DIS", "default")]["changed"] == ("40", "44")
    assert rows(response)[("OPD", "MALE")]["changed"] is None
    page = response.content.decode()
    assert "退回后修改了 1 项" in page and "退回后修改：40 → 44" in page


def test_submitting_asks_first_and_empty_required_cells_are_marked(client, world):
    client.login(username="alice", password=PASSWORD)
    response = client.get("/forms/WORK/MED/202601/")
    page = response.content.decode()
    assert 'value="submit" class="primary" data-confirm="确认保存并上报2026年1月' in page
    marked = {key for key, row in rows(response).items() if row["empty_required"]}
    # OPD (male, female) and DIS are required; NOTE is not
    assert marked == {("OPD", "MALE"), ("OPD", "FEMALE"), ("DIS", "default")}


def test_no_link_leads_into_a_period_not_yet_begun(client, world):
    with time_machine.travel(dt.datetime(2026, 2, 10, 9), tick=False):
        client.login(username="alice", password=PASSWORD)
        january = client.get("/forms/WORK/MED/202601/")
        assert january.context["next"].id == "202602"  # February has begun
        february = client.get("/forms/WORK/MED/202602/")
        assert february.context["next"] is None  # March has not
        assert "/forms/WORK/MED/202603/" not in february.content.decode()
