"""`weijian ledger load` loads the built-in types, figures, indicators and health days, twice."""

from io import StringIO

from django.core.management import call_command

from weijian.indicators.models import Indicator
from weijian.ledger.models import ActivityType, Campaign
from weijian.reporting.models import DataElement


def test_ledger_load_is_idempotent(db):
    for _ in range(2):
        out = StringIO()
        call_command("ledger", "load", stdout=out)
    # 6 + 党建、改革、新技术、重点专科 + 行风、安全生产、医保、人才 (documents/areas.py)
    # + the bureau's 卫生监督执法 (documents/bureau_work.py) = 15 + 专题学习教育、发展规划和
    # 制度建设 (documents/party_study.py) = 17
    assert "17 个台账类型" in out.getvalue()
    assert ActivityType.objects.filter(builtin=True).count() == 17
    codes = set(DataElement.objects.filter(system_managed=True).values_list("code", flat=True))
    assert {"LG_HE_EVENTS", "LG_TRAIN_ATTEND", "LG_COMPLAINTS_ONTIME", "LG_PRAISES"} <= codes
    assert Indicator.objects.get(code="LG_TRAIN_PASS_RATE").numerator == "#{LG_TRAIN_PASSED}"
    assert Campaign.objects.get(code="WHO_DAY").day == 7
