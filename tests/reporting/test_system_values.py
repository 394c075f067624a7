"""Figures other apps publish as system-managed data elements (DESIGN.md §3)."""

from decimal import Decimal

import pytest

from weijian import periods
from weijian.indicators.analytics import analyse
from weijian.reporting.actions import (
    ReportingError,
    SystemElement,
    SystemSource,
    ensure_system_elements,
    publish_system_values,
    save_values,
)
from weijian.reporting.models import DataValue, DataValueAudit, FormElement

DONE = SystemElement("T_INSP_DONE", "测试：检查次数", unit="次")
FOUND = SystemElement("T_FINDINGS", "测试：发现问题数", unit="个")


@pytest.fixture
def published(world):
    ensure_system_elements([DONE, FOUND])
    return world


def test_published_figures_reach_analytics_and_sum_up_the_tree(published):
    w = published
    publish_system_values(SystemSource.INSPECTIONS, w.medicine, "202603", {"T_INSP_DONE": 2})
    publish_system_values(SystemSource.INSPECTIONS, w.surgery, "202603", {"T_INSP_DONE": 3})
    publish_system_values(SystemSource.INSPECTIONS, w.surgery, "202602", {"T_INSP_DONE": 1})
    result = analyse(["T_INSP_DONE"], [periods.parse("2026Q1")], [w.hospital])
    # MED 2 (March) + SUR 3 (March) + SUR 1 (February) = 6 in the hospital's first quarter
    assert result.values[("T_INSP_DONE", "2026Q1", w.hospital.code)] == Decimal(6)


def test_republishing_replaces_and_none_deletes_with_an_audit_trail(published):
    w = published
    publish_system_values(
        SystemSource.INSPECTIONS, w.medicine, "202603", {"T_INSP_DONE": 2, "T_FINDINGS": 5}
    )
    result = publish_system_values(
        SystemSource.INSPECTIONS, w.medicine, "202603", {"T_INSP_DONE": 3, "T_FINDINGS": None}
    )
    assert (result.created, result.updated, result.deleted) == (0, 1, 1)
    stored = DataValue.objects.get(org_unit=w.medicine, period_id="202603")
    assert (stored.element.code, stored.value, stored.stored_by) == ("T_INSP_DONE", "3", None)
    audit = DataValueAudit.objects.filter(org_unit=w.medicine, source=SystemSource.INSPECTIONS)
    assert sorted(audit.values_list("action", flat=True)) == [
        "CREATE",
        "CREATE",
        "DELETE",
        "UPDATE",
    ]


def test_only_system_elements_can_be_published(published):
    w = published
    with pytest.raises(ReportingError, match="不是系统生成的数据项"):
        publish_system_values(SystemSource.LEDGER, w.medicine, "202603", {w.visits.code: 1})
    assert not DataValue.objects.filter(org_unit=w.medicine).exists()


def test_people_cannot_type_a_published_figure(published):
    w = published
    FormElement.objects.create(form=w.form, element=ensure_system_elements([DONE])[DONE.code])
    with pytest.raises(ReportingError) as refused:
        save_values(w.alice, w.form, w.medicine, "202603", {("T_INSP_DONE", "default"): "9"})
    assert "系统自动生成" in refused.value.problems[0].reason
    assert not DataValue.objects.filter(org_unit=w.medicine).exists()
