"""`load_demo()`: the whole demo district in one transaction, written with bulk inserts only.

from weijian.demo.load import load_demo
summary = load_demo()            # 36 months up to last month
summary = load_demo(months=4)    # a small district history, for tests
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from weijian import periods
from weijian.demo.areas import build_areas
from weijian.demo.assessment import build_assessment
from weijian.demo.bureau_work import build_bureau_work
from weijian.demo.documents import build_documents
from weijian.demo.governance import build_governance
from weijian.demo.inspections import build_inspections
from weijian.demo.ledger import build_ledger
from weijian.demo.reform import build_reform
from weijian.demo.targets import build_targets
from weijian.indicators.library_sync import load_library
from weijian.orgs.models import OrgUnit, OrgUnitGroup
from weijian.reporting import partitions, rollups
from weijian.reporting.actions import Source
from weijian.reporting.models import (
    DEFAULT_OPTION_CODE,
    AuditAction,
    CategoryOption,
    DataValue,
    DataValueAudit,
    Period,
    Submission,
    SubmissionEvent,
)

from .bulk import insert_rows
from .forms import DEFAULT_OPTION_UID, Metadata, build_metadata, existing_codes
from .reports import build_reports, last_months
from .tree import ALL_UNITS, GROUPS, ROOT_CODE, build_groups, build_tree
from .users import LOGINS, build_users, clerk_for, reviewer_for
from .workflow import APPROVED, LOCKED, RETURNED, Report

BATCH = 2000


class DemoError(Exception):
    """The demo cannot be loaded; `message` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class DemoSummary:
    first_period: str
    last_period: str
    months: int
    org_units: int
    groups: int
    users: int
    elements: int
    forms: int
    values: int
    audits: int
    submissions: int
    events: int
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    indicators: int = 0
    validation_rules: int = 0
    targets: int = 0


def demo_exists() -> bool:
    return OrgUnit.objects.filter(code=ROOT_CODE).exists()


def ensure_partitions(today: dt.date | None = None, months: int = 36) -> None:
    """PostgreSQL: a partition for each year the load writes. Without one, the older years'
    values would all pile up in the DEFAULT partition. Call it outside any transaction (the
    demo command does, before the one it loads in): creating a partition locks
    reporting_datavalue against every reader and writer until the creating transaction
    commits, and inside the load's that meant every clerk's save and page waited for the
    whole load (bench/rush.py phase 1: saves held 250 s, gunicorn's timeout, lost saves).
    Inside load_demo it is a no-op once the partitions exist."""
    today = today or timezone.localdate()
    partitions.ensure(today, years={int(m.id[:4]) for m in last_months(today, months)})


def load_demo(today: dt.date | None = None, months: int = 36, stdout=None) -> DemoSummary:
    """Load the demo district with `months` monthly periods up to the month before `today`."""
    started = time.monotonic()
    if not 1 <= months <= 120:
        raise DemoError("月份数应在 1 到 120 之间")
    now = _now(today)
    today = today or timezone.localdate()
    _refuse_if_taken()
    say = _reporter(stdout)
    month_list = last_months(today, months)
    ensure_partitions(today, months)
    with transaction.atomic():
        say("创建组织机构、分组和用户……")
        units = build_tree(month_list[-1])
        groups = build_groups(units)
        users = build_users(units)
        say("创建数据元和报表……")
        meta = build_metadata(units, groups)
        Period.objects.bulk_create([_period_row(p) for p in month_list], ignore_conflicts=True)
        say(f"生成 {month_list[0].label}至{month_list[-1].label}的报表数据……")
        reports = build_reports(month_list, today, now)
        # Bulk inserts: the rollups are added once after them, not kept row by row. Every
        # value is at a unit created above, which no other connection sees yet.
        with rollups.suspended(loaded_units=lambda: [unit.pk for unit in units.values()]):
            counts = _write(reports, units, users, meta)
        _analyze_written()
        say("载入国家指标库……")
        library = load_library()
        say("设定本年度指标目标……")
        targets = build_targets(month_list[-1])
        # Inspections, ledgers, contracts and surveys over the whole history, so that last
        # year's summary covers a whole year (demo/inspections.py, governance.py, ledger.py).
        history_start = month_list[0].start
        build_inspections(units, users, today, history_start)
        build_governance(today, now, history_start)
        # 党建、改革 (demo/reform.py) before the ledger, which dates every LG_ figure it publishes
        build_reform(units, users, today, history_start)
        build_areas(units, users, today, history_start)  # 行风、安全、医保、人才 (demo/areas.py)
        build_bureau_work(units, users, today, history_start)  # 医改 and 卫生监督 at the bureau
        build_ledger(units, users, today, history_start)
        build_assessment(units, users, today)  # 考核方案, runs, 公示, money (demo/assessment.py)
        # Last: the example summary it generates cites every figure loaded above.
        targets += build_documents(month_list[-1], today)
    return DemoSummary(
        first_period=month_list[0].id,
        last_period=month_list[-1].id,
        months=len(month_list),
        org_units=len(units),
        groups=len(groups),
        users=len(users),
        elements=len(meta.elements),
        forms=len(meta.forms),
        statuses=dict(Counter(r.plan.status for r in reports)),
        seconds=round(time.monotonic() - started, 1),
        indicators=library.indicators,
        validation_rules=library.validation_rules,
        targets=targets,
        **counts,
    )


