"""The unit dashboard: each library indicator for the last full month and the year so far,
with 同比, target status and a 12-month trend — from one analytics request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from weijian import periods
from weijian.orgs.models import OrgUnit
from weijian.reporting.models import AggregationType, DataElement

from .analytics import analyse
from .comparisons import Change, change
from .models import Indicator, Target
from .targets import TargetProgress, is_cumulative, progress


@dataclass(frozen=True)
class Tile:
    indicator: Indicator
    month_value: Decimal | None
    year_value: Decimal | None
    year_on_year: Change  # this year so far against the same months last year
    trend: list[Decimal | None]  # the last 12 months, oldest first
    target: TargetProgress

    @property
    def month_impossible(self) -> bool:
        """Above 100 % though the numerator is a part of the denominator: the figures behind
        it are wrong or incomplete (a part reported without its whole), never a real rate."""
        return self.indicator.is_impossible(self.month_value)

    @property
    def year_impossible(self) -> bool:
        return self.indicator.is_impossible(self.year_value)


def last_full_month(today: dt.date) -> periods.Period:
    return periods.last_ended(periods.PeriodType.MONTHLY, today)


def dashboard(unit: OrgUnit, today: dt.date) -> tuple[periods.Period, list[Tile]]:
    month = last_full_month(today)
    months = [month]
    while len(months) < 12:
        months.insert(0, months[0].previous())
    year_to_date = _year_to_date(month)
    last_year_to_date = _year_to_date(month.same_period_last_year())
    indicators = list(Indicator.objects.select_related("source").order_by("group", "code"))
    codes = [i.code for i in indicators]
    result = analyse(codes, [*months, year_to_date, last_year_to_date], [unit])
    targets = {
        t.indicator_id: t.value
        for t in Target.objects.filter(org_unit=unit, period=str(month.year))
    }
    year = periods.Period.parse(str(month.year))
    # Progress is judged against the share of the year the data covers (to the month's end),
    # not against today: on 25 February, January's figures are all there is.
    covered_to = month.end + dt.timedelta(days=1)
    summed = set(
        DataElement.objects.filter(aggregation_type=AggregationType.SUM).values_list(
            "code", flat=True
        )
    )
    tiles = []
    for indicator in indicators:
        ytd = result.value(indicator.code, year_to_date.id, unit.code)
        before = result.value(indicator.code, last_year_to_date.id, unit.code)
        tiles.append(
            Tile(
                indicator=indicator,
                month_value=result.rounded(indicator.code, month.id, unit.code),
                year_value=result.rounded(indicator.code, year_to_date.id, unit.code),
                year_on_year=change(ytd, before, indicator.is_rate),
                trend=[result.value(indicator.code, m.id, unit.code) for m in months],
                target=progress(
                    indicator,
                    targets.get(indicator.pk),
                    ytd,
                    year,
                    covered_to,
                    cumulative=is_cumulative(indicator, summed),
                ),  # fmt: skip
            )
        )
    return month, tiles


def _year_to_date(month: periods.Period) -> periods.Period:
    """January to the given month: a date range for analytics, not a DHIS2 period id."""
    start = dt.date(month.year, 1, 1)
    return periods.Period(
        start=start,
        end=month.end,
        type=periods.PeriodType.YEARLY,
        id=f"{month.year}YTD{month.id[4:]}",
    )


def sparkline(values: list[Decimal | None], width: int = 96, height: int = 24) -> str:
    """An inline SVG polyline of the values (gaps where there is no value)."""
    present = [float(v) for v in values if v is not None]
    if len(present) < 2:
        return ""
    low, high = min(present), max(present)
    span = (high - low) or 1.0
    step = width / (len(values) - 1)
    segments, current = [], []
    for i, value in enumerate(values):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        y = height - 2 - (float(value) - low) / span * (height - 4)
        current.append(f"{i * step:.1f},{y:.1f}")
    if current:
        segments.append(current)
    lines = "".join(
        f'<polyline fill="none" stroke="#1d4f91" stroke-width="1.5" points="{" ".join(s)}"/>'
        for s in segments
    )
    return f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="近12个月趋势">{lines}</svg>'
