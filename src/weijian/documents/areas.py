"""The areas a hospital's summary reports besides its medical work, written from the ledgers the
offices keep (issue 11, the reads of 2026-12-07 17:00: every hospital reader missed them):

- conduct   加强党风廉政和行风建设 (INTEGRITY: 廉洁承诺, 廉政谈话, 警示教育, 医德医风考评,
            专项整治, 问题查处)
- safety    抓实安全生产 (SAFETY: the unit's own checks and the hazards found and fixed; the
            checks it received from 消防、应急 and other departments)
- insurance 规范医保基金使用 (INSURANCE: inspections received with their findings and the money
            returned, 自查自纠, 政策培训)
- talent    加强人才队伍建设 (TALENT: 人才引进, 外出进修, 规范化培训, 职称晋升)

A section is one area (`part:` in the template); its points are 一是…二是… from the kinds that
have records in the period, in the unit's subtree only (a department never claims the
hospital's records, an outsider never sees them). An area without any record gets one short
marked line for the office (review text), never invented text. Every printed number is a
Figure whose source is a ledger record or a count of records.
"""

from __future__ import annotations

from collections import defaultdict

from weijian import periods

from .context import Context, cat
from .ledger_facts import owner_records, passed_scope, record_query, typed
from .ledger_facts import record_count as _count
from .ledger_facts import record_date as _date
from .ledger_facts import record_docno as _docno
from .ledger_facts import record_money as _money
from .ledger_facts import record_sum as _sum
from .model import Paragraph
from .narrative import Text
from .narrative import join as join_clauses
from .party_reform import titled
from .primary_norms import health_education
from .work_done import ORDINALS

BLANKS = {
    "conduct": "（请填写：党风廉政建设和行风建设的主要做法，系统中尚无相关台账记录。）",
    "safety": "（请填写：安全生产检查和隐患整改情况，系统中尚无相关台账记录。）",
    "insurance": "（请填写：医保基金使用管理情况，系统中尚无相关台账记录。）",
    "talent": "（请填写：人才引进和培养情况，系统中尚无相关台账记录。）",
    "health_education": "（请填写：健康教育开展情况，系统中尚无本期健康教育数据。）",
}
NAMED_UP_TO = 2  # dated events named one by one per kind; beyond, a count


def area_section(ctx: Context, spec: dict) -> list[Paragraph]:
    """The section of one area: 一是…二是… of its points, the body alone when only one point
    has records, the marked line when none has."""
    part = spec.get("part")
    scope, words = passed_scope(ctx)
    points = [p for p in (WRITERS[part](ctx, scope, words) if scope is not None else []) if p[1]]
    if not points:
        return [Paragraph((BLANKS[part],), review=True)]
    if len(points) == 1:
        return [Paragraph(cat(points[0][1]))]
    return [
        Paragraph(cat([f"{ORDINALS[i]}是{title}。", *body]))
        for i, (title, body) in enumerate(points)
    ]


def _by_kind(rows) -> dict[str, list]:
    kinds: dict[str, list] = defaultdict(list)
    for row in rows:
        kinds[str(row.values.get("KIND") or "其他")].append(row)
    return kinds


# -- 党风廉政和行风建设 -------------------------------------------------------------------------


def conduct(ctx: Context, scope: periods.Period, words: str) -> list[tuple[str, Text]]:
    rows = owner_records(ctx, "INTEGRITY", scope)
    kinds = _by_kind(rows)
    query = record_query(ctx, "INTEGRITY", scope)
    return [
        ("落实党风廉政建设责任", _responsibility(kinds, words, query)),
        ("加强医德医风建设", _ethics(kinds)),
        ("严肃查处行风问题", _cases(kinds.get("问题查处", []))),
    ]


