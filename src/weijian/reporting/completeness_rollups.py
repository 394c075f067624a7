"""The completeness rollup: expected, actual and on-time reports per form × unit subtree ×
period, kept by database triggers in the same transaction as every change it depends on.

Three tables (models.AssignedUnit, ExpectedRollup, ReportRollup):

    AssignedUnit     form × unit → how many ways the unit is assigned the form (directly, and
                     through each of the form's groups that has it as a member); > 0 = assigned
    ExpectedRollup   form × ancestor × (opening, closing) → assigned units below the ancestor
                     with those dates: a form period expects Σ n over the rows open in it
    ReportRollup     form × ancestor × period → reported submissions of assigned units open in
                     that period (actual), and those first submitted by the end of the due day
                     in local time (on time)

These are the figures reporting_metrics' reference query counts on the fly. Triggers:
- the form's units and groups and the groups' members (the m2m tables) move AssignedUnit;
- AssignedUnit turning assigned or unassigned adds or removes the unit's expected rows and
  its reported submissions;
- a submission's status or first submission time changing (submit, approve, return, unlock,
  lock, imports, deletes) moves its ReportRollup row;
- a unit's opening or closing date moves its expected rows and the submissions it opens or
  closes; a form's due days move its on-time counts.
Moving a unit in the tree changes its ancestors: whoever moves units rebuilds, as for the
value rollups. The local day's end is computed in SQL: PostgreSQL converts with the zone's
rules (AT TIME ZONE); SQLite has no zone rules, so the zone must keep one UTC offset (Asia/
Shanghai has since 1991) and is fixed into the triggers when they are installed: changing
WEIJIAN_TIME_ZONE needs `weijian analytics rebuild`, which reinstalls them.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from . import rollup_slots
from .models import REPORTED_STATUSES

STEPLEN = 4  # treebeard's path step, as rollups.STEPLEN
EARLIEST, LATEST = "0001-01-01", "9999-12-31"  # an open-ended unit's dates in the key

_ASSIGNED_KEY = "form_id, unit_id"
_EXPECTED_KEY = "unit_id, form_id, opening_date, closing_date"
REPORT_KEY = "unit_id, period_id, form_id, slot"  # a writer's own rows: rollup_slots.py


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _statuses() -> str:
    return ", ".join(f"'{s}'" for s in sorted(str(s) for s in REPORTED_STATUSES))


def fixed_offset_minutes(zone_name: str) -> int:
    """The zone's UTC offset in minutes, refused if it has changed since 1992 or will change
    (daylight saving): SQLite's triggers can only add a constant."""
    zone = zoneinfo.ZoneInfo(zone_name)
    offsets = {
        dt.datetime(year, month, 15, tzinfo=zone).utcoffset()
        for year in range(1992, 2101)
        for month in (1, 4, 7, 10)
    }
    if len(offsets) != 1:
        raise ImproperlyConfigured(
            f"SQLite 上的上报完整性汇总需要固定时差的时区，{zone_name} 有夏令时；"
            "请使用 PostgreSQL 或固定时差的时区（如 Asia/Shanghai）"
        )
    return int(offsets.pop().total_seconds() // 60)


def _due_before(period: str, form: str, due_days: str) -> str:
    """The first moment after the due day (the period's end + due days), local time, as the
    database compares stored moments: a report first submitted before it is on time."""
    if _pg():
        zone = settings.TIME_ZONE.replace("'", "")
        return f"(({period}.end_date + ({due_days} + 1))::timestamp AT TIME ZONE '{zone}')"
    minutes = -fixed_offset_minutes(settings.TIME_ZONE)
    return f"datetime({period}.end_date, '+' || ({due_days} + 1) || ' days', '{minutes} minutes')"


def _upsert(table: str, key: str, columns: tuple[str, ...]) -> str:
    sets = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    return f"ON CONFLICT ({key}) DO UPDATE SET {sets}"


def _ancestors(unit_table: str = "u") -> str:
    """FROM items and WHERE conditions giving `a`, each ancestor of unit `u` (itself too)."""
    return (
        "reporting_rollup_levels lv, orgs_orgunit a",
        f"lv.n <= {unit_table}.depth AND a.path = substr({unit_table}.path, 1, {STEPLEN} * lv.n)",
    )


# -- AssignedUnit: the m2m tables counted per form × unit ------------------------------


def _assigned_change(select: str, sign: int) -> str:
    """`select` yields (form_id, unit_id) pairs, each gaining (+1) or losing (-1) one source."""
    return (
        "INSERT INTO reporting_assignedunit (form_id, unit_id, sources) "
        f"SELECT x.form_id, x.unit_id, {sign} FROM ({select}) x WHERE true "
        f"{_upsert('reporting_assignedunit', _ASSIGNED_KEY, ('sources',))}"
    )


def _direct(row: str) -> str:
    return f"SELECT {row}.form_id AS form_id, {row}.orgunit_id AS unit_id"


def _through_group(row: str) -> str:
    return (
        f"SELECT {row}.form_id AS form_id, m.orgunit_id AS unit_id "
        f"FROM orgs_orgunitgroup_members m WHERE m.orgunitgroup_id = {row}.orgunitgroup_id"
    )


def _as_member(row: str) -> str:
    return (
        f"SELECT fg.form_id AS form_id, {row}.orgunit_id AS unit_id "
        f"FROM reporting_form_org_groups fg WHERE fg.orgunitgroup_id = {row}.orgunitgroup_id"
    )


# -- ExpectedRollup and ReportRollup ---------------------------------------------------


def _expected_change(form: str, unit: str, sign: int, dates: tuple[str, str] | None = None) -> str:
    """Unit `unit` (an id expression) counted (+1) or uncounted (-1) as expected to report
    form `form` at itself and each ancestor, under its dates (or the given ones)."""
    opening, closing = dates or ("u.opening_date", "u.closing_date")
    tables, where = _ancestors()
    return (
        "INSERT INTO reporting_expectedrollup (form_id, unit_id, opening_date, closing_date, n) "
        f"SELECT {form}, a.id, COALESCE({opening}, '{EARLIEST}'), COALESCE({closing}, '{LATEST}'), "
        f"{sign} FROM orgs_orgunit u, {tables} WHERE u.id = {unit} AND {where} "
        f"{_upsert('reporting_expectedrollup', _EXPECTED_KEY, ('n',))}"
    )


def _expected_of_assigned(unit: str, sign: int, dates: tuple[str, str] | None) -> str:
    """Every form the unit is assigned: its expected rows at the given dates (±)."""
    opening, closing = dates or ("u.opening_date", "u.closing_date")
    tables, where = _ancestors()
    return (
        "INSERT INTO reporting_expectedrollup (form_id, unit_id, opening_date, closing_date, n) "
        f"SELECT au.form_id, a.id, COALESCE({opening}, '{EARLIEST}'), "
        f"COALESCE({closing}, '{LATEST}'), {sign} "
        f"FROM reporting_assignedunit au, orgs_orgunit u, {tables} "
        f"WHERE au.unit_id = {unit} AND au.sources > 0 AND u.id = {unit} AND {where} "
        f"{_upsert('reporting_expectedrollup', _EXPECTED_KEY, ('n',))}"
    )


@dataclass(frozen=True)
class _Reports:
    """Which submissions a ReportRollup change counts: `s` is the row (NEW, OLD, or the alias
    of `source`); `assigned` requires AssignedUnit to hold the pair (off where the change is
    that pair's own); `dates` and `due_days` override the unit's dates and the form's days
    (the old ones, when those change)."""

    s: str = "s"
    source: str = ""
    where: str = "true"
    assigned: bool = True
    dates: tuple[str, str] = ("u.opening_date", "u.closing_date")
    due_days: str = "f.due_days"

    def change(self, sign: int) -> str:
        s = self.s
        opening, closing = self.dates
        tables, ancestors = _ancestors()
        source = f"{self.source}, " if self.source else ""
        assigned = ", reporting_assignedunit au" if self.assigned else ""
        assigned_where = (
            f" AND au.form_id = {s}.form_id AND au.unit_id = {s}.org_unit_id AND au.sources > 0"
            if self.assigned
            else ""
        )
        on_time = (
            f"CASE WHEN {s}.first_submitted_at < {_due_before('p', 'f', self.due_days)} "
            "THEN 1 ELSE 0 END"
        )
        return (
            "INSERT INTO reporting_reportrollup "
            "(form_id, unit_id, period_id, slot, actual, on_time) "
            f"SELECT {s}.form_id, a.id, {s}.period_id, {rollup_slots.expression()}, "
            f"{sign} * COUNT(*), {sign} * SUM({on_time}) "
            f"FROM {source}reporting_period p, reporting_form f, orgs_orgunit u, {tables}"
            f"{assigned} WHERE {self.where} AND p.id = {s}.period_id AND f.id = {s}.form_id "
            f"AND u.id = {s}.org_unit_id AND {s}.status IN ({_statuses()}) "
            f"AND ({opening} IS NULL OR {opening} <= p.end_date) "
            f"AND ({closing} IS NULL OR {closing} >= p.start_date) AND {ancestors}{assigned_where} "
            # One row per key: PostgreSQL's upsert may not touch a row twice in one statement
            # (several submissions of a form and period below one ancestor).
            f"GROUP BY {s}.form_id, a.id, {s}.period_id "
            f"{_upsert('reporting_reportrollup', REPORT_KEY, ('actual', 'on_time'))}"
        )


def _pair_reports(form: str, unit: str) -> _Reports:
    """The submissions of one form × unit, whatever AssignedUnit says (its own change)."""
    return _Reports(
        source="reporting_submission s",
        where=f"s.form_id = {form} AND s.org_unit_id = {unit}",
        assigned=False,
    )


# -- the statements each trigger runs --------------------------------------------------


def assigned_statements(row: str, sign: int) -> list[str]:
    """AssignedUnit row `row` (NEW) turned assigned (+1) or unassigned (-1)."""
    return [
        _expected_change(f"{row}.form_id", f"{row}.unit_id", sign),
        _pair_reports(f"{row}.form_id", f"{row}.unit_id").change(sign),
    ]


def submission_statements(row: str, sign: int) -> list[str]:
    return [_Reports(s=row).change(sign)]


def unit_dates_statements() -> list[str]:
    """A unit's opening or closing date changed (NEW, OLD are the unit)."""
    old = ("OLD.opening_date", "OLD.closing_date")
    submissions = dict(source="reporting_submission s", where="s.org_unit_id = NEW.id")
    return [
        _expected_of_assigned("NEW.id", -1, old),
        _expected_of_assigned("NEW.id", 1, None),
        _Reports(**submissions, dates=old).change(-1),
        _Reports(**submissions).change(1),
    ]


def due_days_statements() -> list[str]:
    """A form's due days changed (NEW, OLD are the form): its on-time counts move."""
    submissions = dict(source="reporting_submission s", where="s.form_id = NEW.id")
    return [
        _Reports(**submissions, due_days="OLD.due_days").change(-1),
        _Reports(**submissions).change(1),
    ]


M2M = {
    # table: (select of (form, unit) pairs for a row)
    "reporting_form_org_units": _direct,
    "reporting_form_org_groups": _through_group,
    "orgs_orgunitgroup_members": _as_member,
}


def m2m_statement(table: str, row: str, sign: int) -> str:
    return _assigned_change(M2M[table](row), sign)


# -- installing the triggers -----------------------------------------------------------

SQLITE_TRIGGERS = (
    "completeness_form_units_insert",
    "completeness_form_units_delete",
    "completeness_form_groups_insert",
    "completeness_form_groups_delete",
    "completeness_members_insert",
    "completeness_members_delete",
    "completeness_assigned_insert",
    "completeness_assigned_on",
    "completeness_assigned_off",
    "completeness_submission_insert",
    "completeness_submission_delete",
    "completeness_submission_update",
    "completeness_unit_dates",
    "completeness_due_days",
)
_M2M_NAMES = {
    "reporting_form_org_units": "form_units",
    "reporting_form_org_groups": "form_groups",
    "orgs_orgunitgroup_members": "members",
}
_SUBMISSION_CHANGED = " OR ".join(
    f"OLD.{c} IS NOT NEW.{c}"
    for c in ("status", "first_submitted_at", "form_id", "org_unit_id", "period_id")
)
_DATES_CHANGED = (
    "OLD.opening_date IS NOT NEW.opening_date OR OLD.closing_date IS NOT NEW.closing_date"
)


def sqlite_triggers() -> list[str]:
    def trigger(name, event, statements, when="true"):
        body = "".join(f"  {s};\n" for s in statements)
        return f"CREATE TRIGGER {name} AFTER {event} FOR EACH ROW WHEN {when}\nBEGIN\n{body}END"

    out = []
    for table, name in _M2M_NAMES.items():
        out.append(
            trigger(
                f"completeness_{name}_insert",
                f"INSERT ON {table}",
                [m2m_statement(table, "NEW", 1)],
            )
        )
        out.append(
            trigger(
                f"completeness_{name}_delete",
                f"DELETE ON {table}",
                [m2m_statement(table, "OLD", -1)],
            )
        )
    assigned = "ON reporting_assignedunit"
    submission = "ON reporting_submission"
    out += [
        trigger("completeness_assigned_insert", f"INSERT {assigned}",
                assigned_statements("NEW", 1), "NEW.sources > 0"),
        trigger("completeness_assigned_on", f"UPDATE {assigned}",
                assigned_statements("NEW", 1), "OLD.sources <= 0 AND NEW.sources > 0"),
        trigger("completeness_assigned_off", f"UPDATE {assigned}",
                assigned_statements("NEW", -1), "OLD.sources > 0 AND NEW.sources <= 0"),
        trigger("completeness_submission_insert", f"INSERT {submission}",
                submission_statements("NEW", 1)),
        trigger("completeness_submission_delete", f"DELETE {submission}",
                submission_statements("OLD", -1)),
        trigger("completeness_submission_update", f"UPDATE {submission}",
                submission_statements("OLD", -1) + submission_statements("NEW", 1),
                _SUBMISSION_CHANGED),
        trigger("completeness_unit_dates",
                "UPDATE OF opening_date, closing_date ON orgs_orgunit",
                unit_dates_statements(), _DATES_CHANGED),
        trigger("completeness_due_days", "UPDATE OF due_days ON reporting_form",
                due_days_statements(), "OLD.due_days <> NEW.due_days"),
    ]  # fmt: skip
    return out


def _plpgsql(statements: list[str], indent: str = "    ") -> str:
    return "".join(f"{indent}{s};\n" for s in statements)


def _function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$\nBEGIN\n{body}  RETURN NULL;\nEND$$"
    )


