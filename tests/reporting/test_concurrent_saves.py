"""Month-end rush: clerks saving at the same moment against a real `weijian serve` never lose a
save ("database is locked" was a 500 for about half of them on SQLite), pages keep reading while
another writer holds SQLite's write lock, and a save that waits too long is refused in Chinese
with what the clerk typed still on the page."""

from __future__ import annotations

import re
import secrets
import sqlite3
import subprocess
import threading
import time
from contextlib import closing

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client

from tests.served import WEIJIAN, Browser, serving
from weijian.orgs.models import OrgUnit, OrgUnitType, Role, RoleAssignment
from weijian.reporting import actions, rollups
from weijian.reporting.actions import BUSY_MESSAGE
from weijian.reporting.models import (
    DataElement,
    DataValue,
    DataValueAudit,
    Form,
    FormElement,
    Submission,
    ValueType,
)

pytestmark = pytest.mark.django_db(transaction=True)

CLERKS = 20
CELLS = 100
PERIOD = "202601"


@pytest.fixture
def rush(settings):
    """A hospital with 20 departments, a clerk each, and a 100-element form for all of them.

    Returns (browser session key, unit code) per clerk, logged in in-process."""
    # The server signs nothing with this key the test did not sign first (sessions).
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    hospital = OrgUnit.objects.add_root(
        dict(code="HOS", name="人民医院", type=OrgUnitType.HOSPITAL)
    )
    form = Form.objects.create(code="RUSH", name="月末报表", due_days=5)
    elements = DataElement.objects.bulk_create(
        DataElement(
            code=f"E{n:03d}", name=f"指标{n:03d}", value_type=ValueType.INTEGER_ZERO_OR_POSITIVE
        )
        for n in range(CELLS)
    )
    FormElement.objects.bulk_create(
        FormElement(form=form, element=e, sort_order=n) for n, e in enumerate(elements)
    )
    clerks = []
    for n in range(CLERKS):
        unit = OrgUnit.objects.add_child(
            hospital, dict(code=f"D{n:02d}", name=f"科室{n:02d}", type=OrgUnitType.DEPARTMENT)
        )
        user = User.objects.create_user(f"clerk{n:02d}")
        RoleAssignment.objects.create(user=user, org_unit=unit, role=Role.CLERK)
        form.org_units.add(unit)
        client = Client()
        client.force_login(user)
        clerks.append((client.cookies[settings.SESSION_COOKIE_NAME].value, unit.code))
    return clerks


def entry_path(unit_code: str) -> str:
    return f"/forms/RUSH/{unit_code}/{PERIOD}/"


def cell_names(page: str) -> list[str]:
    return re.findall(r'name="(v:[^"]+)"', page)


