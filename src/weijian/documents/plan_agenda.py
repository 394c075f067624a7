"""A plan's development agenda beyond the remedies of its problems (read 2026-12-08: "new
techniques, 重点专科, 医共体, 日间手术, 人才 — continue and extend what this year's records
show started"): one task per kind of record the unit holds for the year (ledger types NEWTECH,
SPECIALTY, REFORM, TALENT), this year's count the floor of the coming year's where the records
count something. What no record supports is not said (no placeholder promise)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from weijian import periods

from . import narrative as n
from . import timeframe
from .context import Context
from .ledger_facts import counter_value, owner_records, passed_scope, record_query
from .narrative import Quantity
from .plan_measures import TOPIC_MEASURES
from .tasks import Task

AGENDA = TOPIC_MEASURES["agenda"]
SOURCE = "工作台账"


def agenda_tasks(ctx: Context, unit_kind: str, default_office: str) -> list[Task]:
    """The agenda's tasks for the plan year, in the order of AGENDA, from the records of the
    year the plan looks back on (as far as it has passed)."""
    scope = records_scope(ctx)
    if scope is None or unit_kind in ("bureau", "department"):
        # a bureau's records are its units' (their agenda is theirs, its own is district
        # reform: party_reform's); a department's plan is its head's, not the hospital's
        return []
    found: list[Task] = []

    def add(key: str, text, subject: str) -> None:
        office = (AGENDA[key].get("office") or {}).get(unit_kind) or default_office
        found.append(Task(text, office, "全年" if "全年" in n.plain(text) else "", subject=subject))

    def own(code: str) -> list:  # the unit's own records, not its sub-units'
        return [r for r in owner_records(ctx, code, scope) if r.org_unit_id == ctx.owner.id]

    techs = own("NEWTECH")
    if techs:  # the floor: as many as this year's committee approved
        count = _count(len(techs), "项", record_query(ctx, "NEWTECH", scope))
        add("new_tech", n.fill(AGENDA["new_tech"]["text"] + "。", count=count), "新技术新项目")
    specialties = own("SPECIALTY")
    for key, passed in (("specialty_building", False), ("specialty_passed", True)):
        rows = [r for r in specialties if (r.values.get("STATUS") == "通过评审") == passed]
        if rows:
            names = "、".join(f"{r.title}{r.values.get('LEVEL') or ''}" for r in rows)
            add(key, (AGENDA[key]["text"].format(names=names) + "。",), "重点专科")
    steps = [r for r in own("REFORM") if r.values.get("STAGE") != "全面完成"]
    if steps:  # what was started or is under way, each named once
        names = "、".join(dict.fromkeys(r.title for r in steps))
        add("reform", (AGENDA["reform"]["text"].format(names=names) + "。",), "改革举措")
    trained = [r for r in own("TALENT") if r.values.get("KIND") == "外出进修"]
    people = sum(counter_value(r, "PEOPLE") for r in trained)
    if people:
        query = record_query(ctx, "TALENT", scope, " 类别=外出进修 人数合计")
        text = n.fill(AGENDA["training"]["text"] + "。", count=_count(people, "人次", query))
        add("training", text, "外出进修")
    return found


def records_scope(ctx: Context) -> periods.Period | None:
    """The year the plan looks back on, as far as it has passed: its records are logged as the
    work is done, not with the month's report (a plan written in late November counts the
    进修 of early November, which the 1—10月 figures do not yet hold)."""
    if ctx.plan_year is None:
        scope, _ = passed_scope(ctx)
        return scope
    start = dt.date(ctx.plan_year - 1, 1, 1)
    last = min(dt.date(ctx.plan_year - 1, 12, 31), ctx.facts.today - dt.timedelta(days=1))
    return timeframe.make_range(start, last) if last >= start else None


def _count(value: int, unit: str, query: str):
    return n.fmt(Quantity(Decimal(value), unit, {"source": SOURCE, "query": query}))
