"""Reads for reporting: the cells of a form, assignments, values, completeness, task lists."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property

from django.db import connection
from django.db.models import Prefetch, Q
from django.utils import timezone

from weijian import periods
from weijian.orgs.models import OrgUnit, OrgUnitGroup, label_with_ancestors
from weijian.orgs.scope import Can, Scope, holder_paths, nearest_holder

from . import form_cells_cache
from .models import (
    DEFAULT_OPTION_CODE,
    REPORTED_STATUSES,
    CategoryMembership,
    CategoryOption,
    DataValue,
    DataValueAudit,
    Form,
    FormElement,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)


@dataclass(frozen=True)
class Cell:
    """One input box of a form: an element, split by one option (or the default option).

    Cells are kept per worker process (form_cells_cache.py) and read-only, so what is derived
    from them is computed once per process (`cached_property` writes the instance's __dict__,
    which a frozen dataclass allows): a save and its page asked for these 20 000 times."""

    form_element: FormElement
    option: CategoryOption

    @cached_property
    def element(self):
        return self.form_element.element

    @cached_property
    def key(self) -> tuple[str, str]:
        return (self.element.code, self.option.code)

    @cached_property
    def field_name(self) -> str:
        return f"v:{self.element.code}:{self.option.code}"

    @cached_property
    def label(self) -> str:
        if self.option.code == DEFAULT_OPTION_CODE:
            return self.element.name
        return f"{self.element.name}（{self.option.name}）"


def default_option() -> CategoryOption:
    option, _ = CategoryOption.objects.get_or_create(
        code=DEFAULT_OPTION_CODE, defaults={"name": "合计"}
    )
    return option


def form_cells(form: Form) -> list[Cell]:
    """Every input cell of the form, in form order: one query while the form's metadata is
    unchanged (form_cells_cache.py), else three whatever the form's size. The cells are shared
    between requests: read them, never change them."""
    return form_cells_cache.cells(form.pk, lambda: _load_form_cells(form))


def _load_form_cells(form: Form) -> list[Cell]:
    memberships = CategoryMembership.objects.select_related("option")
    form_elements = (
        FormElement.objects.filter(form=form)
        .select_related("element__category", "section")
        .prefetch_related(
            Prefetch("element__category__categorymembership_set", queryset=memberships)
        )
        .order_by("section__sort_order", "sort_order", "id")
    )
    default = None
    cells: list[Cell] = []
    for form_element in form_elements:
        category = form_element.element.category
        if category is None:
            default = default or default_option()
            cells.append(Cell(form_element, default))
        else:
            for membership in category.categorymembership_set.all():
                cells.append(Cell(form_element, membership.option))
    return cells


@dataclass
class StoredValue:
    """A stored value as the entry page, Excel and the save read it: three columns of the row,
    not a model with its element and option (building those was a third of a page's reads)."""

    pk: int
    value: str
    number: Decimal | None


def stored_values(
    org_unit: OrgUnit, period_id: str, element_ids
) -> dict[tuple[str, str], StoredValue]:
    """The unit's stored values of the elements for the period, by (element, option) code.

    Plain SQL: the entry page and the save read these on every request, and the ORM's
    compilation of the 150-id filter cost more than the query (a quarter of the page's
    Python). `number` goes through the converters the ORM applies (SQLite hands back a float
    or an int; Django quantizes it to the field's places), so the result is what
    `values_list` gave."""
    return stored_values_of_periods(org_unit, [period_id], element_ids)[period_id]


def stored_values_of_periods(
    org_unit: OrgUnit, period_ids: list[str], element_ids
) -> dict[str, dict[tuple[str, str], StoredValue]]:
    """stored_values for several periods in one query: {period id: {cell key: value}}, every
    period present (empty when nothing is stored). The entry page reads its period, the one
    before and the same one a year ago: one round trip instead of three. On PostgreSQL the ids
    go as one array parameter: psycopg scans the query text for placeholders in Python, and
    150 of them cost more than the query."""
    ids = [int(pk) for pk in element_ids]
    found: dict[str, dict[tuple[str, str], StoredValue]] = {p: {} for p in period_ids}
    if not ids or not period_ids:
        return found
    periods_in = ", ".join(["%s"] * len(period_ids))
    if connection.vendor == "postgresql":
        sql, params = _STORED_VALUES_SQL.format(periods=periods_in, ids="= ANY(%s)"), [ids]
    else:
        ids_in = ", ".join(["%s"] * len(ids))
        sql, params = _STORED_VALUES_SQL.format(periods=periods_in, ids=f"IN ({ids_in})"), ids
    with connection.cursor() as cursor:
        cursor.execute(sql, [org_unit.pk, *period_ids, *params])
        rows = cursor.fetchall()
    convert = _number_converter()
    for period_id, element, option, pk, value, number in rows:
        found[period_id][(element, option)] = StoredValue(pk, value, convert(number))
    return found


_STORED_VALUES_SQL = (
    "SELECT v.period_id, e.code, o.code, v.id, v.value, v.number FROM reporting_datavalue v "
    "JOIN reporting_dataelement e ON e.id = v.element_id "
    "JOIN reporting_categoryoption o ON o.id = v.option_id "
    "WHERE v.org_unit_id = %s AND v.period_id IN ({periods}) AND v.element_id {ids}"
)


def _number_converter():
    """DataValue.number as read from a row, the way the ORM's compiler converts it."""
    field = DataValue._meta.get_field("number")
    column = field.get_col(DataValue._meta.db_table)
    converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)

    def convert(value):
        for converter in converters:
            value = converter(value, column, connection)
        return value

    return convert


