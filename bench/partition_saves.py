"""Saving a 150-element form on the demo district, data values partitioned or not (PostgreSQL).

For each of SUM and LAST elements, 30 saves of 150 new values, each in a new month (a LAST
value's triggers look up its neighbours, in every year's partition once partitioned); prints the
median wall time and this process's CPU. Run against a demo database, once at migration 0008
(one table) and once after 0009 (partitioned), in the same session of the machine:

    scripts/with-test-postgres bash -c '
      psql "${WEIJIAN_DATABASE_URL/weijian?/postgres?}" -qc "CREATE DATABASE weijian"
      export WEIJIAN_VAR_DIR=$(mktemp -d)
      .venv/bin/weijian migrate -v0 && .venv/bin/weijian demo --no-serve >/dev/null
      .venv/bin/python bench/partition_saves.py parted
      .venv/bin/weijian migrate reporting 0008 -v0
      .venv/bin/python bench/partition_saves.py plain'
"""

import os
import statistics
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weijian.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User

    from weijian.orgs.models import OrgUnit
    from weijian.reporting import actions
    from weijian.reporting.models import AggregationType, DataElement, Form, FormElement

    tag = sys.argv[1]
    admin = User.objects.get(username="admin")
    unit = OrgUnit.objects.get(code="DEMO")
    months = [f"{y}{m:02d}" for y in (2024, 2025, 2026) for m in range(1, 13)][:30]
    for kind in (AggregationType.SUM, AggregationType.LAST):
        form = Form.objects.create(code=f"B{tag}{kind}", name=f"基准{tag}{kind}", due_days=5)
        elements = DataElement.objects.bulk_create(
            DataElement(
                code=f"B{tag}{kind}{i:03d}",
                name=f"基准{tag}{kind}{i}",
                unit="人次",
                aggregation_type=kind,
            )
            for i in range(150)
        )
        FormElement.objects.bulk_create(
            FormElement(form=form, element=e, sort_order=i) for i, e in enumerate(elements)
        )
        form.org_units.add(unit)
        walls, cpus = [], []
        for n, month in enumerate(months):
            values = {(e.code, "default"): str(n + i) for i, e in enumerate(elements)}
            w, c = time.perf_counter(), time.process_time()
            actions.save_values(admin, form, unit, month, values)
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
        print(
            f"{tag} {kind}: 30 saves of 150 new values, median wall {statistics.median(walls) * 1000:.0f} ms, "
            f"median client CPU {statistics.median(cpus) * 1000:.0f} ms, load {os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()
