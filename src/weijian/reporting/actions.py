"""Every write of reporting data: one function per action, each in a transaction, each
checking the user's scope and leaving an audit record. Views and importers call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import OperationalError, transaction
from django.utils import timezone

from weijian import periods
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope

from . import checks, queries, writes
from .models import (
    DEFAULT_OPTION_CODE,
    EDITABLE_STATUSES,
    AuditAction,
    CategoryOption,
    DataElement,
    DataValue,
    DataValueAudit,
    Form,
    Period,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from .values import CleanValue, ValueProblem, clean_value


class ReportingError(Exception):
    """A refused action. `message` is the Chinese summary; `problems` lists cell-level reasons."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


@dataclass(frozen=True)
class Problem:
    where: str  # the cell or row the problem is in, as the user sees it
    reason: str
    field_name: str = ""  # the form field, so the entry page can mark the box


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


class Source:
    WEB = "网页"
    EXCEL = "Excel"
    API = "接口"
    DEMO = "演示数据"


# SQLite has one writer at a time; a writer that waited WEIJIAN_SQLITE_TIMEOUT seconds for
# another one's long transaction (an import, the demo load) gets "database is locked".
BUSY_MESSAGE = "系统正忙（另一项较大的数据写入尚未完成），本次未保存任何数据；已填写的内容仍在页面上，请稍后再保存"


@contextmanager
def _refusing_busy() -> Iterator[None]:
    """SQLite's lock timeout inside the block refused in Chinese like bad input: its transaction
    rolled back, nothing was written, and the page keeps what the user typed."""
    try:
        yield
    except OperationalError as exc:
        if "database is locked" not in str(exc):
            raise
        raise ReportingError(BUSY_MESSAGE) from None


# -- checks shared by the actions ------------------------------------------------------


def resolve_period(form: Form, period_id: str, today: dt.date | None = None) -> periods.Period:
    """The form's period, refusing ids that do not exist and periods not yet begun."""
    try:
        period = form.parse_period(period_id)
    except periods.PeriodError as exc:
        raise ReportingError(str(exc)) from None
    today = today or timezone.localdate()
    if period.start > today:
        raise ReportingError(f"期间“{period.label}”尚未开始，不能填报")
    return period


def check_can_enter(user, form: Form, org_unit: OrgUnit, period: periods.Period) -> None:
    if not get_scope(user).can(Can.ENTER, org_unit):
        raise ReportingError(f"您没有“{org_unit.name}”的填报权限")
    if not queries.is_assigned(form, org_unit):
        raise ReportingError(f"报表“{form.name}”未分配给“{org_unit.name}”")
    if not org_unit.is_open_during(period.start, period.end):
        raise ReportingError(
            f"“{org_unit.name}”在{period.label}不在启用期内（已撤销或尚未启用），不能填报"
        )


def _period_row(period: periods.Period) -> Period:
    """The period's row, created and committed before the caller's own transaction: every
    unit's report of the month shares it, and a row created inside a save's transaction makes
    every other save of the month wait until that save commits (PostgreSQL)."""
    return Period.for_period(period)


def _lock_submission(form: Form, org_unit: OrgUnit, period_row: Period) -> Submission:
    """The submission row, created if needed and locked FOR UPDATE against concurrent writes.

    Only that row (`of=("self",)`): the joined period row is shared by every unit's report of
    the month, and locking it too made every save of the month wait for the others and for
    anything else referencing the month (PostgreSQL's foreign-key checks take KEY SHARE locks,
    which FOR UPDATE blocks), down to deadlocks with a long import.

    One query when the report exists, three when it is new (lock, INSERT … ON CONFLICT DO
    NOTHING, lock), instead of get_or_create's SELECT, SAVEPOINT, INSERT, RELEASE and the lock:
    every save of a new month in the month-end rush paid the five. Two saves creating the same
    report at once: the second's INSERT waits on the unique key, does nothing once the first
    commits, and its second lock query finds the first's row (PostgreSQL's READ COMMITTED
    gives each statement a new snapshot; SQLite's writers take turns)."""
    locked = Submission.objects.select_for_update(of=("self",)).select_related("period")
    key = {"form": form, "org_unit": org_unit, "period": period_row}
    submission = locked.filter(**key).first()
    if submission is None:
        Submission.objects.bulk_create([Submission(**key)], ignore_conflicts=True)
        submission = locked.get(**key)
    return submission


