"""Period ids in DHIS2's ISO style, with their date ranges (Django-free).

    2026      yearly          2026-01-01 … 2026-12-31
    2026S1    six-monthly     2026-01-01 … 2026-06-30   (S2: July–December)
    2026Q3    quarterly       2026-07-01 … 2026-09-30
    202607    monthly         2026-07-01 … 2026-07-31
    2026W05   weekly (ISO)    Monday … Sunday of ISO week 5
    20260701  daily

A coarser period aggregates the finer periods inside it, so everything here works on
start/end dates: `contains`, `periods_within`, and shifts (`previous`, `same_period_last_year`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum


class PeriodType(StrEnum):
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"
    QUARTERLY = "QUARTERLY"
    SIXMONTHLY = "SIXMONTHLY"
    YEARLY = "YEARLY"

    @property
    def label(self) -> str:
        return PERIOD_TYPE_LABELS[self]


PERIOD_TYPE_LABELS = {
    PeriodType.DAILY: "日报",
    PeriodType.WEEKLY: "周报",
    PeriodType.MONTHLY: "月报",
    PeriodType.QUARTERLY: "季报",
    PeriodType.SIXMONTHLY: "半年报",
    PeriodType.YEARLY: "年报",
}

# Finest first: used to decide which stored periods fall inside a requested one.
ORDER = [
    PeriodType.DAILY,
    PeriodType.WEEKLY,
    PeriodType.MONTHLY,
    PeriodType.QUARTERLY,
    PeriodType.SIXMONTHLY,
    PeriodType.YEARLY,
]

_PATTERNS = [
    (PeriodType.DAILY, re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})$")),
    (PeriodType.WEEKLY, re.compile(r"^([0-9]{4})W([0-9]{1,2})$")),
    (PeriodType.MONTHLY, re.compile(r"^([0-9]{4})([0-9]{2})$")),
    (PeriodType.QUARTERLY, re.compile(r"^([0-9]{4})Q([1-4])$")),
    (PeriodType.SIXMONTHLY, re.compile(r"^([0-9]{4})S([12])$")),
    (PeriodType.YEARLY, re.compile(r"^([0-9]{4})$")),
]

MIN_YEAR, MAX_YEAR = 1900, 2199


class PeriodError(ValueError):
    """A period id that does not name a real period; the message is for users (Chinese)."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    type: PeriodType
    id: str

    # -- construction -------------------------------------------------------------------
    @classmethod
    def parse(cls, period_id: str) -> Period:
        text = (period_id or "").strip().upper()
        for ptype, pattern in _PATTERNS:
            match = pattern.match(text)
            if match:
                return _build(ptype, [int(g) for g in match.groups()], text)
        raise PeriodError(f"“{period_id}”不是有效的期间编码（例：2026、2026S1、2026Q3、202607）")

    @classmethod
    def containing(cls, ptype: PeriodType, day: dt.date) -> Period:
        """The period of the given type that contains `day`."""
        if ptype is PeriodType.DAILY:
            return cls.parse(day.strftime("%Y%m%d"))
        if ptype is PeriodType.WEEKLY:
            year, week, _ = day.isocalendar()
            return cls.parse(f"{year}W{week:02d}")
        if ptype is PeriodType.MONTHLY:
            return cls.parse(f"{day.year}{day.month:02d}")
        if ptype is PeriodType.QUARTERLY:
            return cls.parse(f"{day.year}Q{(day.month - 1) // 3 + 1}")
        if ptype is PeriodType.SIXMONTHLY:
            return cls.parse(f"{day.year}S{1 if day.month <= 6 else 2}")
        return cls.parse(str(day.year))

    # -- navigation ---------------------------------------------------------------------
    def next(self) -> Period:
        return Period.containing(self.type, self.end + dt.timedelta(days=1))

    def previous(self) -> Period:
        """The period just before (环比)."""
        return Period.containing(self.type, self.start - dt.timedelta(days=1))

    def same_period_last_year(self) -> Period:
        """The same period one year earlier (同比)."""
        if self.type is PeriodType.WEEKLY:
            year, week = int(self.id[:4]), int(self.id[5:])
            # ISO years have 52 or 53 weeks; week 53 maps to week 52 of a 52-week year.
            last_week = dt.date(year - 1, 12, 28).isocalendar()[1]
            return Period.parse(f"{year - 1}W{min(week, last_week):02d}")
        if self.type is PeriodType.DAILY:
            try:
                return Period.containing(self.type, self.start.replace(year=self.start.year - 1))
            except ValueError:  # 29 February
                return Period.containing(self.type, dt.date(self.start.year - 1, 2, 28))
        return Period.containing(self.type, self.start.replace(year=self.start.year - 1, day=1))

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def periods_within(self, ptype: PeriodType) -> list[Period]:
        """The periods of `ptype` lying wholly inside this one (e.g. the 12 months of 2026)."""
        result, current = [], Period.containing(ptype, self.start)
        while current.end <= self.end:
            if current.start >= self.start:
                result.append(current)
            current = current.next()
        return result

    def due_date(self, days_after_end: int) -> dt.date:
        return self.end + dt.timedelta(days=days_after_end)

    @property
    def year(self) -> int:
        return int(self.id[:4])

    @property
    def label(self) -> str:
        """How Chinese documents write the period: 2026年7月, 2026年第3季度, 2026年上半年."""
        year = self.id[:4]
        if self.type is PeriodType.YEARLY:
            return f"{year}年"
        if self.type is PeriodType.SIXMONTHLY:
            return f"{year}年{'上' if self.id.endswith('1') else '下'}半年"
        if self.type is PeriodType.QUARTERLY:
            return f"{year}年第{self.id[-1]}季度"
        if self.type is PeriodType.MONTHLY:
            return f"{year}年{int(self.id[4:])}月"
        if self.type is PeriodType.WEEKLY:
            return f"{year}年第{int(self.id[5:])}周"
        return f"{year}年{self.start.month}月{self.start.day}日"

    def __str__(self) -> str:
        return self.id


