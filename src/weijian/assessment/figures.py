"""The results a locked run publishes as system-managed figures (DESIGN.md §3), so dashboards,
the pivot and the 工作总结 read them like any other figure:

    ASSESS_SCORE / ASSESS_DEPT_SCORE          总分 (AVERAGE: a subtree's average score)
    ASSESS_RANK / ASSESS_DEPT_RANK            名次 (in the unit's peer group)
    ASSESS_RANK_SIZE / ASSESS_DEPT_RANK_SIZE  参与排名的单位数
    ASSESS_VETO / ASSESS_DEPT_VETO            一票否决 (1; summed: how many were vetoed)

Institutions and departments have their own codes: the engine counts a unit's whole subtree,
so one code at both levels would mix a hospital's score with its departments'. The figures
are keyed by the run's period (a year for annual schemes, a month for monthly ones).
"""

from __future__ import annotations

from weijian import periods
from weijian.reporting.actions import SystemElement, ensure_system_elements, publish_system_values

from .actions.common import AssessmentError
from .models import FigureCodes, Run, UnitResult

SOURCE = "考核结果"
PREFIX = {FigureCodes.INSTITUTION: "ASSESS", FigureCodes.DEPARTMENT: "ASSESS_DEPT"}
LEVEL = {FigureCodes.INSTITUTION: "机构", FigureCodes.DEPARTMENT: "科室"}


def elements(kind: str) -> list[SystemElement]:
    p, level = PREFIX[kind], LEVEL[kind]
    return [
        SystemElement(
            f"{p}_SCORE",
            f"{level}考核总分",
            "分",
            f"已定稿的{level}考核总分（多个单位或期间取平均）",
            "AVERAGE",
            "NUMBER",
        ),
        SystemElement(
            f"{p}_RANK", f"{level}考核名次", "名", "在排名分组中的名次", "AVERAGE", "INTEGER"
        ),
        SystemElement(
            f"{p}_RANK_SIZE",
            f"{level}考核参与排名单位数",
            "个",
            "名次所在排名分组的单位数",
            "AVERAGE",
            "INTEGER",
        ),
        SystemElement(
            f"{p}_VETO",
            f"{level}考核一票否决",
            "个",
            "被一票否决为 1（汇总为被否决的单位数）",
            "SUM",
            "INTEGER",
        ),
    ]


def publish(run: Run) -> None:
    """Publish the run's results (inside the lock's transaction). Refused when another
    scheme's locked run already published the same figures for a unit and period."""
    kind = run.scheme.figure_codes
    if kind not in PREFIX:
        return
    specs = elements(kind)
    results = list(UnitResult.objects.filter(run=run).select_related("org_unit"))
    others = Run.objects.filter(
        scheme__figure_codes=kind, period=run.period, stage="FINAL"
    ).exclude(pk=run.pk)
    taken = UnitResult.objects.filter(run__in=others, org_unit__in=[r.org_unit for r in results])
    clash = taken.select_related("org_unit", "run__scheme").first()
    if clash is not None:
        raise AssessmentError(
            f"{clash.org_unit.name}{periods.parse(run.period).label}的考核结果已由“{clash.run.scheme.name}”发布，"
            "同一单位同一期间只能发布一个考核结果；请将本方案的“结果发布为”改为“不发布”"
        )
    ensure_system_elements(specs)
    for r in results:
        publish_system_values(
            SOURCE,
            r.org_unit,
            run.period,
            {
                specs[0].code: r.total,
                specs[1].code: r.rank,
                specs[2].code: r.rank_size,
                specs[3].code: 1 if r.vetoed else 0,
            },
        )