# (trigger and function name, table, events, WHEN condition or "")
_PG_TRIGGERS = [
    *(
        (f"completeness_{name}", table, "INSERT OR DELETE", "")
        for table, name in _M2M_NAMES.items()
    ),
    ("completeness_assigned", "reporting_assignedunit", "INSERT OR UPDATE", ""),
    ("completeness_submission", "reporting_submission", "INSERT OR UPDATE OR DELETE", ""),
    (
        "completeness_unit_dates", "orgs_orgunit", "UPDATE OF opening_date, closing_date",
        "OLD.opening_date IS DISTINCT FROM NEW.opening_date "
        "OR OLD.closing_date IS DISTINCT FROM NEW.closing_date",
    ),
    (
        "completeness_due_days", "reporting_form", "UPDATE OF due_days",
        "OLD.due_days IS DISTINCT FROM NEW.due_days",
    ),
]  # fmt: skip


def _pg_bodies() -> dict[str, str]:
    bodies = {}
    for table, name in _M2M_NAMES.items():
        bodies[f"completeness_{name}"] = (
            "  IF TG_OP = 'INSERT' THEN\n"
            f"{_plpgsql([m2m_statement(table, 'NEW', 1)])}"
            "  ELSE\n"
            f"{_plpgsql([m2m_statement(table, 'OLD', -1)])}"
            "  END IF;\n"
        )
    was = "(TG_OP = 'UPDATE' AND OLD.sources > 0)"
    bodies["completeness_assigned"] = (
        f"  IF NEW.sources > 0 AND NOT {was} THEN\n"
        f"{_plpgsql(assigned_statements('NEW', 1))}"
        f"  ELSIF NEW.sources <= 0 AND {was} THEN\n"
        f"{_plpgsql(assigned_statements('NEW', -1))}"
        "  END IF;\n"
    )
    changed = _SUBMISSION_CHANGED.replace("IS NOT", "IS DISTINCT FROM")
    bodies["completeness_submission"] = (
        "  IF TG_OP = 'INSERT' THEN\n"
        f"{_plpgsql(submission_statements('NEW', 1))}"
        "  ELSIF TG_OP = 'DELETE' THEN\n"
        f"{_plpgsql(submission_statements('OLD', -1))}"
        f"  ELSIF {changed} THEN\n"
        f"{_plpgsql(submission_statements('OLD', -1) + submission_statements('NEW', 1))}"
        "  END IF;\n"
    )
    bodies["completeness_unit_dates"] = _plpgsql(unit_dates_statements(), "  ")
    bodies["completeness_due_days"] = _plpgsql(due_days_statements(), "  ")
    return bodies


