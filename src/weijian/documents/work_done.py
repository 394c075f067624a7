"""What was done (主要做法), written from the records the system holds, as an office writes it
(一是…。二是…。): leading groups founded or adjusted (with 文号 and date), responsibility
contracts signed (签订率), meetings held, trainings, drills, health days and health education
from the ledgers. Every number and date is a Figure whose source names the records it counts.

A ledger is stated for the months it was kept (records or a 本月无记录 declaration); a part
whose months have gaps is left out and named in the document's closing note.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal

from weijian import periods
from weijian.orgs.models import OrgUnitType

from . import narrative as n
from . import timeframe
from .context import Context, cat
from .facts import chinese_name
from .model import Paragraph
from .narrative import Figure, Quantity, Text

TITLES = {
    "groups": "健全组织领导",
    "contracts": "压实目标责任",
    "meetings": "坚持集体议事",
    "trainings": "加强业务培训",
    "drills": "开展应急演练",
    "health_days": "开展主题宣传",
    "health_education": "深化健康教育",
}
ORDINALS = "一二三四五六七八九十"


def count_figure(value, unit: str, source: str, query: str) -> Figure:
    return n.fmt(Quantity(Decimal(value), unit, {"source": source, "query": query}))


def date_figure(day: dt.date, source: str, query: str) -> Figure:
    """A date as printed ("4月10日"), its value the day as yyyymmdd."""
    return Figure(f"{day.month}月{day.day}日", Decimal(day.strftime("%Y%m%d")), {"source": source, "query": query})  # fmt: skip


def work_done_section(ctx: Context, spec: dict) -> list:
    parts = []
    for key in spec.get("parts") or []:
        body = PARTS[key](ctx, spec)
        if body:
            parts.append((spec.get("titles", {}).get(key) or TITLES[key], body))
    if len(parts) == 1:  # "一是" with no 二是 reads as a list cut short: the body alone
        return [Paragraph(cat(parts[0][1]))]
    return [
        Paragraph(cat([f"{ORDINALS[i]}是{title}。", *body]))
        for i, (title, body) in enumerate(parts[: len(ORDINALS)])
    ]


# -- leading groups and contracts ---------------------------------------------------------------


def groups(ctx: Context, spec: dict) -> Text:
    """ "4月10日，以区医院发〔2026〕27号文调整医院感染管理委员会组成人员，明确工作职责。" """
    from weijian.governance.models import GroupChange

    facts = ctx.facts
    period = facts.period
    changes = (
        GroupChange.objects.filter(
            group__org_unit=ctx.owner, effective_on__range=(period.start, period.end)
        )
        .select_related("group")
        .order_by("effective_on", "id")
    )
    if spec.get("topic"):  # a special summary names only its own topic's groups
        changes = [c for c in changes if any(k in c.group.name for k in spec["topic"])]
    clauses = []
    for change in list(changes)[:4]:
        query = f"GroupChange {change.pk}（{change.group.name}）"
        parts: list = [date_figure(change.effective_on, "领导小组", query), "，"]
        if change.document_number:
            parts += ["以", _document_number(change.document_number, query), "文"]
        verb = "成立" if change.kind == GroupChange.Kind.FOUND else "调整"
        what = "" if verb == "成立" else "组成人员"
        parts.append(f"{verb}{change.group.name}{what}")
        clauses.append(cat(parts))
    if not clauses:
        return ()
    return cat([*n.join(clauses, sep="；"), "，明确了工作职责和分工。"])


def _document_number(number: str, query: str) -> Figure:
    """区医院发〔2026〕27号 printed whole; its value the serial number."""
    digits = [int(d) for d in re.findall(r"\d+", number)]
    return Figure(number, Decimal(digits[-1] if digits else 0), {"source": "领导小组", "query": query})  # fmt: skip


def contracts(ctx: Context, spec: dict) -> Text:
    """Issued: "与12个科室签订《2026年度科室安全生产目标责任书》，签订率100%"; received:
    "3月5日，与区卫生健康局签订《2026年度基本公共卫生服务目标责任书》"."""
    from weijian.governance.models import Contract, ContractStatus

    facts = ctx.facts
    year = facts.period.end.year
    clauses = []
    issued = Contract.objects.filter(issuer=ctx.owner, year=year).order_by("title")
    by_title: dict[str, list] = {}
    for contract in issued:
        by_title.setdefault(contract.title, []).append(contract)
    for title, rows in by_title.items():
        signed = [c for c in rows if c.status == ContractStatus.SIGNED]
        query = f"Contract issuer={ctx.owner.code} year={year} title={title}"
        who = "个单位" if ctx.owner.type == OrgUnitType.BUREAU else "个科室"
        rate = Decimal(len(signed)) * 100 / Decimal(len(rows))
        rate_fig = n.fmt(Quantity(rate, "%", {"source": "目标责任书", "query": f"{query} 签订率 = 已签订 ÷ 应签订"}, is_rate=True, decimals=1))  # fmt: skip
        issued_fig = count_figure(len(rows), "", "目标责任书", query)
        if len(signed) == len(rows):
            clauses.append(cat(["与", issued_fig, f"{who}签订《{title}》，签订率", rate_fig]))
        else:  # "与22个科室签订" would claim signatures that are missing
            signed_fig = count_figure(len(signed), "份", "目标责任书", f"{query} 已签订")
            clauses.append(cat(["向", issued_fig, f"{who}下达《{title}》，已签订", signed_fig, "，", *_unsigned(rows, who, query)]))  # fmt: skip
    received = Contract.objects.filter(
        party=ctx.owner, year=year, status=ContractStatus.SIGNED
    ).select_related("issuer")
    for contract in received.order_by("signed_on")[:3]:
        query = f"Contract {contract.pk}"
        head = [date_figure(contract.signed_on, "目标责任书", query), "，"] if contract.signed_on else []  # fmt: skip
        clause = cat([*head, f"与{contract.issuer.name}签订《{contract.title}》", *_contract_results(ctx, contract)])  # fmt: skip
        clauses.append(clause)
    if not clauses:
        return ()
    if not issued:
        close = "，明确了年度目标任务。"
    elif ctx.owner.type == OrgUnitType.BUREAU:
        close = "，把各项目标任务分解落实到各单位。"
    else:
        close = "，把各项目标任务分解落实到科室和个人。"
    return cat([*n.join(clauses, sep="；"), close])


def _unsigned(rows: list, who: str, query: str) -> Text:
    """Who has not signed a letter every unit must sign: named when a few ("内科、儿科尚未
    签订"), else counted ("3个科室尚未签订") — not a 签订率 of 86.4 %, which leaves the reader
    to work out what is missing (director reads of 2026-12-07 23:30)."""
    from weijian.governance.models import ContractStatus

    missing = [c for c in rows if c.status != ContractStatus.SIGNED]
    if len(missing) <= 3:
        return ("、".join(c.party.short_name or c.party.name for c in missing) + "尚未签订",)
    return cat([count_figure(len(missing), "", "目标责任书", f"{query} 未签订"), f"{who}尚未签订"])


def _contract_results(ctx: Context, contract) -> Text:
    """After a whole year: how many of the contract's indicator targets were met (the engine's
    figures against each target, as the contracts page judges them); each one missed is a
    problem unless the same indicator's target was already judged."""
    from weijian.governance.queries import contract_results, met_counts
    from weijian.indicators.targets import Status

    facts = ctx.facts
    whole_year = facts.period.type.name == "YEARLY" and "~" not in facts.period.id
    if not whole_year:
        return ()
    results = contract_results([contract], ctx.date or facts.today).get(contract.pk, [])
    met, judged = met_counts(results)
    if not judged:
        return ()
    query = f"Contract {contract.pk} 指标目标（按全年数据判断）"
    parts: list = ["，", count_figure(judged, "项", "目标责任书", query), "指标目标中"]
    if met == judged:
        parts[-1] = "指标目标全部达标"
    else:
        parts += ["达标", count_figure(met, "项", "目标责任书", f"{query} 达标")]
    missed = [r for r in results if r.progress is not None and r.progress.status != Status.MET]
    exact = _exact_values(ctx, contract.party, [r.target.indicator.code for r in missed])
    for result in missed:
        if result.target.indicator.code in ctx.seen:
            continue
        _missed_problem(ctx, contract, result, exact)
    return cat(parts)


