"""When plans fall due (Django-free), on hand-worked calendars."""

import datetime as dt

from weijian.inspections.schedule import current_window, planned_per_month, windows

D = dt.date
YEAR = (D(2026, 1, 1), D(2026, 12, 31))


def test_monthly_and_quarterly_windows_are_calendar_periods():
    months = windows("MONTHLY", [], *YEAR, D(2026, 1, 1), D(2026, 3, 31))
    assert [(w.start, w.end, w.label) for w in months] == [
        (D(2026, 1, 1), D(2026, 1, 31), "2026年1月"),
        (D(2026, 2, 1), D(2026, 2, 28), "2026年2月"),
        (D(2026, 3, 1), D(2026, 3, 31), "2026年3月"),
    ]
    # a quarterly plan counts one inspection in the quarter's first month
    assert planned_per_month("QUARTERLY", [], *YEAR, *YEAR) == {
        "202601": 1, "202604": 1, "202607": 1, "202610": 1,
    }  # fmt: skip


def test_weekly_windows_are_iso_weeks_clipped_to_the_plan():
    # plan from Wednesday 4 March 2026: the first week is clipped to 4–8 March; March has
    # windows starting 4, 9, 16, 23, 30 March = 5 (the week of 30 March counts in March)
    plan = (D(2026, 3, 4), D(2026, 12, 31))
    weeks = windows("WEEKLY", [], *plan, D(2026, 3, 1), D(2026, 3, 31))
    assert [w.start.day for w in weeks] == [4, 9, 16, 23, 30]
    assert (weeks[0].end, weeks[-1].end) == (D(2026, 3, 8), D(2026, 4, 5))
    assert planned_per_month("WEEKLY", [], *plan, D(2026, 3, 1), D(2026, 3, 31)) == {"202603": 5}


def test_daily_counts_every_day_of_the_month():
    assert planned_per_month("DAILY", [], *YEAR, D(2026, 2, 1), D(2026, 2, 28)) == {"202602": 28}


def test_a_date_list_runs_each_window_to_the_day_before_the_next_date():
    dates = ["2026-03-15", "2026-06-15", "2026-09-15"]
    found = windows("DATES", dates, *YEAR, *YEAR)
    assert [(w.start, w.end) for w in found] == [
        (D(2026, 3, 15), D(2026, 6, 14)),
        (D(2026, 6, 15), D(2026, 9, 14)),
        (D(2026, 9, 15), D(2026, 12, 31)),
    ]
    assert current_window("DATES", dates, *YEAR, D(2026, 7, 1)).start == D(2026, 6, 15)
    assert current_window("DATES", dates, *YEAR, D(2026, 3, 1)) is None


def test_ad_hoc_plans_never_fall_due():
    assert windows("AD_HOC", [], *YEAR, *YEAR) == []
    assert current_window("AD_HOC", [], *YEAR, D(2026, 5, 5)) is None
    assert current_window("MONTHLY", [], *YEAR, D(2027, 1, 5)) is None  # after the plan