def _responsibility(kinds, words: str, query: str) -> Text:
    """ "全年，全院组织326名职工签订廉洁从业承诺书；开展集体廉政谈话2次、谈话186人次（1月20日、7月8日）；
    4月15日，组织观看警示教育片《……》。" """
    clauses: list[Text] = []
    dated_first = False  # a clause led by its day takes no 全年/上半年 before it
    pledges = kinds.get("廉洁承诺", [])
    if pledges:
        people = _sum(pledges, "PEOPLE")
        if people:
            # people sign (a pledge is not counted in 人): "组织326名职工签订廉洁从业承诺书"
            clauses.append(cat(["组织", _count(people, "名", f"{query} 类别=廉洁承诺 人数合计"), "职工签订廉洁从业承诺书"]))  # fmt: skip
    talks = kinds.get("廉政谈话", [])
    if len(talks) == 1:  # one talk is named by its day ("开展廉政谈话1次" counts nothing)
        talk = talks[0]
        dated_first = not clauses
        parts: list = [_date(talk), "，", *_act(talk, "开展")]
        if talk.values.get("PEOPLE"):
            parts += ["，谈话对象", _count(talk.values["PEOPLE"], "人", f"台账记录 {talk.pk} 涉及人数")]  # fmt: skip
        clauses.append(cat(parts))
    elif talks:
        people = _sum(talks, "PEOPLE")
        parts = ["开展廉政谈话", _count(len(talks), "次", f"{query} 类别=廉政谈话")]
        if people:
            parts += ["、谈话", _count(people, "人次", f"{query} 类别=廉政谈话 人数合计")]
        if len(talks) <= NAMED_UP_TO:
            parts += ["（", *join_clauses([(_date(t),) for t in talks], sep="、"), "）"]
        clauses.append(cat(parts))
    for row in kinds.get("警示教育", [])[:NAMED_UP_TO]:
        dated_first = dated_first or not clauses
        clauses.append(cat([_date(row), "，", *_act(row, "开展")]))
    if not clauses:
        return ()
    lead = "" if dated_first else f"{words}，"
    return cat([lead, *join_clauses(clauses, sep="；"), "，筑牢拒腐防变的思想防线。"])


def _act(row, verb: str) -> Text:
    """The record's title as an act ("组织观看警示教育片…"), with its theme where it adds one."""
    title = titled(row)
    theme = typed(row, "THEME")
    said = [verb, *title] if not str(row.title).startswith(("组织", "开展", "召开")) else [*title]
    if theme and str(row.values.get("THEME")) not in row.title:
        said += ["，", *theme]
    return cat(said)


def _ethics(kinds) -> Text:
    """ "6月18日，印发《……专项整治工作方案》（区医院发〔2026〕15号），开展…；12月，完成年度医德
    医风考评，考评优秀46人……" """
    clauses: list[Text] = []
    for row in kinds.get("专项整治", [])[:NAMED_UP_TO]:
        parts: list = [_date(row), "，", *_act(row, "开展"), *_docno(row)]
        result = typed(row, "RESULT")
        if result:
            parts += ["，", *result]
        clauses.append(cat(parts))
    for row in kinds.get("医德医风考评", [])[:NAMED_UP_TO]:
        parts = [_date(row), "，完成", *titled(row)]
        people = row.values.get("PEOPLE")
        if people:
            parts += ["，参评", _count(people, "人", f"台账记录 {row.pk} 涉及人数")]
        result = typed(row, "RESULT")
        if result:
            parts += ["，", *result]
        clauses.append(cat(parts))
    if not clauses:
        return ()
    return cat([*join_clauses(clauses, sep="；"), "。"])


def _cases(rows) -> Text:
    """ "3月12日，患者反映…，经调查属实，对当事医师诫勉谈话并扣发当月绩效。" Every case is named: a
    case found is what a director must know, and there are few."""
    clauses = []
    for row in rows:
        parts: list = [_date(row), "，", *(typed(row, "THEME") or titled(row))]
        result = typed(row, "RESULT")
        if result:
            parts += ["，", *result]
        clauses.append(cat(parts))
    if not clauses:
        return ()
    return cat([*join_clauses(clauses, sep="；"), "。"])


# -- 安全生产 ------------------------------------------------------------------------------------


def safety(ctx: Context, scope: periods.Period, words: str) -> list[tuple[str, Text]]:
    rows = owner_records(ctx, "SAFETY", scope)
    own = [r for r in rows if r.values.get("BY") != "上级部门"]
    received = [r for r in rows if r.values.get("BY") == "上级部门"]
    query = record_query(ctx, "SAFETY", scope)
    return [
        ("常态化开展安全检查", _own_checks(own, words, query)),
        ("配合上级部门安全检查", _received_checks(received)),
    ]