def _missed_problem(ctx: Context, contract, result, exact: dict) -> None:
    """A contract target missed, as a problem: "院感发病率为1.30%，超出《…》确定的1.20%的控制目标"."""
    from .context import Problem

    facts = ctx.facts
    progress = result.progress
    indicator = result.target.indicator
    ctx.seen.add(indicator.code)
    unit = indicator.unit or ""
    rate = indicator.is_rate
    goal = n.fmt(Quantity(result.target.target_value, unit, {"source": "目标责任书", "query": f"ContractTarget {result.target.pk}"}, is_rate=rate, decimals=indicator.decimals))  # fmt: skip
    name = chinese_name(indicator.short_name or indicator.name, indicator.name)
    actual: list = []
    value = exact.get(indicator.code)
    lower = indicator.direction == "LOWER_BETTER"
    verb = ["超出《", contract.title, "》确定的", goal, "的控制目标"] if lower else ["未达到《", contract.title, "》确定的", goal, "的目标"]  # fmt: skip
    if progress.value is not None and value is not None:
        source = {"dx": indicator.code, "pe": facts.period.id, "ou": contract.party.code}
        figure = Quantity(value, unit, source, is_rate=rate, decimals=indicator.decimals)
        target_q = Quantity(result.target.target_value, unit, {"source": "目标责任书", "query": f"ContractTarget {result.target.pk}"}, is_rate=rate, decimals=indicator.decimals)  # fmt: skip
        actual = [f"{name}为", n.fmt(figure), "，"]
        # stated as missed, with its bound and gap (director reads of 2026-12-07: a missed
        # 责任书 target is never softened): "未完成《…》确定的控制目标（≤1.20%），差0.10个百分点"
        missed = n.missed_contract(figure, target_q, contract.title, direction="down" if lower else "up")  # fmt: skip
        verb = list(missed) or verb
    text = cat([*actual, *verb]) if actual else cat([f"{name}", *verb])
    size = _shortfall(value, result.target.target_value)
    from .judgements import near_miss

    kind = "target"
    if value is not None and near_miss(
        value, result.target.target_value, None, "down" if lower else "up"
    ):
        kind = "near_target"  # over a 1.20 % cap by 0.01 point: named after the trends
    ctx.problems.append(Problem(kind, indicator.code, name, text, size))


