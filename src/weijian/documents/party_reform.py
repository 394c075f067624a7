"""加强党建引领，推进改革发展, written from the ledgers a hospital's party and reform offices keep
(ledger types PARTY 党建活动, REFORM 改革举措, NEWTECH 新技术新项目, SPECIALTY 重点专科建设):
一是 party work, 二是 the reform steps, 三是 the new techniques, 四是 the key specialties.
Party work leads with the committee's own: its meetings and the “三重一大” items they decided
(召开党委会24次，研究“三重一大”事项56项), the 理论学习中心组's studies, then the 主题党日 (每月一次
only when every whole month had one), then the dated 民主生活会 and 党课. 党风廉政 is not told
here: the 行风 section (areas.py) tells it from its own ledger.

Only records dated within the period (and before the document's today) are named, with their
dates and names; counts only where a count means something (主题党日 4次, 新技术新项目 5项). A
kind with no record gets one short marked line for the office to fill (review text), never an
invented fact. Text the clerk typed is printed as typed; where it holds a number it is a Figure
whose source is the record, so every printed number has a source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal

from weijian import periods

from .context import Context, cat
from .ledger_facts import counter_value, owner_records, passed_scope, record_query, typed
from .ledger_facts import record_date as _date
from .model import Paragraph
from .narrative import Figure, Text
from .narrative import join as join_clauses
from .party_study import study_items
from .specs import PARTY_REFORM_PARTS as PARTS
from .work_done import LIST_ALL_UP_TO, ORDINALS, _kinds_named, count_figure

TITLES = {
    "party": "坚持党建引领",
    "reform": "深化公立医院综合改革",
    "new_tech": "推进新技术新项目",
    "specialties": "加强重点专科建设",
}
# What the office fills in when the system holds no record of a kind (short, marked, no figure).
BLANKS = {
    "party": "（请填写：党建工作的主要做法和成效。）",
    "reform": "（请填写：公立医院综合改革的主要举措和进展。）",
    "new_tech": "（请填写：新技术新项目的开展情况。）",
    "specialties": "（请填写：重点专科建设情况。）",
}
SOURCE = "工作台账"
# Dated clauses named one by one up to this many; beyond it the first ones and a count.
NAMED_UP_TO = 4


def party_reform_section(ctx: Context, spec: dict) -> list[Paragraph]:
    """一是…二是… per part; the year's campaigns and plans (part `campaigns`, party_study.py)
    lead the party work, each its own item, and are left out (no marked line) when the unit
    logged none. A template without a party committee's ledger (the bureau's) asks for
    `campaigns` alone; one with `party` gets them before it."""
    scope, words = passed_scope(ctx)
    parts = list(spec.get("parts") or PARTS)
    if "party" in parts and "campaigns" not in parts:
        parts.insert(parts.index("party"), "campaigns")
    items: list[tuple[str, Text, str]] = []  # (heading, body, the blank when the body is empty)
    for key in parts:
        if key == "campaigns":
            studied = study_items(ctx, scope) if scope is not None else []
            items += [(head, body, "") for head, body in studied]
            continue
        body = WRITERS[key](ctx, scope, words) if scope is not None else ()
        items.append((TITLES[key], body, BLANKS[key]))
    items = [item for item in items if item[1] or item[2]][: len(ORDINALS)]
    if len(items) == 1 and items[0][1]:  # "一是" with no 二是 reads as a list cut short
        return [Paragraph(cat([f"{items[0][0]}。", *items[0][1]]))]
    paragraphs = []
    for index, (title, body, blank) in enumerate(items):
        head = f"{ORDINALS[index]}是{title}。"
        if body:
            paragraphs.append(Paragraph(cat([head, *body])))
        else:
            paragraphs.append(Paragraph((head + blank,), review=True))
    return paragraphs


def titled(record) -> Text:
    """The record's title (a reform's or a specialty's name), a Figure when it holds a number
    (“2025年度领导班子民主生活会”)."""
    title = record.title.strip().rstrip("。")
    numbers = re.findall(r"\d+", title)
    if not numbers:
        return (title,)
    return (Figure(title, Decimal(numbers[-1]), {"source": SOURCE, "query": f"台账记录 {record.pk} 标题"}),)  # fmt: skip


# -- 党建 ----------------------------------------------------------------------------------------


def party(ctx: Context, scope: periods.Period, words: str) -> Text:
    """ "全年，召开党委会24次，研究“三重一大”事项56项，涉及年度预算、医疗设备采购、中层干部
    选拔任用等；开展理论学习中心组学习12次，重点学习…等；开展主题党日活动12次，做到每月一次，
    内容涵盖…等；1月15日，召开2024年度领导班子民主生活会；6月27日，院党委书记以“…”为题讲授
    专题党课，以高质量党建引领医院高质量发展。" The committee's meetings and studies first (what
    a director reads first of a party committee), then the branches' days, then the dated
    events. The period's word leads the first clause unless a date does."""
    rows = owner_records(ctx, "PARTY", scope)
    if not rows:
        return ()
    query = record_query(ctx, "PARTY", scope)
    by_kind: dict[str, list] = {}
    for row in rows:
        by_kind.setdefault(str(row.values.get("KIND") or "其他"), []).append(row)
    monthly = _every_month(by_kind.get("主题党日", []), scope)
    counted = [
        *_meetings(by_kind, query),
        *_centre_studies(by_kind.get("中心组学习", []), query),
        *([_party_days(by_kind["主题党日"], query)] if monthly else []),
    ]
    listed = []  # the activities a few times a year, counted together ("主题党日活动2次、专题学习2次")
    kinds = (("专题学习", "专题学习"),) if monthly else (("主题党日", "主题党日活动"), ("专题学习", "专题学习"))  # fmt: skip
    for kind, word in kinds:
        kind_rows = by_kind.get(kind, [])
        themes = _themes(kind_rows)
        if len(kind_rows) == 1 and themes:  # "开展主题党日活动1次" counts nothing: the theme
            listed.append((f"{themes[0]}{word}",))
        elif kind_rows:
            count = count_figure(len(kind_rows), "次", SOURCE, f"{query} 形式={kind}")
            named = f"（{'、'.join(themes)}）" if len(themes) == len(kind_rows) else ""
            listed.append(cat([word, count, named]))
    if listed:
        counted.append(cat(["开展", *join_clauses(listed, sep="、")]))
    clauses: list[Text] = []
    if counted:
        clauses = [cat([f"{words}，", *counted[0]]), *counted[1:]]
    for kind in ("民主生活会", "组织生活会"):
        for row in by_kind.get(kind, [])[:2]:
            clauses.append(cat([_date(row), "，召开", *titled(row)]))
    for row in by_kind.get("党课", [])[:2]:
        speaker = str(row.values.get("SPEAKER") or "").strip()
        theme = typed(row, "THEME")
        lecture = [speaker, "以“", *theme, "”为题讲授专题党课"] if theme else [speaker, "讲授专题党课"]  # fmt: skip
        clauses.append(cat([_date(row), "，", *lecture]))
    others = by_kind.get("其他", [])[:2]
    for row in others:
        clauses.append(cat([_date(row), "，", *titled(row)]))
    if not clauses:
        return ()
    return cat([*join_clauses(clauses, sep="；"), "，以高质量党建引领医院高质量发展。"])


