"""The demo's assessments, built through the assessment actions on the demo's own data:

    区卫健局  《{Y}年度区属医疗卫生机构目标管理考核方案》 (Y = last year): 二级医院 and 基层医疗卫生
             机构 ranked apart; run for year Y through 公示 (柳塘镇卫生院 appeals one item, the
             bureau's reviewer upholds it in part) to 定稿; the 基本公卫补助资金 advanced 60% by
             service population and settled by population × 质量系数 (得分 ÷ 100, nothing below 85
             分: a unit under the line pays its advance back)
    区人民医院 《医疗质量考核方案及考核细则（科室综合目标考核）》, monthly, its 21 departments on
             28 items; the latest month whose reports are all reviewed is scored by 医务科, 护理部,
             院感科 and 院办, 口腔科 is vetoed (消防通道堆放杂物，检查不合格), the month is locked and
             its 奖励性绩效 split by 点值 with grade coefficients, 保底/封顶; 内科 splits its share to
             its staff (二次分配, approved); the next reviewed month is in 初评 (院感科 still to
             score); a draft version 2 waits to be tried with what-if

Manual scores are written in bulk, as the rest of the demo is (the actions are for people),
each with its reason and the office member who gave it; everything else goes through the
actions. Deterministic: every choice comes from `rng(...)`. Years and months follow the demo's
"today", so a short history (tests load four months) simply yields fewer runs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from weijian import periods
from weijian.assessment import figures
from weijian.assessment.actions import money, runs, schemes
from weijian.assessment.actions.common import AssessmentError
from weijian.assessment.actions.money import LineInput, PoolInput
from weijian.assessment.actions.schemes import NodeInput, SchemeInput, VetoInput
from weijian.assessment.bindings import referenced_elements, unreviewed_reports
from weijian.assessment.compute import Tree
from weijian.assessment.models import (
    Appeal,
    Computation,
    Evidence,
    ItemResult,
    Pool,
    Run,
    RunEvent,
    Scheme,
    SchemeEvent,
    SchemeVersion,
    StaffDistribution,
    Stage,
    VetoHit,
)
from weijian.orgs.models import OrgUnit, OrgUnitGroup
from weijian.reporting.models import DataElement, DataValue, DataValueAudit

from .activity import rng
from .tree import ALL_UNITS

D = Decimal
STAMPS = (
    (Scheme, ["created_at"]),
    (SchemeVersion, ["created_at", "published_at"]),
    (SchemeEvent, ["at"]),
    (Run, ["created_at", "computed_at", "locked_at"]),
    (Computation, ["at"]),
    (RunEvent, ["at"]),
    (ItemResult, ["scored_at", "override_at"]),
    (VetoHit, ["proposed_at", "decided_at"]),
    (Appeal, ["filed_at", "ruled_at"]),
    (Pool, ["created_at", "approved_at", "posted_at"]),
    (StaffDistribution, ["proposed_at", "reviewed_at", "posted_at"]),
)
MINIMAL_PDF = (
    b"%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def item(code, name, points, parent, source, method, *, binding=None, params=None, office=None,
         missing="exclude", zero="exclude", rule="") -> NodeInput:  # fmt: skip
    return NodeInput(
        code=code, name=name, points=str(points), parent=parent, source=source,
        binding=binding or {}, method=method, params=params or {}, on_missing=missing,
        on_zero_denominator=zero, office=office, rule_text=rule,
    )  # fmt: skip


def dimension(code, name, points, section="normal") -> NodeInput:
    return NodeInput(code=code, name=name, points=str(points), kind="dimension", section=section)


def manual(code, name, points, parent, office, rule="") -> NodeInput:
    return item(
        code, name, points, parent, "MANUAL", "manual", office=office, missing="zero", rule=rule
    )


def indicator(code, name, points, parent, indicator_code, method, params, **kw) -> NodeInput:
    return item(
        code,
        name,
        points,
        parent,
        "INDICATOR",
        method,
        binding={"indicator": indicator_code},
        params=params,
        **kw,
    )


def build_assessment(units: dict[str, OrgUnit], users: dict[str, User], today: dt.date) -> dict:
    counts = {"schemes": 0, "runs": 0}
    _hospital(units, users, today, counts)
    _bureau(units, users, today, counts)
    _date(today)
    return counts


def _date(today: dt.date) -> None:
    """Records carry the demo's moment (noon of its today, or now), never the wall-clock time
    of loading, and the runs' milestones their own days (公示, 申诉, 定稿)."""
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    moment = min(noon, timezone.now())
    for model, fields in STAMPS:
        for name in fields:
            model.objects.filter(**{f"{name}__gt": moment}).update(**{name: moment})
    DataValueAudit.objects.filter(source=figures.SOURCE).update(changed_at=moment)
    elements = list(
        DataElement.objects.filter(code__startswith="ASSESS_", system_managed=True).values_list(
            "pk", flat=True
        )
    )
    DataValue.objects.filter(element_id__in=elements).update(updated_at=moment)
    for run in Run.objects.filter(stage=Stage.FINAL):
        locked = _at(run.publicity_end + dt.timedelta(days=2), 9)
        Run.objects.filter(pk=run.pk).update(locked_at=min(locked, moment))
        for appeal in run.appeals.all():
            filed, ruled = (
                _at(run.publicity_start, 10),
                _at(run.publicity_start + dt.timedelta(days=2), 15),
            )
            Appeal.objects.filter(pk=appeal.pk).update(
                filed_at=min(filed, moment), ruled_at=min(ruled, moment)
            )


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# -- the hospital's monthly department scheme ----------------------------------------------------------


