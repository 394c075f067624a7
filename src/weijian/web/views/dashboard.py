import datetime as dt
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from weijian import periods
from weijian.indicators.dashboard import dashboard, sparkline
from weijian.orgs.scope import get_scope

from .. import pickers
from .common import visible_unit


def _as_of(month_id: str | None, today: dt.date) -> dt.date:
    """The dashboard shows the last full month before the day it is given: for a chosen month,
    the day after it ends. A future or malformed month is a 404 with the reason."""
    if not month_id:
        return today
    try:
        month = periods.parse(month_id)
    except periods.PeriodError as exc:
        raise Http404(str(exc)) from None
    if month.type is not periods.PeriodType.MONTHLY or month.end >= today:
        raise Http404("看板只能查看已结束的月份")
    return month.end + dt.timedelta(days=1)


@login_required
def unit_dashboard(request):
    """Key indicators of one unit (default: the user's own) with 同比, targets and trends."""
    scope = get_scope(request.user)
    home = scope.home_unit()
    code = request.GET.get("ou") or (home.code if home else None)
    if code is None:
        return render(request, "web/dashboard.html", {"unit": None, "groups": []})
    unit = visible_unit(request.user, code)
    today = timezone.localdate()
    month, tiles = dashboard(unit, _as_of(request.GET.get("pe"), today))
    # Indicators the unit has no data for at all (公卫 at a hospital) would only add dashes.
    shown = [t for t in tiles if t.year_value is not None or any(v is not None for v in t.trend)]
    rows = [(tile, mark_safe(sparkline(tile.trend))) for tile in shown]  # our own SVG
    groups = [
        (g or "其他", list(items)) for g, items in groupby(rows, key=lambda r: r[0].indicator.group)
    ]
    children = unit.get_children().order_by("code")
    context = {
        "unit": unit, "month": month, "groups": groups, "children": children,
        "hidden": len(tiles) - len(shown), "year": periods.parse(str(month.year)),
        "impossible": sum(t.month_impossible or t.year_impossible for t in shown),
        "unit_choice": pickers.UnitChoice(unit.code, unit.ancestor_names()),
        "period_groups": pickers.period_groups(today, types=[periods.PeriodType.MONTHLY]),
    }  # fmt: skip
    return render(request, "web/dashboard.html", context)
