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

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from weijian.indicators.expression import (
    CycleError,
    ElementRef,
    Expression,
    ExpressionError,
    MissingValueStrategy,
    check_no_cycles,
    parse,
)

LIBRARY_DIR = Path(__file__).resolve().parent

# Indicator type → factor the ratio is multiplied by (DHIS2 "indicator type").
TYPE_FACTORS: dict[str, int] = {
    "NUMBER": 1,
    "PERCENT": 100,
    "PER_HUNDRED": 100,  # "每百…" counts that are not percentages (DDDs per 100 patient-days)
    "PER_THOUSAND": 1000,
    "PER_TEN_THOUSAND": 10000,
    "PER_HUNDRED_THOUSAND": 100000,
}
TYPE_LABELS: dict[str, str] = {
    "NUMBER": "数值",
    "PERCENT": "百分比（%）",
    "PER_HUNDRED": "每百",
    "PER_THOUSAND": "千分比（‰）",
    "PER_TEN_THOUSAND": "万分比（‱）",
    "PER_HUNDRED_THOUSAND": "每十万（/10万）",
}
DIRECTIONS: dict[str, str] = {
    "HIGHER_BETTER": "逐步提高",
    "LOWER_BETTER": "逐步降低",
    "MONITOR": "监测比较",
}
VERIFICATIONS: dict[str, str] = {
    "verified": "已核对原文",
    "unverified": "未核对原文",
    "adapted": "按现有数据元近似计算",
}
OPERATORS: dict[str, str] = {
    "equal_to": "==",
    "not_equal_to": "!=",
    "greater_than": ">",
    "greater_than_or_equal_to": ">=",
    "less_than": "<",
    "less_than_or_equal_to": "<=",
    "compulsory_pair": "必须同时填报",
    "exclusive_pair": "不能同时填报",
}
IMPORTANCES: dict[str, str] = {"HIGH": "高", "MEDIUM": "中", "LOW": "低"}
MISSING_VALUE_STRATEGIES = tuple(strategy.name for strategy in MissingValueStrategy)
COMPARATORS = ("<", "<=", ">", ">=")
MAX_DECIMALS = 6

_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,49}")


class LibraryError(ValueError):
    """A library file that cannot be used. `path` and `code` (indicator, rule or source code,
    or None) locate the problem; `reason` says what is wrong, in Chinese."""

    def __init__(self, path: Path | str, reason: str, code: str | None = None):
        self.path = Path(path)
        self.code = code
        self.reason = reason
        where = f"指标库文件 {self.path.name}"
        if code:
            where += f"（{code}）"
        super().__init__(f"{where}：{reason}")


@dataclass(frozen=True)
class Target:
    """A national benchmark or control value, e.g. DDDs <= 40 (综合医院)."""

    value: Decimal
    comparator: str  # one of COMPARATORS
    basis: str = ""

    def met_by(self, value: Decimal) -> bool:
        match self.comparator:
            case "<":
                return value < self.value
            case "<=":
                return value <= self.value
            case ">":
                return value > self.value
            case _:
                return value >= self.value


@dataclass(frozen=True)
class Source:
    code: str
    title: str
    issuer: str
    document: str
    edition: str
    url: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    note: str
    path: Path = field(compare=False)


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    short_name: str
    group: str
    numerator: str
    numerator_description: str
    denominator: str
    denominator_description: str
    type: str
    decimals: int
    unit: str
    direction: str
    data_source: str
    national_monitoring: bool
    definition: str
    citation: str
    verification: str
    note: str
    valid_from: dt.date | None  # as written; None means "as the source"
    valid_to: dt.date | None
    target: Target | None
    source: Source
    numerator_expression: Expression = field(compare=False, repr=False)
    denominator_expression: Expression = field(compare=False, repr=False)
    # The numerator counts a part of the denominator: the rate cannot pass 100 % (the factor).
    numerator_within_denominator: bool = False

    @property
    def factor(self) -> int:
        return TYPE_FACTORS[self.type]

    @property
    def effective_valid_from(self) -> dt.date | None:
        return self.valid_from or self.source.valid_from

    @property
    def effective_valid_to(self) -> dt.date | None:
        return self.valid_to or self.source.valid_to

    def expressions(self) -> tuple[Expression, Expression]:
        return self.numerator_expression, self.denominator_expression


@dataclass(frozen=True)
class ValidationRuleSpec:
    code: str
    name: str
    left: str
    operator: str
    right: str
    importance: str
    missing_value_strategy: str
    description: str
    source: Source
    left_expression: Expression = field(compare=False, repr=False)
    right_expression: Expression = field(compare=False, repr=False)

    def expressions(self) -> tuple[Expression, Expression]:
        return self.left_expression, self.right_expression


