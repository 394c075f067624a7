"""Every write of the money: a pool tied to a run, 预拨 (advance before the assessment), 测算
(the split by the locked scores: floors, caps, vetoes, to the fen), 审定 and 发放; 二次分配 of a
department's share to its staff, proposed by the department, approved by finance, posted.
Every amount adds up exactly (allocation.py); bad input changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import transaction

from weijian import periods
from weijian.indicators.analytics import AnalyticsError, analyse
from weijian.inspections.templates_io import too_long  # the checklists' column-length check
from weijian.orgs.scope import Can, get_scope

from .. import allocation
from ..allocation import AllocationError, Basis, Recipient, VetoPolicy
from ..models import (
    DistributionStatus,
    Pool,
    PoolKind,
    PoolShare,
    PoolStatus,
    Run,
    StaffDistribution,
    StaffLine,
    Stage,
    UnitResult,
)
from ..numbers import CENT, NumberError, number, yuan
from .common import AssessmentError, can_manage, log_run, now
from .runs import run_units

MAX_POOL = Decimal("9999999999.99")


@dataclass
class PoolInput:
    name: str
    kind: str
    amount: str
    basis: str
    base_label: str = ""
    bases: dict[str, str] = field(default_factory=dict)  # unit code → base
    base_element: str = ""  # or an element / indicator whose value per unit is the base
    grade_coefficients: dict[str, str] = field(default_factory=dict)
    quality_threshold: str = "0"
    floor_ratio: str = ""
    cap_ratio: str = ""
    veto_policy: str = VetoPolicy.REDISTRIBUTE
    advance_ratio: str = ""


def _dec(text, what: str) -> Decimal:
    try:
        return number(text, what)
    except NumberError as exc:
        raise AssessmentError(str(exc)) from None


def _optional(text, what: str) -> Decimal | None:
    return _dec(text, what) if str(text or "").strip() else None


def create_pool(user, run: Run, data: PoolInput) -> Pool:
    if not can_manage(user, run.scheme):
        raise AssessmentError(f"只有{run.scheme.owner.name}的管理员可以设立绩效资金")
    clean = _clean_pool(run, data)
    with transaction.atomic():
        pool = Pool.objects.create(run=run, owner=run.scheme.owner, created_by=user, **clean)
        log_run(run, user, "设立绩效资金", after=f"{pool.name} {yuan(pool.amount)}")
    return pool


def _clean_pool(run: Run, data: PoolInput) -> dict:
    name = data.name.strip()
    if not name:
        raise AssessmentError("请填写资金名称")
    if problem := too_long(Pool, "name", name, "资金名称"):
        raise AssessmentError(problem)
    if data.kind not in PoolKind.values:
        raise AssessmentError("请选择资金类别")
    if data.basis not in Basis.__members__.values():
        raise AssessmentError("请选择分配方法")
    amount = _dec(data.amount, "资金总额")
    if amount <= 0 or amount > MAX_POOL:
        raise AssessmentError("资金总额应大于 0 元")
    if amount != amount.quantize(CENT):
        raise AssessmentError(f"资金总额 {amount} 须精确到分（两位小数）")
    codes = {u.code for u in run_units(run)}
    bases = {}
    for code, text in (data.bases or {}).items():
        if code not in codes:
            raise AssessmentError(f"单位“{code}”不在本次考核之中")
        if str(text).strip():
            value = _dec(text, f"{code}的分配基数")
            if value < 0:
                raise AssessmentError(f"{code}的分配基数不能为负数")
            bases[code] = str(value)
    coefficients = {}
    grades = {g.name for g in run.version.grade_list()}
    for grade, text in (data.grade_coefficients or {}).items():
        if grade not in grades:
            raise AssessmentError(f"等次“{grade}”不在方案的等次之中")
        if str(text).strip():
            value = _dec(text, f"等次“{grade}”的系数")
            if not 0 <= value <= 10:
                raise AssessmentError(f"等次“{grade}”的系数应在 0 到 10 之间")
            coefficients[grade] = str(value)
    floor, cap = _optional(data.floor_ratio, "保底倍数"), _optional(data.cap_ratio, "封顶倍数")
    if floor is not None and not 0 <= floor <= 1:
        raise AssessmentError("保底应为人均的 0 到 1 倍")
    if cap is not None and cap < 1:
        raise AssessmentError("封顶应不低于人均的 1 倍")
    advance = _optional(data.advance_ratio, "预拨比例")
    if advance is not None and not 0 < advance <= 1:
        raise AssessmentError("预拨比例应大于 0 且不超过 1（如 0.6 表示 60%）")
    if data.veto_policy not in (VetoPolicy.REDISTRIBUTE, VetoPolicy.RETURN):
        raise AssessmentError("请选择否决扣减金额的去向")
    threshold = _dec(data.quality_threshold or "0", "质量系数门槛分")
    if data.base_element.strip():
        bases = _engine_bases(run, data.base_element.strip())
    return dict(
        name=name, kind=data.kind, amount=amount, basis=data.basis,
        base_label=data.base_label.strip()[:30], bases=bases, grade_coefficients=coefficients,
        quality_threshold=threshold, floor_ratio=floor, cap_ratio=cap,
        veto_policy=data.veto_policy, advance_ratio=advance,
    )  # fmt: skip


def _engine_bases(run: Run, code: str) -> dict[str, str]:
    """Bases from the engine (人数、服务人口、工作量…): each unit's approved figure."""
    units = run_units(run)
    try:
        result = analyse([code], [periods.parse(run.period)], units, approved_only=True)
    except AnalyticsError as exc:
        raise AssessmentError(exc.message) from None
    out = {}
    for unit in units:
        value = result.value(code, run.period, unit.code)
        if value is not None:
            out[unit.code] = str(value.quantize(Decimal("0.000001")))
    if not out:
        raise AssessmentError(f"“{code}”在{run.period_label}没有已审核的数据，不能作为分配基数")
    return out