def _hospital_tree(offices) -> list[NodeInput]:
    yw, hl, yg, yb = offices["医务科"], offices["护理部"], offices["院感科"], offices["院办"]
    return [
        dimension("1", "医疗质量与安全", 30),
        manual("1.1", "住院病历质量", 5, "1", yw, "甲级病历率≥90%得满分，每低5个百分点扣1分"),
        indicator("1.2", "抗菌药物使用强度", 5, "1", "PERF2_DDDS", "bands",
                  {"bands": [[None, 40, 5], [40, 50, 3], [50, None, 0]], "closed": "right"}),
        indicator("1.3", "门诊患者抗菌药物处方比例", 4, "1", "RX_OPD_ABX_RATIO", "ratio",
                  {"target": "20", "direction": "lower"}),
        indicator("1.4", "不合理处方比例", 4, "1", "RX_IRRATIONAL_RATIO", "linear",
                  {"threshold": "10", "target": "2"}),
        indicator("1.5", "手术并发症发生率", 3, "1", "PERF2_SURG_COMPLICATION_RATE", "bands",
                  {"bands": [[None, 1, 3], [1, 3, 1], [3, None, 0]], "closed": "right"}),
        manual("1.6", "医疗质量安全核心制度落实", 5, "1", yw, "首诊负责、三级查房、会诊、疑难病例讨论等制度，每发现一处未落实扣1分"),
        item("1.7", "患者投诉", 4, "1", "LEDGER", "per_occurrence",
             binding={"type": "FEEDBACK", "match": {"KIND": "投诉"}}, params={"per": "2"}, missing="full",
             rule="经查实的投诉每件扣2分，扣完为止"),
        dimension("2", "医院感染管理", 20),
        item("2.1", "院感质量月度考核得分", 6, "2", "INSPECTION", "bands",
             binding={"template": "YGGL"}, params={"bands": [[80, 100, 0, 6]], "closed": "right"},
             rule="院感科月度考核得分80分及以下不得分，80–100分按比例计分"),
        indicator("2.2", "医院感染发病率", 4, "2", "HAI_INCIDENCE", "linear",
                  {"threshold": "3", "target": "1.5"}),
        indicator("2.3", "手卫生依从率", 4, "2", "HAI_HAND_HYGIENE", "linear",
                  {"threshold": "70", "target": "90"}),
        item("2.4", "院感整改按期完成率", 4, "2", "RECTIFICATION", "ratio", params={"target": "100"},
             missing="full", zero="full", rule="当月无到期整改的得满分"),
        manual("2.5", "科室院感小组工作", 2, "2", yg, "院感小组每月自查、记录齐全"),
        dimension("3", "护理质量", 15),
        item("3.1", "病区护理质量检查得分", 6, "3", "INSPECTION", "bands",
             binding={"template": "HLZL"}, params={"bands": [[80, 100, 0, 6]], "closed": "right"}),
        indicator("3.2", "住院患者跌倒发生率", 3, "3", "NUR_FALL_RATE", "bands",
                  {"bands": [[None, 0, 3], [0, "0.5", 2], ["0.5", None, 0]], "closed": "right"}),
        indicator("3.3", "院内压力性损伤发生率", 3, "3", "NUR_PRESSURE_INJURY_RATE", "bands",
                  {"bands": [[None, 0, 3], [0, 1, 2], [1, None, 0]], "closed": "right"}),
        manual("3.4", "护理文书与优质护理", 3, "3", hl),
        dimension("4", "工作效率", 15),
        indicator("4.1", "床位使用率", 5, "4", "STAT_BED_OCCUPANCY", "bands",
                  {"bands": [[60, 85, 0, 5], [85, None, 5]]}),
        indicator("4.2", "平均住院日", 4, "4", "STAT_ALOS", "better_of", {
            "direction": "lower",
            "achievement": {"method": "linear", "threshold": "12", "target": "8"},
            "improvement": {"method": "linear", "threshold": "0", "target": "1"},
        }),
        indicator("4.3", "门急诊工作量排名", 3, "4", "STAT_OPD_ER_VISITS", "rank", {"mode": "steps", "step": "0.25"}),
        indicator("4.4", "工作量报表按时上报率", 3, "4", "RPT_WORKLOAD_ON_TIME", "ratio", {"target": "100"}),
        dimension("5", "医德医风与满意度", 10),
        manual("5.1", "医德医风", 5, "5", yb, "收受红包、开单提成等查实一次扣5分"),
        manual("5.2", "出院患者电话回访满意度", 5, "5", yb),
        dimension("6", "科室管理", 10),
        item("6.1", "科室业务学习", 3, "6", "LEDGER", "yes_no", binding={"type": "TRAIN", "match": {}},
             params={"expect": "yes"}, missing="zero", rule="每月至少开展一次业务学习并登记台账"),
        item("6.2", "质控资料按时报送", 4, "6", "EVIDENCE", "evidence", binding={"due_days": 5},
             params={"required": "1"}, missing="zero", rule="次月5日前报送科室质控分析资料"),
        manual("6.3", "消防与治安安全", 3, "6", yb),
        dimension("B", "加分项", 5, "bonus"),
        manual("B.1", "新技术新项目", 3, "B", yw),
        item("B.2", "患者表扬（锦旗、感谢信）", 2, "B", "LEDGER", "per_occurrence",
             binding={"type": "FEEDBACK", "match": {"KIND": "表扬"}}, params={"mode": "add", "per": "0.5"}, missing="zero"),
        dimension("P", "扣分项", 10, "penalty"),
        manual("P.1", "医疗纠纷与赔偿", 6, "P", yw),
        manual("P.2", "违反劳动纪律", 4, "P", yb),
    ]  # fmt: skip


