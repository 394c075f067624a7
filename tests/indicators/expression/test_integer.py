"""The integer evaluator (expression/integer.py) gives the Decimal evaluator's answers, digit
for digit and exponent for exponent: hand-computed cases first (sums, differences, ×100 and
×1000 ratios, zero denominators, negatives, missing operands, the exponent of zero), then
random sums, differences and products checked against evaluate() and scaled_ratio() cell by
cell. Where it cannot be exact (a division inside a side, a function, a negative zero, an
int64 overflow) it says so (Inexact) rather than answer."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weijian.indicators.expression import integer, parse
from weijian.indicators.expression.evaluate import scaled_ratio

SKIP_IF_ALL = "SKIP_IF_ALL_VALUES_MISSING"


def element(*values):
    """An element column as the rollups give it: int64 millionths, None where absent."""
    micros = [0 if v is None else int(Decimal(v) * 10**6) for v in values]
    return integer.column(micros, -6, [v is not None for v in values])


def decimal_of(value):
    """The Decimal the object path holds for an element value: micros × 10^-6."""
    return None if value is None else Decimal(int(Decimal(value) * 10**6)).scaleb(-6)


def side(text, columns, size):
    expression = parse(text)
    return integer.run(expression.root, expression.ordered_items(), columns, size, SKIP_IF_ALL)


def values_of(column):
    return [repr(v) if p else None for v, p in zip(*column, strict=True)]


def shown(column):
    """A side's cells as the Decimal evaluator prints them, None where it has no value."""
    return [
        repr(v) if p else None for v, p in zip(integer.to_decimals(column), column[2], strict=True)
    ]


def ratio(top, bottom, factor, size):
    return values_of(integer.scaled_ratio(top, bottom, Decimal(factor), np.ones(size, dtype=bool)))


def test_sum_and_difference_keep_six_places_and_skip_cells_with_nothing():
    a, b = element("1.5", None, None, "-2"), element("2.25", "4", None, "0.5")
    total = side("#{A} + #{B}", [a, b], 4)
    # 1.5 + 2.25 = 3.75; 0 + 4 = 4 (a missing A is 0, kept six places by B); nothing: none;
    # -2 + 0.5 = -1.5.
    assert shown(total) == [
        "Decimal('3.750000')",
        "Decimal('4.000000')",
        None,
        "Decimal('-1.500000')",
    ]
    difference = side("#{A} - #{B}", [a, b], 4)
    # 1.5 - 2.25 = -0.75; 0 - 4 = -4; none; -2 - 0.5 = -2.5
    assert shown(difference) == [
        "Decimal('-0.750000')",
        "Decimal('-4.000000')",
        None,
        "Decimal('-2.500000')",
    ]


def test_percent_and_per_mille_ratios():
    top, bottom = element("3", "1", "-2", "7"), element("8", "3", "4", "7")
    # 3 × 100 ÷ 8 = 37.5 exactly (one place: the ideal exponent 0 cannot hold it);
    # 1 × 100 ÷ 3 = 33.33… to 34 digits; -2 × 100 ÷ 4 = -50 and 7 × 100 ÷ 7 = 100, both
    # exact at the ideal exponent -6 - (-6) = 0.
    assert ratio(top, bottom, 100, 4) == [
        "Decimal('37.5')",
        "Decimal('33.33333333333333333333333333333333')",
        "Decimal('-50')",
        "Decimal('100')",
    ]
    # 1 × 1000 ÷ 3 = 333.33… (34 digits), 3 × 1000 ÷ 8 = 375
    assert ratio(element("1", "3"), element("3", "8"), 1000, 2) == [
        "Decimal('333.3333333333333333333333333333333')",
        "Decimal('375')",
    ]


def test_zero_or_missing_denominator_or_numerator_gives_no_value():
    top, bottom = element("5", "5", None, "0"), element("0", None, "2", "2")
    # ÷ 0: none; denominator missing: none; numerator missing: none; 0 ÷ 2 = 0.
    assert ratio(top, bottom, 100, 4) == [None, None, None, "Decimal('0')"]


def test_the_exponent_of_zero_and_of_exact_quotients_follows_the_operands():
    size = 1
    # C{K} = 0.00 (exponent -2) × 100 ÷ 2.000000 (exponent -6): 0 with exponent -2 + 6 = 4.
    zero = integer.constant(Decimal("0.00"), size)
    assert ratio(zero, element("2"), 100, size) == ["Decimal('0E+4')"]
    # A report count (R{…}, exponent 0) of 2: × 100 = 200 ÷ 4.000000 is exactly 50 at the
    # ideal exponent 0 - (-6) = 6, as near as 50 allows: 5E+1.
    reports = integer.column([2], 0, [True])
    assert ratio(reports, element("4"), 100, size) == ["Decimal('5E+1')"]
    # A missing #{B} is Decimal(0) (exponent 0), so #{A} + #{B} with A = 0.000000 is 0E-6,
    # and 0E-6 × 100 ÷ 5 (a count, exponent 0) is 0E-6, printed 0.000000.
    top = side("#{A} + #{B}", [element("0"), element(None)], size)
    assert ratio(top, integer.column([5], 0, [True]), 100, size) == ["Decimal('0.000000')"]
    # Zero over a negative denominator is a negative zero, as Decimal's: 0 ÷ -4 = -0.
    assert ratio(element("0"), element("-4"), 100, size) == ["Decimal('-0')"]