def _require_money(user, pool: Pool, what: str) -> None:
    if not can_manage(user, pool.run.scheme):
        raise AssessmentError(f"只有{pool.owner.name}的管理员可以{what}")


def advance_pool(user, pool: Pool) -> Pool:
    """预拨: part of the money paid ahead by the bases alone, settled after the assessment."""
    _require_money(user, pool, "预拨资金")
    if pool.advance_ratio is None:
        raise AssessmentError("该资金未设置预拨比例")
    with transaction.atomic():
        pool = Pool.objects.select_for_update().get(pk=pool.pk)
        if pool.status != PoolStatus.DRAFT:
            raise AssessmentError(f"资金已{pool.get_status_display()}，不能再预拨")
        total = allocation.advance_amount(pool.amount, pool.advance_ratio)
        units = run_units(pool.run)
        weights = {u.code: Decimal(pool.bases.get(u.code, "0")) for u in units}
        try:
            result = allocation.allocate(total, [Recipient(code, w) for code, w in weights.items()])
        except AllocationError as exc:
            raise AssessmentError(str(exc)) from None
        _write_shares(
            pool, units, {c: dict(advanced=a, base=weights[c]) for c, a in result.amounts.items()}
        )
        pool.advanced_total = total - result.returned
        pool.status = PoolStatus.ADVANCED
        pool.save(update_fields=["advanced_total", "status"])
        log_run(pool.run, user, "预拨资金", after=yuan(pool.advanced_total), reason=pool.name)
    return pool


def recipients(
    pool: Pool, results: dict[str, UnitResult], units
) -> tuple[list[Recipient], dict[str, Decimal]]:
    """Each unit's weight by the pool's method, with its floor, cap and veto cut."""
    scores = {u.code: results[u.code].total if u.code in results else None for u in units}
    bases = {u.code: Decimal(pool.bases[u.code]) if u.code in pool.bases else None for u in units}
    if pool.basis == Basis.WORKLOAD_X_QUALITY:
        weights = allocation.workload_weights(
            {c: b or Decimal(0) for c, b in bases.items()}, scores, pool.quality_threshold
        )
    else:
        coefficients = {}
        if pool.basis == Basis.POINTS or pool.grade_coefficients:
            coefficients = {
                c: Decimal(pool.grade_coefficients.get(results[c].grade, "1"))
                if c in results
                else Decimal(1)
                for c in scores
            }
        filled = {
            c: (b if b is not None else (Decimal(1) if not pool.bases else None))
            for c, b in bases.items()
        }
        weights = allocation.score_weights(scores, filled, coefficients)
    floor, cap = allocation.bounds_from_average(
        pool.amount, len(units), pool.floor_ratio, pool.cap_ratio
    )
    out = [
        Recipient(
            c,
            weights[c],
            floor=floor,
            cap=cap,
            cut=results[c].pay_cut if c in results else Decimal(0),
        )
        for c in scores
    ]
    return out, bases


def split(pool: Pool, results: dict[str, UnitResult], units):
    """The allocation of `pool` over `units` with these results (pure; used by what-if too)."""
    people, bases = recipients(pool, results, units)
    try:
        return allocation.allocate(pool.amount, people, veto_policy=pool.veto_policy), bases
    except AllocationError as exc:
        raise AssessmentError(str(exc)) from None


