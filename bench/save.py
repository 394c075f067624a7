"""The cost of one save (not a test): a clerk saving a 150-element form, rollup triggers on.

    env -u WEIJIAN_DATABASE_URL .venv/bin/python bench/save.py      # SQLite (temporary var/)
    scripts/with-test-postgres .venv/bin/python bench/save.py       # PostgreSQL
    … bench/save.py --profile                                       # + cProfile of both paths

Data: rush.py's hospital with one department, its clerk (科室填报员) and a monthly form of
150 numeric elements; the department sits under the hospital, so every value also adds to
the hospital's rollup cells.

Timed, each at least 30 times, median and p95 of wall clock and CPU:
1. `actions.save_values` (what the entry page's POST calls): a new month each time (150
   values created) and then one month over and over with every cell changed (150 updated).
2. The entry page through Django's test client, as the browser does it: POST 保存 (the view,
   the action, the messages) and GET the page it redirects to (the form with 150 values, the
   validation rules, the history).
CPU is this process's (SQLite runs inside it) and, on PostgreSQL, the database server's
processes' too. Queries per call are counted with CaptureQueriesContext.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from urllib.parse import urlencode

from rush import build_rush_data, database_server_pid, months_back, setup_django, store_periods
from rush import tree_cpu_seconds as process_tree_cpu

VALUES = 150
FORM_ENCODED = "application/x-www-form-urlencoded"


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


class Meter:
    """Wall, this process's CPU and the database server's CPU of each timed call."""

    def __init__(self, db_pid: int | None) -> None:
        self.db_pid = db_pid
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.db_cpu: list[float] = []
        self.queries = 0

    def _db(self) -> float:
        return process_tree_cpu(self.db_pid) if self.db_pid else 0.0

    def time(self, function) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            db0, cpu0, wall0 = self._db(), time.process_time(), time.perf_counter()
            function()
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            db = self._db() - db0
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.db_cpu.append(db)
        self.queries = len(captured.captured_queries)

    def line(self, name: str) -> str:
        ms = lambda xs, q: f"{(statistics.median(xs) if q == 50 else percentile(xs, q)) * 1000:.1f}"  # noqa: E731
        text = (
            f"{name:<44} n={len(self.wall):<3} wall p50 {ms(self.wall, 50):>6} ms, "
            f"p95 {ms(self.wall, 95):>6} ms | CPU p50 {ms(self.cpu, 50):>6} ms, "
            f"p95 {ms(self.cpu, 95):>6} ms"
        )
        if self.db_pid:
            # The server's CPU comes in 10 ms ticks: the mean over the calls resolves it.
            mean = statistics.fmean(self.db_cpu) * 1000
            text += f" + PostgreSQL CPU p50 {ms(self.db_cpu, 50):>5} ms, mean {mean:5.1f} ms"
        return text + f" | {self.queries} queries"


def profile(function, title: str, lines: int = 35) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        function()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(lines)
    stats.print_stats("weijian/", lines)  # the project's own functions
    stats.sort_stats("tottime").print_stats(lines)  # where the time is spent, by function
    print(f"\n### cProfile, {title} (10 calls)\n{out.getvalue()}")


def save_unrolled(user, form, unit, month, values) -> None:
    """actions.save_values with the rollup trigger off for its transaction (PostgreSQL)."""
    from django.db import connection, transaction

    from weijian.reporting import actions, rollups

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [rollups.SUSPEND_SETTING])
        actions.save_values(user, form, unit, month, values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="cProfile the save and the page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from django.contrib.auth.models import User
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from weijian.orgs.models import OrgUnit
        from weijian.reporting import actions
        from weijian.reporting.models import DataElement, Form
        from weijian.reporting.rollups import rebuild, verify

        ((username, unit_code),) = build_rush_data(1, VALUES)
        months = months_back(3 * args.repeat + 25)
        store_periods(months)
        user, unit = User.objects.get(username=username), OrgUnit.objects.get(code=unit_code)
        form = Form.objects.get(code="RUSH100")
        codes = list(
            DataElement.objects.filter(formelement__form=form).values_list("code", flat=True)
        )
        db_pid = database_server_pid()
        vendor = connection.vendor
        print(
            f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {sys.version.split()[0]}, {vendor}; {VALUES}-element form, rollup triggers "
            f"on; load average {os.getloadavg()[0]:.1f} at start"
        )
        counter = iter(range(1, 10**9))
        fresh = iter(months)

        def values() -> dict:
            n = next(counter)
            return {(code, "default"): str(n + i) for i, code in enumerate(codes)}

        create, update = Meter(db_pid), Meter(db_pid)
        steady = next(fresh)
        actions.save_values(user, form, unit, steady, values())  # warm-up, and the month updated
        for _ in range(args.repeat):
            month = next(fresh)
            create.time(lambda m=month: actions.save_values(user, form, unit, m, values()))
            update.time(lambda: actions.save_values(user, form, unit, steady, values()))

        client = Client()
        client.force_login(user)
        post, page = Meter(db_pid), Meter(db_pid)

        def fields() -> str:
            # Form-encoded as the browser sends the entry form (it is not multipart; the test
            # client's default multipart parsing cost a fifth of the POST, which no clerk pays).
            data = {f"v:{k[0]}:{k[1]}": v for k, v in values().items()} | {"action": "save"}
            return urlencode(data)

        def post_and_page(month: str) -> None:
            url = reverse("entry", args=(form.code, unit.code, month))
            holder = {}
            post.time(
                lambda: holder.update(
                    response=client.post(url, fields(), content_type=FORM_ENCODED)
                )
            )
            response = holder["response"]
            assert response.status_code == 302, (response.status_code, response.content[:500])
            page.time(lambda: holder.update(response=client.get(response["Location"])))
            assert "已保存" in holder["response"].content.decode(), "no success message"

        post_and_page(next(fresh))  # warm-up: templates compiled, caches filled
        for _ in range(args.repeat):
            post_and_page(next(fresh))

        print(create.line("save_values, 150 values created"))
        print(update.line("save_values, 150 values changed"))
        print(post.line("entry page POST 保存 (test client), 150 new"))
        print(page.line("the page it redirects to (GET)"))
        both = [a + b for a, b in zip(post.cpu, page.cpu, strict=True)]
        db_both = [a + b for a, b in zip(post.db_cpu, page.db_cpu, strict=True)]
        print(
            f"POST + page CPU p50 {statistics.median(both) * 1000:.1f} ms"
            + (f" + PostgreSQL {statistics.median(db_both) * 1000:.1f} ms" if db_pid else "")
            + f"; load average {os.getloadavg()[0]:.1f} at end"
        )
        differing, _ = verify()
        print(f"rollups verify: {differing} differing cells")
        if vendor == "postgresql":
            # What the rollup trigger costs: the same saves with it returning at once (the
            # setting bulk loads use), then the rollups rebuilt for what follows.
            bare = Meter(db_pid)
            for _ in range(args.repeat):
                month = next(fresh)
                bare.time(lambda m=month: save_unrolled(user, form, unit, m, values()))
            print(bare.line("save_values, 150 created, rollup trigger off"))
            rebuild()
        if args.profile:
            profile(lambda: actions.save_values(user, form, unit, steady, values()), "save")
            urls = [reverse("entry", args=(form.code, unit.code, next(fresh))) for _ in range(20)]
            profile(
                lambda: client.post(urls.pop(), fields(), content_type=FORM_ENCODED),
                "the entry page POST, 150 new",
            )
            profile(lambda: client.get(urls[0]), "the entry page (GET) of an empty month")
            client.post(urls[0], fields(), content_type=FORM_ENCODED)
            profile(lambda: client.get(urls[0]), "the entry page (GET) after the save")
        if differing:
            sys.exit(1)


if __name__ == "__main__":
    main()
