"""Reading what the system holds for every item of a run, and the facts behind veto rules.

One query (or one engine call) per kind of source for all units of the run, never one per
unit and item. Each measurement keeps its explanation, the first half of the item's line:

    院感发病率 = 新发例次 ÷ 住院患者数 = 123 ÷ 10 600 = 1.16%（已审核数据）

Indicators go through the analytics engine with `approved_only=True`: a value counts only when
its report is approved or locked (system-managed figures always count). `unreviewed_reports`
lists the reports that would be left out, so a run on unlocked data is refused up front.

A unit's figures are those of its subtree (a hospital's departments count towards it), as the
engine counts them; inspections, notices, ledger records and survey answers likewise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from weijian import periods
from weijian.governance.models import Contract
from weijian.governance.queries import contract_results
from weijian.indicators.analytics import expression_values
from weijian.indicators.expression import ElementRef, parse
from weijian.indicators.models import FACTORS, Indicator, Target
from weijian.indicators.targets import Status as TargetStatus
from weijian.inspections.models import (
    Inspection,
    InspectionStatus,
    NoticeStatus,
    RectificationNotice,
)
from weijian.ledger.models import Activity
from weijian.orgs.models import OrgUnit
from weijian.reporting.models import FormElement, Submission, SubmissionStatus
from weijian.surveys.builtin import THRESHOLDS
from weijian.surveys.models import Kind as SurveyKind
from weijian.surveys.models import Response

from .methods import Observation
from .models import Node, Source, Trigger, VetoRule
from .numbers import figure

UNIT_OF_TYPE = {
    "PERCENT": "%",
    "PER_THOUSAND": "‰",
    "PER_TEN_THOUSAND": "‱",
    "PER_HUNDRED_THOUSAND": "/10万",
}
REVIEWED = "（已审核数据）"


@dataclass(frozen=True)
class Measured:
    obs: Observation
    text: str = ""


def months_of(period: periods.Period) -> list[str]:
    return [m.id for m in period.periods_within(periods.PeriodType.MONTHLY)]


class Collector:
    """Measurements of one run's units for one period."""

    def __init__(self, units: list[OrgUnit], period: periods.Period) -> None:
        self.units = units
        self.period = period
        self.previous = period.same_period_last_year()
        self.months = months_of(period)

    # -- subtrees ---------------------------------------------------------------------------------

    def subtrees(self, field: str = "org_unit__path") -> Q:
        condition = Q(pk__in=[])
        for unit in self.units:
            condition |= Q(**{f"{field}__startswith": unit.path})
        return condition

    def owners(self, path: str) -> list[OrgUnit]:
        """The run's units whose subtree holds `path` (a department counts for itself only,
        unless the run holds both a unit and its ancestor)."""
        return [u for u in self.units if path.startswith(u.path)]

    # -- items --------------------------------------------------------------------------------------

    def measure(self, nodes: list[Node]) -> dict[tuple[int, int], Measured]:
        by_source: dict[str, list[Node]] = defaultdict(list)
        for node in nodes:
            by_source[node.source].append(node)
        out: dict[tuple[int, int], Measured] = {}
        for source, group in by_source.items():
            reader = _READERS.get(source)
            if reader is not None:
                out.update(reader(self, group))
        return out

    def _indicators(self, nodes: list[Node]) -> dict:
        indicators = Indicator.objects.in_bulk(
            {n.binding["indicator"] for n in nodes if n.binding.get("indicator")}, field_name="code"
        )
        definitions = {node.pk: _definition(node, indicators) for node in nodes}
        expressions = {}
        for pk, d in definitions.items():
            expressions[(pk, "n")] = parse(d.numerator)
            expressions[(pk, "d")] = parse(d.denominator)
        values = expression_values(
            expressions, self.units, [self.period, self.previous], approved_only=True
        )
        targets = self._library_targets(definitions)
        out = {}
        for node in nodes:
            d = definitions[node.pk]
            for unit in self.units:
                now = _ratio(values, node.pk, self.period.id, unit.code, d.factor)
                before = _ratio(values, node.pk, self.previous.id, unit.code, d.factor)
                obs = Observation(
                    value=now[0], zero_denominator=now[3], previous=before[0],
                    target=targets.get((d.code, unit.pk)),
                )  # fmt: skip
                out[(node.pk, unit.pk)] = Measured(obs, d.explain(*now))
        return out

    def _library_targets(self, definitions) -> dict[tuple[str, int], Decimal]:
        codes = {d.code for d in definitions.values() if d.code and d.library_target}
        if not codes:
            return {}
        rows = Target.objects.filter(
            indicator__code__in=codes, org_unit__in=self.units, period=self.period.id
        ).values_list("indicator__code", "org_unit_id", "value")
        return {(code, unit): value for code, unit, value in rows}

    def _inspections(self, nodes: list[Node], *, findings: bool = False) -> dict:
        codes = {node.binding.get("template") for node in nodes}
        qs = Inspection.objects.filter(
            self.subtrees(), status=InspectionStatus.SUBMITTED,
            date__range=(self.period.start, self.period.end),
        )  # fmt: skip
        if None not in codes and "" not in codes:
            qs = qs.filter(version__template__code__in=codes)
        rows = qs.values_list(
            "version__template__code",
            "version__template__name",
            "org_unit__path",
            "score",
            "findings",
        )
        seen: dict[tuple[str, int], list] = defaultdict(list)
        for code, name, path, score, found in rows:
            for unit in self.owners(path):
                seen[(code, unit.pk)].append((name, score, found))
                seen[("", unit.pk)].append((name, score, found))
        out = {}
        for node in nodes:
            code = node.binding.get("template", "")
            for unit in self.units:
                done = seen.get((code, unit.pk), [])
                if not done:
                    out[(node.pk, unit.pk)] = Measured(
                        Observation(), f"{self.period.label}无已提交的检查"
                    )
                    continue
                name = done[0][0] if code else "督查检查"
                if findings:
                    count = sum(f for _, _, f in done)
                    out[(node.pk, unit.pk)] = Measured(
                        Observation(value=Decimal(count), occurrences=count),
                        f"{name} {len(done)} 次，发现问题 {count} 处",
                    )
                else:
                    average = sum((s for _, s, _ in done), Decimal(0)) / len(done)
                    out[(node.pk, unit.pk)] = Measured(
                        Observation(value=average),
                        f"{name} {len(done)} 次检查平均 {figure(average, '分')}",
                    )
        return out

    def _rectification(self, nodes: list[Node]) -> dict:
        rows = RectificationNotice.objects.filter(
            self.subtrees(), deadline__range=(self.period.start, self.period.end)
        ).values_list("org_unit__path", "status", "completed_on", "deadline")
        due: dict[int, int] = defaultdict(int)
        on_time: dict[int, int] = defaultdict(int)
        for path, status, completed, deadline in rows:
            for unit in self.owners(path):
                due[unit.pk] += 1
                if status == NoticeStatus.CLOSED and completed and completed <= deadline:
                    on_time[unit.pk] += 1
        out = {}
        for node in nodes:
            for unit in self.units:
                n, d = on_time[unit.pk], due[unit.pk]
                if d == 0:
                    obs, text = Observation(zero_denominator=True), "到期应整改 0 份"
                else:
                    value = Decimal(n) * 100 / d
                    obs = Observation(value=value)
                    text = f"按期整改率 = 按期完成 ÷ 到期应整改 = {n} ÷ {d} = {figure(value, '%')}"
                out[(node.pk, unit.pk)] = Measured(obs, text)
        return out

    def _ledger(self, nodes: list[Node]) -> dict:
        types = {node.binding["type"] for node in nodes}
        rows = Activity.objects.filter(
            self.subtrees(), type__code__in=types, period_id__in=self.months
        ).values_list("type__code", "type__name", "org_unit__path", "values")
        records: dict[tuple[str, int], list] = defaultdict(list)
        names = {}
        for code, name, path, values in rows:
            names[code] = name
            for unit in self.owners(path):
                records[(code, unit.pk)].append(values)
        out = {}
        for node in nodes:
            b = node.binding
            for unit in self.units:
                chosen = [
                    r for r in records.get((b["type"], unit.pk), [])
                    if all(r.get(k) == v for k, v in (b.get("match") or {}).items())
                ]  # fmt: skip
                name = names.get(b["type"], b["type"])
                if b.get("field"):
                    total = sum((Decimal(str(r.get(b["field"]) or 0)) for r in chosen), Decimal(0))
                    text = f"{name}台账 {len(chosen)} 条，合计 {figure(total)}"
                else:
                    total = Decimal(len(chosen))
                    text = f"{name}台账 {len(chosen)} 条"
                out[(node.pk, unit.pk)] = Measured(
                    Observation(value=total, occurrences=int(total)), text
                )
        return out

    def _surveys(self, nodes: list[Node]) -> dict:
        counts = self.survey_counts({node.binding["kind"] for node in nodes})
        out = {}
        for node in nodes:
            kind = node.binding["kind"]
            floor = THRESHOLDS[kind][0]
            for unit in self.units:
                total, satisfied = counts.get((kind, unit.pk), (0, 0))
                label = f"{SurveyKind(kind).label}满意度"
                if not total:
                    out[(node.pk, unit.pk)] = Measured(
                        Observation(), f"{label}：{self.period.label}无有效问卷"
                    )
                    continue
                value = Decimal(satisfied) * 100 / total
                mark = "，低于" if value < floor else "，不低于"
                out[(node.pk, unit.pk)] = Measured(
                    Observation(value=value),
                    f"{label} = 满意 {satisfied} ÷ 有效问卷 {total} = {figure(value, '%', 1)}"
                    f"{mark}区定底线 {floor}%",
                )
        return out

    def survey_counts(self, kinds) -> dict[tuple[str, int], tuple[int, int]]:
        rows = Response.objects.filter(
            self.subtrees(), kind__in=kinds, month__in=self.months
        ).values_list("kind", "org_unit__path", "satisfied")
        counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
        for kind, path, satisfied in rows:
            for unit in self.owners(path):
                counts[(kind, unit.pk)][0] += 1
                counts[(kind, unit.pk)][1] += int(satisfied)
        return {key: (n, s) for key, (n, s) in counts.items()}

    def _contracts(self, nodes: list[Node]) -> dict:
        contracts = list(
            Contract.objects.filter(party__in=self.units, year=self.period.year).select_related(
                "party", "issuer"
            )
        )
        results = (
            contract_results(contracts, self.period.end + dt.timedelta(days=1)) if contracts else {}
        )
        out = {}
        for node in nodes:
            title = node.binding.get("title", "")
            for unit in self.units:
                judged = met = 0
                for contract in contracts:
                    if contract.party_id != unit.pk or (title and contract.title != title):
                        continue
                    for r in results.get(contract.pk, []):
                        if r.progress is None:
                            continue
                        judged += 1
                        met += r.progress.status == TargetStatus.MET
                if not judged:
                    out[(node.pk, unit.pk)] = Measured(
                        Observation(zero_denominator=True), "目标责任书无可判定的指标目标"
                    )
                    continue
                value = Decimal(met) * 100 / judged
                out[(node.pk, unit.pk)] = Measured(
                    Observation(value=value),
                    f"目标责任书指标目标达标 {met} 项 ÷ {judged} 项 = {figure(value, '%')}",
                )
        return out

    # -- vetoes --------------------------------------------------------------------------------------

    def vetoes(self, rules: list[VetoRule]) -> dict[tuple[int, int], str]:
        """(rule id, unit id) → the facts, for every data-triggered rule that applies."""
        out: dict[tuple[int, int], str] = {}
        for rule in rules:
            reader = _TRIGGERS.get(rule.trigger)
            if reader is not None:
                out.update({(rule.pk, unit): text for unit, text in reader(self, rule).items()})
        return out

    def _ledger_trigger(self, rule: VetoRule) -> dict[int, str]:
        c = rule.condition
        rows = Activity.objects.filter(
            self.subtrees(), type__code=c["type"], period_id__in=self.months
        ).values_list(
            "type__name", "org_unit__path", "org_unit__name", "title", "start_date", "values"
        )
        found: dict[int, list[str]] = defaultdict(list)
        for type_name, path, unit_name, title, day, values in rows:
            if not all(values.get(k) == v for k, v in (c.get("match") or {}).items()):
                continue
            for unit in self.owners(path):
                found[unit.pk].append(f"{day:%Y-%m-%d} {unit_name}“{title}”（{type_name}台账）")
        return {u: "；".join(facts) for u, facts in found.items() if len(facts) >= c.get("min", 1)}

    def _inspection_trigger(self, rule: VetoRule) -> dict[int, str]:
        rows = Inspection.objects.filter(
            self.subtrees(), status=InspectionStatus.SUBMITTED,
            date__range=(self.period.start, self.period.end),
            version__template__code=rule.condition["template"],
        ).filter(Q(passed=False) | Q(vetoed=True)).values_list(
            "org_unit__path", "org_unit__name", "date", "version__template__name", "score", "vetoed"
        )  # fmt: skip
        found: dict[int, list[str]] = defaultdict(list)
        for path, unit_name, day, name, score, vetoed in rows:
            verdict = "一票否决" if vetoed else "不合格"
            for unit in self.owners(path):
                found[unit.pk].append(
                    f"{day:%Y-%m-%d} {unit_name}{name} {figure(score, '分')}，{verdict}"
                )
        return {u: "；".join(facts) for u, facts in found.items()}

    def _survey_trigger(self, rule: VetoRule) -> dict[int, str]:
        kind = rule.condition["kind"]
        floor = Decimal(str(rule.condition.get("floor") or THRESHOLDS[kind][0]))
        out = {}
        for (k, unit), (total, satisfied) in self.survey_counts({kind}).items():
            value = Decimal(satisfied) * 100 / total
            if k == kind and value < floor:
                out[unit] = (
                    f"{SurveyKind(kind).label}满意度 {figure(value, '%', 1)}"
                    f"（满意 {satisfied} ÷ 有效问卷 {total}），低于 {figure(floor, '%')}"
                )
        return out

    def _indicator_trigger(self, rule: VetoRule) -> dict[int, str]:
        c = rule.condition
        indicator = Indicator.objects.get(code=c["indicator"])
        numerator, denominator = indicator.parsed()
        values = expression_values(
            {"n": numerator, "d": denominator}, self.units, [self.period], approved_only=True
        )
        limit = Decimal(str(c["value"]))
        unit_text = indicator.unit or UNIT_OF_TYPE.get(indicator.type, "")
        out = {}
        for unit in self.units:
            n, d = (
                values.get(("n", self.period.id, unit.code)),
                values.get(("d", self.period.id, unit.code)),
            )
            if n is None or not d:
                continue
            value = n * FACTORS[indicator.type] / d
            if _compare(value, c["op"], limit):
                out[unit.pk] = (
                    f"{indicator.name} {figure(value, unit_text, indicator.decimals)}，{_OP_WORDS[c['op']]} {figure(limit, unit_text)}"
                )
        return out


