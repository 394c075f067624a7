"""Every write of a run: start it (refused on unreviewed data), recompute (idempotent, with the
changes recorded), move it through the workflow, scores by the units (自评), the offices (初评)
and the reviewers (复核), vetoes entered with evidence and approved, evidence uploads, appeals
and rulings, and the lock that publishes the results as system figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from weijian import periods
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope

from .. import compute, evidence_files, figures, methods, scoring
from ..bindings import referenced_elements, unreviewed_reports
from ..methods import Method, MethodError
from ..models import (
    STAGE_ORDER,
    Appeal,
    AppealStatus,
    Cadence,
    Computation,
    Evidence,
    HitStatus,
    ItemResult,
    Node,
    Run,
    Scheme,
    Stage,
    UnitResult,
    VetoHit,
    VetoRule,
)
from ..models import Trigger as TriggerKind
from ..numbers import NumberError, number, pts
from . import storing
from .common import AssessmentError, can_manage, can_review, log_run, now, require_manage

CADENCE_TYPES = {
    Cadence.MONTHLY: periods.PeriodType.MONTHLY,
    Cadence.QUARTERLY: periods.PeriodType.QUARTERLY,
    Cadence.YEARLY: periods.PeriodType.YEARLY,
}
EDITABLE = (Stage.COLLECT, Stage.SELF, Stage.INITIAL, Stage.REVIEW)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def run_units(run: Run) -> list[OrgUnit]:
    """The scheme's units open during the run's period."""
    period = periods.parse(run.period)
    return [u for u in run.scheme.unit_list() if u.is_open_during(period.start, period.end)]


def peer_groups(scheme: Scheme) -> dict[int, str]:
    out: dict[int, str] = {}
    for peer in scheme.peer_groups.prefetch_related("units"):
        for pk in peer.unit_ids():
            out[pk] = peer.name
    return out


def _refuse_unreviewed(tree: compute.Tree, units, period: periods.Period) -> None:
    rows, total = unreviewed_reports(referenced_elements(tree.items, tree.rules), units, period)
    if total:
        listed = "；".join(f"{unit}{pe}《{form}》（{status}）" for form, unit, pe, status in rows)
        more = f"等 {total} 份" if total > len(rows) else f"共 {total} 份"
        raise AssessmentError(
            f"考核所用报表尚未全部审核或锁定，未做计算：{listed}{more}。请先完成审核后再考核"
        )


# -- starting and computing -----------------------------------------------------------------------


def start_run(user, scheme: Scheme, period_id: str, today: dt.date | None = None) -> Run:
    """A run of the version in force on the period's last day; computed at once."""
    require_manage(user, scheme, "发起考核")
    today = _today(today)
    try:
        period = periods.parse((period_id or "").strip())
    except periods.PeriodError as exc:
        raise AssessmentError(f"考核期间“{period_id}”无效：{exc}") from None
    if period.type != CADENCE_TYPES[scheme.cadence]:
        raise AssessmentError(f"本方案{scheme.get_cadence_display()}考核，期间“{period.id}”不符")
    if period.year != scheme.year:
        raise AssessmentError(f"本方案为{scheme.year}年度方案，不能用于{period.label}")
    if period.end >= today:
        raise AssessmentError(f"{period.label}尚未结束，数据不完整，暂不能考核")
    version = scheme.version_in_force(period.end)
    if version is None:
        raise AssessmentError(f"{period.label}没有已发布的方案版本，请先发布方案")
    if Run.objects.filter(scheme=scheme, period=period.id).exists():
        raise AssessmentError(f"{period.label}的考核已经发起")
    tree = compute.Tree(version)
    units = [u for u in scheme.unit_list() if u.is_open_during(period.start, period.end)]
    if not units:
        raise AssessmentError("本方案没有考核单位")
    _refuse_unreviewed(tree, units, period)
    try:
        with transaction.atomic():
            run = Run.objects.create(
                scheme=scheme, version=version, period=period.id, created_by=user
            )
            log_run(run, user, "发起考核", after=f"第{version.number}版方案")
            _recompute(run, user, tree, units, period)
    except IntegrityError:  # a double click that raced past the check above
        raise AssessmentError(f"{period.label}的考核已经发起") from None
    return run