def _hospital(units, users, today, counts) -> None:
    hospital, admin = units["RMYY"], users["yiyuan"]
    offices = {
        name: schemes.save_office(admin, hospital, name, [users[login]])
        for name, login in (
            ("医务科", "yiyuan"),
            ("护理部", "hulibu"),
            ("院感科", "zhikong"),
            ("院办", "yiyuan"),
        )
    }
    months = _reviewed_months(units, today)
    year = months[-1].year if months else today.year
    scheme = schemes.create_scheme(
        admin,
        SchemeInput(
            code="RMYY_KSKH", name="区人民医院科室综合目标考核方案", owner=hospital, year=year,
            population="全院科室", cadence="MONTHLY", doc_number=f"示医发〔{year}〕5号",
            institution=hospital, figure_codes="DEPARTMENT", publicity_days=3,
        ),
    )  # fmt: skip
    version = scheme.versions.get()
    for data in _hospital_tree(offices):
        schemes.save_node(admin, version, data)
    clinical = OrgUnitGroup.objects.get(code="DEPT_CLINICAL")
    schemes.save_peer_group(
        admin,
        scheme,
        "临床科室",
        units=list(clinical.members.filter(path__startswith=hospital.path)),
    )
    schemes.save_peer_group(admin, scheme, "医技与职能科室", units=[
        u for u in scheme.unit_list() if not clinical.members.filter(pk=u.pk).exists()
    ])  # fmt: skip
    schemes.save_veto(
        admin,
        version,
        VetoInput("V1", "消防、治安安全工作不合格", "MANUAL", "grade_cap", grade="不合格"),
    )
    schemes.save_veto(
        admin,
        version,
        VetoInput("V2", "发生重大医疗安全责任事故", "MANUAL", "pay_cut", share="0.5"),
    )
    schemes.publish(admin, version)
    counts["schemes"] += 1
    in_year = [m for m in months if m.year == year]
    if in_year:
        locked = _locked_month(
            scheme, in_year[-1 if len(in_year) == 1 else -2], units, users, offices
        )
        counts["runs"] += 1
        _hospital_pool(locked, units, users)
    if len(in_year) >= 2:
        _scoring_month(scheme, in_year[-1], users, offices)
        counts["runs"] += 1
    draft = schemes.new_version(admin, scheme, "拟提高手卫生依从率目标，增设日间手术占比")
    node = draft.nodes.get(code="2.3")
    schemes.save_node(
        admin, draft,
        indicator("2.3", "手卫生依从率", 4, "2", "HAI_HAND_HYGIENE", "linear", {"threshold": "75", "target": "95"}),
        node,
    )  # fmt: skip


