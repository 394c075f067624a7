"""Writing the figures assessments read, directly (the other apps' own tests cover their
actions): data values with their report's status, inspections, notices, ledger records,
survey answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from weijian import periods
from weijian.inspections.models import (
    ChecklistTemplate,
    Inspection,
    InspectionStatus,
    NoticeStatus,
    RectificationNotice,
    TemplateVersion,
)
from weijian.ledger.models import Activity, ActivityType
from weijian.orgs.models import OrgUnit
from weijian.reporting.models import DataValue, Submission, SubmissionStatus
from weijian.reporting.models import Period as PeriodRow
from weijian.reporting.queries import default_option
from weijian.surveys.models import Questionnaire, Response, Survey


def report(world, unit, period_id: str, status=SubmissionStatus.APPROVED, **values):
    """The WORK form of `unit` for a month: values (OPD, DIS) and the report's status."""
    period = PeriodRow.for_period(periods.parse(period_id))
    elements = {"OPD": world.visits, "DIS": world.discharges}
    for code, value in values.items():
        DataValue.objects.update_or_create(
            element=elements[code], option=default_option(), org_unit=unit, period=period,
            defaults=dict(value=str(value), number=Decimal(str(value)), updated_at=timezone.now()),
        )  # fmt: skip
    Submission.objects.update_or_create(
        form=world.form, org_unit=unit, period=period, defaults={"status": status}
    )


def template(code="XF", name="消防安全检查表") -> TemplateVersion:
    t, _ = ChecklistTemplate.objects.get_or_create(code=code, defaults={"name": name})
    version, _ = TemplateVersion.objects.get_or_create(template=t, label="2026")
    return version


def inspection(
    user, unit, day: dt.date, score, *, code="XF", passed=True, vetoed=False, findings=0
):
    return Inspection.objects.create(
        version=template(code), org_unit=unit, issuer_unit=OrgUnit.objects.get_parent(unit), date=day,
        status=InspectionStatus.SUBMITTED, score=Decimal(str(score)), passed=passed,
        vetoed=vetoed, findings=findings, created_by=user,
    )  # fmt: skip


def notice(user, unit, deadline: dt.date, *, closed_on: dt.date | None = None, seq=1):
    found = inspection(user, unit, deadline - dt.timedelta(days=10), 80, findings=1)
    return RectificationNotice.objects.create(
        issuer_unit=OrgUnit.objects.get_parent(unit), word="整改", year=deadline.year, seq=seq, inspection=found,
        org_unit=unit, measures_required="整改", responsible="科主任", deadline=deadline,
        status=NoticeStatus.CLOSED if closed_on else NoticeStatus.OPEN, issued_by=user,
        issued_at=timezone.now(), completed_on=closed_on,
    )  # fmt: skip


def ledger_type(code="SAFE", name="安全生产事故", fields=None) -> ActivityType:
    fields = fields or [
        {"key": "KIND", "label": "类别", "kind": "CHOICE", "options": ["火灾", "盗窃"]},
        {"key": "PEOPLE", "label": "人数", "kind": "COUNTER"},
    ]
    kind, _ = ActivityType.objects.get_or_create(
        code=code, defaults={"name": name, "fields": fields}
    )
    return kind


def record(user, unit, day: dt.date, title: str, kind: ActivityType, **values):
    now = timezone.now()
    return Activity.objects.create(
        type=kind, org_unit=unit, title=title, start_date=day, end_date=day,
        period_id=f"{day:%Y%m}", values=values, created_by=user, created_at=now, updated_at=now,
    )  # fmt: skip


def answers(unit, month: str, total: int, satisfied: int, kind="INPAT"):
    q, _ = Questionnaire.objects.get_or_create(
        code=f"Q_{kind}", defaults={"name": "问卷", "kind": kind}
    )
    survey, _ = Survey.objects.get_or_create(
        questionnaire=q, org_unit=unit, defaults={"title": "满意度调查"}
    )
    at = timezone.make_aware(dt.datetime(int(month[:4]), int(month[4:]), 10, 9))
    Response.objects.bulk_create(
        Response(
            survey=survey,
            org_unit=unit,
            kind=kind,
            submitted_at=at,
            month=month,
            satisfied=i < satisfied,
        )
        for i in range(total)
    )
