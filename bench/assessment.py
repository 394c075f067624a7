"""Benchmark (not a test): a run of the demo hospital's monthly department scheme.

    env -u WEIJIAN_DATABASE_URL .venv/bin/python bench/assessment.py        # SQLite
    scripts/with-test-postgres .venv/bin/python bench/assessment.py         # PostgreSQL

Loads the demo district (36 months) into a throwaway database, then times, on the month the
demo leaves in 初评 (21 departments × 29 items, 609 item results):

- recompute: measuring every bound item (indicators through the engine with approved data
  only, inspections, rectification, ledgers, evidence), scoring, vetoes, ranking in peer
  groups, and writing the results with the changes against the previous computation;
- retotal: re-scoring from the stored measurements (what a manual score or override costs);
- what-if: the draft version 2 on the locked month, with the pool's money before and after.

Each is warmed up once, then timed `--repeat` times: wall-clock and CPU seconds (this process,
plus the PostgreSQL backend serving the connection, read from /proc, as bench/scale.py does).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))

from scale import cpu_seconds, setup_django, timed  # noqa: E402  (the bench's shared helpers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--months", type=int, default=36)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from django.contrib.auth.models import User
        from django.db import connection

        from weijian.assessment import whatif
        from weijian.assessment.actions import runs
        from weijian.assessment.models import ItemResult, Run, Stage
        from weijian.demo.load import load_demo

        backend = connection.vendor
        print(
            f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {sys.version.split()[0]}, {backend}"
        )
        print(f"command: {' '.join(sys.argv)}")
        start, cpu = time.perf_counter(), cpu_seconds()
        load_demo(months=args.months)
        print(
            f"demo load: {time.perf_counter() - start:.1f} s wall, {cpu_seconds() - cpu:.1f} s CPU"
        )
        admin = User.objects.get(username="yiyuan")
        live = Run.objects.get(scheme__code="RMYY_KSKH", stage=Stage.INITIAL)
        locked = Run.objects.get(scheme__code="RMYY_KSKH", stage=Stage.FINAL)
        draft = live.scheme.draft()
        items = ItemResult.objects.filter(run=live).count()
        print(
            f"run {live.period}: {live.results.count()} departments × "
            f"{live.version.nodes.exclude(method='').count()} items = {items} item results"
        )
        print("load average before timing (1, 5, 15 min):", *(f"{x:.1f}" for x in os.getloadavg()))
        for name, function in (
            ("recompute", lambda: runs.recompute(admin, live)),
            ("retotal", lambda: runs.retotal(live)),
            ("what-if", lambda: whatif.what_if(admin, draft, locked)),
        ):
            walls, cpus = timed(function, args.repeat)
            print(
                f"{name:10} median {statistics.median(walls) * 1000:6.0f} ms wall, "
                f"{statistics.median(cpus) * 1000:6.0f} ms CPU "
                f"(min {min(walls) * 1000:.0f} / max {max(walls) * 1000:.0f} ms wall, n={args.repeat})"
            )
        print("load average after timing (1, 5, 15 min):", *(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
