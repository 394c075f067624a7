"""The library's plain frozen dataclasses, enums and limits (layer 1: no Django); the files
themselves are described in `files.py`, their reading and checking in `reader.py`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from weijian.indicators.expression import (
    Expression,
    MissingValueStrategy,
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

CODE_PATTERN = re.compile(r"[A-Z][A-Z0-9_]{0,49}")


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
