"""Periods as summaries name them (Django-free): a DHIS2 period id or a date range, shifted by
whole years for 同比, and written the way documents write them (上半年, 全年, 1—6月)."""

from __future__ import annotations

import datetime as dt
import re

from weijian import periods
from weijian.periods import Period, PeriodError, PeriodType

_RANGE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})\s*(?:~|至|--|-|_|/)\s*(\d{4})-?(\d{2})-?(\d{2})$")
RANGE_SEPARATOR = "~"


def parse(text: str) -> Period:
    """`2026S1`, `2026`, `2026Q3`, `202607`, or a date range `2026-01-01~2026-03-15`."""
    text = (text or "").strip()
    match = _RANGE.match(text)
    if not match:
        return periods.parse(text)
    y1, m1, d1, y2, m2, d2 = (int(g) for g in match.groups())
    try:
        start, end = dt.date(y1, m1, d1), dt.date(y2, m2, d2)
    except ValueError:
        raise PeriodError(f"日期范围“{text}”中有不存在的日期") from None
    if end < start:
        raise PeriodError(f"日期范围“{text}”的结束日期早于开始日期")
    if (end - start).days > 366:
        raise PeriodError(f"日期范围“{text}”超过一年，请按年度分别生成")
    return make_range(start, end)


def make_range(start: dt.date, end: dt.date) -> Period:
    period_id = f"{start:%Y-%m-%d}{RANGE_SEPARATOR}{end:%Y-%m-%d}"
    return Period(start=start, end=end, type=PeriodType.DAILY, id=period_id)


def coverage_span(period: Period) -> Period:
    """A run of months as the standard period it equals (202512, 2026Q1, 2026S1, 2026), so
    its figures carry an id `weijian analytics` accepts; any other run stays a range."""
    if not is_range(period) or not _whole_months(period):
        return period
    for ptype in (
        PeriodType.MONTHLY,
        PeriodType.QUARTERLY,
        PeriodType.SIXMONTHLY,
        PeriodType.YEARLY,
    ):
        standard = Period.containing(ptype, period.start)
        if standard.start == period.start and standard.end == period.end:
            return standard
    return period


def is_range(period: Period) -> bool:
    return RANGE_SEPARATOR in period.id


def kind(period: Period) -> str:
    """The template's period type: YEARLY, SIXMONTHLY, QUARTERLY, MONTHLY or RANGE."""
    return "RANGE" if is_range(period) else str(period.type)


def shift_years(period: Period, years: int) -> Period:
    if is_range(period):
        return make_range(_shift(period.start, years), _shift(period.end, years))
    result = period
    for _ in range(abs(years)):
        result = result.same_period_last_year() if years < 0 else _next_year(result)
    return result


def _next_year(period: Period) -> Period:
    return Period.containing(period.type, _shift(period.start, 1))


def _shift(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def clip(period: Period, today: dt.date) -> Period:
    """The part of the period whose months have ended by `today`: a summary of 2026 written
    in November covers January–October, and compares with January–October of 2025."""
    first_of_month = today.replace(day=1)
    if period.end < first_of_month or period.start >= first_of_month:
        return period
    return make_range(period.start, first_of_month - dt.timedelta(days=1))


def _whole_months(period: Period) -> bool:
    return period.start.day == 1 and (period.end + dt.timedelta(days=1)).day == 1


def _months_text(period: Period) -> str:
    """1—10月 (or 10—12月, 2025年11月—2026年2月 across a year end)."""
    start, end = period.start, period.end
    if start.year != end.year:
        return f"{start.month}月—{end.year}年{end.month}月"
    if start.month == end.month:
        return f"{start.month}月"
    return f"{start.month}—{end.month}月"


def label(period: Period) -> str:
    """2026年上半年, 2026年, 2026年第3季度, 2026年7月, 2026年1—10月, 2026年1月1日至3月15日."""
    if is_range(period) and _whole_months(period):
        return f"{period.start.year}年{_months_text(period)}"
    if is_range(period):
        return f"{period.start.year}年{_day(period.start)}至{_same_year(period)}{_day(period.end)}"
    return period.label


def span(period: Period) -> str:
    """How the body refers to the period: 上半年, 全年, 一季度, 7月, 1—10月, 1月1日至3月15日."""
    if is_range(period) and _whole_months(period):
        return _months_text(period)
    if is_range(period):
        return f"{_day(period.start)}至{_same_year(period)}{_day(period.end)}"
    if period.type is PeriodType.YEARLY:
        return "全年"
    if period.type is PeriodType.SIXMONTHLY:
        return "上半年" if period.id.endswith("1") else "下半年"
    if period.type is PeriodType.QUARTERLY:
        return f"{'一二三四'[int(period.id[-1]) - 1]}季度"
    if period.type is PeriodType.MONTHLY:
        return f"{period.start.month}月份"
    return label(period)


def end_words(period: Period) -> str:
    """How a stock figure's date is said ("截至{end}"): 年底 for a period ending in December,
    6月底 for one ending with a month, 3月15日 for a range ending within one."""
    end = period.end
    if (end + dt.timedelta(days=1)).day != 1:
        return f"{end.month}月{end.day}日"
    return "年底" if end.month == 12 else f"{end.month}月底"


def next_span(period: Period) -> str:
    """下半年 after 上半年, 明年 after a year…: the next-steps heading's period."""
    if period.type is PeriodType.SIXMONTHLY and period.id.endswith("1"):
        return "下半年"
    if period.type is PeriodType.QUARTERLY and not period.id.endswith("4"):
        return "下季度"
    if period.type is PeriodType.MONTHLY:
        return "下月"
    return f"{period.end.year + 1}年"


def month_label(month: Period) -> str:
    return f"{month.start.month}月"


def _day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _same_year(period: Period) -> str:
    return "" if period.start.year == period.end.year else f"{period.end.year}年"