def _own_checks(rows, words: str, query: str) -> Text:
    """ "全年，开展消防检查12次、节前检查3次，排查安全隐患41处，已整改39处，其余2处正在
    整改。" """
    if not rows:
        return ()
    kinds = _by_kind(rows)
    counted = [
        cat([SHORT.get(kind, kind), _count(len(kind_rows), "次", f"{query} 本院组织 类别={kind}")])
        for kind, kind_rows in sorted(kinds.items(), key=lambda kv: -len(kv[1]))
    ]
    parts: list = [f"{words}，开展", *join_clauses(counted, sep="、")]
    parts += _hazards(rows, f"{query} 本院组织", "排查安全隐患")
    return cat([*parts, "。"])


# The kinds as counted ("消防检查12次、节前检查2次"): the checker (count-twice) knows a count by
# the four characters before it, and "消防安全检查" and "节前安全检查" would both be "安全检查".
SHORT = {
    "消防安全检查": "消防检查",
    "节前安全检查": "节前检查",
    "用电和燃气安全检查": "用电和燃气检查",
    "危化品和特种设备检查": "危化品和特种设备检查",
    "安全生产大检查": "安全生产大检查",
    "其他": "其他安全检查",
}


def _hazards(rows, query: str, found_word: str, note: Text = ()) -> list:
    """ "，排查安全隐患6处（…），已整改5处，其余1处正在整改" (the note, what was found, after the
    count it names)."""
    found = _sum(rows, "HAZARDS")
    fixed = _sum(rows, "FIXED")
    if not found:
        return ["，未发现安全隐患"]
    parts: list = ["，", found_word, _count(found, "处", f"{query} 隐患合计")]
    if note:
        parts += ["（", *note, "）"]
    if fixed >= found:
        return [*parts, "，已全部整改"]
    parts += ["，已整改", _count(fixed, "处", f"{query} 已整改合计")] if fixed else []
    return [*parts, "，其余", _count(found - fixed, "处", f"{query} 未整改合计"), "正在整改"]


def _received_checks(rows) -> Text:
    """ "11月9日，区消防救援大队对我院开展消防安全检查，指出隐患3处（……），已全部整改。" """
    clauses = []
    for row in rows[:3]:
        who = str(row.values.get("INSPECTOR") or "上级部门").strip()
        parts: list = [_date(row), f"，{who}对我院开展", str(row.values.get("KIND") or "安全检查")]
        parts += _hazards([row], f"台账记录 {row.pk}", "指出隐患", typed(row, "NOTE"))
        clauses.append(cat(parts))
    if not clauses:
        return ()
    return cat([*join_clauses(clauses, sep="；"), "。"])


# -- 医保基金 ------------------------------------------------------------------------------------


def insurance(ctx: Context, scope: periods.Period, words: str) -> list[tuple[str, Text]]:
    rows = owner_records(ctx, "INSURANCE", scope)
    kinds = _by_kind(rows)
    query = record_query(ctx, "INSURANCE", scope)
    inspected = kinds.get("医保部门检查", []) + kinds.get("飞行检查", [])
    inspected.sort(key=lambda r: (r.start_date, r.pk))
    return [
        ("接受医保基金监管检查", _inspected(inspected)),
        ("开展自查自纠", _self_checks(kinds.get("自查自纠", []), words, query)),
        ("加强医保政策培训", _trainings(kinds.get("政策培训", []), query)),
    ]


def _inspected(rows) -> Text:
    """ "9月16日，区医疗保障局对我院开展医保基金使用专项检查（区医保发〔2026〕21号），指出问题5条，
    涉及违规金额3.3万元，已全部退回并完成整改。" """
    clauses = []
    for row in rows[:3]:
        who = str(row.values.get("INSPECTOR") or "医保部门").strip()
        parts: list = [_date(row), f"，{who}对我院开展", *titled(row), *_docno(row)]
        issues = row.values.get("ISSUES")
        if issues:
            parts += ["，指出问题", _count(issues, "条", f"台账记录 {row.pk} 发现问题")]
        else:
            parts.append("，未发现违规问题")
        if _sum([row], "AMOUNT"):
            parts += ["，涉及违规金额", _money(row, f"台账记录 {row.pk} 退回金额")]
        result = typed(row, "RESULT")
        if result:
            parts += ["，", *result]
        clauses.append(cat(parts))
    if not clauses:
        return ()
    return cat([*join_clauses(clauses, sep="；"), "。"])