def recompute(user, run: Run) -> Computation:
    """Measure again and re-score: the same data gives the same results (no changes)."""
    require_manage(user, run.scheme, "重新计算考核结果")
    if run.stage not in EDITABLE:
        raise AssessmentError(f"考核已进入“{run.get_stage_display()}”环节，不能重新计算")
    period = periods.parse(run.period)
    tree = compute.Tree(run.version)
    units = run_units(run)
    _refuse_unreviewed(tree, units, period)
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        return _recompute(run, user, tree, units, period)


def _recompute(run: Run, user, tree: compute.Tree, units, period) -> Computation:
    measured, data_hits = compute.measure(tree, units, period)
    storing.store_hits(run, data_hits)
    evaluation = compute.score(
        tree, units, period, measured, data_hits, _inputs(run), peer_groups(run.scheme)
    )
    changes = storing.store(run, evaluation, units)
    run.computations += 1
    run.computed_at = now()
    run.save(update_fields=["computations", "computed_at"])
    return Computation.objects.create(
        run=run, number=run.computations, at=run.computed_at, by=user, changes=changes
    )


def retotal(run: Run) -> None:
    """Re-score from what is stored (after a manual score, an override, a veto, evidence)."""
    period = periods.parse(run.period)
    tree = compute.Tree(run.version)
    units = run_units(run)
    measured = {
        (r.node_id, r.org_unit_id): compute.Measured(
            r.value, r.measure, r.computed, r.status, r.explanation
        )
        for r in ItemResult.objects.filter(run=run).exclude(
            node__method__in=[Method.MANUAL, Method.EVIDENCE]
        )
    }
    for node in tree.items:  # an item added since (never, in a frozen version) counts as missing
        for unit in units:
            measured.setdefault(
                (node.pk, unit.pk), compute.Measured(None, "", Decimal(0), "missing", "")
            )
    data_hits = {
        (h.rule_id, h.org_unit_id): h.evidence
        for h in VetoHit.objects.filter(run=run, status=HitStatus.TRIGGERED)
    }
    evaluation = compute.score(
        tree, units, period, measured, data_hits, _inputs(run), peer_groups(run.scheme)
    )
    storing.store(run, evaluation, units)


def _inputs(run: Run) -> compute.Inputs:
    inputs = compute.Inputs()
    for r in ItemResult.objects.filter(run=run).values(
        "node_id", "org_unit_id", "manual_score", "manual_reason", "override_score"
    ):
        key = (r["node_id"], r["org_unit_id"])
        if r["manual_score"] is not None:
            inputs.manual[key] = (r["manual_score"], r["manual_reason"])
        if r["override_score"] is not None:
            inputs.overrides[key] = r["override_score"]
    for node_id, unit_id, at in Evidence.objects.filter(run=run).values_list(
        "node_id", "org_unit_id", "uploaded_at"
    ):
        inputs.evidence.setdefault((node_id, unit_id), []).append(timezone.localtime(at).date())
    for hit in VetoHit.objects.filter(run=run, status=HitStatus.APPROVED).select_related("rule"):
        rule = hit.rule
        inputs.hits.setdefault(hit.org_unit_id, []).append(
            scoring.Veto(rule.name, rule.effect, rule.section, rule.grade, rule.share, hit.evidence)
        )
    return inputs


# -- the workflow ------------------------------------------------------------------------------------------


def advance(user, run: Run, expected: str, today: dt.date | None = None) -> Run:
    """The next stage; `expected` is the stage the user saw, so a resent or double-clicked
    request never skips one."""
    require_manage(user, run.scheme, "推进考核流程")
    today = _today(today)
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        if run.stage != expected:
            raise AssessmentError(f"考核已处于“{run.get_stage_display()}”环节，未做改动")
        if run.stage == Stage.FINAL:
            raise AssessmentError("考核已定稿")
        target = STAGE_ORDER[STAGE_ORDER.index(run.stage) + 1]
        if target == Stage.PUBLICITY:
            _ready_for_publicity(run)
            run.publicity_start = today
            run.publicity_end = today + dt.timedelta(days=run.scheme.publicity_days - 1)
        if target == Stage.FINAL:
            _ready_to_lock(run, today)
            figures.publish(run)
            run.locked_by, run.locked_at = user, now()
        before = run.get_stage_display()
        run.stage = target
        run.save()
        log_run(run, user, "推进流程", before=before, after=run.get_stage_display())
    return run