def refuse_if_not_editable(submission: Submission, period: periods.Period) -> None:
    if submission.status not in EDITABLE_STATUSES:
        raise ReportingError(
            f"{period.label}的报表状态为“{submission.get_status_display()}”，数据已锁定，不能修改；"
            "如需修改，请联系审核员解锁或退回"
        )


# -- saving values ---------------------------------------------------------------------


def save_values(
    user,
    form: Form,
    org_unit: OrgUnit,
    period_id: str,
    raw_values: dict[tuple[str, str], object],
    *,
    source: str = Source.WEB,
    reason: str = "",
    where: dict[tuple[str, str], str] | None = None,
) -> SaveResult:
    """Save the cells of one form × unit × period, all or nothing.

    `raw_values` maps (element code, option code) to what the user typed; an empty value
    deletes. Any bad cell refuses the whole save with every problem listed. A bounded number of
    queries whatever the form's size: the writes are bulk operations.
    """
    period = resolve_period(form, period_id)
    check_can_enter(user, form, org_unit, period)
    cells = {cell.key: cell for cell in queries.form_cells(form)}
    cleaned, problems = _clean_all(cells, raw_values, where or {})
    if problems:
        raise ReportingError(f"有 {len(problems)} 处数据不正确，未保存任何数据", problems)
    with _refusing_busy():
        if not _started(form, org_unit, period) and not _changes_anything(
            org_unit, period, cells, cleaned
        ):
            # Nothing to write for a report nobody has started: no empty draft on the task
            # board and completeness pages, no period row, no audit rows.
            return SaveResult(unchanged=len(cleaned))
        period_row = _period_row(period)
        with transaction.atomic():
            submission = _lock_submission(form, org_unit, period_row)
            refuse_if_not_editable(submission, period)
            # Once a report has been sent up and come back, changing what the reviewer saw
            # needs a reason in the audit trail.
            needs_reason = submission.status == SubmissionStatus.RETURNED
            return _write_values(
                user, cells, cleaned, org_unit, period_row, source, reason.strip(), needs_reason
            )


def _started(form: Form, org_unit: OrgUnit, period: periods.Period) -> bool:
    """Whether the report exists (draft or further). Read without a lock: a save that goes on
    locks the submission and reads the stored values again before writing."""
    return Submission.objects.filter(form=form, org_unit=org_unit, period_id=period.id).exists()


def _changes_anything(org_unit, period: periods.Period, cells, cleaned) -> bool:
    existing = queries.stored_values(org_unit, period.id, {c.element.pk for c in cells.values()})
    for key, clean in cleaned.items():
        stored = existing.get(key)
        if stored is None or clean is None:
            if (stored is None) != (clean is None):
                return True
        elif stored.value != clean.text:
            return True
    return False


def _clean_all(cells, raw_values, where) -> tuple[dict, list[Problem]]:
    cleaned: dict[tuple[str, str], CleanValue | None] = {}
    problems: list[Problem] = []
    for key, raw in raw_values.items():
        cell = cells.get(key)
        if cell is None:
            label = ".".join(str(part) for part in key if part not in ("", "default"))
            problems.append(Problem(where.get(key, label), f"本报表没有数据项“{label}”"))
            continue
        if cell.element.system_managed:
            problems.append(Problem(where.get(key, cell.label), "该数据项由系统自动生成，不能填报"))
            continue
        try:
            cleaned[key] = clean_value(cell.element, raw)
        except ValueProblem as exc:
            problems.append(Problem(where.get(key, cell.label), str(exc), cell.field_name))
    return cleaned, problems


