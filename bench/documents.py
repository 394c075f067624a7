"""Benchmark (not a test): generating the work summaries of the issue's done-when list on the
demo district, each timed from the request to the finished .docx bytes (composing, every
analytics request, charts drawn with matplotlib, the Word file). Target: < 3 s each.

    .venv/bin/python bench/documents.py          # a fresh demo in a temporary var/ folder

The first document pays for importing matplotlib and loading the CJK font (shown apart).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

CASES = [
    ("RMYY", "2026S1", None, "区人民医院 2026年上半年总结"),
    ("RMYY", "2025", None, "区人民医院 2025年总结"),
    ("DEMO", "2025", None, "卫健局 2025年总结"),
    ("QSZ", "2025", None, "青山镇中心卫生院 2025年总结"),
    ("RMYY_NK", "2026S1", None, "内科 2026年上半年总结"),
    ("RMYY", "2025", "SPECIAL_HAI", "区人民医院 2025年院感总结"),
    ("RMYY", "2027", "NEXT_YEAR_PLAN", "区人民医院 2027年工作计划"),
    ("QSZ", "2027", "NEXT_YEAR_PLAN", "青山镇 2027年工作计划"),
]
REPEAT = 3


def main() -> None:
    from run import setup_django

    with tempfile.TemporaryDirectory(prefix="weijian-bench-docs-") as var_dir:
        setup_django(var_dir)
        import datetime as dt

        from weijian.demo.load import load_demo
        from weijian.documents.actions import build
        from weijian.orgs.models import OrgUnit

        today = dt.date(2026, 11, 23)
        load_demo(today=today)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; demo as of {today}")
        print(f"load average at start: {os.getloadavg()[0]:.1f}")
        start = time.perf_counter()
        build(OrgUnit.objects.get(code="RMYY"), "2026S1", None, today=today)
        print(
            f"first document (imports matplotlib, loads the font): {time.perf_counter() - start:.2f} s"
        )
        worst = 0.0
        for code, period, template, label in CASES:
            unit = OrgUnit.objects.get(code=code)
            times, cpu, figures = [], [], 0
            for _ in range(REPEAT):
                start, start_cpu = time.perf_counter(), time.process_time()
                composed = build(unit, period, template, today=today)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
                figures = composed.provenance.count('"text"')
            median = statistics.median(times)
            worst = max(worst, max(times))
            print(
                f"{label:<28} median {median:.2f} s wall, {statistics.median(cpu):.2f} s CPU "
                f"(this process; SQLite runs in it), max {max(times):.2f} s  ({figures} numbers)"
            )
        print(f"slowest: {worst:.2f} s ({'within' if worst < 3 else 'OVER'} the 3 s target)")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
