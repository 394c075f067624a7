"""When a plan's inspections fall due (Django-free).

Each schedule cuts the plan's dates into windows; one inspection of each unit is due per
window, by the window's last day:

    DAILY      every day                     WEEKLY     ISO weeks (Monday–Sunday)
    MONTHLY    calendar months               QUARTERLY  calendar quarters
    DATES      from each listed date to the day before the next one (the last to the plan's end)
    AD_HOC     不定期: no windows, nothing falls due (inspections are started by hand)

A window is counted as planned in the month its (clipped) first day falls in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from weijian import periods
from weijian.periods import PeriodType

STEP = {
    "DAILY": PeriodType.DAILY,
    "WEEKLY": PeriodType.WEEKLY,
    "MONTHLY": PeriodType.MONTHLY,
    "QUARTERLY": PeriodType.QUARTERLY,
}


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date
    label: str

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def windows(
    schedule: str, dates: list, start: dt.date, end: dt.date, first: dt.date, last: dt.date
) -> list[Window]:
    """The plan's windows that start within [first, last], clipped to the plan's [start, end]."""
    lo, hi = max(start, first), min(end, last)
    result: list[Window] = []
    if schedule in STEP:
        lo_plan = max(start, periods.Period.containing(STEP[schedule], lo).start)
        for period in periods.periods_between(STEP[schedule], lo_plan, hi):
            w_start, w_end = max(period.start, start), min(period.end, end)
            if lo <= w_start <= hi:
                result.append(Window(w_start, w_end, period.label))
    elif schedule == "DATES":
        days = sorted({_day(d) for d in dates if start <= _day(d) <= end})
        for i, day in enumerate(days):
            w_end = days[i + 1] - dt.timedelta(days=1) if i + 1 < len(days) else end
            if lo <= day <= hi:
                result.append(Window(day, w_end, f"{day.month}月{day.day}日"))
    return result


def planned_per_month(
    schedule: str, dates: list, start: dt.date, end: dt.date, first: dt.date, last: dt.date
) -> dict[str, int]:
    """How many inspections of one unit the plan foresees in each month id of [first, last]."""
    counts: dict[str, int] = {}
    for window in windows(schedule, dates, start, end, first, last):
        month = f"{window.start.year}{window.start.month:02d}"
        counts[month] = counts.get(month, 0) + 1
    return counts


def current_window(
    schedule: str, dates: list, start: dt.date, end: dt.date, today: dt.date
) -> Window | None:
    """The window `today` falls in, if the plan has one then."""
    if not start <= today <= end:
        return None
    lookback = today - dt.timedelta(days=400)
    for window in windows(schedule, dates, start, end, lookback, today):
        if window.contains(today):
            return window
    return None


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