def is_assigned(form: Form, org_unit: OrgUnit) -> bool:
    """Whether the form is assigned to the unit, directly or through a group. One query in
    plain SQL: every entry page and every save asks, and the ORM's compilation of the two
    EXISTS cost more than running them."""
    with connection.cursor() as cursor:
        cursor.execute(_assigned_sql(), [form.pk, org_unit.pk, form.pk, org_unit.pk])
        return bool(cursor.fetchone()[0])


def _assigned_sql() -> str:
    direct, grouped = Form.org_units.through._meta, Form.org_groups.through._meta
    members = OrgUnitGroup.members.through._meta

    def column(meta, name: str) -> str:
        return meta.get_field(name).column

    return (
        f"SELECT EXISTS (SELECT 1 FROM {direct.db_table} WHERE {column(direct, 'form')} = %s "
        f"AND {column(direct, 'orgunit')} = %s) "
        f"OR EXISTS (SELECT 1 FROM {grouped.db_table} g JOIN {members.db_table} m "
        f"ON m.{column(members, 'orgunitgroup')} = g.{column(grouped, 'orgunitgroup')} "
        f"WHERE g.{column(grouped, 'form')} = %s AND m.{column(members, 'orgunit')} = %s)"
    )


def took_part(user, submission: Submission) -> bool:
    """Whether `user` entered or submitted any version of this report, which bars them from
    approving it (four eyes). "Entered" is read from the audit trail: any change they made to
    a value of the form's elements for the report's unit and period, from any path (web,
    Excel, API), even if another clerk later overwrote it or resubmitted the report."""
    submitted = SubmissionEvent.objects.filter(
        submission=submission, action=SubmissionEvent.Action.SUBMIT, by=user
    )
    entered = DataValueAudit.objects.filter(
        org_unit_id=submission.org_unit_id,
        period_id=submission.period_id,
        element_id__in=FormElement.objects.filter(form_id=submission.form_id).values("element_id"),
        changed_by=user,
    )
    return submission.submitted_by_id == user.pk or submitted.exists() or entered.exists()


def assignments(forms=None, units_q=None) -> dict[int, set[int]]:
    """form id → ids of units the form is assigned to (directly or through a group)."""
    through_units = Form.org_units.through.objects.all()
    through_groups = Form.org_groups.through.objects.all()
    if forms is not None:
        form_ids = [f.pk for f in forms]
        through_units = through_units.filter(form_id__in=form_ids)
        through_groups = through_groups.filter(form_id__in=form_ids)
    result: dict[int, set[int]] = defaultdict(set)
    for form_id, unit_id in through_units.values_list("form_id", "orgunit_id"):
        result[form_id].add(unit_id)
    group_members = OrgUnit.groups.through.objects.filter(
        orgunitgroup_id__in=through_groups.values("orgunitgroup_id")
    ).values_list("orgunitgroup_id", "orgunit_id")
    members_by_group: dict[int, set[int]] = defaultdict(set)
    for group_id, unit_id in group_members:
        members_by_group[group_id].add(unit_id)
    for form_id, group_id in through_groups.values_list("form_id", "orgunitgroup_id"):
        result[form_id] |= members_by_group[group_id]
    if units_q is not None:
        allowed = set(OrgUnit.objects.filter(units_q).values_list("pk", flat=True))
        result = defaultdict(set, {f: ids & allowed for f, ids in result.items()})
    return result


def local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def is_on_time(submission: Submission, due: dt.date) -> bool:
    first = local_date(submission.first_submitted_at)
    return first is not None and first <= due


# -- completeness ----------------------------------------------------------------------


