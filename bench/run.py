"""Benchmarks (not tests): run with `make bench`. Prints wall-clock timings on this machine.

1. Loading the demo district (36 months) into a fresh SQLite database.
2. Saving a 150-element form (create, then update every cell), repeated.
3. Rendering the heaviest pages for the bureau admin (task board, completeness) on the demo.

Each run uses its own temporary var/ folder, so it never touches your data.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time


def setup_django(var_dir: str) -> None:
    os.environ["WEIJIAN_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weijian.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# CPU seconds of this process (SQLite runs inside it) for each timed call, beside the wall
# clock: on a machine shared with other busy processes the wall clock also counts the waits
# for a core, the CPU time is what the work costs.
CPU: dict[int, list[float]] = {}


def timed(function, repeat: int = 1, *, warm_up: bool = False) -> list[float]:
    """Wall-clock seconds of each of `repeat` calls (after one untimed call if `warm_up`);
    their CPU seconds in CPU[id(result)]."""
    if warm_up:
        function()
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU[id(times)] = cpu
    return times


def cpu_median(times: list[float]) -> str:
    return f"{statistics.median(CPU[id(times)]) * 1000:.0f} ms CPU"


def bench_demo() -> float:
    from weijian.demo.load import load_demo

    times = timed(lambda: load_demo(months=36))
    return times[0], CPU[id(times)][0]


def bench_form_save(repeat: int = 20) -> list[float]:
    from django.contrib.auth.models import User

    from weijian.orgs.models import OrgUnit
    from weijian.reporting import actions
    from weijian.reporting.models import DataElement, Form, FormElement

    admin = User.objects.get(username="admin")
    unit = OrgUnit.objects.get(code="DEMO")
    form = Form.objects.create(code="BENCH150", name="150项基准表", due_days=5)
    elements = DataElement.objects.bulk_create(
        DataElement(code=f"BENCH{i:03d}", name=f"基准指标{i}", unit="人次") for i in range(150)
    )
    FormElement.objects.bulk_create(
        FormElement(form=form, element=e, sort_order=i) for i, e in enumerate(elements)
    )
    form.org_units.add(unit)
    counter = iter(range(1, 10**6))

    def save():
        n = next(counter)
        values = {(e.code, "default"): str(n + i) for i, e in enumerate(elements)}
        actions.save_values(admin, form, unit, "202601", values)

    return timed(save, repeat)


def bench_pages(repeat: int = 5) -> dict[str, list[float]]:
    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone

    from weijian.periods import PeriodType, last_ended

    client = Client()
    client.force_login(User.objects.get(username="admin"))
    last = last_ended(PeriodType.MONTHLY, timezone.localdate()).id
    urls = {
        "task board (admin)": "/",
        "completeness overview": f"/completeness/?type=MONTHLY&period={last}",
        "review list": "/review/",
    }
    results = {}
    for label, url in urls.items():

        def get(url=url):
            assert client.get(url).status_code == 200

        results[label] = timed(get, repeat)
    return results


def bench_pivot(repeat: int = 5) -> tuple[int, list[float]]:
    """All library indicators × the last 12 months × every institution (and the district)."""
    from django.utils import timezone

    from weijian.indicators.analytics import analyse
    from weijian.indicators.models import Indicator
    from weijian.orgs.models import OrgUnit
    from weijian.periods import PeriodType, last_ended

    codes = list(Indicator.objects.values_list("code", flat=True))
    months = [last_ended(PeriodType.MONTHLY, timezone.localdate())]
    while len(months) < 12:
        months.insert(0, months[0].previous())
    units = list(OrgUnit.objects.filter(depth__lte=2))
    cells = len(codes) * len(months) * len(units)
    return cells, timed(lambda: analyse(codes, months, units), repeat)


def main() -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        print(
            f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {sys.version.split()[0]}, SQLite"
        )
        print("load average (1, 5, 15 min):", *(f"{x:.1f}" for x in os.getloadavg()))
        wall, cpu = bench_demo()
        print(f"demo load (36 months): {wall:.1f} s ({cpu:.1f} s CPU)")
        saves = bench_form_save()
        print(
            f"save 150-element form: median {statistics.median(saves) * 1000:.0f} ms "
            f"({cpu_median(saves)}; min {min(saves) * 1000:.0f}, max {max(saves) * 1000:.0f}, "
            f"n={len(saves)})"
        )
        cells, pivot = bench_pivot()
        print(
            f"pivot, all library indicators x 12 months x institutions ({cells} cells): "
            f"median {statistics.median(pivot) * 1000:.0f} ms ({cpu_median(pivot)}, n={len(pivot)})"
        )
        for label, times in bench_pages().items():
            print(
                f"{label}: median {statistics.median(times) * 1000:.0f} ms "
                f"({cpu_median(times)}, n={len(times)})"
            )
        print("load average (1, 5, 15 min):", *(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