def test_integer_multiples_and_constants_multiply_exactly():
    a = element("12.5", None)
    # 12.5 × 10000 = 125000.0000000 (coefficient 12 500 000 × 10 000, exponent -6);
    # missing A: 0 × 10000 = 0 (exponent 0 + 0).
    product = side("#{A} * 10000", [a], 2)
    assert [repr(v) for v in integer.to_decimals(product)] == [
        "Decimal('125000.000000')",
        "Decimal('0')",
    ]
    assert product[2].tolist() == [True, False]
    # × 0.5 (coefficient 5, exponent -1): 12.5 × 0.5 = 6.25, seven places.
    half = side("#{A} * 0.5", [a], 2)
    assert repr(integer.to_decimals(half)[0]) == "Decimal('6.2500000')"


@pytest.mark.parametrize(
    "text",
    ["#{A} / #{B}", "if(#{A} > 0, #{A}, 0)", "#{A} % 2", "!#{A}", "#{A} == #{B}", "#{A} ^ 2"],
)
def test_what_is_not_exact_in_integers_is_refused(text):
    columns = [element("1"), element("2")][: len(parse(text).ordered_items())]
    with pytest.raises(integer.Inexact):
        side(text, columns, 1)


def test_a_negative_zero_product_is_refused():
    # Decimal: 0.000000 × -1 = -0E-6, a sign an integer 0 cannot carry.
    with pytest.raises(integer.Inexact):
        side("#{A} * -1", [element("0")], 1)
    with pytest.raises(integer.Inexact):
        integer.scaled_ratio(element("0"), element("1"), Decimal(-1), np.ones(1, bool))


def test_an_operand_without_an_integer_column_is_refused():
    with pytest.raises(integer.Inexact):
        side("#{A} + #{B}", [element("1"), None], 1)


def test_int64_overflow_is_refused_not_wrapped():
    big = integer.column([2**61], -6, [True])
    with pytest.raises(integer.Inexact):
        side("#{A} * 4", [big], 1)  # 2^63: past int64
    count = integer.column([2**61], 0, [True])
    with pytest.raises(integer.Inexact):
        side("R{F.ACTUAL_REPORTS} + #{A}", [count, element("1")], 1)  # 2^61 × 10^6 to add
    with pytest.raises(integer.Inexact):
        integer.column([2**62], -6, [True])


def test_a_ratio_past_decimal_range_is_refused():
    # 10^18 (coefficient 10^24, exponent -6) × 10^7 = 10^25: past the context's Emax of 24,
    # where the object path says "no value" for the overflow.
    huge = integer.column([10**18], 0, [True])
    with pytest.raises(integer.Inexact):
        integer.scaled_ratio(huge, element("1"), Decimal(10**7), np.ones(1, bool))


# Random sums, differences and integer multiples of element values, each cell checked
# against the Decimal evaluator and scaled_ratio().
VALUE = st.one_of(
    st.none(),
    st.decimals(
        min_value=-(10**9), max_value=10**9, places=6, allow_nan=False, allow_infinity=False
    ),
)
LEAF = st.sampled_from(["#{A}", "#{B}", "#{C}", "2", "100", "0.5", "C{K}"])


def _combine(children):
    return st.tuples(children, st.sampled_from(["+", "-", "*"]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )


TEXTS = st.recursive(LEAF, _combine, max_leaves=5)


@settings(max_examples=150, deadline=None)
@given(
    top_text=TEXTS,
    bottom_text=TEXTS,
    cells=st.lists(st.tuples(VALUE, VALUE, VALUE), min_size=1, max_size=6),
    factor=st.sampled_from([1, 100, 1000, 10000]),
)
def test_random_sides_and_ratios_equal_the_decimal_evaluator(top_text, bottom_text, cells, factor):
    top_expression, bottom_expression = parse(top_text), parse(bottom_text)
    constant = Decimal("2.5")
    by_ref = {f"#{{{name}}}": i for i, name in enumerate("ABC")}
    size = len(cells)

    def columns_for(expression):
        out = []
        for ref in expression.ordered_items():
            text = ref.to_text()
            if text == "C{K}":
                out.append(integer.constant(constant, size))
            else:
                out.append(element(*(cell[by_ref[text]] for cell in cells)))
        return out

    def decimal_side(expression, cell):
        supplied = {}
        for ref in expression.ordered_items():
            text = ref.to_text()
            supplied[ref] = constant if text == "C{K}" else decimal_of(cell[by_ref[text]])
        return expression.evaluate(supplied)

    try:
        top = side(top_text, columns_for(top_expression), size)
        bottom = side(bottom_text, columns_for(bottom_expression), size)
        got = ratio(top, bottom, factor, size)
    except integer.Inexact:
        return  # refused: the object path answers (never a wrong number)
    expected = []
    for cell in cells:
        value = scaled_ratio(
            decimal_side(top_expression, cell), decimal_side(bottom_expression, cell), factor
        )
        expected.append(None if value is None else repr(value))
    assert got == expected
    # The numerator itself, in every cell that has it, as the Decimal evaluator's.
    sides = zip(integer.to_decimals(top), top[2], cells, strict=True)
    for value, present, cell in sides:
        expected_side = decimal_side(top_expression, cell)
        assert (repr(value) if present else None) == (
            None if expected_side is None else repr(expected_side)
        )
