"""Problems the ledgers and the complaint figures hold, which 存在的问题 left out (director reads
of 2026-12-07 20:35: "医保 violations … not among the problems"; "未按时办结11件 printed and never
judged"): a 医保 inspection that found violations, and complaints not closed in time. Each is
said only where the records show it, in its own words (it states itself, as 督导检查发现问题整改
不够及时 does), and ranked by context.TIERS.

- 医保: an inspection by a 医保 department (医保部门检查, 飞行检查) in the period that found
  issues or an amount: "医保基金使用管理仍不够规范，9月16日，区医疗保障局开展医保基金使用专项检查，
  指出问题6条，涉及违规金额4.37万元，主要为超标准收费、重复收费和串换项目收费". The unit's own
  自查自纠 are its work (the area section says them), not a finding against it.
- hazards: a hazard found by an inspection received (BY 上级部门: the bureau, the fire brigade)
  of a kind the unit's own checks (安全生产 ledger, BY 本院组织) did not record in the
  OWN_CHECK_DAYS before it: "安全隐患自查不到位。11月11日，区消防救援大队检查发现应急照明灯
  损坏、灭火器压力不足，此前3个月的自查均未发现同类隐患". Kinds are the ledger's NOTE items ("、"
  separated), compared as written.
- complaints: the system holds no district rule for the on-time rate of complaints, so the
  floor is stated here: OVERDUE_COMPLAINTS (5) or more not closed in time is a problem.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from . import narrative as n
from .context import Context, Problem, cat
from .ledger_facts import owner_records, passed_scope, typed
from .ledger_facts import record_count as _count
from .ledger_facts import record_date as _date
from .ledger_facts import record_docno as _docno
from .ledger_facts import record_money as _money
from .ledger_facts import record_sum as _sum
from .narrative import Quantity, Text
from .timeframe import make_range

INSURANCE_DX = "LEDGER_INSURANCE"  # the problem's code (offices.yaml: 医保办 leads its answer)
INSPECTED = ("医保部门检查", "飞行检查")  # the ledger's kinds for inspections by others
NAMED_INSPECTIONS = 2
COMPLAINTS, ON_TIME = "LG_COMPLAINTS", "LG_COMPLAINTS_ONTIME"
# complaints not closed in time that make a problem, where no district rule says otherwise:
# one a month in a half-year is already a pattern a director answers for
OVERDUE_COMPLAINTS = Decimal(5)
SAFETY_DX = "LEDGER_SAFETY"
OWN_CHECK_DAYS = 90  # own checks that should have found a hazard before the inspector did
NAMED_HAZARDS = 3


def judge_ledgers(ctx: Context) -> None:
    """The ledgers' problems for a summary of the unit's whole work; a topical one (院感, 健康
    教育: `targets: template`) keeps to its topic — no 医保 finding in a 院感 summary."""
    if ctx.spec.get("targets") == "template":
        return
    judge_insurance(ctx)
    judge_hazards(ctx)
    judge_complaints(ctx)


def judge_insurance(ctx: Context) -> None:
    """A 医保 inspection of the period that found violations, with the amount and what was
    found (the record's own words)."""
    scope, _ = passed_scope(ctx)
    if scope is None:
        return
    rows = [
        r for r in owner_records(ctx, "INSURANCE", scope)
        if str(r.values.get("KIND") or "") in INSPECTED
        and (_sum([r], "ISSUES") or _sum([r], "AMOUNT"))
    ]  # fmt: skip
    if not rows:
        return
    rows.sort(key=lambda r: (-_sum([r], "AMOUNT"), r.start_date, r.pk))
    clauses: list[Text] = []
    for row in sorted(rows[:NAMED_INSPECTIONS], key=lambda r: (r.start_date, r.pk)):
        who = str(row.values.get("INSPECTOR") or "医保部门").strip()
        title = row.title.strip().rstrip("。")
        # the bureau's summary reads its units' records: which one was inspected
        whom = (
            ""
            if row.org_unit_id == ctx.owner.pk
            else f"对{row.org_unit.short_name or row.org_unit.name}"
        )
        parts: list = [_date(row), f"，{who}{whom}开展{title}", *_docno(row)]
        if _sum([row], "ISSUES"):
            parts += [
                "，指出问题",
                _count(row.values["ISSUES"], "条", f"台账记录 {row.pk} 发现问题"),
            ]
        if _sum([row], "AMOUNT"):
            parts += ["，涉及违规金额", _money(row, f"台账记录 {row.pk} 退回金额")]
        found = _what_was_found(typed(row, "RESULT"))
        if found:
            parts += ["，", *found]
        clauses.append(cat(parts))
    text = cat(["医保基金使用管理仍不够规范。", *n.join(clauses, sep="；")])
    # size 0: the ledgers' problems keep their order after the overdue rectifications
    ctx.problems.append(Problem("insurance", INSURANCE_DX, "医保基金使用", text, Decimal(0)))


def _what_was_found(result: Text) -> Text:
    """The findings of the record's result ("主要为超标准收费、重复收费和串换项目收费，已全部退回并
    完成整改" → its first clause when it says what was found); nothing when it says only what
    was done (退回, 整改, 约谈: the work, said in the area section)."""
    if len(result) != 1 or not isinstance(result[0], str):
        return ()
    head = result[0].split("，")[0]
    return (head,) if head.startswith(("主要为", "主要是", "存在")) else ()


def judge_hazards(ctx: Context) -> None:
    """Hazards an inspection received found that the unit's own checks had not recorded."""
    scope, _ = passed_scope(ctx)
    if scope is None:
        return
    since = make_range(scope.start - dt.timedelta(days=OWN_CHECK_DAYS), scope.end)
    rows = owner_records(ctx, "SAFETY", since)
    clauses: list[Text] = []
    for row in rows:
        if row.values.get("BY") != "上级部门" or not scope.start <= row.start_date <= scope.end:
            continue
        window = row.start_date - dt.timedelta(days=OWN_CHECK_DAYS)
        own = [
            r for r in rows
            if r.values.get("BY") != "上级部门" and r.org_unit_id == row.org_unit_id
            and window <= r.start_date <= row.start_date
        ]  # fmt: skip
        if not own:
            continue  # no own check to have missed it (a register not kept is another matter)
        known = {h for r in own for h in _hazard_kinds(r)}
        missed = [h for h in _hazard_kinds(row) if h not in known]
        if not missed:
            continue
        who = str(row.values.get("INSPECTOR") or "上级部门").strip()
        whom = (
            ""
            if row.org_unit_id == ctx.owner.pk
            else f"对{row.org_unit.short_name or row.org_unit.name}"
        )
        found = "、".join(missed[:NAMED_HAZARDS]) + (
            "等问题" if len(missed) > NAMED_HAZARDS else ""
        )
        clauses.append(cat([_date(row), f"，{who}{whom}检查发现{found}"]))
    if not clauses:
        return
    # the window is a figure with its rule as source (no digit is printed outside a figure)
    rule = {"source": "判断规则", "query": f"本单位安全检查：上级检查前{OWN_CHECK_DAYS}天内（ledger_problems.OWN_CHECK_DAYS）"}  # fmt: skip
    months = n.Figure(f"{OWN_CHECK_DAYS // 30}个月", Decimal(OWN_CHECK_DAYS // 30), rule)
    tail = ["，上述隐患此前", months, "的自查均未发现"] if len(clauses) > 1 else ["，此前", months, "的自查均未发现同类隐患"]  # fmt: skip
    text = cat(["安全隐患自查不到位。", *n.join(clauses[:2], sep="；"), *tail])
    ctx.problems.append(Problem("hazards", SAFETY_DX, "安全隐患自查", text, Decimal(0)))


def _hazard_kinds(row) -> list[str]:
    note = str(row.values.get("NOTE") or "")
    return [
        h.strip() for h in note.replace("，", "、").replace("；", "、").split("、") if h.strip()
    ]


def judge_complaints(ctx: Context) -> None:
    """Complaints not closed in time, OVERDUE_COMPLAINTS or more: "群众投诉办理不够及时，全年受理
    群众投诉129件，未按时办结11件，按时办结率91.5%"."""
    facts = ctx.facts
    if COMPLAINTS not in facts.known or ON_TIME not in facts.known:
        return
    total, done = facts.current(COMPLAINTS), facts.current(ON_TIME)
    if not (n.has_value(total) and n.has_value(done)) or not total.value:
        return
    late = total.value - done.value
    if late < OVERDUE_COMPLAINTS or done.value > total.value:
        return
    # "按时办结率为91.5%，未按时办结11件": the words the satisfaction paragraph prints them in
    said = n.done_in_time(as_unit(done, "件"), as_unit(total, "件"), rate="按时办结率", late="未按时办结")  # fmt: skip
    words = facts.scope_words(COMPLAINTS)
    text = cat(
        [f"群众投诉办理不够及时，{words}受理群众投诉", n.fmt(as_unit(total, "件")), "，", *said]
    )
    ctx.seen.add(ON_TIME)
    ctx.problems.append(Problem("complaints", ON_TIME, "群众投诉按时办结", text, Decimal(0)))


def as_unit(q: Quantity, unit: str) -> Quantity:
    return Quantity(q.value, q.unit or unit, q.source, q.is_rate, q.decimals)