def _reviewed_months(units, today) -> list[periods.Period]:
    """Months of the last year whose department reports are all approved or locked, oldest
    first (the scheme's runs may only use reviewed data)."""
    out = []
    hospital = units["RMYY"]
    departments = list(
        OrgUnit.objects.filter(path__startswith=hospital.path, depth=hospital.depth + 1)
    )
    last = periods.last_ended(periods.PeriodType.MONTHLY, today)
    candidates = []
    month = last
    for _ in range(12):
        candidates.append(month)
        month = month.previous()
    elements = _hospital_elements()
    for month in reversed(candidates):
        _, total = unreviewed_reports(elements, departments, month, limit=1)
        if not total and _has_data(departments, month):
            out.append(month)
    return out


def _hospital_elements() -> set[str]:
    from weijian.indicators.expression import ElementRef, parse
    from weijian.indicators.models import Indicator

    codes = set()
    for ind in Indicator.objects.filter(
        code__in=["PERF2_DDDS", "RX_OPD_ABX_RATIO", "RX_IRRATIONAL_RATIO", "PERF2_SURG_COMPLICATION_RATE",
                  "HAI_INCIDENCE", "HAI_HAND_HYGIENE", "NUR_FALL_RATE", "NUR_PRESSURE_INJURY_RATE",
                  "STAT_BED_OCCUPANCY", "STAT_ALOS", "STAT_OPD_ER_VISITS"]
    ):  # fmt: skip
        for text in (ind.numerator, ind.denominator):
            codes |= {r.code for r in parse(text).items() if isinstance(r, ElementRef)}
    return codes


def _has_data(departments, month) -> bool:
    from weijian.reporting.models import Submission

    return Submission.objects.filter(org_unit__in=departments, period_id=month.id).exists()


def _start(scheme: Scheme, month: periods.Period, user) -> Run:
    return runs.start_run(user, scheme, month.id, today=month.end + dt.timedelta(days=8))


