"""Where each report stands in the workflow, and when things happened (Django-free).

Old periods are locked, the last few approved, last month is a mix (submitted and awaiting
review, drafts, missing, returned), so every task board has real items. A few reports were
late, a few never came, a few were returned and corrected: the correction shows in the audit
trail as CREATE (the wrong figure) then UPDATE (the right one, with the reviewer's reason).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass, field
from decimal import Decimal

from weijian import periods
from weijian.indicators.library import read_library

from .catalogue import CHECKS, FORMS, Check, FormSpec, cell_keys

MISSING, DRAFT, SUBMITTED, RETURNED, APPROVED, LOCKED = (
    "MISSING",
    "DRAFT",
    "SUBMITTED",
    "RETURNED",
    "APPROVED",
    "LOCKED",
)

# Why a reviewer sends back a report that is internally consistent but implausible.
RETURN_REASONS = {
    "WORKLOAD": "门诊人次较上月波动超过30%，请核实并在备注中说明原因",
    "SURGERY": "四级手术台次与病案首页统计不一致，请与病案室核对后重新上报",
    "HAI": "新发医院感染病例数与医院感染监测系统不一致，请核实",
    "DRUG": "抗菌药物使用强度明显高于上月，请核对累计DDD数",
    "NURSING": "非计划拔管例次与不良事件上报系统不一致，请核实",
    "PHS": "高血压规范管理人数与随访记录不符，请核实",
    "MCH": "活产数与出生医学证明签发数不一致，请核实",
    "IMM": "应种人数与免疫规划信息系统数据不一致，请核对",
    "FINANCE": "医保基金收入与医保结算数据不一致，请与医保办核对",
}
CORRECTED_REASON = "按审核意见更正"
SELF_CORRECTED_REASON = "更正录入错误"

# Reports pinned to a state (unit, form, months before today) so the featured logins' task
# boards always show something: neike (内科), qingshan (青山镇), the reviewers.
FEATURED = {
    ("RMYY_NK", "WORKLOAD", 1): SUBMITTED,
    ("RMYY_NK", "HAI", 1): RETURNED,
    ("RMYY_NK", "NURSING", 1): DRAFT,
    ("RMYY_NK", "DRUG", 1): MISSING,
    ("RMYY_NK", "WORKLOAD", 2): "CORRECTED",
    ("RMYY_WK", "SURGERY", 1): SUBMITTED,
    ("RMYY", "FINANCE", 1): SUBMITTED,
    ("QSZ", "WORKLOAD", 1): RETURNED,
    ("QSZ", "PHS", 1): MISSING,
    ("QSZ", "MCH", 1): DRAFT,
    ("QSZ", "IMM", 1): SUBMITTED,
    ("QSZ", "FINANCE", 1): SUBMITTED,
    ("QSZ", "PHS", 3): "LATE",
}


@dataclass
class Plan:
    status: str
    late: bool = False
    returned_once: bool = False  # returned by the reviewer, corrected and resubmitted
    self_corrected: bool = False  # the clerk fixed a typo before submitting


def plan(r: random.Random, months_ago: int, due_passed: bool, pinned: str | None = None) -> Plan:
    if pinned == "CORRECTED":
        return Plan(APPROVED if months_ago < 4 else LOCKED, returned_once=True)
    if pinned == "LATE":
        return Plan(APPROVED if months_ago < 4 else LOCKED, late=due_passed)
    if pinned:
        return Plan(pinned)
    x = r.random()
    if months_ago >= 4:
        p = Plan(MISSING if x < 0.005 else LOCKED)
        p.returned_once, p.self_corrected = r.random() < 0.02, r.random() < 0.01
        p.late = r.random() < 0.06
    elif months_ago >= 2:
        p = Plan(_pick(x, ((0.015, MISSING), (0.055, RETURNED), (0.095, SUBMITTED)), APPROVED))
        p.returned_once, p.self_corrected = r.random() < 0.06, r.random() < 0.03
        p.late = r.random() < 0.08
    else:
        p = Plan(
            _pick(
                x, ((0.08, MISSING), (0.20, DRAFT), (0.26, RETURNED), (0.70, SUBMITTED)), APPROVED
            )
        )
        p.returned_once, p.self_corrected = r.random() < 0.04, r.random() < 0.04
        p.late = due_passed and r.random() < 0.15
    if p.status in (MISSING, DRAFT):
        p.late = p.returned_once = p.self_corrected = False
    if p.status == RETURNED:
        p.returned_once = False
    return p


def _pick(x: float, thresholds, otherwise: str) -> str:
    for limit, status in thresholds:
        if x < limit:
            return status
    return otherwise


# -- the timeline of one report --------------------------------------------------------


@dataclass
class Timeline:
    entered: dt.datetime
    first_submitted: dt.datetime | None = None
    returned: dt.datetime | None = None  # a past return that was corrected
    corrected: dt.datetime | None = None
    resubmitted: dt.datetime | None = None
    reviewed: dt.datetime | None = None  # approval, or the current return
    locked: dt.datetime | None = None

    @property
    def submitted(self) -> dt.datetime | None:
        return self.resubmitted or self.first_submitted

    @property
    def last_review(self) -> dt.datetime | None:
        return self.locked or self.reviewed


def at(day: dt.date, hours: float, tz) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=tz) + dt.timedelta(hours=hours)


def timeline(
    r: random.Random, period: periods.Period, due_days: int, p: Plan, now: dt.datetime
) -> Timeline:
    tz = now.tzinfo
    due = period.due_date(due_days)
    if p.late:
        first = at(due + dt.timedelta(days=r.randint(1, 12)), r.uniform(8.5, 17.5), tz)
    else:
        first = at(period.end + dt.timedelta(days=r.randint(1, due_days)), r.uniform(8.5, 17.5), tz)
    earliest = at(period.end, 9, tz)
    entered = max(earliest, first - dt.timedelta(hours=r.uniform(0.5, 30)))
    tl = Timeline(entered=entered)
    if p.status == DRAFT:
        tl.entered = min(entered, now - dt.timedelta(hours=r.uniform(1, 20)))
        return tl
    tl.first_submitted = first
    hours = dt.timedelta(hours=1)
    if p.returned_once:
        tl.returned = first + hours * r.uniform(4, 48)
        tl.corrected = tl.returned + hours * r.uniform(1, 20)
        tl.resubmitted = tl.corrected + hours * r.uniform(0.2, 3)
    if p.status in (RETURNED, APPROVED, LOCKED):
        tl.reviewed = tl.submitted + hours * r.uniform(3, 72)
    if p.status == LOCKED:
        lock_day = period.next().next().start + dt.timedelta(days=14)
        tl.locked = max(at(lock_day, 16 + r.uniform(0, 1.5), tz), tl.reviewed + hours)
    return _before(tl, now)


def _before(tl: Timeline, now: dt.datetime) -> Timeline:
    """Pull the moments back so none is in the future, keeping their order (reports of the
    month that just ended, when today is early in the month)."""
    names = [
        "entered",
        "first_submitted",
        "returned",
        "corrected",
        "resubmitted",
        "reviewed",
        "locked",
    ]
    limit = now - dt.timedelta(minutes=5)
    for name in reversed(names):
        moment = getattr(tl, name)
        if moment is None:
            continue
        if moment > limit:
            setattr(tl, name, limit)
            moment = limit
        limit = moment - dt.timedelta(minutes=3)
    return tl


# -- corrections -----------------------------------------------------------------------


@dataclass
class Correction:
    key: tuple[str, str]
    wrong: int | Decimal
    reason: str  # the reviewer's return reason, or the clerk's
    update_reason: str


def applicable_checks(form: FormSpec) -> list[Check]:
    """Single-element '≤' checks whose both sides are on this form."""
    codes = set(form.element_codes)
    keys = set(cell_keys(form))
    return [
        c
        for c in CHECKS
        if c.op == "<="
        and len(c.left) == 1
        and not c.per_option
        and set(c.left) | set(c.right) <= codes
        and all((code, "default") in keys for code in c.left + c.right)
    ]


@functools.cache
def whole_forms() -> dict[str, frozenset[str]]:
    """Form → the other forms holding the denominators of its numerators, for the library's
    rates that cannot pass 100 % (SURGERY → WORKLOAD: 出院患者手术占比 = surgical patients,
    on the surgery form, ÷ discharges, on the workload form)."""
    form_of = {}
    for form in FORMS:
        for code in form.element_codes:
            form_of.setdefault(code, form.code)
    needs: dict[str, set[str]] = {}
    for spec in read_library().indicators:
        if not spec.numerator_within_denominator:
            continue
        numerator, denominator = spec.expressions()
        parts = {form_of[ref.code] for ref in numerator.items() if ref.code in form_of}
        wholes = {form_of[ref.code] for ref in denominator.items() if ref.code in form_of}
        for part in parts:
            needs.setdefault(part, set()).update(wholes - {part})
    return {form: frozenset(wholes) for form, wholes in needs.items() if wholes}


def complete_status(months_ago: int) -> str:
    """Where most reports of that age stand: what a report filed with the others reached."""
    return LOCKED if months_ago >= 4 else APPROVED if months_ago >= 2 else SUBMITTED


def promoted(statuses: dict[str, str], months_ago: int) -> dict[str, str]:
    """Forms to file in full because a reported form holds parts of their wholes: a missing
    or half-typed 工作量月报 beside a filed 手术月报 made a department's 出院患者手术占比 reach
    143 % (its surgeries counted, its discharges not). Returns form → new status."""
    needs = whole_forms()
    changed: dict[str, str] = {}
    current = dict(statuses)
    pending = True
    while pending:
        pending = False
        for form, status in list(current.items()):
            if status == MISSING:
                continue
            for whole in needs.get(form, ()):
                if current.get(whole) in (MISSING, DRAFT):
                    current[whole] = changed[whole] = complete_status(months_ago)
                    pending = True
    return changed


def with_wholes(kept: dict, values: dict) -> dict:
    """A half-typed draft as a clerk types it: every part comes with its whole (活产数 before
    住院分娩数, 应种 before 实种). A part typed without its whole made the district's rate pass
    100 % (the part counted in the sum, the whole did not). `values` holds the form's figures;
    each check's right side is added for every left-side box kept, until nothing changes."""
    kept = dict(kept)
    changed = True
    while changed:
        changed = False
        for check in CHECKS:
            for code, option in list(kept):
                if code not in check.left:
                    continue
                for whole in check.right:
                    key = (whole, option if check.per_option else "default")
                    if key in values and key not in kept:
                        kept[key] = values[key]
                        changed = True
    return kept


