"""Reads of leading groups and contracts, scoped; contract results from the indicator engine."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from weijian import periods
from weijian.indicators.analytics import analyse
from weijian.indicators.targets import Status, TargetProgress, progress
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope

from .models import Contract, ContractStatus, ContractTarget, GroupMember, LeadingGroup


def groups_for(user) -> QuerySet[LeadingGroup]:
    return get_scope(user).filter(LeadingGroup.objects.select_related("org_unit"))


def members_on(group: LeadingGroup, day: dt.date | None = None) -> list[GroupMember]:
    """The members serving on `day` (default: now), leader first."""
    qs = group.members.all()
    if day is None:
        qs = qs.filter(left_on=None)
    else:
        qs = qs.filter(joined_on__lte=day).filter(Q(left_on=None) | Q(left_on__gt=day))
    return list(qs.order_by("sort_order", "id"))


def contracts_for(user) -> QuerySet[Contract]:
    """Contracts the user's units issued or are party to (a department sees its own)."""
    scope = get_scope(user)
    return (
        Contract.objects.filter(scope.q(Can.VIEW, "issuer__") | scope.q(Can.VIEW, "party__"))
        .select_related("issuer", "party")
        .order_by("-year", "issuer__path", "title", "party__path")
    )


@dataclass(frozen=True)
class SigningRate:
    issuer: OrgUnit
    year: int
    title: str
    total: int
    signed: int

    @property
    def rate(self) -> Decimal | None:
        """签订率 (%) = 已签订份数 / 应签订份数 × 100."""
        if not self.total:
            return None
        return (Decimal(self.signed) * 100 / Decimal(self.total)).quantize(Decimal("0.1"))


def signing_rates(contracts: QuerySet[Contract]) -> list[SigningRate]:
    rows = (
        contracts.order_by()
        .values("issuer", "year", "title")
        .annotate(total=Count("id"), signed=Count("id", filter=Q(status=ContractStatus.SIGNED)))
    )
    rows = list(rows)
    issuers = OrgUnit.objects.in_bulk({r["issuer"] for r in rows})
    return sorted(
        (
            SigningRate(issuers[r["issuer"]], r["year"], r["title"], r["total"], r["signed"])
            for r in rows
        ),
        key=lambda s: (-s.year, s.issuer.path, s.title),
    )


def assessment_period(year: int, today: dt.date) -> tuple[periods.Period, dt.date]:
    """The period a year's targets are judged on, and the day its data reaches up to: the whole
    year once it has ended, else January to the last full month (达标 so far)."""
    if today > dt.date(year, 12, 31):
        whole = periods.parse(str(year))
        return whole, whole.end + dt.timedelta(days=1)
    last = periods.last_ended(periods.PeriodType.MONTHLY, today)
    if last.year < year:
        start = dt.date(year, 1, 1)
        empty = periods.Period(
            start, start - dt.timedelta(days=1), periods.PeriodType.YEARLY, f"{year}YTD00"
        )
        return empty, start
    span = periods.Period(
        start=dt.date(year, 1, 1), end=last.end, type=periods.PeriodType.YEARLY,
        id=f"{year}YTD{last.id[4:]}",
    )  # fmt: skip
    return span, last.end + dt.timedelta(days=1)


@dataclass(frozen=True)
class TargetResult:
    target: ContractTarget
    progress: TargetProgress | None  # None for a duty in words

    @property
    def verdict(self) -> str:
        """达标 / 未达标 against the target value (a year's count part-way: 进度正常/滞后)."""
        if self.progress is None:
            return ""
        return self.progress.status.value


def contract_results(contracts: list[Contract], today: dt.date) -> dict[int, list[TargetResult]]:
    """Each contract's targets with the party unit's value from the indicator engine: one
    analytics request for all the contracts of the list (grouped by year)."""
    targets = list(
        ContractTarget.objects.filter(contract__in=contracts).select_related("indicator")
    )
    by_contract: dict[int, list[TargetResult]] = defaultdict(list)
    contract_map = {c.pk: c for c in contracts}
    by_year: dict[int, list[ContractTarget]] = defaultdict(list)
    for t in targets:
        by_year[contract_map[t.contract_id].year].append(t)
    for year, year_targets in by_year.items():
        span, covered_to = assessment_period(year, today)
        codes = sorted({t.indicator.code for t in year_targets if t.indicator})
        units = list({contract_map[t.contract_id].party for t in year_targets}) if codes else []
        result = analyse(codes, [span], units) if codes and span.end >= span.start else None
        for t in year_targets:
            if t.indicator is None:
                by_contract[t.contract_id].append(TargetResult(t, None))
                continue
            party = contract_map[t.contract_id].party
            value = result.rounded(t.indicator.code, span.id, party.code) if result else None
            by_contract[t.contract_id].append(
                TargetResult(
                    t, progress(t.indicator, t.target_value, value, _year(year), covered_to)
                )
            )
    for rows in by_contract.values():
        rows.sort(key=lambda r: (r.target.sort_order, r.target.pk))
    return by_contract


def _year(year: int) -> periods.Period:
    return periods.parse(str(year))


def met_counts(results: list[TargetResult]) -> tuple[int, int]:
    """(达标, 有指标目标的项数) of one contract."""
    judged = [r for r in results if r.progress is not None]
    return sum(r.progress.status == Status.MET for r in judged), len(judged)