def _locked_month(scheme, month, units, users, offices) -> Run:
    admin = users["yiyuan"]
    run = _start(scheme, month, admin)
    _evidence(run, users, month)
    day = month.end + dt.timedelta(days=8)
    run = runs.advance(admin, run, Stage.COLLECT, today=day)  # → 自评
    run = runs.advance(admin, run, Stage.SELF, today=day)  # → 初评
    _score_manual(run, users, offices, every=True)
    run = runs.advance(admin, run, Stage.INITIAL, today=day)  # → 复核
    rule = run.version.vetoes.get(code="V1")
    kq = units["RMYY_KQK"]
    hit = runs.propose_veto(
        users["yiyuan"], run, kq, rule,
        f"{month.end + dt.timedelta(days=3):%Y-%m-%d} 院办消防检查：口腔科消防通道堆放杂物、灭火器压力不足，"
        "当场检查不合格（检查记录及照片附后）",
    )  # fmt: skip
    runs.decide_veto(users["admin"], hit, True, "经现场复核属实，按方案一票否决")
    publicity = month.end + dt.timedelta(days=12)
    run = runs.advance(admin, run, Stage.REVIEW, today=publicity)  # → 公示
    return runs.advance(
        admin, run, Stage.PUBLICITY, today=publicity + dt.timedelta(days=4)
    )  # → 定稿


def _scoring_month(scheme, month, users, offices) -> Run:
    """The newest reviewed month, in 初评: 医务科, 护理部 and 院办 have scored, 院感科 not yet."""
    admin = users["yiyuan"]
    run = _start(scheme, month, admin)
    _evidence(run, users, month)
    day = month.end + dt.timedelta(days=8)
    run = runs.advance(admin, run, Stage.COLLECT, today=day)
    run = runs.advance(admin, run, Stage.SELF, today=day)
    _score_manual(run, users, offices, every=False)
    return run


def _evidence(run: Run, users, month: periods.Period) -> None:
    """质控资料: most departments hand it in by the 5th; a few late or not at all."""
    node = run.version.nodes.get(code="6.2")
    rows = []
    for result in run.results.select_related("org_unit"):
        r = rng("assess-evidence", result.org_unit.code, month.id)
        if r.random() < 0.12:
            continue
        late = r.random() < 0.15
        day = month.end + dt.timedelta(days=r.randint(7, 12) if late else r.randint(1, 5))
        at = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 16, 30))
        evidence = Evidence(
            run=run, org_unit=result.org_unit, node=node, name=f"{result.org_unit.name}{month.label}质控分析.pdf",
            size=len(MINIMAL_PDF), uploaded_by=users["tongji"], uploaded_at=at,
        )  # fmt: skip
        evidence.file.save(
            f"{result.org_unit.code}-{month.id}.pdf", ContentFile(MINIMAL_PDF), save=False
        )
        rows.append(evidence)
    Evidence.objects.bulk_create(rows)  # counted by the scores' retotal that follows


REASONS = {
    "1.1": "抽查运行病历{n}份，乙级病历1份",
    "1.6": "三级查房记录不全{n}处",
    "3.4": "护理文书书写不规范{n}处",
    "5.1": "患者反映服务态度生硬{n}次",
    "5.2": "电话回访满意度未达95%",
    "6.3": "灭火器未按月检查{n}处",
}


def _score_manual(run: Run, users, offices, *, every: bool) -> None:
    """Each office's scores, with reasons where points were lost; 院感科 only when `every`."""
    rows = list(
        ItemResult.objects.filter(run=run, node__method="manual").select_related(
            "node", "node__office", "org_unit"
        )
    )
    now = timezone.now()
    events, members = [], {o.pk: o.members.order_by("pk").first() for o in offices.values()}
    for row in rows:
        office = row.node.office
        if not every and office.name == "院感科":
            continue
        member = members[office.pk]
        score, reason = _manual_score(row, run.period)
        row.manual_score, row.manual_reason, row.scored_by, row.scored_at = (
            score,
            reason,
            member,
            now,
        )
        events.append(
            RunEvent(
                run=run,
                at=now,
                user=member,
                action="初评评分",
                org_unit=row.org_unit,
                node=row.node,
                after=f"{score.normalize():f}",
                reason=reason,
            )  # fmt: skip
        )
    ItemResult.objects.bulk_update(
        rows, ["manual_score", "manual_reason", "scored_by", "scored_at"]
    )
    RunEvent.objects.bulk_create(events)
    runs.retotal(run)


