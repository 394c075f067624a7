"""One way the demo logs ledger records: an `Activity` dated on one day, entered by the unit's
clerk the next morning, and saved in bulk with the audit line each record would get had the
clerk typed it (source 演示数据). demo/areas.py, demo/reform.py, demo/bureau_work.py and
demo/ledger.py build their registers with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.utils import timezone

from weijian.ledger.actions import LedgerSource, month_of
from weijian.ledger.models import Activity, ActivityType, AuditAction, LedgerAudit
from weijian.orgs.models import OrgUnit

from .activity import workday


def record(
    kind: ActivityType,
    unit: OrgUnit,
    clerk,
    day: dt.date,
    title: str,
    values: dict,
    entered: dt.time,
) -> Activity:
    """One day's record, entered by `clerk` at `entered` on the day after (offices log the
    day's work the next day)."""
    at = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), entered))
    return Activity(
        type=kind,
        org_unit=unit,
        title=title,
        start_date=day,
        end_date=day,
        period_id=month_of(day),
        values=values,
        created_by=clerk,
        created_at=at,
        updated_by=clerk,
        updated_at=at,
        source=LedgerSource.DEMO,
    )


def adder(
    rows: list[Activity],
    types: dict[str, ActivityType],
    unit: OrgUnit,
    clerk,
    start: dt.date,
    today: dt.date,
    *,
    entered: dt.time = dt.time(10, 0),
    move: Callable[[dt.date], dt.date] = workday,
) -> Callable[..., None]:
    """`add(code, day, title, **values)` appending to `rows` one record of ledger type `code`
    for `unit`: the day moved to a working day by `move`, kept only from `start` up to
    yesterday, with the empty values ("" or None: a field the clerk left blank) left out."""

    def add(code: str, day: dt.date, title: str, **values) -> None:
        day = move(day)
        if not start <= day < today:
            return
        kept = {k: v for k, v in values.items() if v not in ("", None)}
        rows.append(record(types[code], unit, clerk, day, title, kept, entered))

    return add


def save(rows: list[Activity], batch_size: int = 500) -> int:
    """Saves the records and their audit lines; returns how many records."""
    Activity.objects.bulk_create(rows, batch_size=batch_size)
    LedgerAudit.objects.bulk_create(audits(rows), batch_size=batch_size)
    return len(rows)


def audits(rows: Iterable[Activity]) -> list[LedgerAudit]:
    return [
        LedgerAudit(
            activity_id=a.pk,
            type=a.type,
            org_unit=a.org_unit,
            action=AuditAction.CREATE,
            title=a.title,
            after=None,
            by=a.created_by,
            at=a.created_at,
            source=LedgerSource.DEMO,
        )
        for a in rows
    ]
