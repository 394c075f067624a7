"""A save and the entry page cost a fixed number of queries however many cells the form has
(issue 13: the month-end rush pays for every query of every save), and the plain-SQL writes
behind them store exactly what the ORM stored."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.world import PASSWORD
from weijian import periods
from weijian.reporting import actions
from weijian.reporting.models import (
    DataElement,
    DataValue,
    DataValueAudit,
    Form,
    FormElement,
    FormSection,
    Period,
)
from weijian.reporting.rollups import verify

# Queries of one save_values call creating every value of a report nobody started, for a
# month without its period row yet, inside the test's transaction (so every atomic block is a
# SAVEPOINT … RELEASE pair): the user's scope (1), the assignment (1), the form's cells (3,
# their first use in the process: the form stamp, form elements, the default option), whether the report exists (1), the stored values (1),
# the period row (SELECT, then SAVEPOINT, INSERT, RELEASE: 4), the save's SAVEPOINT (1), the
# submission: its lock finding nothing, INSERT … ON CONFLICT DO NOTHING, the lock again (3;
# get_or_create and a lock were 5), the stored values under the lock (1), the values' INSERT
# (1), the audit rows' INSERT (1), the RELEASE (1): 1+1+3+1+1+4+1+3+1+1+1+1 = 19. Any
# per-cell query would add 27 at 30 cells.
CREATE_QUERIES = 19
# Changing every value of the same report: the scope is cached on the user, the period row
# and the submission exist, the cells are cached (form_cells_cache.py): assignment 1, the form
# stamp 1, exists 1, period 1, SAVEPOINT 1, the submission's lock 1 (it exists: one query, was
# a get and a lock), stored values 1, the UPDATE run per row (executemany: one) 1, the audit
# INSERT 1, RELEASE 1 = 10.
UPDATE_QUERIES = 10
# The entry POST of a new month (the period row exists, as at month end; a new report):
# session 1, user 1, the unit 1, the scope's roles 1, the form 1, then save_values: the
# assignment 1, the form stamp 1 and the cells of this new form 2 (form elements, the default
# option; a form seen before: none), whether the report exists 1, the stored values 1, the
# period row 1, SAVEPOINT 1, the submission 3 (see CREATE_QUERIES), stored values under the
# lock 1, the two INSERTs 2, RELEASE 1 = 5 + 15 = 20 (it was 22: get_or_create's
# SAVEPOINT and RELEASE; the rush's saves, of a form seen before, make 18).
POST_QUERIES = 20
# The page it redirects to: session 1, user 1, unit 1, roles 1, form 1, the submission 1, the
# form stamp 1, the stored values of this month, last month and last year in one query 1 (they
# were three), the submission's events 1, the validation rules about the form's elements 1, the
# assignment 1, the unit's ancestors for its label 1 = 12.
PAGE_QUERIES = 12


def wide_form(world, cells: int) -> Form:
    """A form of `cells` integer elements, assigned to 内科 (alice's department)."""
    form = Form.objects.create(code=f"WIDE{cells}", name=f"{cells}项报表", due_days=5)
    section = FormSection.objects.create(form=form, name="工作量", sort_order=1)
    elements = DataElement.objects.bulk_create(
        DataElement(code=f"W{cells}E{n:03d}", name=f"指标{n}", unit="人次") for n in range(cells)
    )
    FormElement.objects.bulk_create(
        FormElement(form=form, element=e, section=section, sort_order=n)
        for n, e in enumerate(elements)
    )
    form.org_units.add(world.medicine)
    return form


def values_for(form: Form, start: int) -> dict:
    codes = form.form_elements.order_by("sort_order").values_list("element__code", flat=True)
    return {(code, "default"): str(start + n) for n, code in enumerate(codes)}


def queries_of(function) -> int:
    with CaptureQueriesContext(connection) as ctx:
        function()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("cells", [3, 30])
def test_a_save_costs_the_same_queries_for_3_or_30_cells(world, cells):
    form = wide_form(world, cells)

    first, second = values_for(form, 1), values_for(form, 1000)

    def save(values):
        return actions.save_values(world.alice, form, world.medicine, "202601", values)

    assert (queries_of(lambda: save(first)), queries_of(lambda: save(second))) == (
        CREATE_QUERIES,
        UPDATE_QUERIES,
    )
    assert DataValue.objects.filter(element__formelement__form=form).count() == cells
    # one CREATE and one UPDATE audit row per cell
    assert DataValueAudit.objects.filter(element__formelement__form=form).count() == 2 * cells


def test_an_update_stores_the_number_the_user_and_the_time_and_keeps_the_rollups(world):
    form = wide_form(world, 3)
    actions.save_values(world.alice, form, world.medicine, "202601", values_for(form, 40))
    first = {v.element.code: v.updated_at for v in DataValue.objects.select_related("element")}
    result = actions.save_values(
        world.admin, form, world.medicine, "202601", values_for(form, 7), reason="核对"
    )
    assert (result.created, result.updated) == (0, 3)
    stored = DataValue.objects.filter(element__formelement__form=form).order_by("element__code")
    # values_for(form, 7): 7, 8, 9 in sort order, which is code order here
    assert [(v.value, v.number) for v in stored] == [
        ("7", Decimal("7")),
        ("8", Decimal("8")),
        ("9", Decimal("9")),
    ]
    assert {v.stored_by for v in stored} == {world.admin}
    assert all(v.updated_at > first[v.element.code] for v in stored)
    audits = DataValueAudit.objects.filter(action="UPDATE").order_by("element__code")
    assert [(a.old_value, a.new_value, a.reason) for a in audits] == [
        ("40", "7", "核对"),
        ("41", "8", "核对"),
        ("42", "9", "核对"),
    ]
    # the hospital's and the bureau's Σ follow: verify recomputes them from the values
    assert verify()[0] == 0


def test_the_entry_post_and_its_page_cost_the_same_for_3_or_30_cells(client, world):
    client.login(username="alice", password=PASSWORD)
    Period.for_period(periods.parse("202601"))  # the month's row exists, as at month end
    counts = []
    for cells in (3, 30):
        form = wide_form(world, cells)
        url = f"/forms/{form.code}/MED/202601/"
        fields = {f"v:{e}:{o}": v for (e, o), v in values_for(form, 1).items()} | {"action": "save"}
        with CaptureQueriesContext(connection) as post:
            response = client.post(url, fields)
        assert response.status_code == 302
        with CaptureQueriesContext(connection) as page:
            response = client.get(response["Location"])
        assert f"已保存：新增 {cells} 项" in response.content.decode()
        counts.append((len(post.captured_queries), len(page.captured_queries)))
    assert counts == [(POST_QUERIES, PAGE_QUERIES)] * 2


def test_the_entry_rows_keep_their_labels_inputs_and_history_links(client, world):
    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "4"}
    )
    client.login(username="alice", password=PASSWORD)
    page = client.get("/forms/WORK/MED/202601/").content.decode()
    # OPD splits by sex (two rows), then DIS, then NOTE: rows 1–4 of section 1
    assert '<label for="f-1-3">出院人次</label>' in page
    assert 'id="f-1-3" name="v:DIS:default" value="4"' in page
    assert 'class="value text" type="text" id="f-1-4" name="v:NOTE:default" value="" ' in page
    assert 'name="v:NOTE:default" value="" inputmode="text">' in page
    assert 'name="v:DIS:default" value="4" inputmode="numeric">' in page
    assert 'href="/forms/WORK/MED/202601/history/?element=DIS&amp;option=default"' in page


def test_the_outsider_cannot_save_into_a_wide_form(client, world):
    form = wide_form(world, 30)
    client.login(username="olivia", password=PASSWORD)
    fields = {f"v:{e}:{o}": v for (e, o), v in values_for(form, 1).items()} | {"action": "save"}
    response = client.post(f"/forms/{form.code}/MED/202601/", fields)
    assert response.status_code in (403, 404)
    assert not DataValue.objects.filter(element__formelement__form=form).exists()


def test_user_text_in_the_rows_stays_text(client, world):
    world.discharges.name, world.discharges.unit = "出院<b>人次</b>", '人"次'
    world.discharges.save()
    client.login(username="alice", password=PASSWORD)
    fields = {"v:DIS:default": '"><script>alert(1)</script>', "action": "save"}
    response = client.post("/forms/WORK/MED/202601/", fields)
    page = response.content.decode()
    assert response.status_code == 400  # refused: not a number, kept on the page
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    assert "<script>alert(1)" not in page
    assert ">出院&lt;b&gt;人次&lt;/b&gt;</label>" in page
    assert '<td class="unitcol">人&quot;次</td>' in page