def _manual_score(row: ItemResult, period: str) -> tuple[Decimal, str]:
    node = row.node
    r = rng("assess-manual", period, row.org_unit.code, node.code)
    if node.section == "bonus":
        return (D(2) if r.random() < 0.15 else D(0)), ("开展新技术1项" if r.random() < 0.15 else "")
    if node.section == "penalty":
        if r.random() < 0.08:
            return D(2), "发生医疗纠纷1起，协商赔偿"
        return D(0), ""
    lost = r.choice([0, 0, 0, 0, 0.5, 1, 1, 2])
    if lost == 0:
        return node.points, ""
    n = max(1, int(lost * 2))
    return node.points - D(str(lost)), REASONS.get(node.code, "检查发现问题{n}处").format(n=n)


STAFF = {  # 核定人数, the base of the 点值 split
    "RMYY_NK": 62, "RMYY_WK": 41, "RMYY_FCK": 36, "RMYY_EK": 31, "RMYY_GK": 29, "RMYY_JZK": 33,
    "RMYY_ICU": 38, "RMYY_YEBH": 17, "RMYY_KQK": 11, "RMYY_ZYK": 16, "RMYY_GRK": 17, "RMYY_LNBK": 14,
    "RMYY_MZK": 18, "RMYY_SSS": 22, "RMYY_JYK": 19, "RMYY_YXK": 21, "RMYY_YJK": 16, "RMYY_YWK": 6,
    "RMYY_HLB": 5, "RMYY_YGK": 4, "RMYY_CWK": 8, "RMYY_YB": 7,
}  # fmt: skip


def _hospital_pool(run: Run, units, users) -> None:
    admin = users["yiyuan"]
    codes = {u.code for u in runs.run_units(run)}
    pool = money.create_pool(
        admin, run,
        PoolInput(
            name=f"{periods.parse(run.period).label}科室奖励性绩效", kind="INCENTIVE", amount="1260000.00",
            basis="points", base_label="核定人数", bases={c: str(n) for c, n in STAFF.items() if c in codes},
            grade_coefficients={"优秀": "1.1", "良好": "1.0", "合格": "0.9", "不合格": "0.6"},
            floor_ratio="0.4", cap_ratio="2.5",
        ),
    )  # fmt: skip
    money.calculate_pool(admin, pool)
    money.approve_pool(users["admin"], pool)
    money.post_pool(admin, pool)
    share = pool.shares.get(org_unit=units["RMYY_NK"])
    r = rng("assess-staff", run.period)
    lines = [
        LineInput(name, post, title, coefficient, str(r.randint(180, 260)))
        for name, post, title, coefficient in (
            ("王建华", "科主任", "主任医师", "1.8"), ("李秀英", "护士长", "副主任护师", "1.5"),
            ("张伟", "主治医师", "主治医师", "1.3"), ("刘洋", "住院医师", "医师", "1.0"),
            ("陈静", "主管护师", "主管护师", "1.1"), ("杨丽", "护师", "护师", "1.0"),
            ("赵敏", "护士", "护士", "0.9"), ("黄磊", "住院医师", "医师", "1.0"),
        )
    ]  # fmt: skip
    distribution = money.propose_distribution(
        users["neike"], share, lines, floor_ratio="0.5", cap_ratio="2"
    )
    money.review_distribution(admin, distribution, True, "符合科室二次分配办法，同意")


# -- the bureau's annual scheme -----------------------------------------------------------------------


