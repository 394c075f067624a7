"""Every report of the demo district: which unit sends which form for which month, with
which figures, in which workflow state (no database access)."""

from __future__ import annotations

import datetime as dt

from weijian import periods

from . import incidents
from .activity import Month, rng, simulate
from .catalogue import FORMS_BY_CODE, FormSpec, cell_keys
from .figures import Figures, UnitMonth, figures
from .tree import ALL_UNITS, Unit, closing_date, forms_of, reporting_units
from .workflow import (
    DRAFT,
    FEATURED,
    MISSING,
    RETURN_REASONS,
    RETURNED,
    Report,
    plan,
    promoted,
    returned_correction,
    timeline,
    typo_correction,
    with_wholes,
)


def last_months(today: dt.date, count: int) -> list[periods.Period]:
    """The `count` months up to the one before `today`'s month, oldest first."""
    last = periods.last_ended(periods.PeriodType.MONTHLY, today)
    first = last
    for _ in range(count - 1):
        first = first.previous()
    return periods.periods_between(periods.PeriodType.MONTHLY, first.start, last.end)


def build_reports(months: list[periods.Period], today: dt.date, now: dt.datetime) -> list[Report]:
    """Reports in unit, period, form order; missing reports are left out."""
    closed = closing_date(months[-1])
    activity = {u.code: simulate(u.code, u.clinic, months) for u in ALL_UNITS.values() if u.clinic}
    reports = []
    for unit in reporting_units():
        for i, period in enumerate(months):
            if not is_open(unit, period, closed):
                continue
            figs = figures(_unit_month(unit, i, period, activity, closed))
            changes = incidents.planted(unit.code, period, months[-1])
            if changes:
                figs = incidents.apply(figs, changes)
            months_ago = len(months) - i
            forms = [FORMS_BY_CODE[code] for code in forms_of(unit)]
            statuses = {f.code: _plan(unit, f, period, months_ago, today).status for f in forms}
            pinned = promoted(statuses, months_ago)
            for form in forms:
                report = _report(
                    unit, form, period, months_ago, figs, today, now, pinned.get(form.code)
                )
                if report is not None:
                    reports.append(report)
    return reports


def _plan(unit: Unit, form: FormSpec, period, months_ago: int, today, pinned=None):
    """The report's place in the workflow, drawn from its own random stream (the same
    stream `_report` goes on drawing from)."""
    r = rng(unit.code, form.code, period.id, "workflow")
    due_passed = period.due_date(form.due_days) < today
    return plan(
        r, months_ago, due_passed, pinned or FEATURED.get((unit.code, form.code, months_ago))
    )


def is_open(unit: Unit, period: periods.Period, closed: dt.date) -> bool:
    if unit.opened > period.end:
        return False
    return not (unit.closes and closed < period.start)


def _unit_month(unit: Unit, i: int, period, activity: dict[str, list[Month]], closed) -> UnitMonth:
    visits = discharges = 0
    if unit.finance:
        # An institution's money follows the patients of all its open departments.
        for member in unit.walk():
            if member.code in activity and is_open(member, period, closed):
                month = activity[member.code][i]
                visits += month.opd + month.er
                discharges += month.discharges
    return UnitMonth(
        code=unit.code,
        period=period,
        month=activity[unit.code][i] if unit.clinic else None,
        clinic=unit.clinic,
        surgery=unit.surgery,
        catchment=unit.catchment,
        finance=unit.finance,
        visits=visits,
        discharges=discharges,
    )


def _report(
    unit: Unit, form: FormSpec, period, months_ago: int, figs: Figures, today, now, pinned=None
) -> Report | None:
    r = rng(unit.code, form.code, period.id, "workflow")
    due_passed = period.due_date(form.due_days) < today
    p = plan(r, months_ago, due_passed, pinned or FEATURED.get((unit.code, form.code, months_ago)))
    if p.status == MISSING:
        return None
    values = {key: figs[key] for key in cell_keys(form)}
    if p.status == DRAFT:
        # A draft is half-typed: some boxes still empty (but no part without its whole).
        kept = {k: v for k, v in values.items() if r.random() < 0.6}
        values = with_wholes(kept or dict([next(iter(values.items()))]), values)
    report = Report(
        form.code, unit.code, period, p, timeline(r, period, form.due_days, p, now), values
    )
    if p.returned_once:
        report.corrections.append(returned_correction(r, form, values))
    if p.self_corrected:
        typo = typo_correction(r, values)
        if typo and all(c.key != typo.key for c in report.corrections):
            report.corrections.append(typo)
    if p.status == RETURNED:
        report.return_reason = RETURN_REASONS[form.code]
    return report
