"""Reporting timeliness for a summary: 应报 / 已报 / 按时 over the months of the period in the
unit's subtree, from `reporting.queries` completeness (the 上报情况 page's own numbers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from weijian.orgs.models import OrgUnit
from weijian.reporting import queries
from weijian.reporting.models import Form

from . import narrative as n
from .narrative import Figure, Quantity, Text


def _cat(spans) -> Text:
    """Spans as one Text, adjacent strings joined: narrative's own canonical form."""
    return n.merge(spans)


class SubtreeScope:
    """The one thing completeness asks of a scope, limited to a unit's subtree (the summary is
    about that unit, whoever generates it; the caller has already checked VIEW on it)."""

    def __init__(self, unit: OrgUnit) -> None:
        self.unit = unit

    def q(self, capability, via: str = "") -> Q:
        return Q(**{f"{via}path__startswith": self.unit.path})


@dataclass
class ReportingFacts:
    unit_code: str
    period_id: str
    forms: list[str]
    months: list[str]
    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    expected_by_form: dict[str, int] = field(default_factory=dict)
    missing_by_form: dict[str, int] = field(default_factory=dict)

    def complete(self, form_codes) -> bool:
        """Every report of these forms due in the period was submitted (a register that is
        complete can back a claim such as "全年未发生孕产妇死亡")."""
        form_codes = list(form_codes)
        return bool(form_codes) and all(
            self.expected_by_form.get(f, 0) > 0 and self.missing_by_form.get(f, 0) == 0
            for f in form_codes
        )

    @property
    def reported(self) -> int:
        return self.on_time + self.late

    def _source(self, what: str) -> dict:
        return {
            "source": "报表上报情况",
            "query": f"completeness {what}: forms={','.join(self.forms)} months={','.join(self.months)} subtree={self.unit_code}",
        }

    def _count(self, value: int, what: str) -> Figure:
        return n.fmt(Quantity(Decimal(value), "份", self._source(what)))

    def _rate(self, part: int, what: str) -> Figure:
        value = Decimal(part) * 100 / Decimal(self.expected)
        return n.fmt(Quantity(value, "%", self._source(what), is_rate=True, decimals=1))

    def expected_figure(self) -> Figure:
        return self._count(self.expected, "应报")

    def reported_figure(self) -> Figure:
        return self._count(self.reported, "已报")

    def rate_figure(self) -> Figure:
        return self._rate(self.reported, "上报率")

    def on_time_figure(self) -> Figure:
        return self._rate(self.on_time, "按时上报率")

    def problem_text(self, words: dict) -> Text:
        # 部分科室 in a hospital's summary, 部分单位 in the bureau's, no one named in a department's
        who = words.get("parts", "部分单位")
        parts: list = [
            f"{who}统计报表上报不够及时，{words['span']}应报报表",
            self.expected_figure(),
        ]
        if self.late:
            parts += ["，逾期上报", self._count(self.late, "逾期上报")]
        if self.missing:
            parts += ["，至今未报", self._count(self.missing, "未报")]
        return _cat(parts)


def reporting_facts(unit: OrgUnit, facts) -> ReportingFacts:
    """Completeness over the months of the period whose reports were due by today."""
    forms = list(Form.objects.filter(period_type="MONTHLY").order_by("code"))
    months = [
        m
        for m in facts.months
        if forms and m.due_date(max(f.due_days for f in forms)) < facts.today
    ]
    found = ReportingFacts(
        unit.code, facts.period.id, [f.code for f in forms], [m.id for m in months]
    )
    scope = SubtreeScope(unit)
    by_month = queries.completeness_over_periods(forms, months, scope) if months else {}
    for tallies in by_month.values():
        for tally in tallies:
            found.expected += tally.expected_count
            found.on_time += tally.on_time_count
            found.late += len(tally.late)
            found.missing += len(tally.missing)
            code = tally.form.code
            found.expected_by_form[code] = (
                found.expected_by_form.get(code, 0) + tally.expected_count
            )
            found.missing_by_form[code] = found.missing_by_form.get(code, 0) + len(tally.missing)
    return found
