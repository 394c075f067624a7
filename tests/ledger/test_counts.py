"""Ledger records become figures in the indicator engine, equal to hand counts."""

from decimal import Decimal

import pytest

from weijian import periods
from weijian.indicators.analytics import analyse
from weijian.ledger import queries
from weijian.ledger.actions import (
    LedgerError,
    RecordInput,
    declare_nothing,
    delete_activity,
    update_activity,
    withdraw_nothing,
)
from weijian.ledger.models import Activity, LedgerAudit
from weijian.reporting.models import DataValue

from .conftest import TODAY, record


def value(code, period_id, unit):
    result = analyse([code], [periods.parse(period_id)], [unit])
    return result.values.get((code, period_id, unit.code))


def test_health_education_counters_sum_per_unit_and_month_and_up_the_tree(ledger):
    w, he = ledger, ledger.types["HE"]
    record(w.alice, he, w.medicine, "2026-03-05", "高血压防治讲座", THEME="高血压", FORM="讲座",
           SESSIONS=2, REACHED=120, LEAFLETS=300)  # fmt: skip
    record(w.alice, he, w.medicine, "2026-03-20", "义诊", THEME="糖尿病", FORM="义诊",
           SESSIONS=1, REACHED=80, LEAFLETS=200, BANNERS=2)  # fmt: skip
    record(w.bob, he, w.surgery, "2026-04-02", "骨质疏松讲座", THEME="骨质疏松", FORM="讲座",
           SESSIONS=1, REACHED=45)  # fmt: skip
    # MED March: 2 events; sessions 2 + 1 = 3; reached 120 + 80 = 200; lectures 2 (讲座 only)
    assert value("LG_HE_EVENTS", "202603", w.medicine) == 2
    assert value("LG_HE_SESSIONS", "202603", w.medicine) == 3
    assert value("LG_HE_LECTURES", "202603", w.medicine) == 2
    assert value("LG_HE_REACHED", "202603", w.medicine) == 200
    assert value("LG_HE_LEAFLETS", "202603", w.medicine) == 500
    # HOS 2026Q1+April = 2026S1: events 3; reached 120 + 80 + 45 = 245
    assert value("LG_HE_EVENTS", "2026S1", w.hospital) == 3
    assert value("LG_HE_REACHED", "2026S1", w.hospital) == 245
    assert value("LG_HE_REACHED", "2026", w.bureau) == 245


def test_training_pass_rate_and_complaint_on_time_rate_indicators(ledger):
    w = ledger
    train, fb = w.types["TRAIN"], w.types["FEEDBACK"]
    record(w.alice, train, w.medicine, "2026-02-10", "院感培训", THEME="手卫生", ATTEND=40,
           EXAMINED=38, PASSED=36)  # fmt: skip
    record(w.bob, train, w.surgery, "2026-02-12", "急救培训", THEME="心肺复苏", ATTEND=30,
           EXAMINED=30, PASSED=27)  # fmt: skip
    for ontime in (True, True, False):
        record(w.alice, fb, w.medicine, "2026-02-03", "投诉", KIND="投诉", SUBJECT="候诊时间长",
               ONTIME=ontime)  # fmt: skip
    record(w.bob, fb, w.surgery, "2026-02-04", "锦旗", KIND="表扬", SUBJECT="感谢", CHANNEL="锦旗")
    # 参训人次 40 + 30 = 70; 合格率 (36 + 27) / (38 + 30) = 63 / 68 = 92.6 %
    assert value("LG_TRAIN_ATTEND", "202602", w.hospital) == 70
    assert round(value("LG_TRAIN_PASS_RATE", "202602", w.hospital), 1) == Decimal("92.6")
    # 投诉 3, 按时 2 → 66.7 %; 表扬 1
    assert value("LG_COMPLAINTS", "202602", w.hospital) == 3
    assert value("LG_PRAISES", "202602", w.hospital) == 1
    assert round(value("LG_COMPLAINT_ONTIME_RATE", "202602", w.hospital), 1) == Decimal("66.7")