def postgres_triggers() -> list[str]:
    bodies = _pg_bodies()
    out = []
    for name, table, events, when in _PG_TRIGGERS:
        out.append(_function(name, bodies[name]))
        condition = f"WHEN ({when}) " if when else ""
        out.append(
            f"CREATE TRIGGER {name} AFTER {events} ON {table} FOR EACH ROW "
            f"{condition}EXECUTE FUNCTION {name}()"
        )
    return out


def drop_postgres_triggers() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table, _e, _w in _PG_TRIGGERS]


# -- rebuilding and verifying ----------------------------------------------------------

ASSIGNED_COLUMNS = ("form_id", "unit_id", "sources")
EXPECTED_COLUMNS = ("form_id", "unit_id", "opening_date", "closing_date", "n")
REPORT_COLUMNS = ("form_id", "unit_id", "period_id", "actual", "on_time")


def assigned_select() -> str:
    return (
        "SELECT x.form_id, x.unit_id, COUNT(*) FROM ("
        "SELECT form_id, orgunit_id AS unit_id FROM reporting_form_org_units UNION ALL "
        "SELECT fg.form_id, m.orgunit_id FROM reporting_form_org_groups fg "
        "JOIN orgs_orgunitgroup_members m ON m.orgunitgroup_id = fg.orgunitgroup_id"
        ") x GROUP BY x.form_id, x.unit_id"
    )