def calculate_pool(user, pool: Pool) -> Pool:
    """测算: the split by the locked run's scores; with 预拨, each unit's balance (补拨/追回)."""
    _require_money(user, pool, "测算分配")
    run = pool.run
    if run.stage != Stage.FINAL:
        raise AssessmentError("考核结果尚未定稿，不能测算分配（可先用“试算”查看）")
    with transaction.atomic():
        pool = Pool.objects.select_for_update().get(pk=pool.pk)
        if pool.status in (PoolStatus.APPROVED, PoolStatus.POSTED):
            raise AssessmentError(f"资金已{pool.get_status_display()}，不能重新测算")
        if pool.advance_ratio is not None and pool.status == PoolStatus.DRAFT:
            raise AssessmentError("该资金设有预拨比例，请先预拨再结算")
        units = run_units(run)
        results = {
            r.org_unit.code: r
            for r in UnitResult.objects.filter(run=run).select_related("org_unit")
        }
        outcome, bases = split(pool, results, units)
        advanced = {s.org_unit.code: s.advanced for s in pool.shares.select_related("org_unit")}
        rows = {}
        for code, share in outcome.shares.items():
            result = results.get(code)
            rows[code] = dict(
                score=result.total if result else None, grade=result.grade if result else "",
                base=bases.get(code), weight=share.weight, amount=share.amount,
                withheld=_fen(share.withheld), at_floor=share.at_floor, at_cap=share.at_cap,
                explanation=_explanation(pool, share, outcome.point_value, result, bases.get(code)),
                balance=(share.amount - advanced[code]) if advanced.get(code) is not None else None,
            )  # fmt: skip
        _write_shares(pool, units, rows)
        pool.returned = outcome.returned
        pool.point_value = _point(outcome.point_value)
        pool.notes = list(outcome.notes)
        pool.status = PoolStatus.CALCULATED
        pool.save(update_fields=["returned", "point_value", "notes", "status"])
        log_run(run, user, "测算分配", after=yuan(pool.amount - pool.returned), reason=pool.name)
    return pool


def _explanation(pool: Pool, share, point_value, result, base) -> str:
    said = allocation.explain_share(share, point_value)
    if share.weight:
        return said
    threshold = pool.quality_threshold if pool.basis == Basis.WORKLOAD_X_QUALITY else None
    score = result.total if result else None
    if not pool.bases:  # every unit weighs by its score alone
        base = Decimal(1)
    why = allocation.why_no_weight(score, base, threshold=threshold)
    return f"{why}；{said}" if why else said


def _fen(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT)