def _write_values(
    user, cells, cleaned, org_unit, period_row, source, reason, needs_reason
) -> SaveResult:
    now = timezone.now()
    existing = queries.stored_values(
        org_unit, period_row.id, {c.element.pk for c in cells.values()}
    )
    result = SaveResult()
    # Rows as plain tuples in writes.VALUE_COLUMNS / AUDIT_COLUMNS order: 300 model instances
    # per 150-value save cost more than the SQL that stores them.
    to_create, to_update, to_delete, audits = [], [], [], []
    user_id, unit_id, period_id = user.pk if user else None, org_unit.pk, period_row.pk

    def audit(cell, action, old, new):
        audits.append(
            (cell.element.pk, cell.option.pk, unit_id, period_id, action, old, new, user_id)
            + (now, reason, source)
        )

    for key, clean in cleaned.items():
        cell, stored = cells[key], existing.get(key)
        if stored is None and clean is None:
            result.unchanged += 1
        elif stored is None:
            to_create.append(
                (cell.element.pk, cell.option.pk, unit_id, period_id, clean.text, clean.number)
                + ("", user_id, now)
            )
            audit(cell, AuditAction.CREATE, "", clean.text)
        elif clean is None:
            to_delete.append(stored.pk)
            audit(cell, AuditAction.DELETE, stored.value, "")
        elif stored.value != clean.text:
            audit(cell, AuditAction.UPDATE, stored.value, clean.text)
            to_update.append((stored.pk, clean.text, clean.number))
        else:
            result.unchanged += 1
    if needs_reason and not reason and (to_update or to_delete):
        raise ReportingError("该报表已退回，修改已上报过的数据时请填写修改说明（原因）")
    to_create.sort(key=lambda row: (row[0], row[1]))  # element, option: one order for all
    writes.insert_rows(DataValue, writes.VALUE_COLUMNS, to_create)
    writes.update_values(to_update, user_id, now)
    DataValue.objects.filter(pk__in=to_delete).delete()
    writes.insert_rows(DataValueAudit, writes.AUDIT_COLUMNS, audits)
    result.created, result.updated, result.deleted = len(to_create), len(to_update), len(to_delete)
    return result


# -- values that belong to no form of the unit (DHIS2's imports, strict* options off) ---


def save_values_outside_forms(
    user,
    org_unit: OrgUnit,
    period_id: str,
    raw_values: dict[tuple[str, str], object],
    *,
    source: str = Source.API,
    reason: str = "",
    where: dict[tuple[str, str], str] | None = None,
) -> SaveResult:
    """Save values of one unit × period that no single form of the unit takes: the element is
    on no form assigned to the unit, on several, on forms of another period type, or the
    option is outside the element's category. DHIS2 imports such values unless its strict*
    options are set; the API decides that, this action only saves them, all or nothing.

    The same guards as `save_values` where they apply: scope, the unit's opening dates, the
    period begun, value checks, system elements refused; and the locks of every form holding
    one of the elements for this unit over an overlapping period (a value for 2026Q1 cannot
    slip past an approved January), with the 修改说明 a returned one needs.
    """
    period = _parsed_period(period_id)
    if not get_scope(user).can(Can.ENTER, org_unit):
        raise ReportingError(f"您没有“{org_unit.name}”的填报权限")
    if not org_unit.is_open_during(period.start, period.end):
        raise ReportingError(
            f"“{org_unit.name}”在{period.label}不在启用期内（已撤销或尚未启用），不能填报"
        )
    cells = _loose_cells(raw_values)
    cleaned, problems = _clean_all(cells, raw_values, where or {})
    if problems:
        raise ReportingError(f"有 {len(problems)} 处数据不正确，未保存任何数据", problems)
    elements = {cell.element.pk for cell in cells.values()}
    with _refusing_busy():
        period_row = _period_row(period)
        with transaction.atomic():
            holders = list(_overlapping_submissions(elements, org_unit, period))
            for submission in holders:
                refuse_if_not_editable(submission, submission.period.parsed)
            needs_reason = any(s.status == SubmissionStatus.RETURNED for s in holders)
            return _write_values(
                user, cells, cleaned, org_unit, period_row, source, reason.strip(), needs_reason
            )


def _parsed_period(period_id: str, today: dt.date | None = None) -> periods.Period:
    try:
        period = periods.parse(period_id)
    except periods.PeriodError as exc:
        raise ReportingError(str(exc)) from None
    if period.start > (today or timezone.localdate()):
        raise ReportingError(f"期间“{period.label}”尚未开始，不能填报")
    return period


def _loose_cells(raw_values) -> dict:
    """(element code, option code) → a cell for each key whose element and option exist."""
    element_codes = {element for element, _option in raw_values}
    option_codes = {option for _element, option in raw_values}
    elements = {e.code: e for e in DataElement.objects.filter(code__in=element_codes)}
    options = {o.code: o for o in CategoryOption.objects.filter(code__in=option_codes)}
    options.setdefault(DEFAULT_OPTION_CODE, queries.default_option())  # created on first use
    return {
        (e, o): _LooseCell(elements[e], options[o], f"{elements[e].name}")
        for e, o in raw_values
        if e in elements and o in options
    }