def contract_statuses(ctx: Context) -> dict[str, str]:
    """After a whole year, each indicator of the unit's signed contracts → "met" or "missed"
    (as 目标责任书 judges them): a section heading then says 超出控制目标 where the problems
    say so, never 保持平稳 above them."""
    if "contract_statuses" in ctx.cache:
        return ctx.cache["contract_statuses"]
    from weijian.governance.models import Contract, ContractStatus
    from weijian.governance.queries import contract_results
    from weijian.indicators.targets import Status

    facts = ctx.facts
    found: dict[str, str] = {}
    missed: dict[str, tuple] = {}
    if facts.period.type.name == "YEARLY" and "~" not in facts.period.id:
        contracts = list(
            Contract.objects.filter(
                party=ctx.owner, year=facts.period.end.year, status=ContractStatus.SIGNED
            )
        )
        by_pk = {c.pk: c for c in contracts}
        for pk, results in contract_results(contracts, ctx.date or facts.today).items():
            for result in results:
                if result.progress is None or result.target.indicator is None:
                    continue
                code = result.target.indicator.code
                if result.progress.status != Status.MET:
                    missed.setdefault(code, (by_pk[pk], result))
                if found.get(code) != "missed":  # one missed target of two is missed
                    found[code] = "met" if result.progress.status == Status.MET else "missed"
    ctx.cache["contract_statuses"] = found
    ctx.cache["contract_missed"] = missed
    return found