def test_editing_moves_counts_between_months_and_deleting_removes_them(ledger):
    w, drill = ledger, ledger.types["DRILL"]
    activity = record(w.alice, drill, w.medicine, "2026-03-30", "消防演练", KIND="消防", PEOPLE=25)
    update_activity(w.alice, activity, RecordInput("消防演练", "2026-04-02", "", {"KIND": "消防", "PEOPLE": 30}),
                    today=TODAY)  # fmt: skip
    assert value("LG_DRILL_EVENTS", "202603", w.medicine) is None
    assert value("LG_DRILL_PEOPLE", "202604", w.medicine) == 30
    delete_activity(w.alice, activity)
    assert value("LG_DRILL_EVENTS", "202604", w.medicine) is None
    assert not DataValue.objects.filter(org_unit=w.medicine).exists()
    actions = list(LedgerAudit.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["CREATE", "UPDATE", "DELETE"]
    update = LedgerAudit.objects.get(action="UPDATE")
    assert (update.before["values"]["PEOPLE"], update.after["values"]["PEOPLE"]) == (25, 30)


def test_bad_input_saves_nothing(ledger):
    w = ledger
    with pytest.raises(LedgerError) as refused:
        record(w.alice, w.types["HE"], w.medicine, "2026-03-05", "讲座", end="2026-03-01",
               THEME="x", FORM="讲座", REACHED=-5)  # fmt: skip
    reasons = [p.reason for p in refused.value.problems]
    assert reasons == ["结束日期 2026-03-01 早于开始日期 2026-03-05", "不能为负数（-5）"]
    assert not Activity.objects.exists() and not DataValue.objects.exists()


def test_an_outsider_cannot_record_for_another_unit(ledger):
    w = ledger
    with pytest.raises(LedgerError, match="没有在“内科”登记台账的权限"):
        record(w.olivia, w.types["MEET"], w.medicine, "2026-03-05", "科务会", KIND="科务会")
    with pytest.raises(LedgerError):
        record(w.victor, w.types["MEET"], w.medicine, "2026-03-05", "科务会", KIND="科务会")
    activity = record(w.alice, w.types["MEET"], w.medicine, "2026-03-05", "科务会", KIND="科务会")
    with pytest.raises(LedgerError):
        delete_activity(w.olivia, activity)
    assert Activity.objects.count() == 1


def test_nothing_to_report_gives_zero_and_a_kept_register(ledger):
    w, fb = ledger, ledger.types["FEEDBACK"]
    declare_nothing(w.alice, fb, w.medicine, "202603", today=TODAY)
    assert value("LG_COMPLAINTS", "202603", w.medicine) == 0
    status = queries.register_status("FEEDBACK", w.medicine, periods.parse("2026Q1"), TODAY)
    assert status.months_declared_empty == ["202603"]
    assert status.months_missing == ["202601", "202602"]
    assert not status.nothing_happened
    for month in ("202601", "202602"):
        declare_nothing(w.alice, fb, w.medicine, month, today=TODAY)
    status = queries.register_status("FEEDBACK", w.medicine, periods.parse("2026Q1"), TODAY)
    assert status.nothing_happened
    # A record in a declared month withdraws the declaration and counts.
    record(w.alice, fb, w.medicine, "2026-03-09", "投诉", KIND="投诉", SUBJECT="态度", ONTIME=True)
    assert value("LG_COMPLAINTS", "202603", w.medicine) == 1
    with pytest.raises(LedgerError, match="本月已有投诉/表扬记录"):
        declare_nothing(w.alice, fb, w.medicine, "202603", today=TODAY)
    with pytest.raises(LedgerError, match="尚未到来"):
        declare_nothing(w.alice, fb, w.medicine, "202607", today=TODAY)
    withdraw_nothing(w.alice, fb, w.medicine, "202601")
    assert value("LG_COMPLAINTS", "202601", w.medicine) is None


def test_records_lists_a_subtree_and_period_for_the_summary(ledger):
    w, he = ledger, ledger.types["HE"]
    record(w.alice, he, w.medicine, "2026-05-31", "世界无烟日宣传", THEME="控烟", FORM="室外宣传")
    record(w.bob, he, w.surgery, "2026-04-07", "世界卫生日义诊", THEME="健康", FORM="义诊")
    record(w.olivia, he, w.township, "2026-04-08", "卫生院讲座", THEME="结核", FORM="讲座")
    listed = queries.records("HE", w.hospital, periods.parse("2026Q2"))
    assert [a.title for a in listed] == ["世界卫生日义诊", "世界无烟日宣传"]