@dataclass(frozen=True)
class Library:
    sources: tuple[Source, ...]
    indicators: tuple[IndicatorSpec, ...]
    validation_rules: tuple[ValidationRuleSpec, ...]

    def indicator(self, code: str) -> IndicatorSpec:
        for spec in self.indicators:
            if spec.code == code:
                return spec
        raise KeyError(code)

    def by_source(self, source_code: str) -> tuple[IndicatorSpec, ...]:
        return tuple(spec for spec in self.indicators if spec.source.code == source_code)


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
        reader = _FileReader(path)
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


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping (PyYAML keeps the last)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    keys = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            line = key_node.start_mark.line + 1
            raise yaml.constructor.ConstructorError(
                None, None, f"第 {line} 行：键“{key}”重复", key_node.start_mark
            )
        keys.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)

_TOP_KEYS = {"source", "indicators", "validation_rules"}
_SOURCE_REQUIRED = ("code", "title", "issuer")
_SOURCE_OPTIONAL = ("document", "edition", "url", "valid_from", "valid_to", "note")
_INDICATOR_REQUIRED = (
    "code",
    "name",
    "group",
    "numerator",
    "numerator_description",
    "denominator",
    "denominator_description",
    "type",
    "decimals",
    "unit",
    "direction",
    "data_source",
    "definition",
    "citation",
    "verification",
)
_INDICATOR_OPTIONAL = (
    "short_name",
    "national_monitoring",
    "note",
    "valid_from",
    "valid_to",
    "target",
    "numerator_within_denominator",
)
_RULE_REQUIRED = ("code", "name", "left", "operator", "right", "importance")
_RULE_OPTIONAL = ("missing_value_strategy", "description")
_TARGET_KEYS = ("value", "comparator", "basis")