def contract_problem(ctx: Context, dx: str) -> None:
    """The missed contract target of `dx` among the problems, when a heading says so and no
    section has named it yet (a special summary has no contracts paragraph of its own)."""
    missed = contract_statuses(ctx) and ctx.cache["contract_missed"].get(dx)
    if not missed or any(p.dx == dx and p.kind in ("target", "near_target") for p in ctx.problems):
        return
    contract, result = missed
    _missed_problem(ctx, contract, result, _exact_values(ctx, contract.party, [dx]))


def _shortfall(value, goal) -> Decimal:
    """How far a missed contract target is off, in % of the target (the order of problems in
    their tier, beside the indicator targets'): 83.23 % against 85 % is 2.1, a 1.30 % infection
    rate against 1.20 % is 8.3."""
    if value is None or not goal:
        return Decimal(0)
    return abs(Decimal(value) - goal) / abs(goal) * 100


def _exact_values(ctx: Context, party, codes: list[str]) -> dict:
    """The engine's unrounded values for the year (the contracts page judges on rounded
    ones; the provenance must equal `weijian analytics --skip-rounding`): the summary's own
    figures when the party is the unit, else one question to the engine."""
    from weijian.indicators.analytics import analyse

    facts = ctx.facts
    pe = facts.period.id
    if party.pk == facts.unit.pk and facts.result is not None:
        found = {c: facts.result.value(c, pe, party.code) for c in codes}
        codes = [c for c, v in found.items() if v is None]
    else:
        found = {}
    if codes:
        result = analyse(codes, [facts.period], [party])
        found.update({c: result.value(c, pe, party.code) for c in codes})
    return {c: v for c, v in found.items() if v is not None}


# -- ledgers ----------------------------------------------------------------------------------


def _kept(ctx: Context, code: str) -> tuple[periods.Period, str] | None:
    """The part of the period the ledger `code` was kept for, and its words (上半年, 12月);
    None (and a note) when its months have gaps or it was not kept at all."""
    from weijian.ledger.models import ActivityType
    from weijian.ledger.queries import register_status

    facts = ctx.facts
    key = f"kept:{code}"
    if key not in ctx.cache:
        kind = ActivityType.objects.filter(code=code).first()
        if kind is None:  # the ledgers are not installed
            ctx.cache[key] = None
            return None
        status = register_status(kind, ctx.owner, facts.period, facts.today)
        expected = [m.id for m in facts.data_months()]
        kept = [m for m in expected if m not in status.months_missing]
        found = None
        if kept and kept == expected:
            found = (facts.period, timeframe.span(facts.period))
        elif (
            kept and expected[expected.index(kept[0]) : expected.index(kept[0]) + len(kept)] == kept
        ):
            first, last = periods.parse(kept[0]), periods.parse(kept[-1])
            scope = timeframe.coverage_span(timeframe.make_range(first.start, last.end))
            found = (scope, timeframe.span(scope))
        elif kept:
            ctx.notes.append(f"{LEDGER_NAMES.get(code, code)}台账有月份未登记")
        ctx.cache[key] = found
    return ctx.cache[key]


LEDGER_NAMES = {"TRAIN": "培训", "DRILL": "应急演练", "MEET": "会议", "HE": "健康教育"}