def returned_correction(r: random.Random, form: FormSpec, values: dict) -> Correction:
    """A figure that broke one of the form's checks, as first entered, and the reason given.
    Only checks whose two sides are of a size are used: confusing 实际实施 with 应实施 手卫生
    happens, reporting more falls than bed-days does not."""
    checks = applicable_checks(form)
    plausible = [c for c in checks if _ratio(c, values) >= 0.2] or checks
    check = r.choice(plausible)
    right = _sum(check.right, values)
    wrong = right + r.randint(1, max(1, int(right) // 50 + 1))
    return Correction(
        (check.left[0], "default"), wrong, f"{check.message}，请核实后重新上报", CORRECTED_REASON
    )


def _sum(codes, values) -> int | Decimal:
    return sum(values[(code, "default")] for code in codes)


def _ratio(check: Check, values: dict) -> float:
    right = _sum(check.right, values)
    return float(_sum(check.left, values) / right) if right else 0.0


def typo_correction(r: random.Random, values: dict) -> Correction | None:
    """A figure typed with one digit doubled, fixed by the clerk before submitting."""
    candidates = sorted(k for k, v in values.items() if v >= 10)
    if not candidates:
        return None
    key = r.choice(candidates)
    text = str(values[key])
    i = r.choice([i for i, ch in enumerate(text) if ch.isdigit()])
    wrong_text = text[:i] + text[i] + text[i:]
    wrong = Decimal(wrong_text) if isinstance(values[key], Decimal) else int(wrong_text)
    return Correction(key, wrong, "", SELF_CORRECTED_REASON)


@dataclass
class Report:
    """One form × unit × period as the loader writes it."""

    form: str
    unit: str
    period: periods.Period
    plan: Plan
    timeline: Timeline | None
    values: dict = field(default_factory=dict)  # (element, option) → final value
    corrections: list[Correction] = field(default_factory=list)
    return_reason: str = ""  # the current reason, when RETURNED
