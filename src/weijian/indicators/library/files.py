"""Read and check the national indicator library files (layer 1: no Django).

One YAML file per source document (`hai_2015.yaml`, `performance_tertiary_2024.yaml`, …), each
with three top-level keys:

    source:            the document (code, title, issuer, document number, edition, url,
                       valid_from / valid_to, note)
    indicators:        numerator / denominator expressions in the DHIS2 syntax of
                       `weijian.indicators.expression`, type (factor), decimals, unit, direction,
                       data source, ▲ flag, official definition, citation, verification, note,
                       validity, optional national target
    validation_rules:  left side, operator, right side, importance, missing-value strategy

An indicator whose numerator counts a part of what its denominator counts (infections among
discharges, MRSA among S. aureus isolates) declares `numerator_within_denominator: true`; its
rate can never pass 100 %. `read_library()` then generates the validation rule "numerator ≤
denominator" (`VR_<CODE>_NUM_LE_DEN`, MEDIUM: shown on the entry page and in 数据校验, not
blocking, as the two sides are often on different forms), unless a rule of the files already
says the same. The bound is declared next to the definition it follows from, and the rule is
derived from the expressions themselves, so an edited numerator can never leave a stale
hand-copied rule behind; rates that may honestly pass 100 % (bed occupancy with extra beds,
episodes per patient, managed patients over an estimated prevalence) simply do not declare it.

`read_library()` parses every file, checks every key, enum and expression, that codes are unique
across all files, that `N{…}` references resolve and do not loop, and returns plain frozen
dataclasses. Anything wrong raises `LibraryError` with a Chinese message naming the file and
the indicator or rule code. The Django loader (`weijian library load`) builds rows from the
result; nothing here touches the database.

`verification` says what a definition rests on:
    verified    the numerator and denominator wording is confirmed word for word by public
                code or data that implements the document (named in `note` or in the file's
                header comment); the original document itself was not at hand;
    unverified  from the project's reference digest or memory of the document, not checked;
    adapted     the demo's elements only approximate the official definition; `note` says how.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from weijian.indicators.expression import (
    CycleError,
    ElementRef,
    check_no_cycles,
)

from .reader import FileReader
from .specs import (
    LIBRARY_DIR,
    TYPE_FACTORS,
    IndicatorSpec,
    Library,
    LibraryError,
    Source,
    ValidationRuleSpec,
)


def library_files() -> list[Path]:
    """The shipped library files, in name order."""
    return sorted(LIBRARY_DIR.glob("*.yaml"))


def read_library(paths: Iterable[Path | str] | None = None) -> Library:
    """Read, check and return the library (all shipped files when `paths` is None)."""
    files = [Path(p) for p in (library_files() if paths is None else paths)]
    sources: list[Source] = []
    indicators: list[IndicatorSpec] = []
    rules: list[ValidationRuleSpec] = []
    seen_sources: dict[str, Path] = {}
    seen_indicators: dict[str, Path] = {}
    seen_rules: dict[str, Path] = {}
    for path in files:
        reader = FileReader(path)
        source, file_indicators, file_rules = reader.read()
        _claim(seen_sources, source.code, path, "来源编码")
        for spec in file_indicators:
            _claim(seen_indicators, spec.code, path, "指标编码")
        for rule in file_rules:
            _claim(seen_rules, rule.code, path, "校验规则编码")
        sources.append(source)
        indicators.extend(file_indicators)
        rules.extend(file_rules)
    _check_indicator_references(indicators)
    rules.extend(bound_rules(indicators, rules))
    return Library(tuple(sources), tuple(indicators), tuple(rules))


BOUND_RULE_IMPORTANCE = "MEDIUM"


def bound_rule_code(indicator_code: str) -> str:
    return f"VR_{indicator_code}_NUM_LE_DEN"


def bound_rules(
    indicators: Iterable[IndicatorSpec], existing: Iterable[ValidationRuleSpec] = ()
) -> list[ValidationRuleSpec]:
    """ "numerator ≤ denominator" for every indicator declaring numerator_within_denominator,
    once per (numerator, denominator) pair, skipping pairs a written rule already checks."""
    said = {
        (_compact(r.left), _compact(r.right))
        for r in existing
        if r.operator == "less_than_or_equal_to"
    }
    generated = []
    for spec in indicators:
        pair = (_compact(spec.numerator), _compact(spec.denominator))
        if not spec.numerator_within_denominator or pair in said:
            continue
        said.add(pair)
        generated.append(
            ValidationRuleSpec(
                code=bound_rule_code(spec.code),
                name=f"{spec.name}不超过{_hundred_percent(spec)}（分子不大于分母）",
                left=spec.numerator,
                operator="less_than_or_equal_to",
                right=spec.denominator,
                importance=BOUND_RULE_IMPORTANCE,
                missing_value_strategy="SKIP_IF_ANY_VALUE_MISSING",
                description=f"{spec.numerator_description}大于{spec.denominator_description}，"
                f"{spec.name}将超过{_hundred_percent(spec)}（由指标定义生成的校验规则）",
                source=spec.source,
                left_expression=spec.numerator_expression,
                right_expression=spec.denominator_expression,
            )
        )
    return generated


def _compact(expression_text: str) -> str:
    return "".join(expression_text.split())


def _hundred_percent(spec: IndicatorSpec) -> str:
    """100 % in the indicator's own unit: 100%, 1000‰, 100000/10万 …"""
    return f"{TYPE_FACTORS[spec.type]}{spec.unit}" if spec.unit else str(TYPE_FACTORS[spec.type])


def element_refs_used(library: Library) -> set[ElementRef]:
    """Every `#{…}` operand of the library's indicators and rules (with its option, if any)."""
    refs: set[ElementRef] = set()
    for item in (*library.indicators, *library.validation_rules):
        for expression in item.expressions():
            refs.update(ref for ref in expression.items() if isinstance(ref, ElementRef))
    return refs


def element_codes_used(library: Library) -> set[str]:
    """The data-element codes the library needs."""
    return {ref.code for ref in element_refs_used(library)}


# -- internals -------------------------------------------------------------------------------


def _claim(seen: dict[str, Path], code: str, path: Path, what: str) -> None:
    if code in seen:
        where = "本文件" if seen[code] == path else f"文件 {seen[code].name}"
        raise LibraryError(path, f"{what}“{code}”重复：已在{where}中定义", code)
    seen[code] = path


def _check_indicator_references(indicators: list[IndicatorSpec]) -> None:
    known = {spec.code for spec in indicators}
    for spec in indicators:
        for side, expression in zip(("分子", "分母"), spec.expressions(), strict=True):
            for ref in sorted(expression.indicator_refs(), key=lambda r: r.code):
                if ref.code not in known:
                    reason = f"{side}引用了不存在的指标“N{{{ref.code}}}”"
                    raise LibraryError(spec.source.path, reason, spec.code)
    try:
        check_no_cycles({spec.code: spec.expressions() for spec in indicators})
    except CycleError as error:
        first = next(spec for spec in indicators if spec.code == error.cycle[0])
        raise LibraryError(first.source.path, error.reason, first.code) from None
