"""The assessment to-dos of one user, for the assessment home page: items to score (初评) for
office members, self-assessment and 公示 for the assessed units, 复核, appeals and vetoes
awaiting a decision for the owner's managers and reviewers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from weijian.orgs.scope import Can, get_scope

from .actions.common import can_review
from .models import AppealStatus, HitStatus, ItemResult, Run, Stage


@dataclass(frozen=True)
class Task:
    run: Run
    text: str
    url_name: str  # "assessment:run" or "assessment:sheet"


def for_user(user, limit: int = 30) -> list[Task]:
    runs = list(
        Run.objects.exclude(stage=Stage.FINAL)
        .select_related("scheme__owner")
        .order_by("-period")[:100]
    )
    if not runs:  # the task board asks on every visit: one query when nothing is under way
        return []
    scope = get_scope(user)
    offices = set(user.assessor_offices.values_list("pk", flat=True))
    tasks: list[Task] = []
    pending = (
        dict(
            ItemResult.objects.filter(run__in=runs, status="pending", node__office__in=offices)
            .values_list("run_id")
            .annotate(n=Count("id"))
        )
        if offices
        else {}
    )
    for run in runs:
        label = f"{run.scheme.name}（{run.period_label}）"
        if run.stage == Stage.INITIAL and pending.get(run.pk):
            tasks.append(
                Task(run, f"{label}：本科室待评分 {pending[run.pk]} 项", "assessment:sheet")
            )
        mine = [
            r for r in run.results.select_related("org_unit") if scope.can(Can.ENTER, r.org_unit)
        ]
        if run.stage == Stage.SELF and mine:
            tasks.append(Task(run, f"{label}：请完成本单位自评", "assessment:run"))
        if run.stage == Stage.PUBLICITY and mine:
            tasks.append(
                Task(
                    run,
                    f"{label}：考核结果公示中，至 {run.publicity_end:%Y-%m-%d}",
                    "assessment:run",
                )
            )
        if can_review(user, run.scheme):
            waiting = run.appeals.filter(status=AppealStatus.OPEN).count()
            hits = run.hits.filter(status=HitStatus.PROPOSED).count()
            if waiting:
                tasks.append(Task(run, f"{label}：{waiting} 件申诉待裁定", "assessment:run"))
            if hits:
                tasks.append(Task(run, f"{label}：{hits} 项一票否决待确认", "assessment:run"))
            if run.stage == Stage.REVIEW:
                tasks.append(Task(run, f"{label}：待复核", "assessment:run"))
    return tasks[:limit]