def expected_select() -> str:
    tables, where = _ancestors()
    opening = f"COALESCE(u.opening_date, '{EARLIEST}')"
    closing = f"COALESCE(u.closing_date, '{LATEST}')"
    return (
        f"SELECT au.form_id, a.id, {opening}, {closing}, COUNT(*) "
        f"FROM reporting_assignedunit au, orgs_orgunit u, {tables} "
        f"WHERE au.sources > 0 AND u.id = au.unit_id AND {where} "
        f"GROUP BY au.form_id, a.id, {opening}, {closing}"
    )


def report_select() -> str:
    tables, where = _ancestors()
    on_time = (
        f"CASE WHEN s.first_submitted_at < {_due_before('p', 'f', 'f.due_days')} THEN 1 ELSE 0 END"
    )
    return (
        f"SELECT s.form_id, a.id, s.period_id, COUNT(*), SUM({on_time}) "
        "FROM reporting_submission s JOIN reporting_period p ON p.id = s.period_id "
        "JOIN reporting_form f ON f.id = s.form_id "
        "JOIN reporting_assignedunit au ON au.form_id = s.form_id "
        "AND au.unit_id = s.org_unit_id AND au.sources > 0 "
        f"JOIN orgs_orgunit u ON u.id = s.org_unit_id, {tables} "
        f"WHERE s.status IN ({_statuses()}) "
        "AND (u.opening_date IS NULL OR u.opening_date <= p.end_date) "
        f"AND (u.closing_date IS NULL OR u.closing_date >= p.start_date) AND {where} "
        "GROUP BY s.form_id, a.id, s.period_id"
    )


