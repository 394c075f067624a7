"""Month-end rush benchmark (not a test): clerks saving 100-value forms at once against a real
`weijian serve` (gunicorn, its default worker count) on loopback.

    make bench-rush                                                  # SQLite, then PostgreSQL
    env -u WEIJIAN_DATABASE_URL .venv/bin/python bench/rush.py       # SQLite (temporary var/)
    scripts/with-test-postgres .venv/bin/python bench/rush.py        # PostgreSQL

Data: the bench builds its own: a hospital (BENCH) with 20 departments (RUSH01…), one clerk each
(rush01…, role 科室填报员 at that department only), and a monthly form of 100 numeric elements
assigned to every department. So each clerk saves a different report, as at month end.

Each clerk is a thread with its own session and cookies: it logs in through /login/ (CSRF and
all), then per round GETs the entry page of its own unit, form and a new month, fills every
input the page shows with fresh numbers, POSTs 保存 and follows the redirect to the page that
says 已保存. A save counts as failed unless the POST answers 302 and the page after it 200 with
the success message.

Two phases, each started by all clerks at once (a barrier):
1. "during the demo load": the clerks keep saving while `weijian demo --no-serve` loads the
   demo district (36 months, ≈ 72 000 values) in one long transaction in another process; the
   demo load must finish and no save may fail (nobody starves).
2. "rush": `--rounds` rounds per clerk on the database now holding the demo; the figures.

Reported per phase: saves/s, p50/p95 of the POST and of POST + the page it redirects to, CPU
seconds of the server (gunicorn master and workers; with PostgreSQL also the database server's
processes), CPU seconds of this client process, load average. At the end every value sent is
read back from the database and compared (value by value), and the audit trail must hold one
CREATE row per value.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from scale import ensure_postgres_database

HOST = "127.0.0.1"
PASSWORD = "rush-pass-2026"
FORM_CODE = "RUSH100"
WEIJIAN = str(Path(sys.executable).with_name("weijian"))
# Seconds the clerks wait for each other to log in before a phase starts: 20 password hashes
# on 2 workers take a few seconds on an idle machine and minutes at load 13.
START_TIMEOUT = 900


# -- the bench's own district ----------------------------------------------------------------


def build_rush_data(clerks: int, values: int) -> list[tuple[str, str]]:
    """The hospital, departments, clerks and 100-element form; returns (username, unit code)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from weijian.orgs.models import OrgUnit, OrgUnitType, Role, RoleAssignment
    from weijian.reporting.models import (
        DataElement,
        Form,
        FormElement,
        FormSection,
        ValueType,
    )

    # Coded to sort before the demo's root (DEMO): roots are kept in code order, and a root
    # added before ours would move our whole tree (new paths) inside the demo loader's
    # transaction, locking every unit row until it commits: saves waited up to 58 s for that.
    root = OrgUnit.objects.add_root(
        dict(code="BENCH", name="压力测试医院", type=OrgUnitType.HOSPITAL)
    )
    units = [
        OrgUnit.objects.add_child(
            root,
            dict(code=f"RUSH{n:02d}", name=f"压力测试科室{n:02d}", type=OrgUnitType.DEPARTMENT),
        )
        for n in range(1, clerks + 1)
    ]
    form = Form.objects.create(code=FORM_CODE, name=f"月末压力测试报表（{values}项）", due_days=5)
    section = FormSection.objects.create(form=form, name="工作量", sort_order=1)
    elements = DataElement.objects.bulk_create(
        DataElement(
            code=f"RUSHE{n:03d}",
            name=f"压力测试指标{n:03d}",
            unit="人次",
            value_type=ValueType.INTEGER_ZERO_OR_POSITIVE,
        )
        for n in range(1, values + 1)
    )
    FormElement.objects.bulk_create(
        FormElement(form=form, element=e, section=section, sort_order=n)
        for n, e in enumerate(elements)
    )
    form.org_units.set(units)
    # One PBKDF2 hash for all: hashing is slow and the password is the same.
    encoded = make_password(PASSWORD)
    pairs = []
    for n, unit in enumerate(units, start=1):
        user = User.objects.create(username=f"rush{n:02d}", password=encoded)
        RoleAssignment.objects.create(user=user, org_unit=unit, role=Role.CLERK)
        pairs.append((user.username, unit.code))
    return pairs


