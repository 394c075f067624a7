"""Reading one library YAML file: every key, enum and expression checked, a Chinese
`LibraryError` naming the file and code for anything wrong (layer 1: no Django)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from weijian.indicators.expression import (
    ElementRef,
    Expression,
    ExpressionError,
    parse,
)

from .specs import (
    CODE_PATTERN,
    COMPARATORS,
    DIRECTIONS,
    IMPORTANCES,
    MAX_DECIMALS,
    MISSING_VALUE_STRATEGIES,
    OPERATORS,
    TYPE_FACTORS,
    VERIFICATIONS,
    IndicatorSpec,
    LibraryError,
    Source,
    Target,
    ValidationRuleSpec,
)


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


class FileReader:
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
        if not CODE_PATTERN.fullmatch(value):
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
