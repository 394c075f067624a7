"""Checking one typed-in value against its data element (type, range). No database access."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .models import DataElement, ValueType

TRUE_WORDS = {"1", "是", "true", "yes", "y", "√", "有"}
FALSE_WORDS = {"0", "否", "false", "no", "n", "×", "无"}


class ValueProblem(ValueError):
    """A value the element cannot take; str() is the Chinese message for the user."""


@dataclass(frozen=True)
class CleanValue:
    text: str  # canonical text stored in DataValue.value
    number: Decimal | None  # for SQL aggregation; None for text


def clean_value(element: DataElement, raw) -> CleanValue | None:
    """The canonical value, None for an empty cell, or ValueProblem with the reason."""
    if raw is None:
        return None
    text = str(raw).strip()
    if text == "":
        return None
    if element.value_type == ValueType.TEXT:
        if len(text) > 1000:
            raise ValueProblem("文本过长（最多 1000 字）")
        return CleanValue(text, None)
    if element.value_type == ValueType.BOOLEAN:
        return _clean_boolean(text)
    number = _parse_number(text)
    _check_type(element.value_type, number)
    _check_range(element, number)
    canonical = format(number.normalize(), "f") if number != 0 else "0"
    return CleanValue(canonical, Decimal(canonical))


def _clean_boolean(text: str) -> CleanValue:
    lowered = text.lower()
    if lowered in TRUE_WORDS:
        return CleanValue("1", Decimal(1))
    if lowered in FALSE_WORDS:
        return CleanValue("0", Decimal(0))
    raise ValueProblem(f"“{text}”不是“是/否”，请填 是 或 否")


def _parse_number(text: str) -> Decimal:
    # People paste figures with thousands separators or full-width digits from Word.
    normalised = text.replace(",", "").replace("，", "").translate(_FULL_WIDTH)
    try:
        number = Decimal(normalised)
    except InvalidOperation:
        raise ValueProblem(f"“{text}”不是数字") from None
    if not number.is_finite():
        raise ValueProblem(f"“{text}”不是数字")
    if abs(number) >= Decimal("1e14"):
        raise ValueProblem(f"“{text}”数值过大")
    return number


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")


def _check_type(value_type: str, number: Decimal) -> None:
    is_integer = number == number.to_integral_value()
    if value_type == ValueType.INTEGER_ZERO_OR_POSITIVE:
        if not is_integer:
            raise ValueProblem(f"应为整数，不能填 {number}")
        if number < 0:
            raise ValueProblem(f"不能为负数（填了 {number}）")
    elif value_type == ValueType.INTEGER:
        if not is_integer:
            raise ValueProblem(f"应为整数，不能填 {number}")
    elif value_type == ValueType.PERCENTAGE and not (0 <= number <= 100):
        raise ValueProblem(f"百分比应在 0 到 100 之间（填了 {number}）")
    elif number.normalize().as_tuple().exponent < -6:
        raise ValueProblem("小数位数过多（最多 6 位）")


def _check_range(element: DataElement, number: Decimal) -> None:
    if element.min_value is not None and number < element.min_value:
        raise ValueProblem(f"不能小于 {_plain(element.min_value)}（填了 {_plain(number)}）")
    if element.max_value is not None and number > element.max_value:
        raise ValueProblem(f"不能大于 {_plain(element.max_value)}（填了 {_plain(number)}）")


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f") if number != 0 else "0"