def _point(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.000001"))


def _write_shares(pool: Pool, units, rows: dict[str, dict]) -> None:
    existing = {s.org_unit_id: s for s in pool.shares.all()}
    for unit in units:
        values = rows.get(unit.code, {})
        share = existing.get(unit.pk) or PoolShare(pool=pool, org_unit=unit)
        for key, value in values.items():
            setattr(share, key, value)
        share.save()


def approve_pool(user, pool: Pool) -> Pool:
    """审定: another manager than the one who set it up."""
    _require_money(user, pool, "审定分配")
    if pool.created_by_id == user.pk:
        raise AssessmentError("设立资金的人员不能审定自己测算的分配，须由他人审定")
    with transaction.atomic():
        pool = Pool.objects.select_for_update().get(pk=pool.pk)
        if pool.status != PoolStatus.CALCULATED:
            raise AssessmentError(f"资金当前为“{pool.get_status_display()}”，测算后才能审定")
        pool.status, pool.approved_by, pool.approved_at = PoolStatus.APPROVED, user, now()
        pool.save(update_fields=["status", "approved_by", "approved_at"])
        log_run(pool.run, user, "审定分配", reason=pool.name)
    return pool


def post_pool(user, pool: Pool) -> Pool:
    _require_money(user, pool, "发放资金")
    with transaction.atomic():
        pool = Pool.objects.select_for_update().get(pk=pool.pk)
        if pool.status != PoolStatus.APPROVED:
            raise AssessmentError(f"资金当前为“{pool.get_status_display()}”，审定后才能发放")
        pool.status, pool.posted_at = PoolStatus.POSTED, now()
        pool.save(update_fields=["status", "posted_at"])
        log_run(pool.run, user, "发放资金", reason=pool.name)
    return pool


# -- 二次分配 ----------------------------------------------------------------------------------------


@dataclass
class LineInput:
    name: str
    post: str
    title: str
    coefficient: str
    points: str


def propose_distribution(
    user, share: PoolShare, lines: list[LineInput], *, floor_ratio: str = "", cap_ratio: str = ""
) -> StaffDistribution:
    """The department splits its share among its staff: 系数 × 工分, within bounds."""
    unit = share.org_unit
    if not get_scope(user).can(Can.ENTER, unit):
        raise AssessmentError(f"只有{unit.name}可以提出本科室的二次分配方案")
    if Pool.objects.get(pk=share.pool_id).status not in (PoolStatus.APPROVED, PoolStatus.POSTED):
        raise AssessmentError("科室绩效审定后才能进行二次分配")
    if not lines:
        raise AssessmentError("请至少填写一名人员")
    clean = [_line(i, line) for i, line in enumerate(lines, start=1)]
    floor, cap = _optional(floor_ratio, "个人保底倍数"), _optional(cap_ratio, "个人封顶倍数")
    bound_floor, bound_cap = allocation.bounds_from_average(share.amount, len(clean), floor, cap)
    people = [
        Recipient(f"{i:03d}", c["coefficient"] * c["points"], bound_floor, bound_cap)
        for i, c in enumerate(clean)
    ]
    try:
        outcome = allocation.allocate(share.amount, people)
    except AllocationError as exc:
        raise AssessmentError(str(exc)) from None
    if outcome.returned:
        raise AssessmentError(
            f"个人封顶使 {yuan(outcome.returned)} 无法分出，请调整封顶倍数或人员系数，未保存"
        )
    with transaction.atomic():
        current = StaffDistribution.objects.select_for_update().filter(share=share).first()
        if current and current.status in (DistributionStatus.APPROVED, DistributionStatus.POSTED):
            raise AssessmentError(f"二次分配当前为“{current.get_status_display()}”，不能再修改")
        dist = current or StaffDistribution(share=share, proposed_by=user, proposed_at=now())
        dist.floor_ratio, dist.cap_ratio = floor, cap
        dist.status = DistributionStatus.PROPOSED
        dist.proposed_by, dist.proposed_at = user, now()
        dist.point_value = _point(outcome.point_value)
        dist.save()
        dist.lines.all().delete()
        StaffLine.objects.bulk_create(
            StaffLine(
                distribution=dist,
                sort_order=i,
                amount=outcome.shares[f"{i:03d}"].amount,
                at_floor=outcome.shares[f"{i:03d}"].at_floor,
                at_cap=outcome.shares[f"{i:03d}"].at_cap,
                **c,
            )  # fmt: skip
            for i, c in enumerate(clean)
        )
        log_run(
            share.pool.run,
            user,
            "提出二次分配",
            unit=unit,
            after=f"{len(clean)} 人",
            reason=share.pool.name,
        )
    return dist


def _line(index: int, line: LineInput) -> dict:
    name = line.name.strip()
    if not name:
        raise AssessmentError(f"第{index}行缺少姓名")
    coefficient = _dec(line.coefficient, f"第{index}行（{name}）的岗位/职称系数")
    points = _dec(line.points, f"第{index}行（{name}）的工分")
    if not 0 < coefficient <= 10:
        raise AssessmentError(f"第{index}行（{name}）的系数应大于 0 且不超过 10")
    if points < 0:
        raise AssessmentError(f"第{index}行（{name}）的工分不能为负数")
    return dict(
        name=name[:30],
        post=line.post.strip()[:30],
        title=line.title.strip()[:30],
        coefficient=coefficient,
        points=points,
    )


def review_distribution(
    user, dist: StaffDistribution, approve: bool, note: str = ""
) -> StaffDistribution:
    """财务审核: the owner's managers, never the proposer."""
    pool = dist.share.pool
    _require_money(user, pool, "审核二次分配")
    if dist.proposed_by_id == user.pk:
        raise AssessmentError("提出二次分配的人员不能审核自己的方案")
    if not approve and len(note.strip()) < 2:
        raise AssessmentError("退回时请写明意见")
    with transaction.atomic():
        dist = StaffDistribution.objects.select_for_update().get(pk=dist.pk)
        if dist.status != DistributionStatus.PROPOSED:
            raise AssessmentError(f"二次分配当前为“{dist.get_status_display()}”，不能审核")
        dist.status = DistributionStatus.APPROVED if approve else DistributionStatus.RETURNED
        dist.reviewed_by, dist.reviewed_at, dist.review_note = user, now(), note.strip()[:300]
        dist.save()
        log_run(
            pool.run,
            user,
            "审核二次分配",
            unit=dist.share.org_unit,
            after=dist.get_status_display(),
            reason=note.strip(),
        )
    return dist


def post_distribution(user, dist: StaffDistribution) -> StaffDistribution:
    _require_money(user, dist.share.pool, "发放二次分配")
    with transaction.atomic():
        dist = StaffDistribution.objects.select_for_update().get(pk=dist.pk)
        if dist.status != DistributionStatus.APPROVED:
            raise AssessmentError("财务审核通过后才能发放")
        dist.status, dist.posted_at = DistributionStatus.POSTED, now()
        dist.save(update_fields=["status", "posted_at"])
        log_run(dist.share.pool.run, user, "发放二次分配", unit=dist.share.org_unit)
    return dist