def _ready_for_publicity(run: Run) -> None:
    pending = UnitResult.objects.filter(run=run, pending__gt=0).count()
    if pending:
        items = ItemResult.objects.filter(run=run, status="pending").count()
        raise AssessmentError(f"尚有 {pending} 个单位的 {items} 个项目未评分，不能公示")
    proposed = VetoHit.objects.filter(run=run, status=HitStatus.PROPOSED).count()
    if proposed:
        raise AssessmentError(f"尚有 {proposed} 项一票否决待确认，不能公示")


def _ready_to_lock(run: Run, today: dt.date) -> None:
    if run.publicity_end and today <= run.publicity_end:
        raise AssessmentError(f"公示期至 {run.publicity_end:%Y-%m-%d}，公示期满后才能定稿")
    open_appeals = run.appeals.filter(status=AppealStatus.OPEN).count()
    if open_appeals:
        raise AssessmentError(f"尚有 {open_appeals} 件申诉未裁定，不能定稿")


def _require_stage(run: Run, stages, what: str) -> None:
    if run.stage not in stages:
        raise AssessmentError(f"考核处于“{run.get_stage_display()}”环节，不能{what}")


def _item_row(run: Run, unit: OrgUnit, node: Node) -> ItemResult:
    row = (
        ItemResult.objects.filter(run=run, org_unit=unit, node=node).select_related("node").first()
    )
    if row is None:
        raise AssessmentError(f"{unit.name}不在本次考核之中，或该项目不属于本次考核的方案")
    return row


def _score_value(text, what: str) -> Decimal:
    try:
        return number(text, what)
    except NumberError as exc:
        raise AssessmentError(str(exc)) from None


# -- scores -------------------------------------------------------------------------------------------------


def is_office_member(user, node: Node) -> bool:
    return node.office_id is not None and node.office.members.filter(pk=user.pk).exists()


def record_score(
    user, run: Run, unit: OrgUnit, node: Node, score: str, reason: str = ""
) -> ItemResult:
    """初评: a member of the item's office scores a manual item (0–points, a reason when
    points are lost). Audited with the previous score."""
    if not is_office_member(user, node):
        raise AssessmentError(
            f"第{node.code}项由{node.office.name if node.office else '考核科室'}评分，您不是该科室的考核人员"
        )
    _require_stage(run, (Stage.INITIAL,), "评分")
    if node.method != Method.MANUAL:
        raise AssessmentError(f"第{node.code}项由数据自动计分，不能人工评分")
    row = _item_row(run, unit, node)
    value = _score_value(score, f"第{node.code}项的得分")
    spec = compute.Tree(run.version).spec(node)
    try:
        methods.check_manual(spec, value, reason, node.section)
    except MethodError as exc:
        raise AssessmentError(str(exc)) from None
    with transaction.atomic():
        row = ItemResult.objects.select_for_update().get(pk=row.pk)
        before = row.manual_score
        if before == value and row.manual_reason == reason.strip():
            return row  # a resent request: nothing to do
        row.manual_score, row.manual_reason = value, reason.strip()[:300]
        row.scored_by, row.scored_at = user, now()
        row.save(update_fields=["manual_score", "manual_reason", "scored_by", "scored_at"])
        log_run(
            run,
            user,
            "初评评分",
            unit=unit,
            node=node,
            before=pts(before),
            after=pts(value),
            reason=reason.strip(),
        )
        retotal(run)
    row.refresh_from_db()
    return row


def record_self_score(
    user, run: Run, unit: OrgUnit, node: Node, score: str, note: str = ""
) -> ItemResult:
    """自评: the unit's own score of an item, shown beside the office's."""
    if not get_scope(user).can(Can.ENTER, unit):
        raise AssessmentError(f"只有{unit.name}可以填写本单位的自评")
    _require_stage(run, (Stage.SELF,), "自评")
    row = _item_row(run, unit, node)
    value = _score_value(score, f"第{node.code}项的自评分")
    if not 0 <= value <= node.points:
        raise AssessmentError(f"第{node.code}项的自评分应在 0 到 {pts(node.points)} 分之间")
    with transaction.atomic():
        before = row.self_score
        row.self_score, row.self_note = value, note.strip()[:300]
        row.save(update_fields=["self_score", "self_note"])
        total = sum(
            (
                r
                for r in ItemResult.objects.filter(
                    run=run, org_unit=unit, self_score__isnull=False
                ).values_list("self_score", flat=True)
            ),
            Decimal(0),
        )
        UnitResult.objects.filter(run=run, org_unit=unit).update(self_total=total)
        log_run(
            run,
            user,
            "单位自评",
            unit=unit,
            node=node,
            before=pts(before),
            after=pts(value),
            reason=note.strip(),
        )
    return row


