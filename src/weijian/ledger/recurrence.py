"""When recurring campaigns and duties fall due (layer 1: no Django).

A health day (每年某日) is done when a matching activity starts within `DAY_MARGIN` days of it;
a campaign month (每年某月), a monthly or a quarterly duty, when one starts within the month or
quarter. Each occurrence is due at the end of its window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from weijian import periods

DAY_MARGIN = 7


@dataclass(frozen=True)
class Occurrence:
    start: dt.date  # the window in which a matching record counts
    end: dt.date  # = the due date
    label: str  # 2026年4月7日, 2026年4月, 2026年第2季度

    def status(self, recorded: bool, today: dt.date, soon_days: int = 14) -> str:
        """DONE, OVERDUE, OPEN (window open or due within `soon_days`) or LATER."""
        if recorded:
            return "DONE"
        if today > self.end:
            return "OVERDUE"
        if today >= self.start - dt.timedelta(days=soon_days):
            return "OPEN"
        return "LATER"


STATUS_LABELS = {"DONE": "已记录", "OVERDUE": "逾期未记录", "OPEN": "待开展", "LATER": "未到期"}


def occurrences(frequency: str, month: int | None, day: int | None, year: int) -> list[Occurrence]:
    """The occurrences of a recurring item in one calendar year."""
    if frequency == "YEARLY_DAY":
        try:
            when = dt.date(year, month or 1, day or 1)
        except ValueError:
            return []  # 2月29日 outside leap years
        margin = dt.timedelta(days=DAY_MARGIN)
        return [Occurrence(when - margin, when + margin, f"{year}年{when.month}月{when.day}日")]
    if frequency == "YEARLY_MONTH":
        p = periods.parse(f"{year}{month or 1:02d}")
        return [Occurrence(p.start, p.end, p.label)]
    if frequency == "MONTHLY":
        ids = [f"{year}{m:02d}" for m in range(1, 13)]
    elif frequency == "QUARTERLY":
        ids = [f"{year}Q{q}" for q in range(1, 5)]
    else:
        raise ValueError(f"unknown frequency {frequency}")
    return [Occurrence(p.start, p.end, p.label) for p in map(periods.parse, ids)]


def matches(keyword: str, title: str, theme: str) -> bool:
    return not keyword or keyword in title or keyword in theme