def test_twenty_clerks_saving_100_values_at_once_all_succeed(rush, tmp_path):
    sent: dict[str, dict[str, str]] = {}
    answers: dict[str, list[int]] = {}
    everyone_ready = threading.Barrier(CLERKS)

    def clerk(session_key: str, unit: str, n: int) -> None:
        browser = Browser(server.port, session_key)
        page = browser.get(entry_path(unit))
        values = {name: str(n * 1000 + i) for i, name in enumerate(cell_names(page.text))}
        sent[unit] = values
        everyone_ready.wait()  # then all twenty press 保存 together
        saved = browser.post(entry_path(unit), {**values, "action": "save"})
        after = browser.get(saved.location) if saved.status == 302 else saved
        answers[unit] = [saved.status, after.status, f"已保存：新增 {CELLS} 项" in after.text]

    with serving(tmp_path) as server:
        threads = [
            threading.Thread(target=clerk, args=(key, unit, n))
            for n, (key, unit) in enumerate(rush)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    # Every POST redirected to the page that says all 100 values were created.
    assert answers == {unit: [302, 200, True] for _, unit in rush}
    # Each of the 20 × 100 = 2 000 values sent is in the database exactly as sent …
    assert all(len(values) == CELLS for values in sent.values())
    stored = {
        (unit, f"v:{code}:default"): value
        for unit, code, value in DataValue.objects.values_list(
            "org_unit__code", "element__code", "value"
        )
    }
    assert stored == {
        (unit, name): value for unit, values in sent.items() for name, value in values.items()
    }
    # … with one audit row each: 2 000.
    assert DataValueAudit.objects.count() == CLERKS * CELLS


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's single write lock; PostgreSQL locks rows"
)
def test_pages_read_while_another_writer_holds_the_lock_and_a_save_that_waits_too_long_is_refused_in_chinese(
    rush, tmp_path
):
    session_key, unit = rush[0]
    with serving(tmp_path, WEIJIAN_SQLITE_TIMEOUT="1") as server:
        browser = Browser(server.port, session_key)
        typed = dict.fromkeys(cell_names(browser.get(entry_path(unit)).text), "77")
        with closing(sqlite3.connect(server.database, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")  # a long import holds the write lock
            # Reading needs no write lock: every page a clerk opens answers.
            for path in [
                "/",
                "/forms/",
                entry_path(unit),
                entry_path(unit) + "history/",
                entry_path(unit) + "xlsx/",
                "/indicators/",
                f"/dashboard/?ou={unit}",
                f"/pivot/?dx=E000&pe={PERIOD}&ou={unit}",
                f"/validation/?ou={unit}&pe={PERIOD}",
                "/api/me",
                f"/api/dataValueSets?dataSet=RUSH&period={PERIOD}&orgUnit={unit}",
            ]:
                assert browser.get(path).status == 200, path
            refused = browser.post(entry_path(unit), {**typed, "action": "save"})
            other.execute("ROLLBACK")
        assert refused.status == 400
        assert BUSY_MESSAGE in refused.text
        first = cell_names(refused.text)[0]
        assert f'name="{first}" value="77"' in refused.text  # what the clerk typed is kept
        # The lock gone, the same save goes through.
        saved = browser.post(entry_path(unit), {**typed, "action": "save"})
        assert saved.status == 302
    assert DataValue.objects.filter(org_unit__code=unit, value="77").count() == CELLS
    # Refused and then saved: 100 audit rows, from the one save that went through.
    assert DataValueAudit.objects.count() == CELLS


SHOW_SQLITE = (
    "from django.db import connection as c; cur = c.cursor(); "
    "print(c.transaction_mode, *(cur.execute(f'PRAGMA {p}').fetchone()[0] "
    "for p in ('journal_mode', 'synchronous', 'busy_timeout')), c.settings_dict['CONN_MAX_AGE'])"
)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite options")
@pytest.mark.parametrize("configured_by", ["default file", "sqlite URL"])
def test_sqlite_options_apply_however_the_database_is_configured(configured_by, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "WEIJIAN_VAR_DIR": str(tmp_path)}
    if configured_by == "sqlite URL":
        env["WEIJIAN_DATABASE_URL"] = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    shown = subprocess.run(
        [WEIJIAN, "shell", "-v", "0", "-c", SHOW_SQLITE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    # IMMEDIATE transactions, WAL, synchronous NORMAL (= 1), a 45 000 ms busy timeout (below
    # gunicorn's 60 s worker timeout, so a save that waits it out still answers), and the
    # connection kept 60 s between requests (opening one runs the PRAGMAs: issue 13).
    assert shown.stdout.split() == ["IMMEDIATE", "wal", "1", "45000", "60"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite options")
def test_the_test_database_has_the_same_sqlite_options():
    with connection.cursor() as cursor:
        pragmas = [
            cursor.execute(f"PRAGMA {p}").fetchone()[0] for p in ("synchronous", "busy_timeout")
        ]
    assert connection.transaction_mode == "IMMEDIATE"
    assert pragmas == [1, 45000]  # journal_mode is "memory": the test database is in memory


def hold_open(save, started: threading.Event, release: threading.Event) -> threading.Thread:
    """Run `save` in a thread inside a transaction kept open until `release` is set."""

    def run() -> None:
        try:
            with transaction.atomic():
                save()
                started.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def without_waiting(save) -> None:
    """Run `save` here, failing with a lock timeout instead of waiting for another writer."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '5s'")
    try:
        save()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


def save(user, unit, value):
    return lambda: actions.save_values(
        user, world_form(), unit, PERIOD, {("DIS", "default"): value}
    )


def world_form():
    return Form.objects.get(code="WORK")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time by design"
)
def test_a_save_in_progress_does_not_hold_up_another_units_save_of_the_same_month(world):
    """Alice's save of 2026年1月 has not committed yet when Bob saves the same month for his
    own unit. Bob must not wait for her: her save locked the month's shared period row
    FOR UPDATE, which blocks the KEY SHARE lock the foreign-key check of Bob's rows takes."""
    save(world.olivia, world.township, "7")()  # the month's period row exists already
    started, release = threading.Event(), threading.Event()
    alice = hold_open(save(world.alice, world.medicine, "40"), started, release)
    try:
        assert started.wait(30)
        without_waiting(save(world.bob, world.surgery, "60"))
    finally:
        release.set()
        alice.join()
    # 城关 7, 内科 40, 外科 60: all three saved.
    values = sorted(DataValue.objects.values_list("org_unit__code", "value"))
    assert values == [("MED", "40"), ("SUR", "60"), ("TWN", "7")]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time by design"
)
def test_the_first_save_of_a_month_does_not_hold_up_the_others(world):
    """The first save of a month creates the month's period row. Created inside that save's
    transaction, the row made every other save of the month wait until the first committed: at
    month end behind a slow first save, or a long import, for its whole length."""
    locked, release = threading.Event(), threading.Event()

    def edit_alices_account() -> None:  # an administrator's open change to Alice's user row
        try:
            with transaction.atomic():
                User.objects.select_for_update().filter(pk=world.alice.pk).exists()
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    def alice_saves() -> None:  # her commit's foreign-key check waits for that row
        try:
            save(world.alice, world.medicine, "40")()
        finally:
            connection.close()

    admin, alice = (
        threading.Thread(target=edit_alices_account),
        threading.Thread(target=alice_saves),
    )
    admin.start()
    try:
        assert locked.wait(30)
        alice.start()
        wait_until_a_session_waits_for_a_lock()  # Alice's save: inside its transaction, held
        without_waiting(save(world.bob, world.surgery, "60"))
    finally:
        release.set()
        admin.join()
        alice.join()
    # 内科 40 (once the administrator let go), 外科 60.
    values = sorted(DataValue.objects.values_list("org_unit__code", "value"))
    assert values == [("MED", "40"), ("SUR", "60")]


def wait_until_a_session_waits_for_a_lock() -> None:
    with connection.cursor() as cursor:
        for _ in range(3000):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("Alice's save never reached the locked row")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time by design"
)
def test_a_submit_in_progress_does_not_hold_up_another_units_submit_of_the_same_month(world):
    """Both reports count towards 人民医院's and the bureau's completeness cells of 2026年1月
    (reporting.models.ReportRollup): Bob's submit must not wait for Alice's to commit."""
    full = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "3"}
    for user, unit in [(world.alice, world.medicine), (world.bob, world.surgery)]:
        actions.save_values(user, world_form(), unit, PERIOD, full)

    def submit(user, unit):
        return lambda: actions.submit(user, world_form(), unit, PERIOD)

    started, release = threading.Event(), threading.Event()
    alice = hold_open(submit(world.alice, world.medicine), started, release)
    try:
        assert started.wait(30)
        without_waiting(submit(world.bob, world.surgery))
    finally:
        release.set()
        alice.join()
    statuses = sorted(Submission.objects.values_list("org_unit__code", "status"))
    assert statuses == [("MED", "SUBMITTED"), ("SUR", "SUBMITTED")]
    assert rollups.verify() == (0, [])


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time by design"
)
def test_two_first_saves_of_the_same_report_make_one_report_and_both_count(world):
    """Alice's first save of 内科's 2026年1月 has created the report but not committed when the
    administrator saves the same report. The report is created by INSERT … ON CONFLICT DO
    NOTHING (not get_or_create): the administrator's insert waits on the unique key, does
    nothing once Alice commits, and the save goes on under the lock of her row."""
    save(world.olivia, world.township, "7")()  # the month's period row exists already
    started, release = threading.Event(), threading.Event()
    alice = hold_open(save(world.alice, world.medicine, "40"), started, release)
    outcome: list[object] = []

    def admin_saves() -> None:
        try:
            outcome.append(save(world.admin, world.medicine, "41")())
        except Exception as exc:  # noqa: BLE001 - the assertion below shows it
            outcome.append(exc)
        finally:
            connection.close()

    admin = threading.Thread(target=admin_saves)
    try:
        assert started.wait(30)
        admin.start()
        wait_until_a_session_waits_for_a_lock()  # the administrator, on the report's key
        release.set()
        admin.join(30)
    finally:
        release.set()
        alice.join()
    assert [(r.created, r.updated) for r in outcome] == [(0, 1)]  # Alice's 40 became 41
    reports = Submission.objects.filter(org_unit=world.medicine, period_id=PERIOD)
    assert reports.count() == 1
    assert DataValue.objects.get(org_unit=world.medicine).value == "41"
    audits = DataValueAudit.objects.filter(org_unit=world.medicine).order_by("changed_at", "pk")
    assert [(a.action, a.old_value, a.new_value) for a in audits] == [
        ("CREATE", "", "40"),
        ("UPDATE", "40", "41"),
    ]
    assert rollups.verify()[0] == 0