def override_score(
    user, run: Run, unit: OrgUnit, node: Node, score: str, reason: str, *, via_appeal=False
) -> ItemResult:
    """复核: a reviewer sets an item's counted points, with a reason; audited."""
    if not can_review(user, run.scheme, unit):
        raise AssessmentError("只有方案制定单位的管理员或审核员可以复核调整得分")
    _require_stage(run, (Stage.PUBLICITY,) if via_appeal else (Stage.REVIEW,), "复核调整")
    row = _item_row(run, unit, node)
    value = _score_value(score, f"第{node.code}项的得分")
    tree = compute.Tree(run.version)
    limit = tree.points[node.code]
    if not 0 <= value <= limit:
        raise AssessmentError(f"第{node.code}项的得分应在 0 到 {pts(limit)} 分之间")
    if len((reason or "").strip()) < 2:
        raise AssessmentError("复核调整得分须说明理由")
    with transaction.atomic():
        before = row.earned
        row.override_score, row.override_reason = value, reason.strip()[:300]
        row.override_by, row.override_at = user, now()
        row.save(update_fields=["override_score", "override_reason", "override_by", "override_at"])
        log_run(
            run,
            user,
            "复核调整",
            unit=unit,
            node=node,
            before=pts(before),
            after=pts(value),
            reason=reason.strip(),
        )
        retotal(run)
    row.refresh_from_db()
    return row


# -- vetoes --------------------------------------------------------------------------------------------------


def propose_veto(user, run: Run, unit: OrgUnit, rule: VetoRule, evidence: str) -> VetoHit:
    """A veto entered by hand (人工录入 rules), with the facts; another person approves it."""
    if not (
        can_manage(user, run.scheme)
        or user.assessor_offices.filter(owner=run.scheme.owner).exists()
    ):
        raise AssessmentError("只有方案制定单位的管理员或考核科室人员可以录入一票否决")
    _require_stage(run, EDITABLE, "录入一票否决")
    if rule.version_id != run.version_id or rule.trigger != TriggerKind.MANUAL:
        raise AssessmentError("该否决事项不属于本次考核，或由数据自动触发，不能人工录入")
    if unit.pk not in {u.pk for u in run_units(run)}:
        raise AssessmentError(f"{unit.name}不在本次考核之中")
    if len((evidence or "").strip()) < 4:
        raise AssessmentError("请写明事实与依据（时间、事件、佐证材料）")
    with transaction.atomic():
        if VetoHit.objects.filter(
            run=run, org_unit=unit, rule=rule, status__in=[HitStatus.PROPOSED, HitStatus.APPROVED]
        ).exists():
            raise AssessmentError(f"{unit.name}的“{rule.name}”已录入，未重复录入")
        hit = VetoHit.objects.create(
            run=run, org_unit=unit, rule=rule, status=HitStatus.PROPOSED, evidence=evidence.strip(),
            proposed_by=user, proposed_at=now(),
        )  # fmt: skip
        log_run(run, user, "录入一票否决", unit=unit, after=rule.name, reason=evidence.strip())
    return hit


def decide_veto(user, hit: VetoHit, approve: bool, note: str = "") -> VetoHit:
    run = hit.run
    if not can_review(user, run.scheme, hit.org_unit):
        raise AssessmentError("只有方案制定单位的管理员或审核员可以确认一票否决")
    if hit.proposed_by_id == user.pk:
        raise AssessmentError("录入人不能确认自己录入的一票否决，须由他人审核")
    _require_stage(run, EDITABLE, "确认一票否决")
    with transaction.atomic():
        hit = VetoHit.objects.select_for_update().get(pk=hit.pk)
        if hit.status != HitStatus.PROPOSED:
            raise AssessmentError(f"该一票否决已{hit.get_status_display()}，未做改动")
        hit.status = HitStatus.APPROVED if approve else HitStatus.REJECTED
        hit.decided_by, hit.decided_at, hit.decision_note = user, now(), note.strip()[:300]
        hit.save()
        log_run(
            run,
            user,
            "确认一票否决" if approve else "不予认定一票否决",
            unit=hit.org_unit,
            after=hit.rule.name,
            reason=note.strip(),
        )
        retotal(run)
    return hit


# -- evidence -------------------------------------------------------------------------------------------------


