"""What a restore must bring back, as JSON-comparable data: the library's analytics over the
demo, every table's row count (every audit trail included), the data-value audit rows with their
timestamps to the microsecond, and the media files' checksums.

Run in the test's process against the original database, and through `python -c` in a process
configured for the restored one."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import connection

from weijian.indicators.analytics import analyse
from weijian.indicators.models import Indicator
from weijian.orgs.models import OrgUnit
from weijian.periods import PeriodType, parse
from weijian.reporting.models import DataValueAudit, Period


def snapshot() -> dict:
    months = [
        parse(p)
        for p in Period.objects.filter(period_type=PeriodType.MONTHLY).values_list("id", flat=True)
    ]
    result = analyse(
        sorted(Indicator.objects.values_list("code", flat=True)),
        sorted(months, key=lambda p: p.start),
        OrgUnit.objects.filter(depth__lte=2).order_by("path"),
    )
    with connection.cursor() as cursor:
        tables = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            tables[table] = cursor.fetchone()[0]
    media = Path(settings.MEDIA_ROOT)
    return {
        "analytics": {
            "|".join(key): str(value)
            for key, value in sorted(result.values.items())
            if value is not None
        },
        "tables": tables,
        "audit": [
            [pk, changed_at.isoformat(), new]
            for pk, changed_at, new in DataValueAudit.objects.order_by("pk").values_list(
                "pk", "changed_at", "new_value"
            )
        ],
        "media": {
            p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(media.rglob("*"))
            if p.is_file()
        },
    }