def _records(ctx: Context, code: str, scope: periods.Period, keywords: list[str] | None = None):
    """The register's records in `scope`, read once per document (the sections that say what
    was done on their topic, measures.py, filter the same rows by their own keywords)."""
    from weijian.ledger.queries import records

    key = f"records:{code}:{scope.id}"
    if key not in ctx.cache:
        ctx.cache[key] = list(records(code, ctx.owner, scope))
    rows = ctx.cache[key]
    if keywords:  # by the theme (a department's name in a title, 感染性疾病科, says nothing)
        rows = [r for r in rows if any(k in str(r.values.get("THEME") or r.title) for k in keywords)]  # fmt: skip
    return rows


def _query(ctx: Context, code: str, scope: periods.Period, keywords) -> str:
    topic = f" 主题含{'/'.join(keywords)}" if keywords else ""
    return f"台账 {code} {ctx.owner.code} {scope.start}~{scope.end}{topic}"


def _lead(words: str, ctx: Context) -> str:
    return "" if words == ctx.words["span"] else f"{words}，"


def meetings(ctx: Context, spec: dict) -> Text:
    kept = _kept(ctx, "MEET")
    if kept is None:
        return ()
    scope, words = kept
    rows = _records(ctx, "MEET", scope)
    if not rows:
        return ()
    query = _query(ctx, "MEET", scope, None)
    own = [r for r in rows if r.org_unit_id == ctx.owner.pk]
    below = [r for r in rows if r.org_unit_id != ctx.owner.pk]
    parts: list = [_lead(words, ctx)]
    if own:
        parts += ["召开", *_meeting_counts(own, f"{query} 本单位")]
    if below:
        who = "各单位" if ctx.owner.type == OrgUnitType.BUREAU else "各科室"
        parts += ["，" if own else "", f"{who}召开", *_meeting_counts(below, f"{query} 下属单位")]
    return cat([*parts, "，集体研究部署重点工作，重大事项均经集体讨论决定。"])


def _meeting_counts(rows, query: str) -> Text:
    kinds = Counter(str(r.values.get("KIND") or "会议") for r in rows)
    counts = [
        cat([kind, count_figure(count, "次", "工作台账", f"{query} 类型={kind}")])
        for kind, count in kinds.most_common(4)
    ]
    return n.join(counts, sep="、")


def trainings(ctx: Context, spec: dict) -> Text:
    kept = _kept(ctx, "TRAIN")
    if kept is None:
        return ()
    scope, words = kept
    keywords = spec.get("topic")
    rows = _records(ctx, "TRAIN", scope, keywords)
    if not rows:
        return ()
    query = _query(ctx, "TRAIN", scope, keywords)
    attend = sum(int(r.values.get("ATTEND") or 0) for r in rows)
    whole = [r for r in rows if r.values.get("LEVEL") == "全院"]
    themes = _themes(rows)
    # 各类 only for trainings of several kinds ("组织培训1次", never "组织各类培训1次")
    several = len(rows) > 1 and len(_themes(rows, limit=2)) > 1
    parts: list = [
        _lead(words, ctx),
        "组织各类培训" if several else "组织培训",
        count_figure(len(rows), "次", "工作台账", query),
    ]
    if attend:
        parts += ["，参训", count_figure(attend, "人次", "工作台账", f"{query} 参训人次合计")]
    if whole and len(whole) < len(rows) and ctx.owner.type != OrgUnitType.BUREAU:
        parts += [
            "，其中全院性培训",
            count_figure(len(whole), "次", "工作台账", f"{query} 层级=全院"),
        ]
    if themes:
        parts.append(f"，培训内容涵盖{'、'.join(themes)}等")
    passed = sum(int(r.values.get("PASSED") or 0) for r in rows)
    examined = sum(int(r.values.get("EXAMINED") or 0) for r in rows)
    if examined:
        parts += _exam_result(passed, examined, attend, len(rows), query)
    return cat([*parts, "。"])


# Below this many examined, a one-decimal pass rate names a whole number of people the reader
# will work out (98.7% of 85 is 83.9): the counts are printed with it ("合格83人，合格率97.6%").
SMALL_GROUP = 1000


