from decimal import Decimal

import pytest

from weijian.reporting.models import DataElement, ValueType
from weijian.reporting.values import ValueProblem, clean_value


def element(value_type=ValueType.INTEGER_ZERO_OR_POSITIVE, min_value=None, max_value=None):
    # Unsaved: clean_value needs no database.
    return DataElement(
        code="X", name="X", value_type=value_type, min_value=min_value, max_value=max_value
    )


def test_counts_accept_whole_non_negative_numbers_and_normalise_them():
    assert clean_value(element(), " 1,234 ").text == "1234"
    assert clean_value(element(), "１２").text == "12"  # full-width digits pasted from Word
    assert clean_value(element(), "0").number == Decimal(0)
    assert clean_value(element(), "") is None
    assert clean_value(element(), None) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-3", "不能为负数"),
        ("2.5", "应为整数"),
        ("十二", "不是数字"),
        ("NaN", "不是数字"),
        ("1e20", "数值过大"),
    ],
)
def test_counts_refuse_bad_input_with_a_reason(raw, message):
    with pytest.raises(ValueProblem, match=message):
        clean_value(element(), raw)


def test_ranges_and_types():
    assert clean_value(element(ValueType.NUMBER), "12.50").text == "12.5"
    assert clean_value(element(ValueType.INTEGER), "-4").text == "-4"
    with pytest.raises(ValueProblem, match="不能大于 100"):
        clean_value(element(max_value=Decimal(100)), "101")
    with pytest.raises(ValueProblem, match="不能小于 10"):
        clean_value(element(min_value=Decimal(10)), "9")
    with pytest.raises(ValueProblem, match="百分比"):
        clean_value(element(ValueType.PERCENTAGE), "120")
    assert clean_value(element(ValueType.BOOLEAN), "是").text == "1"
    assert clean_value(element(ValueType.BOOLEAN), "否").number == Decimal(0)
    with pytest.raises(ValueProblem, match="是/否"):
        clean_value(element(ValueType.BOOLEAN), "也许")
    assert clean_value(element(ValueType.TEXT), " 无特殊情况 ").text == "无特殊情况"


def test_trailing_zeros_do_not_count_as_decimal_places():
    assert clean_value(element(ValueType.NUMBER), "1.50000000").text == "1.5"
    with pytest.raises(ValueProblem, match="小数位数过多"):
        clean_value(element(ValueType.NUMBER), "1.0000001")
