"""The Django-free core: field checks, the type editor's lines, figures and recurrences."""

import datetime as dt
from decimal import Decimal

from weijian.ledger.recurrence import occurrences
from weijian.ledger.schema import (
    FieldSpec,
    FigureSpec,
    Kind,
    clean_record,
    field_lines,
    parse_field_lines,
)

FIELDS = [
    FieldSpec("FORM", "形式", Kind.CHOICE, ("讲座", "义诊"), required=True),
    FieldSpec("REACHED", "受益人数", Kind.COUNTER),
    FieldSpec("EXAMINED", "考核人数", Kind.COUNTER),
    FieldSpec("PASSED", "合格人数", Kind.COUNTER),
    FieldSpec("HOURS", "学时", Kind.NUMBER),
    FieldSpec("ONTIME", "是否按时回复", Kind.BOOLEAN),
    FieldSpec("STAFF", "出动人员", Kind.PEOPLE),
    FieldSpec("DUE", "回复期限", Kind.DATE),
]


def clean(title="讲座", start="2026-03-05", end="", **raw):
    return clean_record(FIELDS, title, start, end, raw, today=dt.date(2026, 6, 1),
                        checks=[("PASSED", "EXAMINED")])  # fmt: skip


def test_good_values_are_stored_typed():
    result = clean(FORM="讲座", REACHED="1,200", HOURS="1.50", ONTIME="是",
                   STAFF="张三、李四，王五", DUE="2026/3/9")  # fmt: skip
    assert result.problems == []
    assert result.values == {
        "FORM": "讲座",
        "REACHED": 1200,
        "HOURS": "1.5",
        "ONTIME": True,
        "STAFF": ["张三", "李四", "王五"],
        "DUE": "2026-03-09",
    }
    assert result.end == dt.date(2026, 3, 5)  # no end date: a one-day activity


def test_every_problem_is_reported_in_chinese():
    result = clean(title="", start="2026-03-05", end="2026-03-01", FORM="宣讲",
                   REACHED="-3", EXAMINED="2.5", ONTIME="也许")  # fmt: skip
    reasons = {p.where: p.reason for p in result.problems}
    assert reasons["标题"] == "不能为空"
    assert reasons["结束日期"] == "结束日期 2026-03-01 早于开始日期 2026-03-05"
    assert reasons["形式"] == "“宣讲”不是可选项（可选：讲座、义诊）"
    assert reasons["受益人数"] == "不能为负数（-3）"
    assert reasons["考核人数"] == "应为整数，而不是“2.5”"
    assert reasons["是否按时回复"] == "应填“是”或“否”，而不是“也许”"


def test_required_choice_future_dates_and_pair_checks():
    result = clean(start="2026-07-01", EXAMINED="10", PASSED="12")
    reasons = {p.where: p.reason for p in result.problems}
    assert reasons["形式"] == "不能为空"
    assert "尚未到来" in reasons["开始日期"]
    assert reasons["合格人数"] == "合格人数（12）不能大于考核人数（10）"
    assert clean(start="2026年3月5日", FORM="义诊").problems == []
    assert clean(start="3月5日", FORM="义诊").problems[0].reason.startswith("“3月5日”不是有效日期")


def test_figures_count_and_sum_with_matches():
    rows = [
        {"FORM": "讲座", "SESSIONS": 2, "KIND": "投诉", "ONTIME": True},
        {"FORM": "义诊", "SESSIONS": 1, "KIND": "投诉", "ONTIME": False},
        {"FORM": "讲座", "KIND": "表扬"},
    ]
    assert FigureSpec("A", "", "", "COUNT").compute(rows) == 3
    assert FigureSpec("B", "", "", "SUM", "SESSIONS").compute(rows) == 3
    lectures = FigureSpec("C", "", "", "SUM", "SESSIONS", {"FORM": "讲座"})
    assert lectures.compute(rows) == 2
    ontime = FigureSpec("D", "", "", "COUNT", match={"KIND": "投诉", "ONTIME": True})
    assert ontime.compute(rows) == 1
    assert FigureSpec("E", "", "", "SUM", "HOURS").compute([{"HOURS": "1.5"}, {}]) == Decimal("1.5")


def test_type_editor_lines_round_trip_and_keep_keys():
    fields, problems = parse_field_lines("主题\n形式 | 选择 | 讲座、义诊\n人数 | 计数 | | 人")
    assert problems == []
    assert [(f.key, f.kind, f.options, f.unit) for f in fields] == [
        ("F1", Kind.TEXT, (), ""),
        ("F2", Kind.CHOICE, ("讲座", "义诊"), ""),
        ("F3", Kind.COUNTER, (), "人"),
    ]
    # A removed field's key (F2) is not reused, so old values never attach to a new field.
    again, _ = parse_field_lines("人数 | 计数\n新字段 | 日期\n主题", fields)
    assert [(f.key, f.label) for f in again] == [("F3", "人数"), ("F4", "新字段"), ("F1", "主题")]
    assert parse_field_lines(field_lines(fields))[0] == fields
    _, problems = parse_field_lines("a | 颜色\n形式 | 选择")
    assert problems == ["第 1 行：类型“颜色”不存在，可用：文本、选择、日期、数值、计数、是否、人员",
                        "选择字段“形式”至少需要一个选项"]  # fmt: skip


def test_occurrences_of_days_months_and_quarters():
    (day,) = occurrences("YEARLY_DAY", 4, 7, 2026)
    assert (day.start, day.end, day.label) == (
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 14),
        "2026年4月7日",
    )
    (month,) = occurrences("YEARLY_MONTH", 6, None, 2026)
    assert (month.start, month.end) == (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    quarters = occurrences("QUARTERLY", None, None, 2026)
    assert [q.end for q in quarters][:2] == [dt.date(2026, 3, 31), dt.date(2026, 6, 30)]
    assert len(occurrences("MONTHLY", None, None, 2026)) == 12
    assert occurrences("YEARLY_DAY", 2, 29, 2026) == []
    assert day.status(False, dt.date(2026, 4, 15)) == "OVERDUE"
    assert day.status(False, dt.date(2026, 3, 20)) == "OPEN"
    assert day.status(False, dt.date(2026, 1, 1)) == "LATER"
    assert day.status(True, dt.date(2026, 5, 1)) == "DONE"
