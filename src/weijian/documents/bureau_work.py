"""The bureau's own areas, written from the ledgers its offices and the units keep:
深化医药卫生体制改革 (ledger REFORM across the district: the bureau's county-level steps and the
hospitals' own, grouped by 改革领域, 一是…二是…) and 卫生监督执法 (ledger SUPERVISION: rounds of
"双随机、一公开", special campaigns with their dates, units inspected and cases filed).

Only records dated within the period and before the document's today are used; a year still
running is told as 今年以来, never 全年. Every number is a Figure whose source is the ledger, so
the checker can trace it. Where the system holds no record, one short marked line (review text)
for the office to fill, never an invented fact.
"""

from __future__ import annotations

from collections import Counter

from weijian import periods

from .context import Context, cat
from .ledger_facts import counter_value, owner_records, passed_scope, record_query
from .model import Paragraph
from .narrative import Text
from .narrative import join as join_clauses
from .work_done import ORDINALS, count_figure, date_figure

SOURCE = "工作台账"
# per reform area the steps named one by one (the rest of the area counted)
STEPS_PER_AREA = 3
# special campaigns named with their dates; the rest counted
CAMPAIGNS_NAMED = 4
AREA_TITLES = {
    "紧密型医共体建设": "推进紧密型县域医共体建设",
    "分级诊疗": "推进分级诊疗制度建设",
    "医保支付方式改革": "深化医保支付方式改革",
    "薪酬制度改革": "深化薪酬制度改革",
    "现代医院管理制度": "健全现代医院管理制度",
    "改善就医服务": "改善就医服务",
    "药品耗材管理": "加强药品耗材管理",
}
BLANK_REFORM = "（请填写：本期深化医药卫生体制改革的主要举措和进展。系统中没有改革举措台账记录。）"
BLANK_SUPERVISION = "（请填写：本期卫生监督执法情况。系统中没有卫生监督执法台账记录。）"


def _date(record) -> Text:
    return (date_figure(record.start_date, SOURCE, f"台账记录 {record.pk}"),)


def _typed(record, key: str) -> str:
    return str(record.values.get(key) or "").strip().rstrip("。；;，,、 ")


# -- 深化医药卫生体制改革 ------------------------------------------------------------------------


def reform_section(ctx: Context, spec: dict) -> list[Paragraph]:
    """一是推进紧密型县域医共体建设。2月20日，印发…；4月22日，区人民医院…。二是…"""
    scope, _ = passed_scope(ctx)
    rows = owner_records(ctx, "REFORM", scope) if scope is not None else []
    if not rows:
        return [Paragraph((ctx.words_in(spec.get("missing") or BLANK_REFORM),), review=True)]
    by_area: dict[str, list] = {}
    for row in rows:  # oldest first: areas in the order the district took them up
        by_area.setdefault(_typed(row, "AREA") or "其他", []).append(row)
    paragraphs = []
    for index, (area, steps) in enumerate(list(by_area.items())[: len(ORDINALS)]):
        title = AREA_TITLES.get(area, f"推进{area}" if area != "其他" else "推进其他改革")
        clauses = [_step(ctx, row) for row in steps[:STEPS_PER_AREA]]
        more = len(steps) - STEPS_PER_AREA
        if more > 0:
            query = record_query(ctx, "REFORM", scope, f" 改革领域={area} 未逐项列出")
            clauses.append(cat(["另有", count_figure(more, "项", SOURCE, query), "举措持续推进"]))
        body = cat([*join_clauses(clauses, sep="；"), "。"])
        paragraphs.append(Paragraph(cat([f"{ORDINALS[index]}是{title}。", *body])))
    return paragraphs


def _step(ctx: Context, row) -> Text:
    """ "4月22日，区人民医院建成…，基层检查检验结果互认": who acted is named unless it is the
    bureau itself (the summary's 我局 speaks)."""
    who = "" if row.org_unit_id == ctx.owner.pk else row.org_unit.display_name
    measures = _typed(row, "MEASURES") or f"推进{row.title.strip()}"
    results = _typed(row, "RESULTS")
    return cat([*_date(row), f"，{who}{measures}", f"，{results}" if results else ""])


# -- 卫生监督执法 --------------------------------------------------------------------------------


def supervision_section(ctx: Context, spec: dict) -> list[Paragraph]:
    """ "全年，组织开展“双随机、一公开”监督抽查4轮、专项监督检查8项，监督检查各类单位
    1 234户次，立案查处违法案件31件。3月6日开展春季学校卫生专项监督检查，……等专项检查。" """
    scope, words = passed_scope(ctx)
    rows = owner_records(ctx, "SUPERVISION", scope) if scope is not None else []
    if not rows:
        return [Paragraph((ctx.words_in(spec.get("missing") or BLANK_SUPERVISION),), review=True)]
    query = record_query(ctx, "SUPERVISION", scope)
    kinds = Counter(_typed(r, "KIND") for r in rows)
    done = []
    for kind, lead, unit in (
        ("双随机抽查", "“双随机、一公开”监督抽查", "轮"),
        ("专项检查", "专项监督检查", "项"),
        ("日常监督", "日常监督", "次"),
    ):
        if kinds.get(kind):
            done.append(
                cat([lead, count_figure(kinds[kind], unit, SOURCE, f"{query} 形式={kind}")])
            )
    checked = sum(counter_value(r, "CHECKED") for r in rows)
    cases = sum(counter_value(r, "CASES") for r in rows)
    parts: list = [f"{words}，组织开展", *join_clauses(done, sep="、")]
    if checked:
        parts += [
            "，监督检查各类单位",
            count_figure(checked, "户次", SOURCE, f"{query} 合计 CHECKED"),
        ]
    if cases:
        parts += ["，立案查处违法案件", count_figure(cases, "件", SOURCE, f"{query} 合计 CASES")]
    elif checked:
        parts.append("，未发现需立案查处的违法行为")
    text = cat([*parts, "。", *_campaigns(ctx, rows, scope), *_busiest(rows, query)])
    return [Paragraph(text)]


def _campaigns(ctx: Context, rows: list, scope: periods.Period) -> Text:
    """The special campaigns by date and name: "3月6日开展春季学校卫生专项监督检查，…"."""
    special = [r for r in rows if _typed(r, "KIND") == "专项检查"]
    if not special:
        return ()
    named = [cat([*_date(r), "开展", r.title.strip()]) for r in special[:CAMPAIGNS_NAMED]]
    more = len(special) - CAMPAIGNS_NAMED
    if more > 0:
        query = record_query(ctx, "SUPERVISION", scope, " 形式=专项检查 未逐项列出")
        return cat([*join_clauses(named, sep="，"), "，另开展专项检查", count_figure(more, "项", SOURCE, query), "。"])  # fmt: skip
    return cat([*join_clauses(named, sep="，"), "。"])


def _busiest(rows: list, query: str) -> Text:
    """Where the cases were: the field with most cases filed, when it holds at least half."""
    by_field: Counter = Counter()
    for r in rows:
        by_field[_typed(r, "FIELD")] += counter_value(r, "CASES")
    total = sum(by_field.values())
    if not total:
        return ()
    field, cases = by_field.most_common(1)[0]
    if field in ("", "综合") or cases * 2 < total:
        return ()
    figure = count_figure(cases, "件", SOURCE, f"{query} 监督专业={field} 合计 CASES")
    return cat(["立案案件主要集中在", f"{field}领域（", figure, "）。"])
