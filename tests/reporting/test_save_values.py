import pytest

from weijian.reporting import actions
from weijian.reporting.models import DataValue, DataValueAudit


def test_it_saves_and_audits_values(world):
    result = actions.save_values(
        world.alice, world.form, world.medicine, "202601",
        {("OPD", "MALE"): "120", ("OPD", "FEMALE"): "130", ("DIS", "default"): "40"},
    )
    assert (result.created, result.updated) == (3, 0)
    assert DataValue.objects.filter(org_unit=world.medicine).count() == 3
    assert DataValueAudit.objects.filter(org_unit=world.medicine, action="CREATE").count() == 3


def test_it_refuses_an_outsider(world):
    with pytest.raises(actions.ReportingError, match="没有“内科”的填报权限"):
        actions.save_values(world.olivia, world.form, world.medicine, "202601", {("DIS", "default"): "1"})
    assert not DataValue.objects.exists()