# (label, table, columns, select, the count columns a row must have non-zero to exist)
TABLES = [
    ("分配", "reporting_assignedunit", ASSIGNED_COLUMNS, assigned_select, ("sources",)),
    ("应报", "reporting_expectedrollup", EXPECTED_COLUMNS, expected_select, ("n",)),
    ("实报", "reporting_reportrollup", REPORT_COLUMNS, report_select, ("actual", "on_time")),
]


def rebuild(cursor) -> dict[str, int]:
    """Recompute the three tables (inside the caller's transaction). Refilling AssignedUnit
    fires its triggers; the two rollups are emptied and recomputed after it."""
    written = {}
    for table in (t[1] for t in TABLES):
        cursor.execute(f"DELETE FROM {table}")
    for _label, table, columns, select, _counts in TABLES:
        if table != "reporting_assignedunit":
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) {select()}")
        written[table] = cursor.rowcount
    return written


@dataclass(frozen=True)
class Difference:
    """One completeness cell that disagrees with the submissions and assignments."""

    table: str
    form: str
    unit: str
    key: str  # the period, or the unit dates of an expected row
    stored: tuple[int, ...] | None
    expected: tuple[int, ...] | None

    def describe(self) -> str:
        names = {"分配": ("来源",), "应报": ("应报",), "实报": ("实报", "及时")}[self.table]

        def show(figures):
            if figures is None:
                return "无"
            return "，".join(f"{name} {n}" for name, n in zip(names, figures, strict=True))

        where = f" · {self.key}" if self.key else ""
        return (
            f"[上报完整性·{self.table}] {self.form} · {self.unit}{where}："
            f"汇总表为 {show(self.stored)}，按上报记录应为 {show(self.expected)}"
        )


