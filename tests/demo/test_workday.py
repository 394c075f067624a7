"""The demo's working-day rule (Django-free): office events move off weekends."""

import datetime as dt

from weijian.demo.activity import workday


def test_a_weekday_stays():
    assert workday(dt.date(2026, 12, 7)) == dt.date(2026, 12, 7)  # a Monday


def test_saturday_moves_back_to_friday_and_sunday_on_to_monday():
    assert workday(dt.date(2026, 12, 5)) == dt.date(2026, 12, 4)  # Sat 5 → Fri 4
    assert workday(dt.date(2026, 12, 6)) == dt.date(2026, 12, 7)  # Sun 6 → Mon 7


def test_it_stays_within_the_month_or_the_given_bounds():
    # Saturday 1 August 2026: Friday is in July, so Monday 3 August
    assert workday(dt.date(2026, 8, 1)) == dt.date(2026, 8, 3)
    # Sunday 31 May 2026: Monday is in June, so Friday 29 May
    assert workday(dt.date(2026, 5, 31)) == dt.date(2026, 5, 29)
    # a notice the day after a Friday inspection: not before that day, so the Monday
    saturday = dt.date(2026, 12, 5)
    assert workday(saturday, saturday, saturday + dt.timedelta(days=3)) == dt.date(2026, 12, 7)
    # nothing in bounds (a weekend-only window): the day is kept
    assert workday(saturday, saturday, saturday + dt.timedelta(days=1)) == saturday
