"""The full demo as `weijian demo` loads it: 36 months up to last month."""

from django.db import connection

from weijian.demo.load import load_demo
from weijian.reporting import partitions
from weijian.reporting.models import DataValue, DataValueAudit, Period, Submission

from .checks import (
    all_violations,
    health_education_disagreements,
    impossible_rates,
    incomplete_reports,
    training_results,
    weekend_events,
)


def test_the_full_three_years_load_consistently(db):
    summary = load_demo()
    assert summary.months == 36
    if connection.vendor == "postgresql":
        # Each year loaded has its partition (the test database had this year's and next
        # year's only): nothing in DEFAULT.
        first, last = int(summary.first_period[:4]), int(summary.last_period[:4])
        held = set(partitions.partitions())
        assert {partitions.partition_name(y) for y in range(first, last + 1)} <= held
        assert partitions.default_rows() == 0
    assert Period.objects.filter(id__in=[summary.first_period, summary.last_period]).count() == 2
    # the reported figures (system-managed ones, e.g. inspections' INSP_…, come on top)
    reported = DataValue.objects.filter(element__system_managed=False)
    audits = DataValueAudit.objects.filter(element__system_managed=False)
    assert summary.values == reported.count() > 60_000
    assert summary.audits == audits.count() > summary.values
    assert summary.submissions == Submission.objects.count() > 4_000
    assert set(summary.statuses) == {"DRAFT", "SUBMITTED", "RETURNED", "APPROVED", "LOCKED"}
    assert summary.statuses["LOCKED"] > 0.8 * summary.submissions
    assert incomplete_reports() == {}
    assert all_violations() == {}
    assert impossible_rates() == {}
    # meetings, trainings, drills, inspections, notices, groups and contracts of all three
    # years fall on working days (a theme day's own event may keep its weekend date)
    assert weekend_events() == []
    assert training_results() == []
    # every centre-month's lectures and 公众健康咨询 in the 台账 = its 基本公卫 report's
    assert health_education_disagreements() == []