def _exam_result(passed: int, examined: int, attend: int, trainings: int, query: str) -> list:
    """ "，考核合格率97.4%" for a large group; for a small one the people behind the rate:
    "，考核合格83人，合格率97.6%", and "，考核77人，合格76人，…" when not every participant
    sat the exam. 人 for one training, 人次 for several (the same person may sit two)."""
    rate = Decimal(passed) * 100 / Decimal(examined)
    rate_fig = n.fmt(Quantity(rate, "%", {"source": "工作台账", "query": f"{query} 合格人数 ÷ 考核人数"}, is_rate=True, decimals=1))  # fmt: skip
    if examined >= SMALL_GROUP:
        return ["，考核合格率", rate_fig]
    people = "人" if trainings == 1 else "人次"
    passed_fig = count_figure(passed, people, "工作台账", f"{query} 考核合格人数合计")
    if examined == attend:
        return ["，考核合格", passed_fig, "，合格率", rate_fig]
    examined_fig = count_figure(examined, people, "工作台账", f"{query} 考核人数合计")
    return ["，考核", examined_fig, "，合格", passed_fig, "，合格率", rate_fig]


def drills(ctx: Context, spec: dict) -> Text:
    kept = _kept(ctx, "DRILL")
    if kept is None:
        return ()
    scope, words = kept
    rows = _records(ctx, "DRILL", scope, spec.get("topic"))
    if not rows:
        return ()
    query = _query(ctx, "DRILL", scope, spec.get("topic"))
    people = sum(int(r.values.get("PEOPLE") or 0) for r in rows)
    kinds = list(
        dict.fromkeys(str(r.values.get("KIND") or "") for r in rows if r.values.get("KIND"))
    )
    count = count_figure(len(rows), "次", "工作台账", query)
    dates = [date_figure(r.start_date, "工作台账", f"台账记录 {r.pk}") for r in rows]
    if len(kinds) <= 1 and len(rows) <= DATES_UP_TO:
        # one kind: the dates lead ("分别于7月17日、8月14日组织医院感染暴发应急演练2次"), never
        # the kind repeated in brackets after each date
        when = ["分别于" if len(rows) > 1 else "于", *n.join([(d,) for d in dates], sep="、")]
        parts: list = [_lead(words, ctx), *when, f"组织{_kinds_named(kinds)}应急演练", count]
    else:
        parts = [_lead(words, ctx), f"组织{_kinds_named(kinds)}应急演练", count]
    if people:
        parts += ["，参演", count_figure(people, "人次", "工作台账", f"{query} 参演人数合计")]
    if len(kinds) > 1 and len(rows) <= DATES_UP_TO:  # every drill with its kind, or none
        dated = [
            cat([date, f"{r.values.get('KIND') or ''}演练"])
            for date, r in zip(dates, rows, strict=True)
        ]
        parts += ["（", *n.join(dated, sep="、"), "）"]
    return cat([*parts, "，检验了应急预案，提高了应急处置能力。"])


# Drills are dated when there are at most this many: "应急演练8次" listing three dates leaves the
# reader asking about the other five, so a list names every drill or none.
DATES_UP_TO = 4


# A list announced with a count names every member up to this many ("围绕A、B、…、G等7个健康主题日"
# with all seven); beyond it three and the count ("A、B、C等12个"). 等 after a full list closes it.
LIST_ALL_UP_TO = 8


def _kinds_named(kinds: list[str]) -> str:
    """The drills' kinds exactly: "医院感染暴发和消防" for two, "A、B和C" for three, "A、B、C等"
    only when there are more (等 then stands for the rest)."""
    if not kinds:
        return ""
    if len(kinds) > 3:
        return f"{'、'.join(kinds[:3])}等"
    if len(kinds) == 1:
        return kinds[0]
    return f"{'、'.join(kinds[:-1])}和{kinds[-1]}"