# The party organisation's own meetings, as the record names its kind and as the text names it.
MEETINGS = (
    ("党委会", "党委会"),
    ("党总支委员会", "党总支委员会会议"),
    ("支部委员会", "支部委员会会议"),
)
SUBJECTS_NAMED = 3  # the subjects of the “三重一大” items named after their count


def _meetings(by_kind: dict[str, list], query: str) -> list[Text]:
    """ "召开党委会24次，研究“三重一大”事项56项，涉及年度预算、医疗设备采购和中层干部选拔任用"
    per kind of meeting held; the items only where the records count them, their subjects the
    most frequent in the records' 主题 (separated by 、)."""
    clauses = []
    for kind, word in MEETINGS:
        rows = by_kind.get(kind, [])
        if not rows:
            continue
        kind_query = f"{query} 形式={kind}"
        parts: list = [f"召开{word}", count_figure(len(rows), "次", SOURCE, kind_query)]
        decided = sum(counter_value(r, "DECISIONS") for r in rows)
        if decided:
            parts += ["，研究“三重一大”事项", count_figure(decided, "项", SOURCE, f"{kind_query} 合计 DECISIONS")]  # fmt: skip
            subjects = _subjects([r for r in rows if counter_value(r, "DECISIONS")])
            if subjects:
                parts.append(f"，涉及{subjects}")
        clauses.append(cat(parts))
    return clauses


