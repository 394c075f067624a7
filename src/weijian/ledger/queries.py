"""Reads of the ledgers: records of a type in a unit's subtree and period (for pages and for the
summary generator's enumerations), whether a register was kept, totals, the campaign check and
the task-board reminders. Every unit-scoped read takes a unit the caller already checked."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from weijian import periods
from weijian.orgs.models import OrgUnit, OrgUnitType
from weijian.orgs.scope import Can, Scope

from .models import Activity, ActivityType, Campaign, Frequency, LedgerAudit, NothingToReport
from .recurrence import STATUS_LABELS, Occurrence, matches, occurrences
from .schema import display_value

# Health days and campaign months without a unit apply to every institution (not to the
# bureau, nor to each department).
INSTITUTION_TYPES = {
    OrgUnitType.HOSPITAL,
    OrgUnitType.TCM_HOSPITAL,
    OrgUnitType.MCH,
    OrgUnitType.CDC,
    OrgUnitType.TOWNSHIP,
    OrgUnitType.COMMUNITY,
}


def visible_types(scope: Scope) -> list[ActivityType]:
    """Built-in types, and the types an office defined for its subtree (seen by the units
    above and below it)."""
    paths = scope.grant_paths(Can.VIEW)
    result = []
    for t in ActivityType.objects.select_related("owner"):
        related = t.owner is None or any(
            p.startswith(t.owner.path) or t.owner.path.startswith(p) for p in paths
        )
        if related or scope.is_everything:
            result.append(t)
    return result


def records(
    activity_type: ActivityType | str, unit: OrgUnit, period: periods.Period
) -> QuerySet[Activity]:
    """Records of a type (object or code) in the unit's subtree starting within the period,
    oldest first. The summary generator lists their titles and themes (“开展了…等主题活动”)."""
    type_filter = (
        Q(type__code=activity_type) if isinstance(activity_type, str) else Q(type=activity_type)
    )
    return (
        Activity.objects.filter(
            type_filter,
            org_unit__path__startswith=unit.path,
            start_date__gte=period.start,
            start_date__lte=period.end,
        )
        .select_related("org_unit", "type", "created_by")
        .order_by("start_date", "pk")
    )


def own_records(codes: list[str], unit: OrgUnit, period: periods.Period) -> QuerySet[Activity]:
    """Records of the types `codes` kept by the unit itself (not its subtree: a department's
    campaign is not the hospital's) starting within the period, oldest first, in one query."""
    return (
        Activity.objects.filter(
            type__code__in=codes,
            org_unit=unit,
            start_date__gte=period.start,
            start_date__lte=period.end,
        )
        .select_related("type")
        .order_by("start_date", "pk")
    )


def matching(listed: QuerySet[Activity], text: str) -> QuerySet[Activity]:
    """Records whose title or unit name holds `text` (the list's 查找 box); all when empty."""
    text = text.strip()
    if not text:
        return listed
    return listed.filter(
        Q(title__icontains=text)
        | Q(org_unit__name__icontains=text)
        | Q(org_unit__short_name__icontains=text)
    )


@dataclass(frozen=True)
class RegisterStatus:
    """Whether a register was kept over a period in a unit's subtree: month by month, a month
    is kept when it has records or the office declared it empty (本月无…)."""

    record_count: int
    months_with_records: list[str]
    months_declared_empty: list[str]
    months_missing: list[str]  # elapsed months with neither

    @property
    def fully_kept(self) -> bool:
        return not self.months_missing

    @property
    def nothing_happened(self) -> bool:
        """True only when every elapsed month was declared empty: a 全年未发生 claim is safe."""
        return self.record_count == 0 and self.fully_kept and bool(self.months_declared_empty)


def register_status(
    activity_type: ActivityType | str, unit: OrgUnit, period: periods.Period, today: dt.date
) -> RegisterStatus:
    if isinstance(activity_type, str):
        activity_type = ActivityType.objects.get(code=activity_type)
    months = [p.id for p in period.periods_within(periods.PeriodType.MONTHLY) if p.start <= today]
    subtree = Q(org_unit__path__startswith=unit.path)
    counts = defaultdict(int)
    for month in Activity.objects.filter(
        subtree, type=activity_type, period_id__in=months
    ).values_list("period_id", flat=True):
        counts[month] += 1
    declared = set(
        NothingToReport.objects.filter(
            subtree, type=activity_type, period_id__in=months
        ).values_list("period_id", flat=True)
    )
    return RegisterStatus(
        record_count=sum(counts.values()),
        months_with_records=[m for m in months if counts[m]],
        months_declared_empty=[m for m in months if m in declared and not counts[m]],
        months_missing=[m for m in months if not counts[m] and m not in declared],
    )


@dataclass
class Total:
    name: str
    unit: str
    value: object


def totals(activity_type: ActivityType, queryset: QuerySet[Activity]) -> list[Total]:
    """The type's figures over the listed records (one query for their values)."""
    values = list(queryset.values_list("values", flat=True))
    return [Total(f.name, f.unit, f.compute(values)) for f in activity_type.figure_specs()]


def field_rows(activity: Activity) -> list[tuple[str, str, str]]:
    """(label, value as read, unit) of each field, for the detail page."""
    return [
        (spec.label, display_value(spec, activity.values.get(spec.key)), spec.unit)
        for spec in activity.type.field_specs()
    ]


def audits(activity: Activity) -> QuerySet[LedgerAudit]:
    return LedgerAudit.objects.filter(activity_id=activity.pk).select_related("by")


def declared_months(activity_type: ActivityType, unit: OrgUnit, months: list[str]) -> set[str]:
    return set(
        NothingToReport.objects.filter(
            type=activity_type, org_unit=unit, period_id__in=months
        ).values_list("period_id", flat=True)
    )


# -- the campaign calendar ----------------------------------------------------------------------


def campaigns_for(unit: OrgUnit) -> list[Campaign]:
    qs = Campaign.objects.select_related("activity_type")
    own = Q(org_unit=unit)
    if unit.type in INSTITUTION_TYPES:
        own |= Q(org_unit__isnull=True)
    return list(qs.filter(own))


@dataclass
class CheckItem:
    campaign: Campaign
    occurrence: Occurrence
    status: str
    matched: list[Activity] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def calendar_check(
    unit: OrgUnit, year: int, today: dt.date, campaigns: list[Campaign] | None = None
) -> list[CheckItem]:
    """Each due occurrence of the unit's campaigns and duties in the year, with the records that
    fulfil it (matching type and keyword, in the window, anywhere in the unit's subtree)."""
    campaigns = campaigns_for(unit) if campaigns is None else campaigns
    if not campaigns:
        return []
    items = []
    by_type = _year_records(unit, [c.activity_type_id for c in campaigns], year)
    for campaign in campaigns:
        for occ in occurrences(campaign.frequency, campaign.month, campaign.day, year):
            matched = [
                a
                for a in by_type.get(campaign.activity_type_id, [])
                if occ.start <= a.start_date <= occ.end
                and matches(campaign.keyword, a.title, str(a.values.get("THEME", "")))
            ]
            # A monthly or quarterly duty is open once its month or quarter begins; a health
            # day or campaign month two weeks ahead, so it can be prepared.
            soon = 0 if campaign.frequency in (Frequency.MONTHLY, Frequency.QUARTERLY) else 14
            status = occ.status(bool(matched), today, soon)
            items.append(CheckItem(campaign, occ, status, matched))
    items.sort(key=lambda i: (i.occurrence.end, i.campaign.code))
    return items


def _year_records(unit: OrgUnit, type_ids: list[int], year: int) -> dict[int, list[Activity]]:
    margin = dt.timedelta(days=10)
    rows = Activity.objects.filter(
        org_unit__path__startswith=unit.path,
        type_id__in=type_ids,
        start_date__gte=dt.date(year, 1, 1) - margin,
        start_date__lte=dt.date(year, 12, 31) + margin,
    ).only("pk", "type_id", "title", "start_date", "values", "org_unit_id")
    by_type: dict[int, list[Activity]] = defaultdict(list)
    for activity in rows:
        by_type[activity.type_id].append(activity)
    return by_type


@dataclass(frozen=True)
class Reminder:
    unit: OrgUnit
    item: CheckItem


REMINDER_LOOKBACK = dt.timedelta(days=45)


def reminders(scope: Scope, today: dt.date, limit_units: int = 30) -> list[Reminder]:
    """For the task board: campaigns and duties of the units where the user enters data that are
    open now (due within two weeks) or overdue by at most `REMINDER_LOOKBACK`, not yet recorded.
    One query when no campaign applies; then one for the units and one per unit and year."""
    if scope.is_everything:
        return []  # a superuser's board would list every institution; the check page has them
    paths = sorted(scope.grant_paths(Can.ENTER))[:limit_units]
    if not paths:
        return []
    campaigns = list(
        Campaign.objects.filter(
            Q(org_unit__path__in=paths) | Q(org_unit__isnull=True)
        ).select_related("activity_type")
    )
    if not campaigns:
        return []
    result = []
    for unit in OrgUnit.objects.filter(path__in=paths):
        own = [
            c
            for c in campaigns
            if c.org_unit_id == unit.pk
            or (c.org_unit_id is None and unit.type in INSTITUTION_TYPES)
        ]
        for year in sorted({today.year, (today - REMINDER_LOOKBACK).year}):
            for item in calendar_check(unit, year, today, own):
                recent = item.occurrence.end >= today - REMINDER_LOOKBACK
                if item.status == "OPEN" or (item.status == "OVERDUE" and recent):
                    result.append(Reminder(unit, item))
    result.sort(key=lambda r: (r.item.status != "OVERDUE", r.item.occurrence.end))
    return result
