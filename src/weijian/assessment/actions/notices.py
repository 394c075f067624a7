"""A deduction raises a rectification notice (整改通知书) in the inspections app: the unit
answers it and the issuer re-checks it like any other notice; each item's deduction raises at
most one."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from weijian import periods
from weijian.inspections.actions import InspectionError, issue_notice_for_findings
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope

from ..models import ItemResult, Run, Stage
from ..numbers import pts
from .common import AssessmentError, can_manage, log_run


def deductions(run: Run, unit: OrgUnit) -> list[ItemResult]:
    """The unit's items that lost points (normal items below full, 扣分 items above 0)."""
    rows = (
        ItemResult.objects.filter(run=run, org_unit=unit)
        .select_related("node")
        .order_by("node__sort_order", "node__id")
    )
    out = []
    for row in rows:
        if row.earned is None:
            continue
        section = row.node.section
        if (section == "normal" and row.earned < row.node.points) or (
            section == "penalty" and row.earned > 0
        ):
            out.append(row)
    return out


def raise_notice(
    user,
    run: Run,
    unit: OrgUnit,
    codes: list[str],
    *,
    measures: str,
    responsible: str,
    deadline: dt.date,
    today: dt.date | None = None,
):
    """One notice for the chosen deductions of one unit."""
    if not (can_manage(user, run.scheme) or get_scope(user).can(Can.INSPECT, unit)):
        raise AssessmentError("只有方案制定单位的管理员或检查人员可以就考核扣分下发整改通知")
    if run.stage not in (Stage.REVIEW, Stage.PUBLICITY, Stage.FINAL):
        raise AssessmentError("复核后才能就考核扣分下发整改通知")
    chosen = [r for r in deductions(run, unit) if r.node.code in set(codes)]
    if not chosen:
        raise AssessmentError("请选择至少一个扣分项目")
    already = [r.node.code for r in chosen if r.notice_id]
    if already:
        raise AssessmentError(f"第{'、'.join(already)}项已下发整改通知，未重复下发")
    lines = [
        {
            "code": r.node.code,
            "content": r.node.name,
            "finding": "，".join(p for p in (r.measure, r.explanation) if p)[:500],
            "lost": pts(r.earned if r.node.section == "penalty" else r.node.points - r.earned),
        }
        for r in chosen
    ]
    origin = f"{periods.parse(run.period).label}《{run.scheme.name}》考核扣分"
    with transaction.atomic():
        rows = list(ItemResult.objects.select_for_update().filter(pk__in=[r.pk for r in chosen]))
        if any(r.notice_id for r in rows):
            raise AssessmentError("所选项目已下发整改通知，未重复下发")
        try:
            notice = issue_notice_for_findings(
                user, issuer_unit=run.scheme.owner, org_unit=unit, lines=lines, measures=measures,
                responsible=responsible, deadline=deadline, origin=origin, today=today,
            )  # fmt: skip
        except InspectionError as exc:
            raise AssessmentError(exc.message) from None
        ItemResult.objects.filter(pk__in=[r.pk for r in rows]).update(notice=notice)
        log_run(
            run,
            user,
            "下发整改通知",
            unit=unit,
            after=notice.number,
            reason="、".join(r.node.code for r in chosen),
        )
    return notice