def _bureau_tree(offices) -> list[NodeInput]:
    yz, gw = offices["医政科"], offices["公卫科"]
    return [
        dimension("1", "医疗质量与安全", 25),
        indicator("1.1", "医院感染发病率", 6, "1", "HAI_INCIDENCE", "ratio", {"target": "1", "direction": "lower"}),
        indicator("1.2", "抗菌药物使用强度", 6, "1", "PERF2_DDDS", "bands",
                  {"bands": [[None, 40, 6], [40, 45, 3], [45, None, 0]], "closed": "right"}),
        indicator("1.3", "工作量报表按时上报率", 5, "1", "RPT_WORKLOAD_ON_TIME", "linear", {"threshold": "80", "target": "100"}),
        manual("1.4", "医疗质量安全管理", 8, "1", yz, "核心制度、医疗安全不良事件报告、平安医院创建，每项不达标扣2分"),
        dimension("2", "基本公共卫生服务", 35),
        indicator("2.1", "居民电子健康档案建档率", 8, "2", "PHS_EHR_RATE", "linear", {"threshold": "80", "target": "92"}),
        indicator("2.2", "高血压患者健康管理率", 7, "2", "PHS_HTN_MGMT_RATE", "ratio", {"target": "45"}),
        indicator("2.3", "老年人健康管理率", 7, "2", "PHS_ELDERLY_MGMT_RATE", "ratio", {"target": "70"}),
        indicator("2.4", "免疫规划疫苗接种率", 7, "2", "IMM_COVERAGE_ALL", "bands", {"bands": [[90, 98, 0, 7], [98, None, 7]]}),
        manual("2.5", "公共卫生服务质量", 6, "2", gw, "随机入户核查真实性，每发现1份不实档案扣1分"),
        dimension("3", "运行管理", 20),
        indicator("3.1", "床位使用率", 6, "3", "STAT_BED_OCCUPANCY", "bands", {"bands": [[40, 85, 0, 6], [85, None, 6]]}),
        indicator("3.2", "平均住院日", 4, "3", "STAT_ALOS", "bands",
                  {"bands": [[None, 9, 4], [9, 11, 2], [11, None, 0]], "closed": "right"}),
        indicator("3.3", "医疗服务收入占比", 4, "3", "PERF2_MED_SERVICE_RATIO", "ratio", {"target": "30"}),
        manual("3.4", "重点工作任务完成情况", 6, "3", yz),
        dimension("4", "满意度与行风", 20),
        manual("4.1", "第三方患者满意度调查", 10, "4", yz, "满意度≥95%得满分，每低1个百分点扣1分"),
        manual("4.2", "行风建设与投诉处理", 10, "4", yz),
        dimension("B", "加分项", 5, "bonus"),
        manual("B.1", "获得上级表彰或创新工作", 5, "B", yz),
        dimension("P", "扣分项", 10, "penalty"),
        manual("P.1", "被上级通报批评", 10, "P", yz),
    ]  # fmt: skip


