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
from .judgements import (
    SURVEY_KINDS,
    judge_events,
    judge_figure,
    judge_norms,
    judge_safety,
    subject,
)
from .ledger_problems import judge_ledgers
from .model import Document, Paragraph, Section, provenance, provenance_json
from .narrative import Figure, merge
from .repeats import limit_flat_verdicts
from .reporting_facts import reporting_facts
from .sections import build_block, build_section

_subject = subject  # the name tests/documents/test_compose.py imports

__all__ = ["Document", "compose", "compose_plan", "provenance", "provenance_json"]


# -- entry points ------------------------------------------------------------------------


def compose(
    unit: OrgUnit,
    period: periods.Period,
    spec: dict,
    today: dt.date | None = None,
    date: dt.date | None = None,
) -> Document:
    """The summary of `period`; `date` is the document's date (default: document_date)."""
    today = today or timezone.localdate()
    return _compose(unit, period, spec, today, plan_year=None, date=date)


def compose_plan(
    unit: OrgUnit, year: int, spec: dict, today: dt.date | None = None, date: dt.date | None = None
) -> Document:
    """The plan for `year`, drawing on the year before (as far as its data goes)."""
    today = today or timezone.localdate()
    basis = periods.Period.parse(str(year - 1))
    return _compose(unit, basis, spec, today, plan_year=year, date=date)


LATE_AFTER = dt.timedelta(days=15)
WRITTEN_AFTER = dt.timedelta(days=10)


def document_date(period: periods.Period, today: dt.date, plan_year: int | None = None) -> dt.date:
    """The date a summary bears: today, or — when it is generated well after its period
    (2026年上半年 in December) — ten days after the period's end, when it would have been
    written. A plan bears today's date."""
    if plan_year is None and today > period.end + LATE_AFTER:
        return period.end + WRITTEN_AFTER
    return today


def _compose(unit, period, spec, today, plan_year, date=None) -> Document:
    period = timeframe.clip(period, today)
    owner = unit
    parent = parent_of(unit) if spec.get("figures_of") == "parent" else None
    if parent is not None:
        unit = parent  # a CDC states the district's disease-control figures
    codes = specs.codes_in(spec)
    ranked = [*compare_codes(spec), *(e["dx"] for e in spec.get("events") or [])]
    if unit.type == OrgUnitType.BUREAU:  # survey floors bind each institution, not the district
        ranked += [c for c in SURVEY_KINDS if c in specs.codes_in(spec)]
    target_years = (plan_year,) if plan_year else (period.end.year + 1,)
    facts = gather(unit, period, codes, today, compare_codes=ranked, target_years=target_years)
    facts.unit_overrides = unit_overrides(spec)
    words = words_for(owner, period, spec, plan_year)
    # a special summary (院感, 健康教育) counts only its own topic: the unit's statistical
    # reports sent late are no 院感 problem (read 2026-12-07), so its problems do not ask for them
    wants_reporting = (
        has_kind(spec, "reporting")
        or (has_kind(spec, "problems") and not spec.get("topic"))
        or has_zero_claims(spec)
    )
    reporting = reporting_facts(owner, facts) if wants_reporting else None
    ctx = Context(facts, spec, words, reporting, plan_year, template_codes=set(codes))
    ctx.owner_unit = owner
    ctx.date = date or document_date(period, today, plan_year)
    document_head = {
        k: ctx.words_in(spec.get(k, "")) for k in ("addressee", "letterhead", "doc_number")
    }
    document = Document(
        title=ctx.words_in(spec["title"]),
        unit_code=owner.code,
        unit_name=owner.name,
        period_id=period.id if plan_year is None else str(plan_year),
        period_label=words["period"] if plan_year is None else f"{plan_year}年",
        template_code=spec["code"],
        template_name=spec["name"],
        template_kind=spec.get("kind", "summary"),
        **document_head,
    )
    # The opening's headline is stated first (the sections do not repeat it); its verdicts are
    # written last, from what the sections found.
    opening = spec.get("opening") or []
    headlines = {i: build_block(ctx, b) for i, b in enumerate(opening) if "headline" in b}
    judge_events(ctx)
    judge_safety(ctx)  # before the figures: a rise in falls is not one more trend
    judge_norms(ctx)  # before the sections: a norm missed outranks the same figure's trend
    judge_ledgers(ctx)  # 医保 violations, complaints not closed in time (ledger_problems.py)
    for dx in spec.get("judge") or []:  # figures weighed without being printed
        if dx in facts.known:
            judge_figure(ctx, dx, facts.name(dx), facts.current(dx), facts.before(dx), facts.direction(dx))  # fmt: skip
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
            judge_figure(ctx, dx, facts.name(dx), facts.current(dx), facts.before(dx), facts.direction(dx))  # fmt: skip
    for index, raw in enumerate(raw_sections):
        if is_derived(raw):
            built[index] = build_section(ctx, raw, 1)
    document.sections = [built[i] for i in range(len(raw_sections)) if built[i] is not None]
    document.opening = _merged(
        [p for i, block in enumerate(opening) for p in (headlines[i] if i in headlines else build_block(ctx, block))]
    )  # fmt: skip
    limit_flat_verdicts(document, facts)
    if ctx.notes:  # for whoever generated it: the page and the CLI say it, the document not
        document.notes.append(missing_note(ctx))
    document.closing += [p for block in spec.get("closing") or [] for p in build_block(ctx, block)]
    document.signature = [owner.name, chinese_date(ctx.date)]
    document.date = ctx.date
    document.tasks = ctx.cache.get("tasks", [])
    document.plan_targets = ctx.cache.get("plan_targets", [])
    return document


