"""Validation rules (left side, operator, right side), run on submit and in bulk.

A side with no value skips the rule (DHIS2's behaviour), except for the pair operators:
compulsory_pair (both sides or neither) and exclusive_pair (never both).
"""

from __future__ import annotations

import operator as op
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from weijian import periods
from weijian.orgs.models import OrgUnit

from .analytics import expression_values
from .expression import ElementRef, MissingValueStrategy
from .expression import parse as parse_uncached
from .models import Importance, Operator, ValidationRule

# Rules are parsed on every entry page and every submission; their text rarely changes, and an
# Expression is immutable, so parsed rules are kept by text.
parse = lru_cache(maxsize=2048)(parse_uncached)

_COMPARE = {
    Operator.EQUAL_TO: op.eq,
    Operator.NOT_EQUAL_TO: op.ne,
    Operator.GREATER_THAN: op.gt,
    Operator.GREATER_THAN_OR_EQUAL_TO: op.ge,
    Operator.LESS_THAN: op.lt,
    Operator.LESS_THAN_OR_EQUAL_TO: op.le,
}


@dataclass(frozen=True)
class Violation:
    rule: ValidationRule
    org_unit: OrgUnit
    period: periods.Period
    left: Decimal | None
    right: Decimal | None

    @property
    def blocks_submission(self) -> bool:
        return self.rule.importance == Importance.HIGH

    @property
    def message(self) -> str:
        return (
            f"{self.rule.name}：左侧 {_show(self.left)}，右侧 {_show(self.right)}"
            f"（要求 左侧 {self.rule.get_operator_display()} 右侧）"
        )


def _show(value: Decimal | None) -> str:
    if value is None:
        return "无数据"
    text = format(value.quantize(Decimal("0.01")).normalize(), "f")
    return text


def is_violated(operator: str, left: Decimal | None, right: Decimal | None) -> bool:
    if operator == Operator.COMPULSORY_PAIR:
        return (left is None) != (right is None)
    if operator == Operator.EXCLUSIVE_PAIR:
        return left is not None and right is not None
    if left is None or right is None:
        return False
    return not _COMPARE[operator](left, right)


def rules_for_elements(element_codes: Iterable[str]) -> list[ValidationRule]:
    """The rules that read any of these elements (as DHIS2 ties rules to a data set)."""
    codes = set(element_codes)
    # The expressions first, as plain tuples: every entry page asks, and the library's rules
    # are mostly about other forms; only the related ones are loaded as models.
    related = [
        pk
        for pk, left, right in ValidationRule.objects.values_list("pk", "left", "right")
        if any(
            isinstance(r, ElementRef) and r.code in codes
            for r in parse(left).items() | parse(right).items()
        )
    ]
    return list(ValidationRule.objects.filter(pk__in=related)) if related else []


def run(
    rules: list[ValidationRule], units: list[OrgUnit], period_list: list[periods.Period]
) -> list[Violation]:
    """Every violation of the rules for the units and periods, highest importance first."""
    if not rules:
        return []
    violations = []
    by_strategy: dict[str, list[ValidationRule]] = {}
    for rule in rules:
        by_strategy.setdefault(rule.missing_value_strategy, []).append(rule)
    for strategy, group in by_strategy.items():
        expressions = {}
        for rule in group:
            expressions[(rule.pk, "L")] = parse(rule.left)
            expressions[(rule.pk, "R")] = parse(rule.right)
        # A rule checks what each unit itself reported, never the sum of its subtree.
        values = expression_values(
            expressions, units, period_list, MissingValueStrategy(strategy), subtree=False
        )
        for rule in group:
            for unit in units:
                for period in period_list:
                    left = values[((rule.pk, "L"), period.id, unit.code)]
                    right = values[((rule.pk, "R"), period.id, unit.code)]
                    if is_violated(rule.operator, left, right):
                        violations.append(Violation(rule, unit, period, left, right))
    order = {Importance.HIGH: 0, Importance.MEDIUM: 1, Importance.LOW: 2}
    violations.sort(key=lambda v: (order[v.rule.importance], v.org_unit.path, v.period.id))
    return violations


def check_submission(form, org_unit, period) -> list:
    """The submit check registered with reporting: this form's rules for this unit and month."""
    from weijian.reporting.checks import CheckResult

    codes = form.elements.values_list("code", flat=True)
    violations = run(rules_for_elements(codes), [org_unit], [period])
    return [CheckResult(v.message, v.blocks_submission) for v in violations]


def run_for_subtree(
    root: OrgUnit, period: periods.Period, rules: list[ValidationRule] | None = None
) -> list[Violation]:
    """Every violation in the units under `root` that hold data in the months of `period`."""
    from weijian.reporting.models import DataValue

    months = period.periods_within(periods.PeriodType.MONTHLY) or [period]
    unit_ids = (
        DataValue.objects.filter(
            org_unit__path__startswith=root.path,
            period__start_date__gte=period.start,
            period__end_date__lte=period.end,
        )
        .values_list("org_unit_id", flat=True)
        .distinct()
    )
    units = list(OrgUnit.objects.filter(pk__in=unit_ids).order_by("path"))
    return run(list(ValidationRule.objects.all()) if rules is None else rules, units, months)