@dataclass
class Completeness:
    form: Form
    period: periods.Period
    due_date: dt.date
    expected: list[OrgUnit] = field(default_factory=list)
    on_time: list[tuple[OrgUnit, Submission]] = field(default_factory=list)
    late: list[tuple[OrgUnit, Submission]] = field(default_factory=list)
    missing: list[tuple[OrgUnit, Submission | None]] = field(default_factory=list)

    @property
    def expected_count(self) -> int:
        return len(self.expected)

    @property
    def reported_count(self) -> int:
        return len(self.on_time) + len(self.late)

    @property
    def on_time_count(self) -> int:
        return len(self.on_time)

    def rate(self, count: int) -> float | None:
        return round(100 * count / self.expected_count, 1) if self.expected else None

    @property
    def reporting_rate(self) -> float | None:
        return self.rate(self.reported_count)

    @property
    def on_time_rate(self) -> float | None:
        return self.rate(self.on_time_count)


def completeness(form: Form, period: periods.Period, scope: Scope) -> Completeness:
    """应报 / 已报 / 按时 for one form and period across the units of the user's scope.

    Expected: units the form is assigned to (directly or by group) that were open during the
    period. Reported: a submission that is submitted, approved or locked. On time: first
    submitted on or before the due date.
    """
    return completeness_of_forms([form], period, scope)[0]


def completeness_of_forms(forms, period: periods.Period, scope: Scope) -> list[Completeness]:
    """`completeness` for several forms of one period at once: a fixed number of queries."""
    return completeness_over_periods(forms, [period], scope)[period.id]


def completeness_over_periods(
    forms, periods_: list[periods.Period], scope: Scope
) -> dict[str, list[Completeness]]:
    """`completeness_of_forms` for each of several periods (a summary's months), still a fixed
    number of queries: assignments, units and their labels are read once, submissions of all
    the periods in one query."""
    assigned = assignments(forms, scope.q(Can.VIEW))
    unit_ids = set().union(*assigned.values()) if assigned else set()
    all_units = list(OrgUnit.objects.filter(pk__in=unit_ids).order_by("path"))
    label_with_ancestors(all_units)
    submissions = {
        (s.form_id, s.org_unit_id, s.period_id): s
        for s in Submission.objects.filter(
            form__in=forms, period_id__in=[p.id for p in periods_], org_unit_id__in=unit_ids
        )
    }
    found = {}
    for period in periods_:
        units = [u for u in all_units if u.is_open_during(period.start, period.end)]
        of_period = {
            (form_id, unit_id): s
            for (form_id, unit_id, period_id), s in submissions.items()
            if period_id == period.id
        }
        found[period.id] = [
            _tally(form, period, units, assigned[form.pk], of_period) for form in forms
        ]
    return found


def _tally(form, period, units, assigned_ids, submissions) -> Completeness:
    due = period.due_date(form.due_days)
    result = Completeness(form=form, period=period, due_date=due)
    result.expected = [u for u in units if u.pk in assigned_ids]
    for unit in result.expected:
        submission = submissions.get((form.pk, unit.pk))
        if submission is None or submission.status not in REPORTED_STATUSES:
            result.missing.append((unit, submission))
        elif is_on_time(submission, due):
            result.on_time.append((unit, submission))
        else:
            result.late.append((unit, submission))
    return result


# -- the task board --------------------------------------------------------------------


@dataclass
class Task:
    form: Form
    org_unit: OrgUnit
    period: periods.Period
    due_date: dt.date
    submission: Submission | None = None

    @property
    def days_overdue(self) -> int:
        return (timezone.localdate() - self.due_date).days


@dataclass
class TaskBoard:
    due: list[Task] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)
    returned: list[Task] = field(default_factory=list)
    to_review: list[Task] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.due) + len(self.overdue) + len(self.returned) + len(self.to_review)


# How far back the task board looks for reports never sent.
LOOKBACK_DAYS = 366


def open_periods(form: Form, today: dt.date) -> list[periods.Period]:
    """Ended periods of the form reaching into the last year (12 months, 4 quarters…), oldest first."""
    ptype = periods.PeriodType(form.period_type)
    last_ended = periods.last_ended(ptype, today)
    first = today - dt.timedelta(days=LOOKBACK_DAYS)
    return [p for p in periods.periods_between(ptype, first, last_ended.end) if p.end >= first]