def _subjects(rows) -> str:
    """The subjects most often decided ("年度预算、医疗设备采购和中层干部选拔任用"; "A、B、C等"
    when there are more), without digits (a number needs a source)."""
    counts: Counter[str] = Counter()
    for row in rows:
        for subject in re.split(r"[、，,；;]", str(row.values.get("THEME") or "")):
            subject = subject.strip().rstrip("。")
            if subject and not re.search(r"\d", subject):
                counts[subject] += 1
    ranked = [s for s, _ in sorted(counts.items(), key=lambda sc: (-sc[1], sc[0]))]
    return _kinds_named(ranked) if len(ranked) <= SUBJECTS_NAMED else f"{'、'.join(ranked[:SUBJECTS_NAMED])}等"  # fmt: skip


def _centre_studies(rows, query: str) -> list[Text]:
    """ "开展理论学习中心组学习12次，重点学习党纪学习教育、…等" (the first themes of the period)."""
    if not rows:
        return []
    count = count_figure(len(rows), "次", SOURCE, f"{query} 形式=中心组学习")
    # "重点学习" + "学习贯彻…" would say 学习 twice: the theme's own leading 学习(贯彻) goes
    themes = [re.sub(r"^学习(贯彻)?", "", t) or t for t in _themes(rows, limit=len(rows))]
    parts: list = ["开展理论学习中心组学习", count]
    if themes:
        shown = themes[:SUBJECTS_NAMED]
        more = "等" if len(themes) > len(shown) else ""
        parts.append(f"，重点学习{_kinds_named(shown) if not more else '、'.join(shown)}{more}")
    return [cat(parts)]


def _party_days(rows, query: str) -> Text:
    """ "开展主题党日活动12次，做到每月一次，内容涵盖学雷锋志愿服务、清明祭扫…等" (only when
    every month of the period had one: _every_month)."""
    count = count_figure(len(rows), "次", SOURCE, f"{query} 形式=主题党日")
    themes = _themes(rows, limit=len(rows))
    shown = "、".join(themes[:SUBJECTS_NAMED]) + ("等" if len(themes) > SUBJECTS_NAMED else "")
    return cat(["开展主题党日活动", count, "，做到每月一次", f"，内容涵盖{shown}" if shown else ""])


def _themes(rows, limit: int = 3) -> list[str]:
    """The records' themes in date order, without digits (a number needs a source)."""
    seen = [str(r.values.get("THEME") or r.title).strip() for r in rows]
    return [t for t in dict.fromkeys(seen) if t and not re.search(r"\d", t)][:limit]


MIN_MONTHS_FOR_MONTHLY = 3  # "每月一次" over one or two months says nothing


def _every_month(rows, scope: periods.Period) -> bool:
    """Whether each whole month of the period had at least one of the records (a month the
    period ends inside of is not yet owed one) and the period has enough months for 每月."""
    held = {(r.start_date.year, r.start_date.month) for r in rows}
    months = []
    day = scope.start.replace(day=1)
    while day <= scope.end:
        following = (day + dt.timedelta(days=32)).replace(day=1)
        if following - dt.timedelta(days=1) <= scope.end:
            months.append((day.year, day.month))
        day = following
    return len(months) >= MIN_MONTHS_FOR_MONTHLY and all(m in held for m in months)


# -- 改革 ----------------------------------------------------------------------------------------

STAGE_VERBS = {"启动实施": "启动", "持续推进": "深入推进", "全面完成": "全面完成"}