def _build(ptype: PeriodType, parts: list[int], text: str) -> Period:
    year = parts[0]
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"期间“{text}”的年份超出范围（{MIN_YEAR}–{MAX_YEAR}）")
    try:
        if ptype is PeriodType.YEARLY:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        elif ptype is PeriodType.SIXMONTHLY:
            first_month = 1 if parts[1] == 1 else 7
            start, end = dt.date(year, first_month, 1), _month_end(year, first_month + 5)
        elif ptype is PeriodType.QUARTERLY:
            first_month = 3 * (parts[1] - 1) + 1
            start, end = dt.date(year, first_month, 1), _month_end(year, first_month + 2)
        elif ptype is PeriodType.MONTHLY:
            start, end = dt.date(year, parts[1], 1), _month_end(year, parts[1])
        elif ptype is PeriodType.WEEKLY:
            start = dt.date.fromisocalendar(year, parts[1], 1)
            end = start + dt.timedelta(days=6)
            text = f"{year}W{parts[1]:02d}"
        else:
            start = end = dt.date(year, parts[1], parts[2])
    except ValueError as exc:
        raise PeriodError(f"期间“{text}”不存在") from exc
    return Period(start=start, end=end, type=ptype, id=text)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse(period_id: str) -> Period:
    return Period.parse(period_id)


def periods_between(ptype: PeriodType, first: dt.date, last: dt.date) -> list[Period]:
    """Consecutive periods of `ptype` from the one containing `first` to the one containing `last`."""
    result, current = [], Period.containing(ptype, first)
    while current.start <= last:
        result.append(current)
        current = current.next()
    return result


def last_ended(ptype: PeriodType, today: dt.date) -> Period:
    """The latest period of the type that has ended by `today` (for a monthly report on
    23 November: October)."""
    return Period.containing(ptype, today).previous()


def neighbours(period: Period) -> tuple[Period | None, Period | None]:
    """The periods before and after, or None past the supported years (for page navigation)."""

    def safe(step):
        try:
            return step()
        except PeriodError:
            return None

    return safe(period.previous), safe(period.next)