def reset_all_data() -> None:
    """Empty every table (as `weijian flush`), then restore what migrations had put there."""
    # PostgreSQL refuses to TRUNCATE tables with deferred foreign-key checks still pending from
    # rows written earlier in the same transaction; run those checks now.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    CategoryOption.objects.get_or_create(
        code=DEFAULT_OPTION_CODE, defaults={"name": "合计", "uid": DEFAULT_OPTION_UID}
    )


def _refuse_if_taken() -> None:
    if demo_exists():
        raise DemoError(
            f"演示数据已经载入（机构编码 {ROOT_CODE} 已存在），未做任何修改。"
            "如需重新载入，请使用 weijian demo --reset（将清空数据库中的全部数据）。"
        )
    taken = existing_codes()
    taken += OrgUnit.objects.filter(code__in=list(ALL_UNITS)).values_list("code", flat=True)
    taken += OrgUnitGroup.objects.filter(code__in=list(GROUPS)).values_list("code", flat=True)
    names = list(
        User.objects.filter(username__in=[lg.username for lg in LOGINS]).values_list(
            "username", flat=True
        )
    )
    if taken or names:
        listed = "、".join((taken + names)[:8])
        raise DemoError(
            f"数据库中已有与演示数据同名的编码或用户（{listed}等），未做任何修改。"
            "请在空数据库中载入，或使用 weijian demo --reset（将清空数据库中的全部数据）。"
        )


# The tables the reports filled, which the analytics of the steps after them (targets,
# documents) join: values (every year's partition), submissions, form elements.
_ANALYZED = ("reporting_datavalue", "reporting_submission", "reporting_formelement")


def _analyze_written() -> None:
    """PostgreSQL: statistics for the rows just written, before this transaction queries them.
    Autovacuum cannot see uncommitted rows; without this the planner takes the new tables for
    nearly empty and the documents' analytics ran nested loops over every year's partition
    (32 s for one query of the full demo). ANALYZE counts this transaction's own rows, and its
    lock (SHARE UPDATE EXCLUSIVE, to commit) does not hold up saves."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in _ANALYZED:
            cursor.execute(f"ANALYZE {table}")


def _now(today: dt.date | None) -> dt.datetime:
    """The moment the demo history ends: now, or noon of the given day."""
    if today is None or today == timezone.localdate():
        return timezone.localtime()
    tz = timezone.get_current_timezone()
    return dt.datetime(today.year, today.month, today.day, 12, tzinfo=tz)


def _reporter(stdout):
    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text)

    return say


def _period_row(period: periods.Period) -> Period:
    return Period(
        id=period.id, period_type=str(period.type), start_date=period.start, end_date=period.end
    )


# -- writing the reports ---------------------------------------------------------------


def canonical(value) -> str:
    """The text `reporting.values.clean_value` would store for this number."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != 0 else "0"
    return str(value)


VALUE_FIELDS = (
    "element",
    "option",
    "org_unit",
    "period",
    "value",
    "number",
    "comment",
    "stored_by",
    "updated_at",
)
AUDIT_FIELDS = (
    "element",
    "option",
    "org_unit",
    "period",
    "action",
    "old_value",
    "new_value",
    "changed_by",
    "changed_at",
    "reason",
    "source",
)