def _bureau(units, users, today, counts) -> None:
    bureau, admin = units["DEMO"], users["admin"]
    year = today.year - 1
    offices = {
        "医政科": schemes.save_office(admin, bureau, "医政科", [users["jiancha"], admin]),
        "公卫科": schemes.save_office(admin, bureau, "公卫科", [users["jiancha"], admin]),
    }
    groups = list(OrgUnitGroup.objects.filter(code__in=["HOSP_L2", "TOWNSHIP_HC", "COMMUNITY_HC"]))
    scheme = schemes.create_scheme(
        admin,
        SchemeInput(
            code=f"DEMO_JGKH_{year}", name=f"{year}年度区属医疗卫生机构目标管理考核方案", owner=bureau,
            year=year, population="二级医院、基层医疗卫生机构", cadence="YEARLY",
            doc_number=f"示卫发〔{year}〕6号", groups=groups, figure_codes="INSTITUTION",
        ),
    )  # fmt: skip
    version = scheme.versions.get()
    for data in _bureau_tree(offices):
        schemes.save_node(admin, version, data)
    hospitals = OrgUnitGroup.objects.get(code="HOSP_L2")
    schemes.save_peer_group(admin, scheme, "二级医院", group=hospitals)
    primary = [u for u in scheme.unit_list() if not hospitals.members.filter(pk=u.pk).exists()]
    schemes.save_peer_group(admin, scheme, "基层医疗卫生机构", units=primary)
    schemes.save_veto(
        admin, version, VetoInput("V1", "发生重大医疗安全责任事故", "MANUAL", "total_zero")
    )
    schemes.save_veto(
        admin,
        version,
        VetoInput(
            "V2",
            "消防安全检查不合格",
            "INSPECTION",
            "grade_cap",
            {"template": "XFAQ"},
            grade="合格",
        ),
    )
    schemes.save_veto(
        admin,
        version,
        VetoInput("V3", "住院患者满意度低于90%", "SURVEY", "revoke_honours", {"kind": "INPAT"}),
    )
    schemes.publish(admin, version)
    counts["schemes"] += 1
    period = periods.parse(str(year))
    tree = Tree(version)
    _, waiting = unreviewed_reports(
        referenced_elements(tree.items, tree.rules), scheme.unit_list(), period, limit=1
    )
    if waiting:
        return
    day = dt.date(year + 1, 1, 12)
    run = runs.start_run(admin, scheme, period.id, today=day)
    for stage in (Stage.COLLECT, Stage.SELF):
        run = runs.advance(admin, run, stage, today=day)
    _score_manual(run, users, offices, every=True)
    run = runs.advance(admin, run, Stage.INITIAL, today=day)
    run = runs.advance(admin, run, Stage.REVIEW, today=dt.date(year + 1, 1, 20))  # 公示 20–24 Jan
    _appeal(run, units, users)
    run = runs.advance(admin, run, Stage.PUBLICITY, today=dt.date(year + 1, 1, 26))
    counts["runs"] += 1
    _public_health_pool(run, users)


def _appeal(run: Run, units, users) -> None:
    """柳塘镇卫生院 appeals 公共卫生服务质量; the bureau's reviewer upholds it in part."""
    unit = units["LTZ"]
    node = run.version.nodes.get(code="2.5")
    row = ItemResult.objects.get(run=run, org_unit=unit, node=node)
    if row.manual_score is None or row.manual_score >= node.points:
        row.manual_score, row.manual_reason = node.points - 2, "入户核查发现2份档案随访记录不实"
        row.save(update_fields=["manual_score", "manual_reason"])
        runs.retotal(run)
        row.refresh_from_db()
    appeal = runs.file_appeal(
        users["liutang"], run, unit, node,
        "核查发现的2份档案中，1份为患者外出务工期间的电话随访，有通话记录为证，请予复核。",
        today=run.publicity_start,
    )  # fmt: skip
    runs.rule_appeal(
        users["jushenhe"], appeal, True, "经核实电话随访记录属实，恢复1分，另1份维持扣分",
        str(row.earned + 1),
    )  # fmt: skip


POPULATION = {code: unit.catchment.population for code, unit in ALL_UNITS.items() if unit.catchment}


def _public_health_pool(run: Run, users) -> None:
    admin = users["admin"]
    codes = {u.code for u in runs.run_units(run)}
    try:
        pool = money.create_pool(
            admin, run,
            PoolInput(
                name=f"{periods.parse(run.period).label}基本公共卫生服务补助资金（考核结算部分）",
                kind="PUBLIC_HEALTH", amount="3600000.00", basis="workload_x_quality",
                base_label="服务人口", quality_threshold="85",
                bases={c: str(n) for c, n in POPULATION.items() if c in codes and c != "FYBJY"},
                advance_ratio="0.6", veto_policy="return",
            ),
        )  # fmt: skip
        money.advance_pool(admin, pool)
        money.calculate_pool(admin, pool)
    except AssessmentError:  # a demo without the history to score: the pool waits
        return