def parent_of(unit: OrgUnit) -> OrgUnit | None:
    """The unit above (a materialised path one step shorter)."""
    if unit.depth <= 1:
        return None
    return OrgUnit.objects.filter(path=unit.path[: (unit.depth - 1) * unit.steplen]).first()


def _merged(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Consecutive paragraphs of the data's own words as one (the headline, the verdict and
    "现将…总结如下：" read as one paragraph of an opening)."""
    out: list[Paragraph] = []
    for paragraph in paragraphs:
        if out and not paragraph.review and not out[-1].review:
            out[-1] = Paragraph(merge([*out[-1].text, *paragraph.text]))
        else:
            out.append(paragraph)
    return out


def missing_note(ctx: Context) -> str:
    """What the data could not back, said once, for the office to complete or accept."""
    listed = "、".join(dict.fromkeys(ctx.notes))
    return f"{listed}，相关数字未写入本文，请补录数据后重新生成。"


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


DEFAULT_BY_TYPE = {
    OrgUnitType.BUREAU: "BUREAU_ANNUAL",
    OrgUnitType.DEPARTMENT: "DEPARTMENT",
    OrgUnitType.WARD: "DEPARTMENT",
    OrgUnitType.TOWNSHIP: "PRIMARY_CARE",
    OrgUnitType.COMMUNITY: "PRIMARY_CARE",
    OrgUnitType.CDC: "CDC_SUMMARY",
    OrgUnitType.MCH: "MCH_SUMMARY",
}


def default_template(unit: OrgUnit, period: periods.Period | None) -> str:
    """The template a unit of this type gets unless one is chosen: a township its primary-care
    summary, a CDC its own, a hospital the annual or half-year summary by the period."""
    if unit.type in DEFAULT_BY_TYPE:
        return DEFAULT_BY_TYPE[unit.type]
    if period is not None and period.type is periods.PeriodType.YEARLY:
        return "HOSPITAL_ANNUAL"
    return "HOSPITAL_HALF_YEAR"


def figures_of(document: Document) -> list[Figure]:
    from .model import all_figures

    return all_figures(document)