def upload_evidence(user, run: Run, unit: OrgUnit, node: Node, name: str, data: bytes) -> Evidence:
    """资料报送: the unit hands in a file for an item; its upload day counts for the window."""
    if not get_scope(user).can(Can.ENTER, unit):
        raise AssessmentError(f"只有{unit.name}可以报送本单位的资料")
    _require_stage(run, (Stage.COLLECT, Stage.SELF), "报送资料")
    if node.method != Method.EVIDENCE:
        raise AssessmentError(f"第{node.code}项不需要报送资料")
    _item_row(run, unit, node)
    name = (name or "").strip()[-100:]
    data = evidence_files.checked(name, data)
    with transaction.atomic():
        evidence = Evidence(
            run=run,
            org_unit=unit,
            node=node,
            name=name,
            size=len(data),
            uploaded_by=user,
            uploaded_at=now(),
        )
        evidence.file.save(name, ContentFile(data), save=False)
        evidence.save()
        log_run(run, user, "报送资料", unit=unit, node=node, after=name)
        retotal(run)
    return evidence


# -- appeals ---------------------------------------------------------------------------------------------------


def file_appeal(
    user, run: Run, unit: OrgUnit, node: Node | None, text: str, today: dt.date | None = None
) -> Appeal:
    """申诉: a unit appeals its own result during the 公示 window."""
    today = _today(today)
    if not get_scope(user).can(Can.ENTER, unit):
        raise AssessmentError(f"只有{unit.name}可以对本单位的考核结果提出申诉")
    if run.stage != Stage.PUBLICITY:
        raise AssessmentError("只有公示期内可以提出申诉")
    if run.publicity_end and today > run.publicity_end:
        raise AssessmentError(f"公示期已于 {run.publicity_end:%Y-%m-%d} 截止，不能再提出申诉")
    if not UnitResult.objects.filter(run=run, org_unit=unit).exists():
        raise AssessmentError(f"{unit.name}不在本次考核之中")
    if node is not None and node.version_id != run.version_id:
        raise AssessmentError("申诉的项目不属于本次考核的方案")
    text = (text or "").strip()
    if len(text) < 5:
        raise AssessmentError("请写明申诉理由（至少 5 个字）")
    with transaction.atomic():
        UnitResult.objects.select_for_update().filter(run=run, org_unit=unit).first()
        if Appeal.objects.filter(
            run=run, org_unit=unit, node=node, status=AppealStatus.OPEN
        ).exists():
            raise AssessmentError("该项目的申诉已提交，正在等待裁定，未重复提交")
        old = (
            ItemResult.objects.filter(run=run, org_unit=unit, node=node)
            .values_list("earned", flat=True)
            .first()
            if node
            else None
        )
        appeal = Appeal.objects.create(
            run=run,
            org_unit=unit,
            node=node,
            text=text[:2000],
            filed_by=user,
            filed_at=now(),
            old_score=old,
        )
        log_run(run, user, "提出申诉", unit=unit, node=node, reason=text[:500])
    return appeal


def rule_appeal(user, appeal: Appeal, upheld: bool, ruling: str, new_score: str = "") -> Appeal:
    """裁定: upheld (the item's points set to `new_score`) or dismissed, with the reasons."""
    run = appeal.run
    if not can_review(user, run.scheme, appeal.org_unit):
        raise AssessmentError("只有方案制定单位的管理员或审核员可以裁定申诉")
    if get_scope(user).can(Can.ENTER, appeal.org_unit) and not can_manage(user, run.scheme):
        raise AssessmentError("申诉单位的人员不能裁定本单位的申诉")
    if len((ruling or "").strip()) < 2:
        raise AssessmentError("请写明裁定意见")
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.status != AppealStatus.OPEN:
            raise AssessmentError(f"该申诉已裁定（{appeal.get_status_display()}），未做改动")
        if upheld and appeal.node_id:
            row = override_score(
                user,
                run,
                appeal.org_unit,
                appeal.node,
                new_score,
                f"申诉裁定：{ruling.strip()}",
                via_appeal=True,
            )
            appeal.new_score = row.earned
        appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.DISMISSED
        appeal.ruling = ruling.strip()
        appeal.ruled_by, appeal.ruled_at = user, now()
        appeal.save()
        log_run(
            run,
            user,
            "裁定申诉",
            unit=appeal.org_unit,
            node=appeal.node,
            after=appeal.get_status_display(),
            reason=ruling.strip(),
        )
    return appeal