def _overlapping_submissions(element_ids, org_unit: OrgUnit, period: periods.Period):
    """The reports of every form holding one of the elements, for this unit, whose period
    overlaps `period`, locked FOR UPDATE against a concurrent approval (those rows only, not
    the shared period rows: see `_lock_submission`)."""
    holding = Submission.objects.filter(
        form__form_elements__element_id__in=element_ids,
        org_unit=org_unit,
        period__start_date__lte=period.end,
        period__end_date__gte=period.start,
    ).values("pk")
    return (
        Submission.objects.select_for_update(of=("self",))
        .filter(pk__in=holding)
        .select_related("period")
        .order_by("pk")
    )


@dataclass(frozen=True)
class _LooseCell:
    element: DataElement
    option: CategoryOption
    label: str
    field_name: str = ""


# -- the workflow ----------------------------------------------------------------------


def _event(submission: Submission, action: str, user, reason: str = "") -> None:
    SubmissionEvent.objects.create(
        submission=submission, action=action, by=user, at=timezone.now(), reason=reason
    )


def missing_required(form: Form, org_unit: OrgUnit, period_id: str) -> list[str]:
    """Names of the required cells that have no value yet."""
    cells = [c for c in queries.form_cells(form) if c.form_element.required]
    stored = queries.stored_values(org_unit, period_id, {c.element.pk for c in cells})
    return [c.label for c in cells if c.key not in stored]


def submit(user, form: Form, org_unit: OrgUnit, period_id: str) -> Submission:
    """填报 → 上报. Refused while a required cell is empty."""
    period = resolve_period(form, period_id)
    check_can_enter(user, form, org_unit, period)
    period_row = _period_row(period)
    with transaction.atomic():
        submission = _lock_submission(form, org_unit, period_row)
        refuse_if_not_editable(submission, period)
        missing = missing_required(form, org_unit, period.id)
        if missing:
            problems = [Problem(name, "必填项未填写") for name in missing]
            raise ReportingError(f"还有 {len(missing)} 个必填项未填写，不能上报", problems)
        blocking = [r for r in checks.run_submit_checks(form, org_unit, period) if r.blocking]
        if blocking:
            problems = [Problem("校验规则", r.message) for r in blocking]
            raise ReportingError(f"有 {len(blocking)} 条重要校验规则未通过，不能上报", problems)
        now = timezone.now()
        submission.status = SubmissionStatus.SUBMITTED
        submission.first_submitted_at = submission.first_submitted_at or now
        submission.submitted_at, submission.submitted_by = now, user
        submission.return_reason = ""
        submission.save()
        _event(submission, SubmissionEvent.Action.SUBMIT, user)
    return submission


def _review_transition(
    user, submission: Submission, allowed_from, to, action, reason=""
) -> Submission:
    if not get_scope(user).can(Can.REVIEW, submission.org_unit):
        raise ReportingError(
            f"您没有审核“{submission.org_unit.name}”的权限（审核由上级单位的审核员进行）"
        )
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if action == SubmissionEvent.Action.APPROVE and queries.took_part(user, locked):
            raise ReportingError(
                "您填报或上报过该报表（任一版本），不能审核自己经手的报表，请由其他审核员审核"
            )
        if locked.status not in allowed_from:
            raise ReportingError(
                f"当前状态为“{locked.get_status_display()}”，不能{SubmissionEvent.Action(action).label}"
            )
        locked.status = to
        locked.reviewed_at, locked.reviewed_by = timezone.now(), user
        if to == SubmissionStatus.RETURNED:
            locked.return_reason = reason
        locked.save()
        _event(locked, action, user, reason)
    submission.refresh_from_db()
    return submission


def _required_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReportingError(f"请填写{what}原因")
    if len(reason) > 500:
        raise ReportingError(f"{what}原因过长（最多 500 字）")
    return reason


def approve(user, submission: Submission) -> Submission:
    """上报 → 审核通过. Approved data is locked against editing."""
    return _review_transition(
        user,
        submission,
        {SubmissionStatus.SUBMITTED},
        SubmissionStatus.APPROVED,
        SubmissionEvent.Action.APPROVE,
    )


@dataclass
class BulkResult:
    approved: list[Submission] = field(default_factory=list)
    refused: list[tuple[Submission, str]] = field(default_factory=list)