_OP_WORDS = {">": "高于", ">=": "达到或高于", "<": "低于", "<=": "达到或低于"}


def _compare(value: Decimal, op: str, limit: Decimal) -> bool:
    return {">": value > limit, ">=": value >= limit, "<": value < limit, "<=": value <= limit}[op]


_READERS = {
    Source.INDICATOR: Collector._indicators,
    Source.INSPECTION: Collector._inspections,
    Source.FINDINGS: lambda self, nodes: self._inspections(nodes, findings=True),
    Source.RECTIFICATION: Collector._rectification,
    Source.LEDGER: Collector._ledger,
    Source.SURVEY: Collector._surveys,
    Source.CONTRACT: Collector._contracts,
}
_TRIGGERS = {
    Trigger.LEDGER: Collector._ledger_trigger,
    Trigger.INSPECTION: Collector._inspection_trigger,
    Trigger.SURVEY: Collector._survey_trigger,
    Trigger.INDICATOR: Collector._indicator_trigger,
}


# -- indicator definitions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    code: str  # the library indicator's code, "" for a formula of the item's own
    name: str
    numerator: str
    denominator: str
    factor: Decimal
    unit: str
    decimals: int
    numerator_name: str
    denominator_name: str
    library_target: bool

    def explain(self, value, n, d, zero) -> str:
        if n is None or d is None:
            return f"{self.name}：{'无已审核数据' if n is None else '分母无已审核数据'}"
        if self.denominator.strip() == "1" and self.factor == 1:
            return f"{self.name} = {figure(value, self.unit, self.decimals)}{REVIEWED}"
        names = f"{self.numerator_name or '分子'} ÷ {self.denominator_name or '分母'}"
        if zero:
            return f"{self.name} = {names} = {figure(n)} ÷ 0，分母为0{REVIEWED}"
        return (
            f"{self.name} = {names} = {figure(n)} ÷ {figure(d)} = "
            f"{figure(value, self.unit, self.decimals)}{REVIEWED}"
        )