def _write(reports: list[Report], units, users, meta: Metadata) -> dict[str, int]:
    unit_ids = {code: u.pk for code, u in units.items()}
    clerks = {code: users[clerk_for(ALL_UNITS[code])].pk for code in {r.unit for r in reports}}
    reviewers = {
        code: users[reviewer_for(ALL_UNITS[code])].pk for code in {r.unit for r in reports}
    }
    element_ids = {code: e.pk for code, e in meta.elements.items()}
    option_ids = {code: o.pk for code, o in meta.options.items()}
    values, audits, submissions, events = [], [], [], []
    for report in reports:
        ids = _Ids(
            unit_ids[report.unit], report.period.id, clerks[report.unit], reviewers[report.unit]
        )
        _values_of(report, ids, element_ids, option_ids, values, audits)
        submissions.append(_submission(report, ids, meta))
        events.append([_event(*e) for e in _events(report, ids)])
    insert_rows(DataValue, VALUE_FIELDS, values)
    insert_rows(DataValueAudit, AUDIT_FIELDS, audits)
    Submission.objects.bulk_create(submissions, batch_size=BATCH)
    flat = []
    for submission, its_events in zip(submissions, events, strict=True):
        for event in its_events:
            event.submission_id = submission.pk
            flat.append(event)
    SubmissionEvent.objects.bulk_create(flat, batch_size=BATCH)
    return {
        "values": len(values),
        "audits": len(audits),
        "submissions": len(submissions),
        "events": len(flat),
    }


@dataclass(frozen=True)
class _Ids:
    unit: int
    period: str
    clerk: int
    reviewer: int


def _values_of(
    report: Report, ids: _Ids, element_ids, option_ids, values: list, audits: list
) -> None:
    """Rows for VALUE_FIELDS and AUDIT_FIELDS: the value, its CREATE and, if it was corrected,
    the CREATE of the wrong figure and the UPDATE to the right one."""
    tl = report.timeline
    corrections = {c.key: c for c in report.corrections}
    for key, value in report.values.items():
        text = canonical(value)
        cell = (element_ids[key[0]], option_ids[key[1]], ids.unit, ids.period)
        correction = corrections.get(key)
        first_text = canonical(correction.wrong) if correction else text
        audits.append(
            (
                *cell,
                AuditAction.CREATE.value,
                "",
                first_text,
                ids.clerk,
                tl.entered,
                "",
                Source.DEMO,
            )
        )
        updated = tl.entered
        if correction:
            # A returned report is corrected between the return and the resubmission; a typo
            # is fixed before the first submission.
            updated = tl.corrected if correction.reason else _midway(tl.entered, tl.first_submitted)
            audits.append(
                (
                    *cell,
                    AuditAction.UPDATE.value,
                    first_text,
                    text,
                    ids.clerk,
                    updated,
                    correction.update_reason,
                    Source.DEMO,
                )
            )
        values.append((*cell, text, Decimal(text), "", ids.clerk, updated))


def _midway(start: dt.datetime, end: dt.datetime | None) -> dt.datetime:
    return start + (end - start) / 2 if end else start


def _submission(report: Report, ids: _Ids, meta: Metadata) -> Submission:
    tl, status = report.timeline, report.plan.status
    reviewed = status in (RETURNED, APPROVED, LOCKED)
    return Submission(
        form_id=meta.forms[report.form].pk,
        org_unit_id=ids.unit,
        period_id=ids.period,
        status=status,
        first_submitted_at=tl.first_submitted,
        submitted_at=tl.submitted,
        submitted_by_id=ids.clerk if tl.first_submitted else None,
        reviewed_at=tl.last_review if reviewed else None,
        reviewed_by_id=ids.reviewer if reviewed else None,
        return_reason=report.return_reason,
    )


def _events(report: Report, ids: _Ids) -> list[tuple[str, int, dt.datetime, str]]:
    """(action, by, at, reason) of the report's workflow history, oldest first."""
    tl, status = report.timeline, report.plan.status
    A = SubmissionEvent.Action
    if tl.first_submitted is None:
        return []
    history = [(A.SUBMIT, ids.clerk, tl.first_submitted, "")]
    returned = [c for c in report.corrections if c.reason]
    if tl.returned and returned:
        history += [
            (A.RETURN, ids.reviewer, tl.returned, returned[0].reason),
            (A.SUBMIT, ids.clerk, tl.resubmitted, ""),
        ]
    if status == RETURNED:
        history.append((A.RETURN, ids.reviewer, tl.reviewed, report.return_reason))
    if status in (APPROVED, LOCKED):
        history.append((A.APPROVE, ids.reviewer, tl.reviewed, ""))
    if status == LOCKED:
        history.append((A.LOCK, ids.reviewer, tl.locked, ""))
    return history


def _event(action: str, by: int, at: dt.datetime, reason: str) -> SubmissionEvent:
    return SubmissionEvent(action=action, by_id=by, at=at, reason=reason)