def task_board(scope: Scope, today: dt.date | None = None) -> TaskBoard:
    """The user's own tasks. A report is routed to the nearest people above it who can act:
    the department's own clerk rather than the hospital office, the hospital's reviewer rather
    than the bureau's. Units with nobody closer fall to the next level up."""
    today = today or timezone.localdate()
    board = TaskBoard()
    _entry_tasks(scope, today, board)
    _review_tasks(scope, board)
    board.overdue.sort(key=lambda t: (t.due_date, t.org_unit.path))
    board.due.sort(key=lambda t: (t.due_date, t.org_unit.path))
    every_task = board.due + board.overdue + board.returned + board.to_review
    label_with_ancestors({id(t.org_unit): t.org_unit for t in every_task}.values())
    return board


def _entry_tasks(scope: Scope, today: dt.date, board: TaskBoard) -> None:
    if not scope.has_any(Can.ENTER):
        return
    assigned = assignments(units_q=scope.q(Can.ENTER))
    unit_ids = set().union(*assigned.values()) if assigned else set()
    mine, holders = scope.grant_paths(Can.ENTER), holder_paths(Can.ENTER)
    units = {
        u.pk: u
        for u in OrgUnit.objects.filter(pk__in=unit_ids)
        if nearest_holder(u.path, holders, Can.ENTER) in mine
    }
    assigned = {f: ids & units.keys() for f, ids in assigned.items() if ids & units.keys()}
    forms = {f.pk: f for f in Form.objects.filter(pk__in=assigned)}
    windows = {form_id: open_periods(form, today) for form_id, form in forms.items()}
    oldest = min((w[0].start for w in windows.values() if w), default=today)
    submissions = {
        (s.form_id, s.org_unit_id, s.period_id): s
        for s in Submission.objects.filter(
            form_id__in=forms, org_unit_id__in=units, period__start_date__gte=oldest
        )
    }
    for form_id, form in forms.items():
        for unit_id in sorted(assigned[form_id], key=lambda i: units[i].path):
            unit = units[unit_id]
            for period in windows[form_id]:
                if not unit.is_open_during(period.start, period.end):
                    continue
                submission = submissions.get((form_id, unit_id, period.id))
                task = Task(form, unit, period, period.due_date(form.due_days), submission)
                status = submission.status if submission else SubmissionStatus.DRAFT
                if status == SubmissionStatus.RETURNED:
                    board.returned.append(task)
                elif status == SubmissionStatus.DRAFT:
                    (board.due if task.due_date >= today else board.overdue).append(task)


def _review_tasks(scope: Scope, board: TaskBoard) -> None:
    if not scope.has_any(Can.REVIEW):
        return
    waiting = (
        Submission.objects.filter(
            scope.q(Can.REVIEW, "org_unit__"), status=SubmissionStatus.SUBMITTED
        )
        .select_related("form", "org_unit", "period", "submitted_by")
        .order_by("submitted_at")
    )
    mine, holders = scope.grant_paths(Can.REVIEW), holder_paths(Can.REVIEW)
    for s in waiting:
        if nearest_holder(s.org_unit.path, holders, Can.REVIEW) not in mine:
            continue
        period = s.period.parsed
        board.to_review.append(
            Task(s.form, s.org_unit, period, period.due_date(s.form.due_days), s)
        )


# -- the review list -------------------------------------------------------------------------


@dataclass
class ReviewFilter:
    """What the review list is narrowed to; every part optional except the status."""

    status: str = SubmissionStatus.SUBMITTED
    form_code: str = ""
    unit: OrgUnit | None = None  # the unit and everything below it
    period: periods.Period | None = None  # reports whose period lies inside it
    text: str = ""  # part of the form's or the unit's name


def review_queue(scope: Scope, wanted: ReviewFilter):
    """Reports of the units the user reviews, newest period first, narrowed by `wanted`."""
    queryset = scope.filter(Submission.objects.filter(status=wanted.status), Can.REVIEW)
    if wanted.form_code:
        queryset = queryset.filter(form__code=wanted.form_code)
    if wanted.unit is not None:
        queryset = queryset.filter(org_unit__path__startswith=wanted.unit.path)
    if wanted.period is not None:
        queryset = queryset.filter(
            period__start_date__gte=wanted.period.start, period__end_date__lte=wanted.period.end
        )
    text = wanted.text.strip()
    if text:
        queryset = queryset.filter(
            Q(form__name__icontains=text)
            | Q(org_unit__name__icontains=text)
            | Q(org_unit__short_name__icontains=text)
        )
    return queryset.select_related(
        "form", "org_unit", "period", "submitted_by", "reviewed_by"
    ).order_by("-period__start_date", "form__code", "org_unit__path", "pk")


