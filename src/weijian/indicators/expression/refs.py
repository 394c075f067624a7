"""Operands of an expression: the things the analytics engine must fetch a value for.

Each is a small frozen dataclass, hashable, so a set of them (from many expressions) can be
turned into one aggregation query and the answers handed back as `{ref: value}`.
"""

from dataclasses import dataclass
from enum import StrEnum


class ReportingMetric(StrEnum):
    """DHIS2 reporting-rate metrics, spelt as DHIS2 spells them inside `R{form.METRIC}`."""

    REPORTING_RATE = "REPORTING_RATE"
    REPORTING_RATE_ON_TIME = "REPORTING_RATE_ON_TIME"
    ACTUAL_REPORTS = "ACTUAL_REPORTS"
    ACTUAL_REPORTS_ON_TIME = "ACTUAL_REPORTS_ON_TIME"
    EXPECTED_REPORTS = "EXPECTED_REPORTS"

    @property
    def label(self) -> str:
        return METRIC_LABELS[self]


METRIC_LABELS: dict[ReportingMetric, str] = {
    ReportingMetric.REPORTING_RATE: "上报率",
    ReportingMetric.REPORTING_RATE_ON_TIME: "及时上报率",
    ReportingMetric.ACTUAL_REPORTS: "实报数",
    ReportingMetric.ACTUAL_REPORTS_ON_TIME: "按时实报数",
    ReportingMetric.EXPECTED_REPORTS: "应报数",
}


@dataclass(frozen=True, slots=True)
class ElementRef:
    """`#{CODE}` (total over all options) or `#{CODE.OPTION}` (one disaggregation option)."""

    code: str
    option_code: str | None = None

    def to_text(self) -> str:
        if self.option_code is None:
            return f"#{{{self.code}}}"
        return f"#{{{self.code}.{self.option_code}}}"


@dataclass(frozen=True, slots=True)
class ConstantRef:
    """`C{CODE}`: a named constant (e.g. days in a year, a population denominator)."""

    code: str

    def to_text(self) -> str:
        return f"C{{{self.code}}}"


@dataclass(frozen=True, slots=True)
class IndicatorRef:
    """`N{CODE}`: the value of another indicator for the same unit and period."""

    code: str

    def to_text(self) -> str:
        return f"N{{{self.code}}}"


@dataclass(frozen=True, slots=True)
class ReportingRef:
    """`R{FORM.METRIC}`: a reporting-completeness figure of a form (数据集)."""

    form_code: str
    metric: ReportingMetric

    def to_text(self) -> str:
        return f"R{{{self.form_code}.{self.metric.value}}}"


@dataclass(frozen=True, slots=True)
class GroupCountRef:
    """`OUG{GROUP}`: how many org units of the group lie in the unit being computed."""

    group_code: str

    def to_text(self) -> str:
        return f"OUG{{{self.group_code}}}"


Ref = ElementRef | ConstantRef | IndicatorRef | ReportingRef | GroupCountRef

# DHIS2 counts only "dimensional items" when it applies a missing-value strategy: data
# elements, indicators and reporting rates. Constants and group counts are facts the engine
# always knows, so they never make an expression "missing" and are never replaced by 0.
DATA_ITEM_TYPES = (ElementRef, IndicatorRef, ReportingRef)


def is_data_item(ref: Ref) -> bool:
    return isinstance(ref, DATA_ITEM_TYPES)
