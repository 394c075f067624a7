"""Reads of the assessment app, scoped.

Who sees what:
- the scheme's owner (anyone with a role at or above the owning unit) and the members of its
  assessor offices: every unit's results;
- an assessed unit: its own results (item by item, with every deduction explained), and,
  once the run is in 公示 or 定稿, the ranking list of all units (the 公示 is public to them);
- anyone else: nothing (the pages answer 404).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from weijian import periods
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope

from .models import (
    STAGE_ORDER,
    AssessorOffice,
    ItemResult,
    Pool,
    Run,
    Scheme,
    Stage,
    UnitResult,
)
from .numbers import pts
from .scoring import Mode

PUBLIC_STAGES = (Stage.PUBLICITY, Stage.FINAL)


def is_insider(user, scheme: Scheme) -> bool:
    """The owner's people and the owner's assessor offices see every unit."""
    if get_scope(user).can(Can.VIEW, scheme.owner):
        return True
    return AssessorOffice.objects.filter(owner=scheme.owner, members=user).exists()


def schemes_for(user) -> list[Scheme]:
    scope = get_scope(user)
    schemes = list(Scheme.objects.select_related("owner", "institution").order_by("-year", "code"))
    offices = set(AssessorOffice.objects.filter(members=user).values_list("owner_id", flat=True))
    visible = []
    for scheme in schemes:
        if (
            scope.can(Can.VIEW, scheme.owner)
            or scheme.owner_id in offices
            or any(scope.can(Can.VIEW, unit) for unit in scheme.unit_list())
        ):
            visible.append(scheme)
    return visible


def runs_for(user) -> list[Run]:
    schemes = schemes_for(user)
    return list(
        Run.objects.filter(scheme__in=schemes)
        .select_related("scheme", "version")
        .order_by("-period", "scheme__code")
    )


def own_units(user, run: Run) -> list[OrgUnit]:
    """The run's units whose results the user may see in detail."""
    units = [r.org_unit for r in UnitResult.objects.filter(run=run).select_related("org_unit")]
    if is_insider(user, run.scheme):
        return units
    scope = get_scope(user)
    return [u for u in units if scope.can(Can.VIEW, u)]


def can_see_run(user, run: Run) -> bool:
    return is_insider(user, run.scheme) or bool(own_units(user, run))


def can_see_ranking(user, run: Run) -> bool:
    """The whole list: insiders always; the assessed units once it is public (公示)."""
    if is_insider(user, run.scheme):
        return True
    return run.stage in PUBLIC_STAGES and bool(own_units(user, run))


def ranking(run: Run) -> QuerySet[UnitResult]:
    return (
        UnitResult.objects.filter(run=run)
        .select_related("org_unit")
        .order_by("peer_group", "rank", "org_unit__path")
    )


def unit_items(run: Run, unit: OrgUnit) -> list[ItemResult]:
    return list(
        ItemResult.objects.filter(run=run, org_unit=unit)
        .select_related("node", "node__parent", "node__office", "scored_by", "override_by")
        .order_by("node__sort_order", "node__id")
    )


def explanation(row: ItemResult, mode: str = Mode.POINTS) -> str:
    """The whole line: what was measured, how it scored, and any adjustment."""
    parts = [p for p in (row.measure, row.explanation) if p]
    text = "，".join(parts)
    if mode == Mode.WEIGHTS and row.computed is not None and row.override_score is None:
        text += f"（按权重折合 {pts(row.earned)} 分）"
    if row.manual_score is not None and row.scored_by_id:
        text += f"（{row.node.office.name if row.node.office else '考核科室'}评分）"
    if row.override_score is not None:
        text += f"；复核调整为 {pts(row.override_score)} 分（{row.override_reason}）"
    return text


def stage_index(run: Run) -> int:
    return STAGE_ORDER.index(run.stage)


def pools_for(user) -> list[Pool]:
    runs = runs_for(user)
    return list(Pool.objects.filter(run__in=runs).select_related("run__scheme", "owner"))


@dataclass(frozen=True)
class Standing:
    """One unit's latest locked result, for dashboards and the 工作总结."""

    scheme: Scheme
    period: str
    result: UnitResult

    @property
    def sentence(self) -> str:
        """“在全区二级医院年度考核中得分92.5分，位列第2”."""
        r = self.result
        label = periods.parse(self.period).label
        group = r.peer_group or self.scheme.population
        text = f"在{label}{group}考核中得分{pts(r.total)}分"
        if r.rank:
            text += f"，位列第{r.rank}"
        if r.vetoed:
            text += "（一票否决）"
        return text


def latest_standing(unit: OrgUnit, year: int | None = None) -> Standing | None:
    """The unit's most recent result in a locked run (of the year, when given)."""
    qs = UnitResult.objects.filter(org_unit=unit, run__stage=Stage.FINAL).select_related(
        "run__scheme"
    )
    if year is not None:
        qs = qs.filter(run__period__startswith=str(year))
    row = qs.order_by("-run__period", "-run__locked_at").first()
    return Standing(row.run.scheme, row.run.period, row) if row else None