def next_to_review(
    scope: Scope, after: Submission | None = None, within: ReviewFilter | None = None
) -> Submission | None:
    """The report a reviewer should open next: the oldest-waiting submitted report in their
    scope other than `after` (so “下一份” after an approval never offers the same one), inside
    the list the reviewer narrowed (`within`: form, unit, period, text) when there is one."""
    wanted = replace(within or ReviewFilter(), status=SubmissionStatus.SUBMITTED)
    queryset = review_queue(scope, wanted).select_related("form", "org_unit", "period")
    if after is not None:
        queryset = queryset.exclude(pk=after.pk)
    # Four eyes: skip reports the reviewer entered or submitted (they could not approve them).
    for submission in queryset.order_by("submitted_at", "pk")[:20]:
        if not took_part(scope.user, submission):
            return submission
    return None


# -- the entry page's comfort ------------------------------------------------------------------


def values_with_earlier(org_unit: OrgUnit, period: periods.Period, element_ids):
    """The entry page's values in one query: (the period's stored values, {cell key: (last
    period's value, same period last year's value)}), the latter shown beside each cell so a
    clerk and a reviewer see at once what looks odd."""
    try:
        previous, last_year = period.previous().id, period.same_period_last_year().id
    except periods.PeriodError:  # the calendar's first year has nothing before it
        return stored_values(org_unit, period.id, element_ids), {}
    found = stored_values_of_periods(org_unit, [period.id, previous, last_year], element_ids)
    before, year_ago = found[previous], found[last_year]
    keys = before.keys() | year_ago.keys()
    earlier = {
        key: (
            before[key].value if key in before else "",
            year_ago[key].value if key in year_ago else "",
        )
        for key in keys
    }
    return found[period.id], earlier


def changes_since_return(submission: Submission | None, element_ids, events) -> dict:
    """{cell key: (value when returned, value now)} for the cells changed after the latest
    退回 or 解锁, so the reviewer looks at what the unit corrected. `events` are the
    submission's events, which the entry page has loaded already (no query of its own)."""
    if submission is None:
        return {}
    sent_back = (SubmissionEvent.Action.RETURN, SubmissionEvent.Action.UNLOCK)
    back = max(
        (e for e in events if e.action in sent_back), key=lambda e: (e.at, e.pk), default=None
    )
    if back is None:
        return {}
    rows = (
        DataValueAudit.objects.filter(
            org_unit_id=submission.org_unit_id,
            period_id=submission.period_id,
            element_id__in=list(element_ids),
            changed_at__gt=back.at,
        )
        .select_related("element", "option")
        .order_by("changed_at", "pk")
    )
    changes: dict[tuple[str, str], tuple[str, str]] = {}
    for row in rows:
        key = (row.element.code, row.option.code)
        first_old = changes[key][0] if key in changes else row.old_value
        changes[key] = (first_old, row.new_value)
    return {key: pair for key, pair in changes.items() if pair[0] != pair[1]}


# -- who reviewed a report -------------------------------------------------------------

REVIEW_LABELS = {
    SubmissionEvent.Action.APPROVE: "审核通过",
    SubmissionEvent.Action.RETURN: "退回",
    SubmissionEvent.Action.LOCK: "锁定",
    SubmissionEvent.Action.UNLOCK: "解锁退回",
}


@dataclass(frozen=True)
class ReviewNote:
    """The latest reviewer's action on a report: what, by whom, when — and whether it was on
    an earlier version (the report was returned, then corrected and submitted again)."""

    label: str
    by: object  # the user, or None when deleted
    at: dt.datetime
    earlier: bool


def last_reviews(submissions) -> dict[int, ReviewNote]:
    """The latest review action (approve, return, lock, unlock) per submission, one query.
    Submission.reviewed_by alone misled: after a return and a resubmission it still named the
    reviewer who had returned the report, as if they had reviewed the new one."""
    by_id = {s.pk: s for s in submissions}
    notes: dict[int, ReviewNote] = {}
    events = (
        SubmissionEvent.objects.filter(submission_id__in=by_id, action__in=list(REVIEW_LABELS))
        .select_related("by")
        .order_by("at", "id")
    )
    for event in events:
        notes[event.submission_id] = _note(by_id[event.submission_id], event)
    return notes


def last_review(submission: Submission, events) -> ReviewNote | None:
    """The same from a report's events already read (the entry page lists them anyway)."""
    reviews = [e for e in events if e.action in REVIEW_LABELS]
    return _note(submission, reviews[-1]) if reviews else None


def _note(submission: Submission, event: SubmissionEvent) -> ReviewNote:
    earlier = submission.submitted_at is not None and event.at < submission.submitted_at
    return ReviewNote(REVIEW_LABELS[event.action], event.by, event.at, earlier)
