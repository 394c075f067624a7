"""The indicator catalogue as users read it: definitions in words, with citations."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from weijian.orgs.models import OrgUnitGroup
from weijian.reporting.models import CategoryOption, DataElement, Form

from .expression import ExpressionError, names_from
from .models import Constant, Indicator


@dataclass(frozen=True)
class Entry:
    indicator: Indicator
    numerator_in_words: str
    denominator_in_words: str
    problem: str  # a broken expression, or operands the system does not know


def catalogue() -> list[tuple[str, list[Entry]]]:
    """(group, entries) in catalogue order; a fixed number of queries."""
    names = names_from(
        elements=dict(DataElement.objects.values_list("code", "name")),
        options=dict(CategoryOption.objects.values_list("code", "name")),
        constants=dict(Constant.objects.values_list("code", "name")),
        indicators=dict(Indicator.objects.values_list("code", "name")),
        forms=dict(Form.objects.values_list("code", "name")),
        groups=dict(OrgUnitGroup.objects.values_list("code", "name")),
    )
    indicators = Indicator.objects.select_related("source").order_by("group", "code")
    entries = [_entry(indicator, names) for indicator in indicators]
    return [
        (group or "其他", list(items))
        for group, items in groupby(entries, key=lambda e: e.indicator.group)
    ]


def _entry(indicator: Indicator, names) -> Entry:
    try:
        numerator, denominator = indicator.parsed()
    except ExpressionError as exc:
        return Entry(indicator, indicator.numerator, indicator.denominator, exc.message)
    unknown = numerator.unknown_items(names) + denominator.unknown_items(names)
    problem = f"有 {len(unknown)} 个运算项在系统中不存在" if unknown else ""
    return Entry(indicator, numerator.describe(names), denominator.describe(names), problem)
