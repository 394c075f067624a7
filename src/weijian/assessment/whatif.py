"""What-if (试算): a draft version run on a locked run's period and units, read-only, compared
with what was locked — scores, grades, ranks and, for each of the run's pools, the money —
winners and losers first. Manual scores, evidence and approved vetoes carry over by item code
(the draft's new manual items count as not yet scored); reviewers' overrides do not."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from weijian import periods

from . import compute
from .actions.common import AssessmentError, can_manage
from .actions.money import split
from .actions.runs import peer_groups, run_units
from .actions.schemes import problems
from .models import Evidence, HitStatus, ItemResult, Run, SchemeVersion, Stage, UnitResult, VetoHit
from .scoring import Veto

ZERO = Decimal(0)


@dataclass
class Row:
    unit: object
    before: Decimal | None
    after: Decimal | None
    grade_before: str
    grade_after: str
    rank_before: int | None
    rank_after: int | None
    money_before: Decimal | None = None
    money_after: Decimal | None = None

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def money_change(self) -> Decimal | None:
        if self.money_before is None or self.money_after is None:
            return None
        return self.money_after - self.money_before


@dataclass
class WhatIf:
    version: SchemeVersion
    run: Run
    rows: list[Row] = field(default_factory=list)
    pools: list[str] = field(default_factory=list)


def what_if(user, version: SchemeVersion, run: Run) -> WhatIf:
    scheme = version.scheme
    if not can_manage(user, scheme):
        raise AssessmentError(f"只有{scheme.owner.name}的管理员可以试算方案")
    if run.scheme_id != scheme.pk or run.stage != Stage.FINAL:
        raise AssessmentError("只能用本方案已定稿的考核数据试算")
    found = problems(version)
    if found:
        raise AssessmentError("方案尚不完整，不能试算：" + "；".join(found[:5]))
    tree = compute.Tree(version)
    units = run_units(run)
    period = periods.parse(run.period)
    measured, hits = compute.measure(tree, units, period)
    evaluation = compute.score(
        tree, units, period, measured, hits, _carried(run, tree), peer_groups(scheme)
    )
    before = {r.org_unit_id: r for r in UnitResult.objects.filter(run=run)}
    out = WhatIf(version, run)
    for unit in units:
        old, new = before.get(unit.pk), evaluation.units[unit.pk]
        out.rows.append(
            Row(
                unit,
                old.total if old else None,
                new.total.total,
                old.grade if old else "",
                new.total.grade,
                old.rank if old else None,
                new.rank,
            )  # fmt: skip
        )
    _money(run, out, evaluation, units)
    out.rows.sort(key=lambda r: (-(r.money_change or ZERO), -(r.change or ZERO), r.unit.path))
    return out


def _carried(run: Run, tree: compute.Tree) -> compute.Inputs:
    """The locked run's manual scores, evidence and approved vetoes, by item/rule code."""
    by_code = {n.code: n for n in tree.items}
    rules = {r.code: r for r in tree.rules}
    inputs = compute.Inputs()
    for row in ItemResult.objects.filter(run=run, manual_score__isnull=False).select_related(
        "node"
    ):
        node = by_code.get(row.node.code)
        if (
            node is not None
            and node.method == "manual"
            and row.manual_score <= tree.spec(node).points
        ):
            inputs.manual[(node.pk, row.org_unit_id)] = (row.manual_score, row.manual_reason)
    for evidence in Evidence.objects.filter(run=run).select_related("node"):
        node = by_code.get(evidence.node.code)
        if node is not None:
            inputs.evidence.setdefault((node.pk, evidence.org_unit_id), []).append(
                evidence.uploaded_at.date()
            )
    for hit in VetoHit.objects.filter(run=run, status=HitStatus.APPROVED).select_related("rule"):
        rule = rules.get(hit.rule.code)
        if rule is not None:
            inputs.hits.setdefault(hit.org_unit_id, []).append(
                Veto(rule.name, rule.effect, rule.section, rule.grade, rule.share, hit.evidence)
            )
    return inputs


class _Result:
    """What split() reads from a UnitResult: total, grade, pay cut."""

    def __init__(self, total, grade, pay_cut) -> None:
        self.total, self.grade, self.pay_cut = total, grade, pay_cut


def _money(run: Run, out: WhatIf, evaluation, units) -> None:
    pools = list(run.pools.all())
    if not pools:
        return
    locked = {
        r.org_unit.code: r for r in UnitResult.objects.filter(run=run).select_related("org_unit")
    }
    trial = {
        u.code: _Result(s.total.total, s.total.grade, s.total.pay_cut)
        for u in units
        for s in [evaluation.units[u.pk]]
    }
    money_before: dict[str, Decimal] = {}
    money_after: dict[str, Decimal] = {}
    for pool in pools:
        out.pools.append(pool.name)
        old, _ = split(pool, locked, units)
        new, _ = split(pool, trial, units)
        for code, amount in old.amounts.items():
            money_before[code] = money_before.get(code, ZERO) + amount
        for code, amount in new.amounts.items():
            money_after[code] = money_after.get(code, ZERO) + amount
    for row in out.rows:
        row.money_before = money_before.get(row.unit.code)
        row.money_after = money_after.get(row.unit.code)
