"""The indicator expression language: DHIS2 syntax with codes (layer 1: no Django).

Typical use by the analytics engine:

    numerator, denominator = parse("#{DDD_SUM}"), parse("#{BED_DAYS}")
    wanted = numerator.items() | denominator.items()        # one query for all operands
    values = {ElementRef("DDD_SUM"): Decimal("1234.5"), ElementRef("BED_DAYS"): 3087}
    compute_indicator(numerator, denominator, 100, values)  # Decimal("39.99028…")
    numerator.describe(names_from(elements={"DDD_SUM": "抗菌药物消耗量"}))

Grammar and precedence: grammar.py. Missing values and arithmetic: evaluate.py.
"""

from .cycles import check_no_cycles
from .errors import CycleError, ExpressionError
from .evaluate import MissingValueStrategy
from .expr import Expression, compute_indicator
from .functions import FUNCTIONS
from .parser import parse
from .refs import (
    METRIC_LABELS,
    ConstantRef,
    ElementRef,
    GroupCountRef,
    IndicatorRef,
    Ref,
    ReportingMetric,
    ReportingRef,
    is_data_item,
)
from .render import describe_ref, names_from

__all__ = [
    "FUNCTIONS",
    "METRIC_LABELS",
    "ConstantRef",
    "CycleError",
    "ElementRef",
    "Expression",
    "ExpressionError",
    "GroupCountRef",
    "IndicatorRef",
    "MissingValueStrategy",
    "Ref",
    "ReportingMetric",
    "ReportingRef",
    "check_no_cycles",
    "compute_indicator",
    "describe_ref",
    "is_data_item",
    "names_from",
    "parse",
]