def _definition(node: Node, indicators: dict[str, Indicator]) -> Definition:
    b = node.binding
    if b.get("indicator"):
        ind = indicators[b["indicator"]]
        return Definition(
            ind.code, ind.short_name or ind.name, ind.numerator, ind.denominator,
            Decimal(FACTORS[ind.type]), ind.unit or UNIT_OF_TYPE.get(ind.type, ""), ind.decimals,
            ind.numerator_description, ind.denominator_description,
            bool(b.get("target_from_library")),
        )  # fmt: skip
    return Definition(
        "", b.get("name") or node.name, b["numerator"], b.get("denominator") or "1",
        Decimal(str(b.get("factor") or 1)), b.get("unit", ""), int(b.get("decimals", 2) or 2),
        b.get("numerator_name", ""), b.get("denominator_name", ""), False,
    )  # fmt: skip


def _ratio(values, pk, period_id: str, unit_code: str, factor: Decimal):
    """(value, numerator, denominator, zero denominator) of one cell."""
    n = values.get(((pk, "n"), period_id, unit_code))
    d = values.get(((pk, "d"), period_id, unit_code))
    if n is None or d is None:
        return None, n, d, False
    if d == 0:
        return None, n, d, True
    return n * factor / d, n, d, False


# -- reports still under review -------------------------------------------------------------------------