class _FileReader:
    def __init__(self, path: Path):
        self.path = path

    def fail(self, reason: str, code: str | None = None) -> LibraryError:
        return LibraryError(self.path, reason, code)

    def read(self) -> tuple[Source, list[IndicatorSpec], list[ValidationRuleSpec]]:
        data = self.load()
        source = self.source(data.get("source"))
        indicators = [
            self.indicator(entry, index, source)
            for index, entry in enumerate(self.entries(data, "indicators"), 1)
        ]
        rules = [
            self.rule(entry, index, source)
            for index, entry in enumerate(self.entries(data, "validation_rules"), 1)
        ]
        return source, indicators, rules

    # -- file and sections ------------------------------------------------------------------

    def load(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError as error:
            raise self.fail(f"无法读取（{error.strerror or error}）") from None
        except UnicodeDecodeError:
            raise self.fail("不是 UTF-8 编码的文本") from None
        try:
            data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as error:
            raise self.fail(f"YAML 格式错误：{_yaml_problem(error)}") from None
        if not isinstance(data, dict):
            raise self.fail("顶层应为映射（source、indicators、validation_rules）")
        unknown = sorted(str(key) for key in data if key not in _TOP_KEYS)
        if unknown:
            raise self.fail(
                f"未知的顶层键：{'、'.join(unknown)}（可用：source、indicators、validation_rules）"
            )
        if "source" not in data:
            raise self.fail("缺少 source（来源文件）")
        return data

    def entries(self, data: dict[str, Any], key: str) -> list[Any]:
        entries = data.get(key)
        if entries is None:
            return []
        if not isinstance(entries, list):
            raise self.fail(f"{key} 应为列表")
        return entries

    def keys(
        self,
        entry: Any,
        required: tuple[str, ...],
        optional: tuple[str, ...],
        what: str,
        code: str | None,
    ) -> None:
        if not isinstance(entry, dict):
            raise self.fail(f"{what}应为映射（键: 值）", code)
        unknown = sorted(str(key) for key in entry if key not in required + optional)
        if unknown:
            raise self.fail(f"{what}有未知的键：{'、'.join(unknown)}", code)
        missing = [key for key in required if key not in entry]
        if missing:
            raise self.fail(f"{what}缺少必填项：{'、'.join(missing)}", code)

    # -- source ------------------------------------------------------------------------------

    def source(self, entry: Any) -> Source:
        code = entry.get("code") if isinstance(entry, dict) else None
        code = code if isinstance(code, str) else None
        self.keys(entry, _SOURCE_REQUIRED, _SOURCE_OPTIONAL, "来源（source）", code)
        code = self.code(entry["code"], "来源编码", None)
        valid_from = self.date(entry.get("valid_from"), "valid_from", code)
        valid_to = self.date(entry.get("valid_to"), "valid_to", code)
        self.period(valid_from, valid_to, code)
        return Source(
            code=code,
            title=self.text(entry["title"], "title", code),
            issuer=self.text(entry["issuer"], "issuer", code),
            document=self.text(entry.get("document"), "document", code, required=False),
            edition=self.text(entry.get("edition"), "edition", code, required=False),
            url=self.text(entry.get("url"), "url", code, required=False),
            valid_from=valid_from,
            valid_to=valid_to,
            note=self.text(entry.get("note"), "note", code, required=False),
            path=self.path,
        )

    # -- indicators --------------------------------------------------------------------------

    def indicator(self, entry: Any, index: int, source: Source) -> IndicatorSpec:
        code = self.entry_code(entry, f"第 {index} 个指标")
        self.keys(entry, _INDICATOR_REQUIRED, _INDICATOR_OPTIONAL, "指标", code)
        code = self.code(entry["code"], "指标编码", code)
        numerator = self.expression_text(entry["numerator"], "numerator", code)
        denominator = self.expression_text(entry["denominator"], "denominator", code)
        valid_from = self.date(entry.get("valid_from"), "valid_from", code)
        valid_to = self.date(entry.get("valid_to"), "valid_to", code)
        self.period(
            valid_from or source.valid_from,
            valid_to or source.valid_to,
            code,
        )
        numerator_expression = self.parse(numerator, "分子（numerator）", code)
        denominator_expression = self.parse(denominator, "分母（denominator）", code)
        within = self.within(
            entry.get("numerator_within_denominator", False),
            (numerator_expression, denominator_expression),
            code,
        )
        return IndicatorSpec(
            code=code,
            name=self.text(entry["name"], "name", code),
            short_name=self.text(entry.get("short_name"), "short_name", code, required=False),
            group=self.text(entry["group"], "group", code),
            numerator=numerator,
            numerator_description=self.text(
                entry["numerator_description"], "numerator_description", code
            ),
            denominator=denominator,
            denominator_description=self.text(
                entry["denominator_description"], "denominator_description", code
            ),
            type=self.choice(entry["type"], "type", TYPE_FACTORS, code),
            decimals=self.decimals(entry["decimals"], code),
            unit=self.text(entry["unit"], "unit", code, required=False),
            direction=self.choice(entry["direction"], "direction", DIRECTIONS, code),
            data_source=self.text(entry["data_source"], "data_source", code),
            national_monitoring=self.flag(entry.get("national_monitoring", False), code),
            definition=self.text(entry["definition"], "definition", code),
            citation=self.text(entry["citation"], "citation", code),
            verification=self.choice(entry["verification"], "verification", VERIFICATIONS, code),
            note=self.text(entry.get("note"), "note", code, required=False),
            valid_from=valid_from,
            valid_to=valid_to,
            target=self.target(entry.get("target"), code),
            source=source,
            numerator_expression=numerator_expression,
            denominator_expression=denominator_expression,
            numerator_within_denominator=within,
        )

    def within(self, value: Any, expressions: tuple[Expression, Expression], code: str) -> bool:
        """numerator_within_denominator: a flag, on an indicator whose sides are data elements
        only (the generated rule compares what a unit reported; it cannot read N{…}, R{…}…)."""
        if not isinstance(value, bool):
            raise self.fail(
                f"numerator_within_denominator 应为 true 或 false，而不是“{value}”", code
            )
        others = [
            ref.to_text()
            for expression in expressions
            for ref in sorted(expression.items(), key=lambda r: r.to_text())
            if not isinstance(ref, ElementRef)
        ]
        if value and others:
            raise self.fail(
                "numerator_within_denominator 只适用于分子、分母都由数据元组成的指标"
                f"（此处含 {'、'.join(others)}）",
                code,
            )
        return value

    def target(self, value: Any, code: str) -> Target | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail('target 应为映射：{value: 40, comparator: "<=", basis: …}', code)
        unknown = sorted(str(key) for key in value if key not in _TARGET_KEYS)
        if unknown:
            raise self.fail(f"target 有未知的键：{'、'.join(unknown)}", code)
        for key in ("value", "comparator"):
            if key not in value:
                raise self.fail(f"target 缺少 {key}", code)
        number = value["value"]
        if isinstance(number, bool) or not isinstance(number, int | float | str):
            raise self.fail("target.value 应为数值", code)
        try:
            amount = Decimal(str(number))
        except InvalidOperation:
            raise self.fail(f"target.value 应为数值，而不是“{number}”", code) from None
        if not amount.is_finite():
            raise self.fail("target.value 应为有限数值", code)
        comparator = value["comparator"]
        if comparator not in COMPARATORS:
            raise self.fail(
                f"target.comparator 应为 {'、'.join(COMPARATORS)} 之一，而不是“{comparator}”",
                code,
            )
        basis = self.text(value.get("basis"), "target.basis", code, required=False)
        return Target(amount, comparator, basis)

    # -- validation rules --------------------------------------------------------------------

    def rule(self, entry: Any, index: int, source: Source) -> ValidationRuleSpec:
        code = self.entry_code(entry, f"第 {index} 条校验规则")
        self.keys(entry, _RULE_REQUIRED, _RULE_OPTIONAL, "校验规则", code)
        code = self.code(entry["code"], "校验规则编码", code)
        left = self.expression_text(entry["left"], "left", code)
        right = self.expression_text(entry["right"], "right", code)
        strategy = entry.get("missing_value_strategy", "SKIP_IF_ANY_VALUE_MISSING")
        left_expression = self.parse(left, "左侧（left）", code)
        right_expression = self.parse(right, "右侧（right）", code)
        for side, expression in (("左侧", left_expression), ("右侧", right_expression)):
            if expression.indicator_refs():
                raise self.fail(f"{side}不能引用指标（N{{…}}），校验规则只比较数据元", code)
        return ValidationRuleSpec(
            code=code,
            name=self.text(entry["name"], "name", code),
            left=left,
            operator=self.choice(entry["operator"], "operator", OPERATORS, code),
            right=right,
            importance=self.choice(entry["importance"], "importance", IMPORTANCES, code),
            missing_value_strategy=self.choice(
                strategy,
                "missing_value_strategy",
                dict.fromkeys(MISSING_VALUE_STRATEGIES),
                code,
            ),
            description=self.text(entry.get("description"), "description", code, required=False),
            source=source,
            left_expression=left_expression,
            right_expression=right_expression,
        )

    # -- values ------------------------------------------------------------------------------

    def entry_code(self, entry: Any, fallback: str) -> str:
        if isinstance(entry, dict) and isinstance(entry.get("code"), str) and entry["code"]:
            return entry["code"]
        return fallback

    def code(self, value: Any, what: str, code: str | None) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(f"{what}应为非空文本", code)
        if not _CODE.fullmatch(value):
            raise self.fail(
                f"{what}“{value}”不合规：只能用大写英文字母、数字和“_”，以字母开头，最长 50 个字符",
                code,
            )
        return value

    def text(self, value: Any, key: str, code: str | None, *, required: bool = True) -> str:
        if value is None:
            if required:
                raise self.fail(f"{key} 不能为空", code)
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(f"{key} 应为文本", code)
        text = str(value).strip()
        if required and not text:
            raise self.fail(f"{key} 不能为空", code)
        return text

    def expression_text(self, value: Any, key: str, code: str) -> str:
        # `denominator: 1` arrives as an int; an expression is text either way.
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(f"{key} 应为表达式文本", code)
        return str(value).strip()

    def parse(self, text: str, side: str, code: str) -> Expression:
        try:
            return parse(text)
        except ExpressionError as error:
            raise self.fail(f"{side}表达式有误：{error.message}", code) from None

    def choice(self, value: Any, key: str, allowed: Mapping[str, Any], code: str) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise self.fail(f"{key} 应为 {'、'.join(allowed)} 之一，而不是“{value}”", code)
        return value

    def decimals(self, value: Any, code: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"decimals 应为 0–{MAX_DECIMALS} 的整数，而不是“{value}”", code)
        if not 0 <= value <= MAX_DECIMALS:
            raise self.fail(f"decimals 应为 0–{MAX_DECIMALS} 的整数，而不是 {value}", code)
        return value

    def flag(self, value: Any, code: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(f"national_monitoring 应为 true 或 false，而不是“{value}”", code)
        return value

    def date(self, value: Any, key: str, code: str | None) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            raise self.fail(f"{key} 应为日期（如 2015-04-01），不含时间", code)
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(f"{key} 应为日期（如 2015-04-01），而不是“{value}”", code)

    def period(self, start: dt.date | None, end: dt.date | None, code: str | None) -> None:
        if start and end and end < start:
            raise self.fail(f"有效期结束日 {end} 早于开始日 {start}", code)


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    if mark is not None and "第 " not in problem:
        return f"第 {mark.line + 1} 行第 {mark.column + 1} 列：{problem}"
    return problem