def months_back(count: int) -> list[str]:
    """The last `count` ended months, newest first (every round saves a month of its own)."""
    from django.utils import timezone

    from weijian.periods import PeriodType, last_ended

    month = last_ended(PeriodType.MONTHLY, timezone.localdate())
    out = []
    for _ in range(count):
        out.append(month.id)
        month = month.previous()
    return out


def store_periods(ids: list[str]) -> None:
    """The months' Period rows, as a live system has them once anyone saved for the month: a
    save then only reads its row. Left to the saves, on PostgreSQL a save creating a month that
    the demo loader's transaction has created too waits for the loader to commit (up to 82 s
    measured: the loader creates 36 months in its one transaction), which would time the
    loader rather than the rush."""
    from weijian.periods import parse
    from weijian.reporting.models import Period

    for period_id in ids:
        Period.for_period(parse(period_id))


# -- a browser-like client -------------------------------------------------------------------


@dataclass
class Response:
    status: int
    location: str
    body: str


class Session:
    """One user's cookies (session, CSRF, messages) across plain HTTP/1.1 requests."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict | None = None) -> Response:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=600)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body, headers)
            answer = conn.getresponse()
            text = answer.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value
        return Response(answer.status, answer.headers.get("Location", ""), text)

    def post(self, path: str, fields: dict) -> Response:
        return self.request("POST", path, {**fields, "csrfmiddlewaretoken": self.csrf})

    @property
    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def log_in(self, username: str, attempts: int = 5) -> None:
        """Log in, trying again (after a pause) when the server answers 5xx or drops the
        connection: logging in is not what the bench measures, and under a heavy load a
        worker may be restarted (gunicorn's timeout) while 20 clerks hash their passwords.
        A 4xx (wrong password, CSRF) is a bug in the bench and fails at once."""
        for attempt in range(1, attempts + 1):
            try:
                self.request("GET", "/login/")
                answer = self.post("/login/", {"username": username, "password": PASSWORD})
            except OSError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if answer.status == 302:
                    return
                if answer.status < 500:
                    raise RuntimeError(f"{username} could not log in: HTTP {answer.status}")
                problem = f"HTTP {answer.status}"
            if attempt == attempts:
                raise RuntimeError(f"{username} could not log in ({attempts} tries): {problem}")
            time.sleep(2 * attempt)


INPUT = re.compile(r'name="(v:[^"]+)"')


@dataclass
class Save:
    ok: bool
    post_seconds: float
    post_and_page_seconds: float
    detail: str = ""


@dataclass
class Clerk:
    username: str
    unit: str
    periods: list[str]
    port: int
    seed: int
    sent: dict[str, dict[str, str]] = field(default_factory=dict)  # period → field → value
    saves: list[Save] = field(default_factory=list)
    error: str = ""

    def run(self, start: threading.Barrier, keep_going) -> None:
        try:
            session = Session(self.port)
            session.log_in(self.username)
            start.wait(START_TIMEOUT)
            rng = random.Random(self.seed)
            for period in self.periods:
                if not keep_going(len(self.saves)):
                    break
                self.saves.append(self.save(session, period, rng))
        except Exception as exc:  # report it, never hang the other clerks
            self.error = f"{type(exc).__name__}: {exc}"
            start.abort()

    def save(self, session: Session, period: str, rng: random.Random) -> Save:
        """One round; a connection the server drops (a worker killed by gunicorn's timeout)
        is a failed save, not the end of the bench."""
        begin = time.perf_counter()
        try:
            return self._save(session, period, rng)
        except OSError as exc:
            spent = time.perf_counter() - begin
            return Save(False, spent, spent, f"{type(exc).__name__}: {exc}")

    def _save(self, session: Session, period: str, rng: random.Random) -> Save:
        path = f"/forms/{FORM_CODE}/{self.unit}/{period}/"
        page = session.request("GET", path)
        names = INPUT.findall(page.body)
        if page.status != 200 or not names:
            return Save(False, 0, 0, f"GET {path}: HTTP {page.status}, {len(names)} inputs")
        fields = {name: str(rng.randrange(0, 100_000)) for name in names}
        self.sent[period] = fields
        begin = time.perf_counter()
        answer = session.post(path, {**fields, "action": "save", "reason": ""})
        posted = time.perf_counter()
        if answer.status != 302:
            return Save(False, posted - begin, posted - begin, f"POST: HTTP {answer.status}")
        after = session.request("GET", urlsplit(answer.location).path)
        done = time.perf_counter()
        ok = after.status == 200 and f"已保存：新增 {len(fields)} 项" in after.body
        return Save(ok, posted - begin, done - begin, "" if ok else f"page: HTTP {after.status}")


# -- measuring the machine -------------------------------------------------------------------


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU of a process, its exited (waited-for) children and its live descendants.

    A worker that exits during the run hands its time to its parent's cutime/cstime, so the
    difference of two readings counts it once."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents.setdefault(int(_stat(int(entry))[1]), []).append(int(entry))
            except (OSError, IndexError):
                continue
    ticks, total, todo = os.sysconf("SC_CLK_TCK"), 0, [root]
    while todo:
        pid = todo.pop()
        try:
            fields = _stat(pid)
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        todo.extend(parents.get(pid, []))
    return total / ticks


class LoadWatch:
    """The highest 1-minute load average seen while the phase runs (sampled every second)."""

    def __init__(self) -> None:
        self.before = os.getloadavg()[0]
        self.highest = self.before
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(1):
            self.highest = max(self.highest, os.getloadavg()[0])

    def stop(self) -> tuple[float, float]:
        self._stop.set()
        self._thread.join()
        return self.before, self.highest


class LockWatch:
    """PostgreSQL: who waits for whose lock while the phase runs (pg_locks sampled every 2 s),
    so that a save held up by the demo loader says by which statement and on which lock."""

    SAMPLE = """
        SELECT l.locktype, COALESCE(l.relation::regclass::text, ''), l.mode,
               left(regexp_replace(w.query, '\\s+', ' ', 'g'), 100),
               left(regexp_replace(b.query, '\\s+', ' ', 'g'), 100)
        FROM pg_stat_activity w
        JOIN pg_locks l ON l.pid = w.pid AND NOT l.granted
        CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS blocker(pid)
        JOIN pg_stat_activity b ON b.pid = blocker.pid
        WHERE w.wait_event_type = 'Lock'"""

    def __init__(self) -> None:
        self.seen: dict[tuple, int] = {}  # (lock, relation, mode, waiting, blocking) → samples
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        from django.db import connection

        try:
            while not self._stop.wait(2):
                with connection.cursor() as cursor:
                    cursor.execute(self.SAMPLE)
                    for row in cursor.fetchall():
                        self.seen[row] = self.seen.get(row, 0) + 1
        finally:
            connection.close()

    def stop(self) -> list[str]:
        self._stop.set()
        self._thread.join()
        return [
            f"{samples} × waited for {lock} {mode} {relation}: {waiting!r} behind {blocking!r}"
            for (lock, relation, mode, waiting, blocking), samples in sorted(
                self.seen.items(), key=lambda item: -item[1]
            )
        ]


# -- the server ------------------------------------------------------------------------------


def start_server(port: int, env: dict, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        server = subprocess.Popen(
            [WEIJIAN, "serve", "--port", str(port)], env=env, stdout=out, stderr=out
        )
    for _ in range(600):
        try:
            if Session(port).request("GET", "/login/").status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.kill()
    raise SystemExit(f"weijian serve did not start; its log:\n{log.read_text()[-3000:]}")


def database_server_pid() -> int | None:
    """PostgreSQL's postmaster (the parent of this connection's backend), None for SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    return int(_stat(backend)[1])


# -- one phase -------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    clerks: list[Clerk]
    wall: float
    server_cpu: float
    database_cpu: float | None
    client_cpu: float
    load: tuple[float, float]
    note: str = ""
    waits: list[str] = field(default_factory=list)  # LockWatch's, PostgreSQL only

    @property
    def saves(self) -> list[Save]:
        return [s for c in self.clerks for s in c.saves]


def run_phase(name, pairs, periods, port, server_pid, db_pid, keep_going, side_job=None) -> Phase:
    clerks = [
        Clerk(user, unit, periods[n], port, seed=zlib.crc32(f"{name}{n}".encode()))
        for n, (user, unit) in enumerate(pairs)
    ]
    start = threading.Barrier(len(clerks) + 1)
    threads = [threading.Thread(target=c.run, args=(start, keep_going)) for c in clerks]
    for t in threads:
        t.start()
    try:
        start.wait(START_TIMEOUT)  # every clerk logged in
    except threading.BrokenBarrierError:
        # A clerk that failed broke the barrier: say which and why (the barrier's own
        # error says nothing), after letting the others stop.
        for t in threads:
            t.join(START_TIMEOUT)
        errors = [
            f"{c.username}: {c.error}"
            for c in clerks
            if c.error and not c.error.startswith("BrokenBarrierError")
        ]
        raise SystemExit(
            f"phase {name!r} did not start: "
            + ("; ".join(errors) or f"not every clerk logged in within {START_TIMEOUT} s")
        ) from None
    watch = LoadWatch()
    locks = LockWatch() if db_pid else None
    cpu0 = tree_cpu_seconds(server_pid), db_pid and tree_cpu_seconds(db_pid), time.process_time()
    began = time.perf_counter()
    note = side_job() if side_job else ""
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    cpu1 = tree_cpu_seconds(server_pid), db_pid and tree_cpu_seconds(db_pid), time.process_time()
    load = watch.stop()
    waits = locks.stop() if locks else []
    for clerk in clerks:
        if clerk.error:
            raise SystemExit(f"{clerk.username}: {clerk.error}")
    return Phase(
        name,
        clerks,
        wall,
        server_cpu=cpu1[0] - cpu0[0],
        database_cpu=(cpu1[1] - cpu0[1]) if db_pid else None,
        client_cpu=cpu1[2] - cpu0[2],
        load=load,
        note=note,
        waits=waits,
    )


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def describe(phase: Phase) -> list[str]:
    saves = phase.saves
    good = [s for s in saves if s.ok]
    posts = [s.post_seconds * 1000 for s in good]
    pages = [s.post_and_page_seconds * 1000 for s in good]
    failed = [s.detail for s in saves if not s.ok]
    lines = [
        f"## {phase.name}" + (f" ({phase.note})" if phase.note else ""),
        f"saves: {len(saves)} ({len(phase.clerks)} clerks), failed: {len(failed)}"
        + (f" — e.g. {failed[:3]}" if failed else ""),
        f"wall {phase.wall:.1f} s, {len(good) / phase.wall:.1f} saves/s",
    ]
    if good:
        lines.append(
            f"POST p50 {percentile(posts, 50):.0f} ms, p95 {percentile(posts, 95):.0f} ms, "
            f"max {max(posts):.0f} ms; POST + page p50 {percentile(pages, 50):.0f} ms, "
            f"p95 {percentile(pages, 95):.0f} ms"
        )
    cpu = f"server CPU {phase.server_cpu:.1f} s"
    if phase.database_cpu is not None:
        cpu += f", PostgreSQL CPU {phase.database_cpu:.1f} s"
    lines.append(f"{cpu}, client CPU {phase.client_cpu:.1f} s")
    lines.append(f"load average (1 min): {phase.load[0]:.1f} before, {phase.load[1]:.1f} highest")
    if phase.waits:
        lines.append("lock waits (samples every 2 s, most first):")
        lines += [f"  {wait}" for wait in phase.waits[:8]]
    return lines


# -- proof that nothing was lost -------------------------------------------------------------


def verify(phases: list[Phase]) -> tuple[int, int, int, int]:
    """(values sent, identical in the database, missing or different, audit CREATE rows)."""
    from weijian.reporting.models import AuditAction, DataValue, DataValueAudit

    sent = identical = 0
    for clerk in (c for p in phases for c in p.clerks):
        for period, fields in clerk.sent.items():
            stored = dict(
                DataValue.objects.filter(org_unit__code=clerk.unit, period_id=period).values_list(
                    "element__code", "value"
                )
            )
            for name, value in fields.items():
                sent += 1
                identical += stored.get(name.split(":")[1]) == value
    audits = DataValueAudit.objects.filter(
        org_unit__code__startswith="RUSH", action=AuditAction.CREATE
    ).count()
    return sent, identical, sent - identical, audits


# -- main ------------------------------------------------------------------------------------


def setup_django(var_dir: str) -> dict:
    os.environ["WEIJIAN_VAR_DIR"] = var_dir
    os.environ["WEIJIAN_SECRET_KEY"] = secrets.token_urlsafe(40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weijian.settings")
    ensure_postgres_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return dict(os.environ)


def backend_name() -> str:
    import sqlite3

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0]
    return "SQLite " + sqlite3.sqlite_version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clerks", type=int, default=20)
    parser.add_argument("--values", type=int, default=100, help="cells on the form")
    parser.add_argument("--rounds", type=int, default=5, help="saves per clerk in the rush")
    parser.add_argument("--port", type=int, default=8431)
    parser.add_argument("--no-demo-phase", action="store_true", help="skip phase 1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        env = setup_django(var_dir)
        from django.db import connections

        pairs = build_rush_data(args.clerks, args.values)
        most = 60  # months a clerk may use in phase 1, while the demo loads
        months = months_back(most + args.rounds)
        store_periods(months)
        workers = env.get("WEB_WORKERS", "2")
        print(
            f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {sys.version.split()[0]}, {backend_name()}; `weijian serve` with {workers} "
            f"gunicorn workers; {args.clerks} clerks × {args.values} values"
        )
        print(f"command: {' '.join(sys.argv)} (WEIJIAN_DATABASE_URL "
              f"{'set' if os.environ.get('WEIJIAN_DATABASE_URL') else 'unset'})")  # fmt: skip
        db_pid = database_server_pid()
        connections.close_all()
        server = start_server(args.port, env, Path(var_dir) / "server.log")
        phases = []
        try:
            if not args.no_demo_phase:
                phases.append(demo_phase(pairs, months[:most], args.port, server.pid, db_pid, env))
            phases.append(
                run_phase(
                    "rush",
                    pairs,
                    [months[most:]] * len(pairs),
                    args.port,
                    server.pid,
                    db_pid,
                    keep_going=lambda done: True,
                )
            )
        finally:
            server.terminate()
            server.wait(30)
        log = (Path(var_dir) / "server.log").read_text()
        for phase in phases:
            print("\n".join(describe(phase)))
        sent, identical, lost, audits = verify(phases)
        print(
            f"read back: {sent} values sent, {identical} identical in the database, {lost} "
            f"missing or different; {audits} audit CREATE rows (expected {sent})"
        )
        print(f"server log: {log.count('database is locked')} 'database is locked', "
              f"{log.count('Traceback')} tracebacks")  # fmt: skip
        if "Traceback" in log:  # the first one, to say why a save failed
            # Its first lines and its innermost frames (where the request was when it failed).
            start = log.index("Traceback")
            end = log.find("\n[20", start)
            end = len(log) if end < 0 else end
            print(log[max(0, log.rfind("\n", 0, start - 300)) : start + 600])
            print("  …\n" + log[max(start + 600, end - 3000) : end])
        failed = sum(not s.ok for p in phases for s in p.saves)
        if failed or lost or audits != sent:
            sys.exit(1)


def demo_phase(pairs, months, port, server_pid, db_pid, env) -> Phase:
    """Phase 1: clerks save (at least one round each) for as long as the demo load runs."""
    loader: dict[str, object] = {}

    def start_demo() -> str:
        began = time.perf_counter()
        loader["process"] = subprocess.Popen(
            [WEIJIAN, "demo", "--no-serve"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        loader["began"] = began
        return ""

    def keep_going(done: int) -> bool:
        process = loader.get("process")
        return done == 0 or (process is not None and process.poll() is None)

    phase = run_phase(
        "during the demo load", pairs, [months] * len(pairs), port, server_pid, db_pid, keep_going,
        side_job=start_demo,
    )  # fmt: skip
    process = loader["process"]
    output = process.communicate()[0]
    seconds = time.perf_counter() - loader["began"]
    if process.returncode != 0:
        raise SystemExit(f"the demo load failed:\n{output[-3000:]}")
    phase.note = f"the demo load took {seconds:.1f} s and succeeded"
    return phase


if __name__ == "__main__":
    main()