def health_days(ctx: Context, spec: dict) -> Text:
    """The health days of the calendar the unit marked in the period (a record on the day)."""
    from weijian.ledger.models import Frequency
    from weijian.ledger.queries import calendar_check

    facts = ctx.facts
    period = facts.period
    names = []
    for year in range(period.start.year, period.end.year + 1):
        for item in calendar_check(ctx.owner, year, facts.today):
            occurrence = item.occurrence
            yearly = item.campaign.frequency in (Frequency.YEARLY_DAY, Frequency.YEARLY_MONTH)
            # 健康主题日 are health-education days: 国际护士节 (a meeting) and 安全生产月 (drills)
            # are marked in the calendar too but are not counted among them
            health = item.campaign.activity_type.code == "HE"  # select_related by the query
            if (
                yearly
                and health
                and item.matched
                and period.start <= occurrence.start <= period.end
            ):
                names.append(item.campaign.name)
    names = list(dict.fromkeys(names))
    if not names:
        return ()
    kinds = "健康主题日和宣传月" if any(name.endswith("月") for name in names) else "健康主题日"
    query = f"活动日历 {ctx.owner.code} {period.start}~{period.end} 已开展的健康主题日"
    if len(names) < 3:
        return (f"围绕{'、'.join(names)}，开展主题宣传和义诊咨询活动。",)
    shown = names if len(names) <= LIST_ALL_UP_TO else names[:3]
    listed = f"{'、'.join(shown)}等"
    return cat([
        f"围绕{listed}", count_figure(len(names), "个", "活动日历", query),
        f"{kinds}，开展主题宣传和义诊咨询活动，营造了良好的社会氛围。",
    ])  # fmt: skip


def health_education(ctx: Context, spec: dict) -> Text:
    kept = _kept(ctx, "HE")
    if kept is None:
        return ()
    scope, words = kept
    rows = _records(ctx, "HE", scope, spec.get("topic"))
    if not rows:
        return ()
    query = _query(ctx, "HE", scope, spec.get("topic"))
    forms = Counter(str(r.values.get("FORM") or "") for r in rows)
    reached = sum(int(r.values.get("REACHED") or 0) for r in rows)
    leaflets = sum(int(r.values.get("LEAFLETS") or 0) for r in rows)
    parts: list = [_lead(words, ctx), "开展健康教育活动", count_figure(len(rows), "次", "工作台账", query)]  # fmt: skip
    named = [
        cat([word, count_figure(forms[form], "次", "工作台账", f"{query} 形式={form}")])
        for form, word in (
            ("讲座", "健康讲座"),
            ("义诊", "义诊"),
            ("咨询", "健康咨询"),
            ("室外宣传", "室外宣传"),
        )  # fmt: skip
        if forms.get(form)
    ]
    if len(named) > 1:
        parts += ["，其中", *n.join(named, sep="、")]
    if reached:
        parts += ["，受益群众", count_figure(reached, "人次", "工作台账", f"{query} 受益人数合计")]
    if leaflets:
        parts += [
            "，发放宣传资料",
            count_figure(leaflets, "份", "工作台账", f"{query} 发放资料合计"),
        ]
    themes = _themes(rows)
    if themes:
        parts.append(f"，活动围绕{'、'.join(themes)}等主题开展")
    return cat([*parts, "。"])


_DIGITS = re.compile(r"[0-9０-９]")


def _themes(rows, limit: int = 4) -> list[str]:
    """The most frequent themes (else titles), without digits (every number needs a source)."""
    counts: Counter[str] = Counter()
    for row in rows:
        theme = str(row.values.get("THEME") or row.title or "").strip()
        if theme and not _DIGITS.search(theme):
            counts[theme] += 1
    return [t for t, _ in sorted(counts.items(), key=lambda tc: (-tc[1], tc[0]))[:limit]]


PARTS = {
    "groups": groups,
    "contracts": contracts,
    "meetings": meetings,
    "trainings": trainings,
    "drills": drills,
    "health_days": health_days,
    "health_education": health_education,
}