def referenced_elements(nodes: list[Node], rules: list[VetoRule]) -> set[str]:
    """Codes of the data elements a run's indicator items and rules read."""
    wanted = {n.binding.get("indicator") for n in nodes if n.source == Source.INDICATOR}
    wanted |= {r.condition["indicator"] for r in rules if r.trigger == Trigger.INDICATOR}
    indicators = Indicator.objects.in_bulk(wanted - {None, ""}, field_name="code")
    texts = []
    for node in nodes:
        if node.source == Source.INDICATOR:
            d = _definition(node, indicators)
            texts += [d.numerator, d.denominator]
    for rule in rules:
        if rule.trigger == Trigger.INDICATOR:
            indicator = indicators[rule.condition["indicator"]]
            texts += [indicator.numerator, indicator.denominator]
    codes: set[str] = set()
    for text in texts:
        codes |= {r.code for r in parse(text).items() if isinstance(r, ElementRef)}
    return codes


def unreviewed_reports(
    element_codes: set[str], units: list[OrgUnit], period: periods.Period, limit: int = 8
):
    """Reports (form × unit × period inside the run's period, in the units' subtrees) holding
    one of the elements and not yet approved or locked: (form name, unit name, period, status).
    Missing reports are not listed: their data is simply missing."""
    if not element_codes:
        return [], 0
    forms = set(
        FormElement.objects.filter(
            element__code__in=element_codes, element__system_managed=False
        ).values_list("form_id", flat=True)
    )
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(org_unit__path__startswith=unit.path)
    qs = (
        Submission.objects.filter(
            condition,
            form_id__in=forms,
            period__start_date__gte=period.start,
            period__end_date__lte=period.end,
        )
        .exclude(status__in=[SubmissionStatus.APPROVED, SubmissionStatus.LOCKED])
        .select_related("form", "org_unit")
        .order_by("period_id", "org_unit__path")
    )
    total = qs.count()
    rows = [(s.form.name, s.org_unit.name, s.period_id, s.get_status_display()) for s in qs[:limit]]
    return rows, total