def reform(ctx: Context, scope: periods.Period, words: str) -> Text:
    """ "3月2日，启动DRG/DIP支付方式改革，成立工作专班……，病案首页质量明显提升；5月20日，深入推进
    紧密型医共体建设，……。" One clause per step, in date order."""
    rows = owner_records(ctx, "REFORM", scope)
    if not rows:
        return ()
    clauses = []
    for row in rows[:NAMED_UP_TO]:
        verb = STAGE_VERBS.get(str(row.values.get("STAGE") or ""), "推进")
        if verb in ("启动", "全面完成"):  # something done on a day: the day leads
            clause: list = [_date(row), f"，{verb}", *titled(row)]
        else:  # ongoing work has no day ("2月10日，深入推进…" read as machine-made): the act has
            clause = [verb, *titled(row), "，", _date(row)]
        for key in ("MEASURES", "RESULTS"):
            said = typed(row, key)
            if said:
                clause += ["，", *said]
        clauses.append(cat(clause))
    more = len(rows) - NAMED_UP_TO
    if more > 0:
        query = record_query(ctx, "REFORM", scope, " 未逐项列出")
        clauses.append(cat(["另推进其他改革举措", count_figure(more, "项", SOURCE, query)]))
    return cat([*join_clauses(clauses, sep="；"), "。"])


# -- 新技术新项目 ------------------------------------------------------------------------------


def new_tech(ctx: Context, scope: periods.Period, words: str) -> Text:
    """ "上半年，经医疗技术临床应用管理委员会审批，新开展经皮冠状动脉介入治疗（内科）、……等5项新技术
    新项目，其中…为区内首次开展。" """
    rows = owner_records(ctx, "NEWTECH", scope)
    if not rows:
        return ()
    query = record_query(ctx, "NEWTECH", scope)
    shown = rows if len(rows) <= LIST_ALL_UP_TO else rows[:3]
    names = [cat([*titled(r), *_dept(r)]) for r in shown]
    listed = join_clauses(names, sep="、")
    parts: list = [f"{words}，经医疗技术临床应用管理委员会审批，新开展", *listed]
    count = count_figure(len(rows), "项", SOURCE, query)
    if len(rows) == 1:
        parts.append("新技术")
    else:
        parts += ["等", count, "新技术新项目"]
    firsts = [r for r in rows if r.values.get("LEVEL") in ("区内首次开展", "市内领先")]
    if firsts and len(rows) > 1:
        levels = Counter(str(r.values.get("LEVEL")) for r in firsts)
        level = levels.most_common(1)[0][0] if len(levels) == 1 else "区内首次开展或市内领先"
        first_names = join_clauses([titled(r) for r in firsts[:3]], sep="、")
        parts += ["，其中", *first_names, f"{'等' if len(firsts) > 3 else ''}为{level}"]
    elif firsts:
        parts.append(f"，为{firsts[0].values.get('LEVEL')}")
    return cat([*parts, "，进一步提升了诊疗服务能力。"])


def _dept(record) -> Text:
    dept = str(record.values.get("DEPT") or "").strip()
    return (f"（{dept}）",) if dept and not re.search(r"\d", dept) else ()


# -- 重点专科 ------------------------------------------------------------------------------------


def specialties(ctx: Context, scope: periods.Period, words: str) -> Text:
    """ "4月15日，重症医学科通过市级重点专科评审；9月8日，康复医学科获批区级重点专科建设项目。" """
    rows = owner_records(ctx, "SPECIALTY", scope)
    if not rows:
        return ()
    clauses = []
    for row in rows[:NAMED_UP_TO]:
        level = str(row.values.get("LEVEL") or "")
        status = str(row.values.get("STATUS") or "")
        name = titled(row)
        if status == "通过评审":
            clause: list = [_date(row), "，", *name, f"通过{level}重点专科评审"]
        elif status == "获批立项":
            clause = [_date(row), "，", *name, f"获批{level}重点专科建设项目"]
        else:
            clause = [*name, f"{level}重点专科建设持续推进"]
        note = typed(row, "NOTE")
        if note:
            clause += ["，", *note]
        clauses.append(cat(clause))
    return cat([*join_clauses(clauses, sep="；"), "。"])


WRITERS = {
    "party": party,
    "reform": reform,
    "new_tech": new_tech,
    "specialties": specialties,
}