def approve_many(user, submission_ids) -> BulkResult:
    """批量审核通过: each report goes through `approve` with every check it makes (scope, four
    eyes, status), in its own transaction, so one refusal does not undo the others. A report
    already approved (a resent form, a double click) is refused by its status, never approved
    twice. Ids outside the user's review scope are refused without naming the report."""
    result = BulkResult()
    ids = sorted({int(i) for i in submission_ids if str(i).isdigit()})[:MAX_BULK]
    rows = Submission.objects.filter(pk__in=ids).select_related("form", "org_unit", "period")
    scope = get_scope(user)
    for submission in rows.order_by("pk"):
        if not scope.can(Can.REVIEW, submission.org_unit):
            continue  # not theirs to see: no message that would confirm it exists
        try:
            result.approved.append(approve(user, submission))
        except ReportingError as exc:
            result.refused.append((submission, exc.message))
    return result


MAX_BULK = 200  # one page of the review list at most


def return_for_correction(user, submission: Submission, reason: str) -> Submission:
    """上报 → 退回, with the reason the reporting unit will see."""
    reason = _required_reason(reason, "退回")
    return _review_transition(
        user,
        submission,
        {SubmissionStatus.SUBMITTED},
        SubmissionStatus.RETURNED,
        SubmissionEvent.Action.RETURN,
        reason,
    )


def lock(user, submission: Submission) -> Submission:
    """审核通过 → 锁定: the period is closed for this unit."""
    return _review_transition(
        user,
        submission,
        {SubmissionStatus.APPROVED},
        SubmissionStatus.LOCKED,
        SubmissionEvent.Action.LOCK,
    )


def unlock(user, submission: Submission, reason: str) -> Submission:
    """审核通过/锁定 → 退回: reopens approved or locked data for correction, audited."""
    reason = _required_reason(reason, "解锁")
    return _review_transition(
        user,
        submission,
        {SubmissionStatus.APPROVED, SubmissionStatus.LOCKED},
        SubmissionStatus.RETURNED,
        SubmissionEvent.Action.UNLOCK,
        reason,
    )


# -- figures published by other apps ---------------------------------------------------


class SystemSource:
    """Audit `source` of values other apps publish (kept ≤ 20 characters)."""

    INSPECTIONS = "督查考评"
    LEDGER = "工作台账"
    SURVEYS = "满意度调查"


@dataclass(frozen=True)
class SystemElement:
    """A data element whose values an app computes from its own records (inspections done,
    training attendances…). Nobody types these: forms, Excel and the API refuse them."""

    code: str
    name: str
    unit: str = ""
    description: str = ""
    aggregation_type: str = "SUM"
    value_type: str = "INTEGER"


def ensure_system_elements(definitions) -> dict[str, DataElement]:
    """Create or refresh the system-managed elements; returns them by code. Idempotent, so an
    app can call it from a migration, its loader or lazily before publishing."""
    elements = {}
    for spec in definitions:
        element, _ = DataElement.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "unit": spec.unit,
                "description": spec.description,
                "aggregation_type": spec.aggregation_type,
                "value_type": spec.value_type,
                "system_managed": True,
            },
        )
        elements[spec.code] = element
    return elements


def publish_system_values(
    source: str,
    org_unit: OrgUnit,
    period_id: str,
    figures: dict[str, object],
) -> SaveResult:
    """Replace the published figures of one unit × period: `figures` maps a system element's
    code to its number (None deletes). Called by inspections and ledgers inside their own
    write transactions whenever their records change, so analytics has one path for every
    figure (DESIGN.md §3). Audited with `source`; no user (the system computed them)."""
    period = periods.parse(period_id)
    elements = {
        e.code: e for e in DataElement.objects.filter(code__in=list(figures), system_managed=True)
    }
    unknown = sorted(set(figures) - set(elements))
    if unknown:
        raise ReportingError(f"数据项“{'、'.join(unknown)}”不是系统生成的数据项")
    option = queries.default_option()
    cells = {
        (code, option.code): _SystemCell(element, option) for code, element in elements.items()
    }
    cleaned = {
        (code, option.code): None if number is None else clean_value(elements[code], number)
        for code, number in figures.items()
    }
    with transaction.atomic():
        period_row = Period.for_period(period)
        return _write_values(None, cells, cleaned, org_unit, period_row, source, "", False)


@dataclass(frozen=True)
class _SystemCell:
    element: DataElement
    option: object
