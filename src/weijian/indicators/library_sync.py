"""Loading the national indicator library (YAML in the package) into the database.

Upserts by code, so `weijian library load` can run again after the files change: indicators
and rules keep their uids and targets; definitions are replaced by the files' wording. A rule
that a loaded source file no longer has is removed (a renamed rule would otherwise keep firing
under its old code on an installation loaded before the rename); rules of other sources and
rules written by the district (no source) are left alone. Indicators are never removed this
way: targets, plans and assessments refer to them by code.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from .library.files import Library, read_library
from .models import Indicator, IndicatorSource, ValidationRule


@dataclass(frozen=True)
class LoadSummary:
    sources: int
    indicators: int
    validation_rules: int
    retired_rules: tuple[str, ...] = ()


SOURCE_FIELDS = ["title", "issuer", "document", "edition", "url", "valid_from", "valid_to"]
INDICATOR_FIELDS = [
    "name", "short_name", "group", "numerator", "numerator_description", "denominator",
    "denominator_description", "type", "decimals", "unit", "direction", "data_source",
    "national_monitoring", "definition", "citation", "verification", "note", "valid_from",
    "valid_to", "source", "benchmark_value", "benchmark_comparator", "benchmark_basis",
    "numerator_within_denominator",
]  # fmt: skip
RULE_FIELDS = [
    "name", "left", "operator", "right", "importance", "missing_value_strategy", "description",
    "source",
]  # fmt: skip


@transaction.atomic
def load_library(library: Library | None = None) -> LoadSummary:
    library = library or read_library()
    IndicatorSource.objects.bulk_create(
        [IndicatorSource(code=s.code, **{f: getattr(s, f) for f in SOURCE_FIELDS}) for s in library.sources],
        update_conflicts=True, unique_fields=["code"], update_fields=SOURCE_FIELDS,
    )  # fmt: skip
    sources = {
        s.code: s
        for s in IndicatorSource.objects.filter(code__in=[s.code for s in library.sources])
    }
    Indicator.objects.bulk_create(
        [_indicator(spec, sources) for spec in library.indicators],
        update_conflicts=True, unique_fields=["code"], update_fields=INDICATOR_FIELDS,
    )  # fmt: skip
    ValidationRule.objects.bulk_create(
        [_rule(spec, sources) for spec in library.validation_rules],
        update_conflicts=True, unique_fields=["code"], update_fields=RULE_FIELDS,
    )  # fmt: skip
    retired = _retire_rules_gone_from(library, sources)
    return LoadSummary(
        len(library.sources), len(library.indicators), len(library.validation_rules), retired
    )


def _retire_rules_gone_from(library: Library, sources: dict) -> tuple[str, ...]:
    """Delete the rules of the loaded sources that their files no longer define."""
    kept = {spec.code for spec in library.validation_rules}
    gone = ValidationRule.objects.filter(source__in=sources.values()).exclude(code__in=kept)
    codes = tuple(sorted(gone.values_list("code", flat=True)))
    gone.delete()
    return codes


def _indicator(spec, sources) -> Indicator:
    target = spec.target
    return Indicator(
        code=spec.code,
        source=sources[spec.source.code],
        benchmark_value=target.value if target else None,
        benchmark_comparator=target.comparator if target else "",
        benchmark_basis=target.basis if target else "",
        **{
            f: getattr(spec, f)
            for f in INDICATOR_FIELDS
            if not f.startswith(("source", "benchmark"))
        },
    )


def _rule(spec, sources) -> ValidationRule:
    return ValidationRule(
        code=spec.code,
        source=sources[spec.source.code],
        **{f: getattr(spec, f) for f in RULE_FIELDS if f != "source"},
    )