def differences(cursor) -> list[tuple[str, str, tuple, tuple | None, tuple | None]]:
    """(label, table, key, stored figures, expected figures) of every differing row."""
    found = []
    for label, table, columns, select, counts in TABLES:
        keys = [c for c in columns if c not in counts]
        cursor.execute(
            f"CREATE TEMPORARY TABLE completeness_expected AS SELECT * FROM {table} WHERE 1 = 0"
        )
        cursor.execute(f"INSERT INTO completeness_expected ({', '.join(columns)}) {select()}")
        nonzero = " OR ".join(f"{c} <> 0" for c in counts)
        listed = ", ".join(columns)
        # A cell's slots added up (ReportRollup; the other tables have one row per key).
        summed = ", ".join([*keys, *(f"SUM({c}) AS {c}" for c in counts)])
        stored = (
            f"SELECT {summed} FROM {table} GROUP BY {', '.join(keys)} "
            f"HAVING {' OR '.join(f'SUM({c}) <> 0' for c in counts)}"
        )
        expected = f"SELECT {listed} FROM completeness_expected WHERE {nonzero}"
        cursor.execute(
            f"SELECT 's', x.* FROM ({stored} EXCEPT {expected}) x UNION ALL "
            f"SELECT 'e', y.* FROM ({expected} EXCEPT {stored}) y"
        )
        cells: dict[tuple, dict[str, tuple]] = {}
        for side, *row in cursor.fetchall():
            by_name = dict(zip(columns, row, strict=True))
            key = tuple(str(by_name[k]) for k in keys)
            cells.setdefault(key, {})[side] = tuple(int(by_name[c]) for c in counts)
        cursor.execute("DROP TABLE completeness_expected")
        found += [(label, table, key, c.get("s"), c.get("e")) for key, c in sorted(cells.items())]
    return found


def describe(found) -> list[Difference]:
    from weijian.orgs.models import OrgUnit

    from .models import Form

    forms = dict(Form.objects.values_list("pk", "code"))
    units = dict(OrgUnit.objects.values_list("pk", "code"))
    out = []
    for label, _table, key, stored, expected in found:
        form_id, unit_id, *rest = key
        out.append(
            Difference(
                label,
                forms.get(int(form_id), form_id),
                units.get(int(unit_id), unit_id),
                " ~ ".join(rest),
                stored,
                expected,
            )
        )
    return out