def _self_checks(rows, words: str, query: str) -> Text:
    """ "全年，对照医保基金使用负面清单开展自查自纠4次，查找问题12条，主动退回医保基金1.2万元。" """
    if not rows:
        return ()
    q = f"{query} 类别=自查自纠"
    parts: list = [f"{words}，开展医保基金使用自查自纠", _count(len(rows), "次", q)]
    issues = _sum(rows, "ISSUES")
    if issues:
        parts += ["，查找问题", _count(issues, "条", f"{q} 发现问题合计")]
    if _sum(rows, "AMOUNT"):
        parts += ["，主动退回医保基金", _money(rows, f"{q} 退回金额合计")]
    return cat([*parts, "，逐条制定整改措施。"])


def _trainings(rows, query: str) -> Text:
    if not rows:
        return ()
    q = f"{query} 类别=政策培训"
    parts: list = ["组织医保政策和支付方式改革培训", _count(len(rows), "次", q)]
    people = _sum(rows, "PEOPLE")
    if people:
        parts += ["，培训临床医技人员", _count(people, "人次", f"{q} 参加人数合计")]
    return cat([*parts, "，提高了临床科室合理诊疗和规范收费意识。"])


# -- 人才队伍 ------------------------------------------------------------------------------------


def talent(ctx: Context, scope: periods.Period, words: str) -> list[tuple[str, Text]]:
    rows = owner_records(ctx, "TALENT", scope)
    kinds = _by_kind(rows)
    query = record_query(ctx, "TALENT", scope)
    return [
        ("引进急需紧缺人才", _recruited(kinds.get("人才引进", []), words, query)),
        ("加强骨干人才培养", _trained(kinds, query)),
        ("做好职称晋升工作", _promoted(kinds.get("职称晋升", []), query)),
    ]


def _recruited(rows, words: str, query: str) -> Text:
    """ "全年，引进医学专业技术人才9人，充实到内科、外科和急诊科。" """
    people = _sum(rows, "PEOPLE")
    if not people:
        return ()
    parts: list = [f"{words}，引进医学专业技术人才", _count(people, "人", f"{query} 类别=人才引进 人数合计")]  # fmt: skip
    depts = list(dict.fromkeys(str(r.values.get("DEPT") or "").strip() for r in rows))
    depts = [d for d in depts if d and not any(c.isdigit() for c in d)]
    if depts:  # every department named: "A、B和C" (等 would stand for ones not named)
        named = depts[0] if len(depts) == 1 else f"{'、'.join(depts[:-1])}和{depts[-1]}"
        parts.append(f"，充实到{named}")
    return cat([*parts, "。"])


def _trained(kinds, query: str) -> Text:
    """ "选派骨干赴市第一人民医院等单位进修6人次；2人参加住院医师规范化培训。" """
    clauses: list[Text] = []
    out = kinds.get("外出进修", [])
    people = _sum(out, "PEOPLE")
    if people:
        places = list(dict.fromkeys(str(r.values.get("PLACE") or "").strip() for r in out))
        places = [p for p in places if p and not any(c.isdigit() for c in p)]
        where = f"赴{'、'.join(places[:2])}{'等单位' if len(places) > 1 else ''}" if places else "外出"  # fmt: skip
        clauses.append(cat([f"选派骨干医务人员{where}进修", _count(people, "人次", f"{query} 类别=外出进修 人数合计")]))  # fmt: skip
    standard = _sum(kinds.get("规范化培训", []), "PEOPLE")
    if standard:
        clauses.append(cat(["选送", _count(standard, "人", f"{query} 类别=规范化培训 人数合计"), "参加住院医师规范化培训"]))  # fmt: skip
    if not clauses:
        return ()
    return cat([*join_clauses(clauses, sep="；"), "。"])


def _promoted(rows, query: str) -> Text:
    people = _sum(rows, "PEOPLE")
    if not people:
        return ()
    parts: list = [_count(people, "人", f"{query} 类别=职称晋升 人数合计"), "通过评审晋升上一级专业技术职称"]  # fmt: skip
    notes = [typed(r, "NOTE") for r in rows if r.values.get("NOTE")]
    if notes:
        parts += ["（", *join_clauses(notes[:2], sep="，"), "）"]
    return cat([*parts, "。"])


WRITERS = {
    "conduct": conduct,
    "safety": safety,
    "insurance": insurance,
    "talent": talent,
    # a centre's 健康教育 against the 基本公卫 norms (the engine's counts, primary_norms.py)
    "health_education": health_education,
}
