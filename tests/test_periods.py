import datetime as dt

import pytest

from weijian.periods import Period, PeriodError, PeriodType, periods_between

D = dt.date


@pytest.mark.parametrize(
    ("pid", "ptype", "start", "end"),
    [
        ("2026", PeriodType.YEARLY, D(2026, 1, 1), D(2026, 12, 31)),
        ("2026S1", PeriodType.SIXMONTHLY, D(2026, 1, 1), D(2026, 6, 30)),
        ("2026S2", PeriodType.SIXMONTHLY, D(2026, 7, 1), D(2026, 12, 31)),
        ("2026Q3", PeriodType.QUARTERLY, D(2026, 7, 1), D(2026, 9, 30)),
        ("202602", PeriodType.MONTHLY, D(2026, 2, 1), D(2026, 2, 28)),
        ("202402", PeriodType.MONTHLY, D(2024, 2, 1), D(2024, 2, 29)),  # leap year
        ("2026W01", PeriodType.WEEKLY, D(2025, 12, 29), D(2026, 1, 4)),  # ISO week 1 starts in 2025
        ("20260701", PeriodType.DAILY, D(2026, 7, 1), D(2026, 7, 1)),
    ],
)
def test_it_parses_ids_into_date_ranges(pid, ptype, start, end):
    period = Period.parse(pid)
    assert (period.type, period.start, period.end) == (ptype, start, end)


@pytest.mark.parametrize(
    "bad", ["202613", "2026Q5", "2026S3", "20260230", "2026W54", "abc", "", "26"]
)
def test_it_refuses_periods_that_do_not_exist(bad):
    with pytest.raises(PeriodError):
        Period.parse(bad)


def test_error_messages_are_chinese():
    with pytest.raises(PeriodError, match="不存在"):
        Period.parse("202613")
    with pytest.raises(PeriodError, match="不是有效的期间编码"):
        Period.parse("July")


def test_previous_and_same_period_last_year():
    assert Period.parse("202601").previous().id == "202512"
    assert Period.parse("2026Q1").previous().id == "2025Q4"
    assert Period.parse("2026S1").previous().id == "2025S2"
    assert Period.parse("2026").previous().id == "2025"
    assert Period.parse("202607").same_period_last_year().id == "202507"
    assert Period.parse("2026Q3").same_period_last_year().id == "2025Q3"
    assert Period.parse("20240229").same_period_last_year().id == "20230228"
    # 2026 has 53 ISO weeks; 2025 has 52, so week 53 maps to 52.
    assert Period.parse("2026W53").same_period_last_year().id == "2025W52"


def test_periods_within_a_coarser_period():
    months = Period.parse("2026S1").periods_within(PeriodType.MONTHLY)
    assert [m.id for m in months] == ["202601", "202602", "202603", "202604", "202605", "202606"]
    assert [q.id for q in Period.parse("2026").periods_within(PeriodType.QUARTERLY)] == [
        "2026Q1",
        "2026Q2",
        "2026Q3",
        "2026Q4",
    ]
    assert Period.parse("2026").contains(Period.parse("202612"))
    assert not Period.parse("2026S1").contains(Period.parse("202607"))


def test_due_dates_and_ranges():
    assert Period.parse("202601").due_date(5) == D(2026, 2, 5)
    assert Period.parse("2026Q4").due_date(10) == D(2027, 1, 10)
    ids = [p.id for p in periods_between(PeriodType.MONTHLY, D(2025, 11, 15), D(2026, 2, 1))]
    assert ids == ["202511", "202512", "202601", "202602"]


def test_labels_read_as_chinese_documents_write_them():
    assert Period.parse("202607").label == "2026年7月"
    assert Period.parse("2026Q3").label == "2026年第3季度"
    assert Period.parse("2026S1").label == "2026年上半年"
    assert Period.parse("2026").label == "2026年"


@pytest.mark.parametrize("text", ["２０２６１０", "٢٠٢٦١٠", "2026Q١"])
def test_only_ascii_digits_make_a_period(text):
    # Full-width or Arabic-Indic digits would otherwise create a second id for the same month.
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_neighbours_stop_at_the_supported_years():
    from weijian.periods import neighbours

    assert neighbours(Period.parse("219912")) == (Period.parse("219911"), None)
    assert neighbours(Period.parse("190001"))[0] is None
