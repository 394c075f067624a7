"""Reads for the 工作总结 pages, all through the user's scope."""

from __future__ import annotations

from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, Scope

from . import specs
from .models import GeneratedDocument, PlanTask, SummaryTemplate, TemplateChange, WordLayout

MAX_UNITS = 400


def unit_choices(scope: Scope) -> list[tuple[str, str]]:
    """(code, indented name) of the units the user may summarise, in tree order."""
    units = scope.units(Can.VIEW).order_by("path")[:MAX_UNITS]
    top = min((u.depth for u in units), default=1)
    return [(u.code, "　" * (u.depth - top) + u.name) for u in units]


def template_choices(scope: Scope) -> list[tuple[str, str]]:
    builtin = [(code, spec["name"]) for code, spec in specs.builtin_specs().items()]
    copies = [(t.code, f"{t.name}（本单位）") for t in template_rows(scope)]
    return builtin + copies


def template_rows(scope: Scope):
    return SummaryTemplate.objects.filter(scope.q(Can.VIEW, "org_unit__")).select_related(
        "org_unit", "updated_by"
    )


def layout_choices(scope: Scope):
    return WordLayout.objects.filter(scope.q(Can.VIEW, "org_unit__")).select_related(
        "org_unit", "uploaded_by"
    )


def history(scope: Scope, unit: OrgUnit | None = None, limit: int | None = 50):
    rows = GeneratedDocument.objects.filter(scope.q(Can.VIEW, "org_unit__"))
    if unit is not None:
        rows = rows.filter(org_unit__path__startswith=unit.path)
    rows = rows.select_related("org_unit", "created_by")
    return rows if limit is None else rows[:limit]


def plan_tasks(scope: Scope, unit: OrgUnit, year: int):
    """The tasks a unit's plan for `year` saved (the caller checked VIEW on the unit)."""
    return PlanTask.objects.filter(org_unit=unit, year=year).select_related("updated_by")


def plan_years(scope: Scope, unit: OrgUnit) -> list[int]:
    return sorted(
        set(PlanTask.objects.filter(org_unit=unit).values_list("year", flat=True)), reverse=True
    )


def checker_knowledge(document):
    """What the document checker needs from the database: each cited indicator's better
    direction, every unit's kind by the names documents use, the health days of the calendar,
    and the document's date."""
    from weijian.indicators.models import Direction, Indicator
    from weijian.ledger.models import Campaign, Frequency

    from .checker import Knowledge
    from .model import all_figures

    cited = set()
    for figure in all_figures(document):
        source = dict(figure.source)
        for item in [source, *(source.get("inputs") or [])]:
            if isinstance(item, dict) and "dx" in item:
                cited.add(item["dx"])
    words = {Direction.HIGHER_BETTER: "up", Direction.LOWER_BETTER: "down"}
    directions = {
        code: words[d]
        for code, d in Indicator.objects.filter(code__in=cited).values_list("code", "direction")
        if d in words
    }
    kinds = {}
    for name, short, kind in OrgUnit.objects.values_list("name", "short_name", "type"):
        kinds[name] = kind
        if short:
            kinds[short] = kind
    days = {
        name: (month, day)
        for name, month, day in Campaign.objects.filter(
            org_unit__isnull=True, frequency=Frequency.YEARLY_DAY
        ).values_list("name", "month", "day")
    }
    return Knowledge(
        directions=directions, unit_kinds=kinds, health_days=days, date=document.date,
        coverage=_coverage_of(document), survey_floors=_survey_floors(document),
        stocks=_stocks(cited),
    )  # fmt: skip


def _stocks(cited: set[str]) -> set[str]:
    """The cited count indicators (no denominator) whose elements all aggregate by their last
    value: stocks at the period's end (签约居民人数), not work done over it."""
    import re

    from weijian.indicators.models import Indicator
    from weijian.reporting.models import DataElement

    counts = {
        code: re.findall(r"#\{([A-Z0-9_]+)", numerator)
        for code, numerator in Indicator.objects.filter(code__in=cited, denominator="1")
        .values_list("code", "numerator")
    }  # fmt: skip
    wanted = {e for codes in counts.values() for e in codes}
    last = set(
        DataElement.objects.filter(code__in=wanted, aggregation_type="LAST")
        .values_list("code", flat=True)
    )  # fmt: skip
    return {code for code, elements in counts.items() if elements and set(elements) <= last}


def _coverage_of(document):
    """(dx, pe, ou) → the months of pe with data, from the engine (one request per period and
    unit the document cites)."""
    from collections import defaultdict

    from weijian import periods
    from weijian.indicators.analytics import analyse

    from . import timeframe
    from .facts import event_denominators
    from .model import all_figures

    wanted = defaultdict(set)
    for figure in all_figures(document):
        source = dict(figure.source)
        if all(k in source for k in ("dx", "pe", "ou")) and "derived" not in source:
            wanted[(str(source["pe"]), source["ou"])].add(source["dx"])
    found: dict = {}
    # a month reported with no case notified covers a rate over an event count (facts.coverage)
    bottoms = event_denominators({dx for codes in wanted.values() for dx in codes})
    for (pe, ou), codes in wanted.items():
        period = timeframe.parse(pe)
        months = period.periods_within(periods.PeriodType.MONTHLY) or [period]
        unit = OrgUnit.objects.filter(code=ou).first()
        if unit is None:
            continue
        counted = {bottoms[dx] for dx in codes if dx in bottoms}
        result = analyse(list(dict.fromkeys([*codes, *counted])), months, [unit])
        for dx in codes:
            reported = [dx, *([bottoms[dx]] if dx in bottoms else [])]
            found[(dx, pe, ou)] = {
                m.id for m in months if any(result.value(c, m.id, ou) is not None for c in reported)
            }
    return lambda dx, pe, ou: found.get((dx, pe, ou))


def _survey_floors(document):
    from decimal import Decimal

    from weijian.surveys.queries import rules_for

    from . import timeframe
    from .judgements import SURVEY_KINDS

    unit = OrgUnit.objects.filter(code=document.unit_code).first()
    try:
        period = timeframe.parse(document.period_id)
    except ValueError:
        return {}
    if unit is None or document.template_kind == "plan":
        return {}
    rules = rules_for(unit, period)
    return {
        dx: Decimal(rules[kind].threshold) for dx, kind in SURVEY_KINDS.items() if kind in rules
    }


def check_document(document):
    """The checker's findings on a composed document (empty when nothing contradicts)."""
    from .checker import check

    return check(document, checker_knowledge(document))


def template_changes(template: SummaryTemplate, limit: int = 50):
    """The template's audit trail, newest first (the caller has checked the user may see it)."""
    rows = TemplateChange.objects.filter(template_code=template.code)
    return rows.select_related("user")[:limit]
