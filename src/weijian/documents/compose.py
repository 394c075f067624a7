"""The composer: a summary template + a unit + a period → a `Document` whose every number is
a narrative `Figure` with provenance.

    document = compose(unit, timeframe.parse("2026S1"), spec)     # spec: specs.builtin_specs()[…]
    document = compose_plan(unit, 2027, spec)                      # 下一年度工作计划
    provenance(document)   # [{"text", "value", "dx", "pe", "ou"} | {"text", "value", "source", "query"}]

All figures come from two `analyse` calls (the unit over its periods; its sub-units for best
and worst) plus targets and reporting completeness (facts.py). Sections whose codes are not in
the database (inspections and ledgers not installed yet) are left out silently.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from weijian import periods
from weijian.orgs.models import OrgUnit, OrgUnitType

from . import specs, timeframe
from .context import (
    Context,
    chinese_date,
    compare_codes,
    has_kind,
    has_zero_claims,
    is_derived,
    target_in_scope,
    unit_overrides,
    words_for,
)
from .facts import gather
from .judgements import judge_figure, subject
from .model import Document, Section, provenance, provenance_json
from .narrative import Figure
from .reporting_facts import reporting_facts
from .sections import build_block, build_section

_subject = subject  # the name tests/documents/test_compose.py imports

__all__ = ["Document", "compose", "compose_plan", "provenance", "provenance_json"]


# -- entry points ------------------------------------------------------------------------


def compose(
    unit: OrgUnit, period: periods.Period, spec: dict, today: dt.date | None = None
) -> Document:
    today = today or timezone.localdate()
    return _compose(unit, period, spec, today, plan_year=None)


def compose_plan(unit: OrgUnit, year: int, spec: dict, today: dt.date | None = None) -> Document:
    """The plan for `year`, drawing on the year before (as far as its data goes)."""
    today = today or timezone.localdate()
    basis = periods.Period.parse(str(year - 1))
    return _compose(unit, basis, spec, today, plan_year=year)


def _compose(unit, period, spec, today, plan_year) -> Document:
    period = timeframe.clip(period, today)
    codes = specs.codes_in(spec)
    ranked = compare_codes(spec)
    target_years = (plan_year,) if plan_year else (period.end.year + 1,)
    facts = gather(unit, period, codes, today, compare_codes=ranked, target_years=target_years)
    facts.unit_overrides = unit_overrides(spec)
    words = words_for(unit, period, spec, plan_year)
    wants_reporting = (
        has_kind(spec, "reporting") or has_kind(spec, "problems") or has_zero_claims(spec)
    )
    reporting = reporting_facts(unit, facts) if wants_reporting else None
    ctx = Context(facts, spec, words, reporting, plan_year, template_codes=set(codes))
    document = Document(
        title=ctx.words_in(spec["title"]),
        unit_code=unit.code,
        unit_name=unit.name,
        period_id=period.id if plan_year is None else str(plan_year),
        period_label=words["period"] if plan_year is None else f"{plan_year}年",
        template_code=spec["code"],
        template_name=spec["name"],
    )
    document.opening = [p for block in spec.get("opening") or [] for p in build_block(ctx, block)]
    for dx in spec.get("judge") or []:  # figures a plan weighs without printing them
        if dx in facts.known:
            judge_figure(ctx, dx, facts.name(dx), facts.quantity(dx), facts.quantity(dx, facts.last_year), facts.direction(dx))  # fmt: skip
    # Problems and next steps are derived from what the other sections judged: build last.
    raw_sections = spec["sections"]
    built: dict[int, Section | None] = {}
    for index, raw in enumerate(raw_sections):
        if not is_derived(raw):
            built[index] = build_section(ctx, raw, 1)
    # Every target the unit holds for the year is weighed, printed in a section or not (a
    # topical summary, `targets: template`, weighs only the indicators it names).
    for dx, year in sorted(facts.targets):
        if year == str(period.end.year) and dx in facts.known and target_in_scope(ctx, dx):
            judge_figure(ctx, dx, facts.name(dx), facts.quantity(dx), facts.quantity(dx, facts.last_year), facts.direction(dx))  # fmt: skip
    for index, raw in enumerate(raw_sections):
        if is_derived(raw):
            built[index] = build_section(ctx, raw, 1)
    document.sections = [built[i] for i in range(len(raw_sections)) if built[i] is not None]
    document.closing = [p for block in spec.get("closing") or [] for p in build_block(ctx, block)]
    document.signature = [unit.name, chinese_date(today)]
    return document


def resolve_spec(code: str | None, unit: OrgUnit, period: periods.Period | None) -> dict:
    """The template by code (built-in or an office's copy), or the built-in default for the
    unit type and period."""
    from .models import SummaryTemplate

    builtin = specs.builtin_specs()
    if code:
        if code in builtin:
            return builtin[code]
        row = SummaryTemplate.objects.filter(code=code).first()
        if row is None:
            raise specs.SpecError(f"找不到模板“{code}”")
        return row.spec
    return builtin[default_template(unit, period)]


def default_template(unit: OrgUnit, period: periods.Period | None) -> str:
    if unit.type == OrgUnitType.BUREAU:
        return "BUREAU_ANNUAL"
    if unit.type in (OrgUnitType.DEPARTMENT, OrgUnitType.WARD):
        return "DEPARTMENT"
    if unit.type in (OrgUnitType.TOWNSHIP, OrgUnitType.COMMUNITY, OrgUnitType.CDC):
        return "SPECIAL_HE"
    if period is not None and period.type is periods.PeriodType.YEARLY:
        return "HOSPITAL_ANNUAL"
    return "HOSPITAL_HALF_YEAR"


def figures_of(document: Document) -> list[Figure]:
    from .model import all_figures

    return all_figures(document)
