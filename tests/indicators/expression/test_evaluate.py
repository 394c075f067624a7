"""Evaluation: exact decimals, precedence, functions, DHIS2 missing-value strategies."""

from decimal import Decimal

import pytest

from weijian.indicators.expression import (
    ConstantRef,
    ElementRef,
    GroupCountRef,
    IndicatorRef,
    MissingValueStrategy,
    ReportingMetric,
    ReportingRef,
    parse,
)

NEVER = MissingValueStrategy.NEVER_SKIP
ANY = MissingValueStrategy.SKIP_IF_ANY_VALUE_MISSING
ALL = MissingValueStrategy.SKIP_IF_ALL_VALUES_MISSING
A, B, C = ElementRef("A"), ElementRef("B"), ElementRef("C")


def value(text, values=None, missing=NEVER):
    return parse(text).evaluate(values or {}, missing)


# (expression, exact result): the arithmetic is in the comment where it is not obvious.
ARITHMETIC = [
    ("1 + 2 * 3", "7"),  # * before +
    ("(1 + 2) * 3", "9"),
    ("2 - 3 - 4", "-5"),  # (2-3)-4, not 2-(3-4) = 3
    ("8 / 4 / 2", "1"),  # (8/4)/2, not 8/(4/2) = 4
    ("2 ^ 3 ^ 2", "512"),  # 2^(3^2) = 2^9, not (2^3)^2 = 64
    ("(2 ^ 3) ^ 2", "64"),
    ("-2 ^ 2", "-4"),  # -(2^2)
    ("(-2) ^ 2", "4"),
    ("2 ^ -1", "0.5"),
    ("2 ^ 3 * 2", "16"),  # (2^3)*2
    ("2 * -3", "-6"),
    ("- -2", "2"),
    ("+-2", "-2"),
    ("7 % 3 * 2", "2"),  # (7%3)*2 = 1*2
    ("-7 % 3", "-1"),  # (-7)%3, sign of the dividend, as Java's % in DHIS2
    ("7.5 % 2", "1.5"),
    ("0.1 + 0.2", "0.3"),  # exact: no binary floating point
    ("1.1 * 1.1", "1.21"),
    ("1e3 + 1", "1001"),
    ("1.5e-1", "0.15"),
    ("4 ^ 0.5", "2"),  # fractional exponents are computed in Decimal too
    ("0 ^ 0", "1"),  # as Java's Math.pow
    ("10 / 4", "2.5"),
    ("1 / 8", "0.125"),
]


@pytest.mark.parametrize(("text", "expected"), ARITHMETIC)
def test_arithmetic_is_exact(text, expected):
    result = value(text)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)


def test_one_third_has_34_significant_digits():
    assert value("1 / 3") == Decimal("0." + "3" * 34)


# Comparisons give booleans; evaluate() returns them as 1 or 0.
LOGIC = [
    ("1 + 2 > 2", 1),  # (1+2) > 2
    ("1 < 2 == 2 < 3", 1),  # (1<2) == (2<3): < binds tighter than ==
    ("2 >= 2", 1),
    ("2 <= 1", 0),
    ("2 != 2", 0),
    ("2 == 2.0", 1),
    ("1 || 0 && 0", 1),  # 1 || (0 && 0); left to right would give (1||0) && 0 = 0
    ("!0 + 1", 2),  # (!0) + 1 = true + 1: prefix ! binds tighter than +
    ("not 1 > 0", 0),  # (not 1) > 0 = false > 0 = 0 > 0
    ("(3 > 2) + (2 > 3) * 5", 1),  # true + false*5 = 1 + 0
    ("true * 7", 7),
    ("-true", -1),
    ("false", 0),
    ("3 and 0.5", 1),  # non-zero numbers are true
    ("0 or 0", 0),
]


@pytest.mark.parametrize(("text", "expected"), LOGIC)
def test_comparisons_and_logic(text, expected):
    assert value(text) == expected


def test_three_valued_logic_with_no_value():
    # 1/0 has no value; a known false decides &&, a known true decides ||.
    assert value("0 && 1/0") == 0
    assert value("1/0 && 0") == 0
    assert value("1 || 1/0") == 1
    assert value("1 && 1/0") is None
    assert value("0 || 1/0") is None
    assert value("!(1/0)") is None
    assert value("1/0 > 1") is None


@pytest.mark.parametrize(
    "text",
    [
        "1 / 0",
        "#{A} / #{B}",  # B = 0 below
        "1 + 1 / 0",  # no value propagates
        "(1 / 0) * 0",  # even multiplied by zero
        "5 % 0",
        "0 ^ -1",  # 1/0 in disguise
        "(-8) ^ 0.5",  # no real root
        "(#{A} + 9) ^ (#{A} * 10000000)",  # 10^10000000: beyond Decimal's exponent range
        "(#{A} + 1) ^ (#{A} * 999999)",  # 2^999999 ≈ 4.95E+301029: a finite Decimal, too big
        "#{A} * 10 ^ 24 * 10",  # 1E+25: the first magnitude out of range
        "(#{A} * 10 ^ 24) * (#{A} * 10 ^ 24) / 10 ^ 24",  # 1E+48 on the way spoils the 1E+24
        "greatest(1 / 0)",
        "if(1 / 0 > 1, 1, 2)",  # an unknown condition chooses nothing
    ],
)
def test_no_value_instead_of_exceptions_or_infinity(text):
    for missing in (NEVER, ANY, ALL):
        assert value(text, {A: 1, B: 0}, missing) is None


def test_the_range_ends_just_below_ten_to_the_25():
    # Every rounding later on (up to 10 decimals) stays exact inside it: 25 + 10 < 60 digits.
    assert value("#{A} * 10 ^ 24", {A: 9}) == Decimal("9E+24")
    assert value("-#{A} * 10 ^ 24", {A: 9}) == Decimal("-9E+24")
    assert value("2 ^ 83", {}) == Decimal(2**83)  # 9.67E+24, exact
    assert value("#{A} ^ 84", {A: 2}) is None  # 1.93E+25


def test_if_evaluates_only_the_chosen_branch():
    assert value("if(1 > 0, 5, 1 / 0)") == 5
    assert value("if(#{A}, 10, 20)", {A: 0}) == 20  # 0 is false
    assert value("if(#{A}, 10, 20)", {A: 3}) == 10
    assert value("if(#{A} >= 100, #{A} - 100, 0)", {A: 130}) == 30


def test_greatest_and_least_ignore_arguments_without_value():
    values = {A: 5, B: -2}
    assert value("greatest(#{A}, #{B}, 3)", values) == 5
    assert value("least(#{A}, #{B}, 3)", values) == -2
    assert value("greatest(#{A}, 1 / 0)", values) == 5  # 1/0 skipped, like SQL GREATEST
    assert value("least(7)") == 7
    assert value("greatest(2 > 1, 0.5)") == 1  # true counts as 1


class TestMissingValueStrategies:
    """#{A} + #{B} under each strategy (reference-systems.md §1.3)."""

    def test_all_present(self):
        for missing in (NEVER, ANY, ALL):
            assert value("#{A} + #{B}", {A: 5, B: 7}, missing) == 12

    def test_one_missing(self):
        values = {A: 5}  # B absent
        assert value("#{A} + #{B}", values, NEVER) == 5  # 5 + 0
        assert value("#{A} + #{B}", values, ANY) is None
        assert value("#{A} + #{B}", values, ALL) == 5  # not all missing: B counts as 0

    def test_all_missing(self):
        assert value("#{A} + #{B}", {}, NEVER) == 0  # 0 + 0
        assert value("#{A} + #{B}", {}, ANY) is None
        assert value("#{A} + #{B}", {}, ALL) is None

    def test_explicit_none_nan_and_infinity_are_missing(self):
        for absent in (None, float("nan"), float("inf"), Decimal("NaN")):
            assert value("#{A} + #{B}", {A: 5, B: absent}, ANY) is None
            assert value("#{A} + #{B}", {A: 5, B: absent}, ALL) == 5

    def test_a_reported_zero_is_not_missing(self):
        assert value("#{A} + #{B}", {A: 5, B: 0}, ANY) == 5
        assert value("#{A}", {A: 0}, ALL) == 0

    def test_default_is_skip_if_all_values_missing(self):
        assert parse("#{A} + #{B}").evaluate({A: 5}) == 5
        assert parse("#{A} + #{B}").evaluate({}) is None

    def test_the_same_item_twice_counts_once(self):
        assert value("#{A} + #{A} + #{B}", {B: 1}, ALL) == 1  # 0 + 0 + 1

    def test_indicators_and_reporting_rates_are_data_items(self):
        rate = ReportingRef("F", ReportingMetric.REPORTING_RATE)
        text = "N{X} + R{F.REPORTING_RATE}"
        assert value(text, {IndicatorRef("X"): 2}, ANY) is None
        assert value(text, {IndicatorRef("X"): 2}, ALL) == 2
        assert value(text, {rate: 95}, ALL) == 95
        assert value(text, {}, ALL) is None

    def test_constants_and_group_counts_do_not_count_as_data(self):
        # DHIS2 counts only dimensional items: with A missing, A × K has no value under
        # SKIP_IF_ALL (the constant alone does not make the expression "reported").
        k, g = ConstantRef("K"), GroupCountRef("G")
        assert value("#{A} * C{K}", {k: 100}, ALL) is None
        assert value("#{A} * C{K}", {k: 100}, NEVER) == 0
        assert value("#{A} + OUG{G}", {g: 12}, ALL) is None
        # An expression without data items always has a value.
        assert value("C{K} * 2", {k: 100}, ALL) == 200
        assert value("OUG{G}", {g: 12}, ANY) == 12

    def test_an_unsupplied_constant_is_never_taken_as_zero(self):
        # The engine must supply constants; if it does not, no number is better than a wrong one.
        assert value("#{A} + C{K}", {A: 5}, NEVER) is None
        assert value("OUG{G} * 2", {}, NEVER) is None


class TestIsNull:
    def test_isnull_sees_the_raw_missing_value(self):
        # Under NEVER_SKIP A counts as 0 in arithmetic, yet isNull still sees "not reported".
        assert value("isNull(#{A})", {}, NEVER) == 1
        assert value("isNull(#{A})", {A: 0}, NEVER) == 0  # a reported 0 is a value
        assert value("isNotNull(#{A})", {}, NEVER) == 0
        assert value("isNotNull(#{A})", {A: 0}, NEVER) == 1

    def test_isnull_chooses_a_fallback(self):
        # B reported, A not: SKIP_IF_ALL evaluates (not all missing); isNull(A) is true.
        # If missing items were replaced by 0 before isNull, the result would be A = 0.
        text = "if(isNull(#{A}), #{B}, #{A})"
        assert value(text, {B: 42}, ALL) == 42
        assert value(text, {A: 7, B: 42}, ALL) == 7

    def test_isnull_alone_under_skip_if_all_has_no_value(self):
        # As in DHIS2: the only item is missing, so the whole expression is skipped;
        # use NEVER_SKIP for rules that test for missing data.
        assert value("if(isNull(#{A}), 1, 0)", {}, ALL) is None
        assert value("if(isNull(#{A}), 1, 0)", {}, NEVER) == 1

    def test_isnull_of_an_expression(self):
        assert value("isNull(#{A} + #{B})", {A: 1}, NEVER) == 1  # raw: 1 + missing = missing
        assert value("isNull(#{A} + #{B})", {A: 1, B: 2}, NEVER) == 0
        assert value("isNull(1 / 0)") == 1

    def test_first_non_null_takes_the_first_reported_value(self):
        assert value("firstNonNull(#{A}, #{B}, 7)", {B: 0}, NEVER) == 0  # B's 0 is reported
        assert value("firstNonNull(#{A}, #{B}, 7)", {}, NEVER) == 7
        assert value("firstNonNull(#{A}, #{B}, 7)", {A: 3, B: 4}, NEVER) == 3
        # All missing: under a substituting strategy it is a missing item, i.e. 0.
        assert value("firstNonNull(#{A}, #{B}) + 1", {C: 5}, NEVER) == 1
        assert value("isNull(firstNonNull(#{A}, #{B}))", {}, NEVER) == 1


class TestSuppliedValues:
    def test_ints_floats_and_decimals(self):
        assert value("#{A} + #{B}", {A: 0.1, B: 0.2}) == Decimal("0.3")  # floats via repr
        assert value("#{A} * #{B}", {A: 3, B: Decimal("2.5")}) == Decimal("7.5")

    def test_a_result_is_always_a_decimal(self):
        assert isinstance(value("#{A}", {A: 3}), Decimal)
        assert isinstance(value("1 > 0"), Decimal)

    def test_a_string_is_a_programming_error(self):
        with pytest.raises(TypeError, match="#{A}"):
            value("#{A}", {A: "12"})

    def test_options_are_separate_operands(self):
        values = {ElementRef("OPD"): 100, ElementRef("OPD", "MALE"): 45}
        # 100 - 45 = 55 female (and unknown) visits.
        assert value("#{OPD} - #{OPD.MALE}", values) == 55


def test_strategy_by_its_dhis2_name():
    # Metadata stores the strategy as text; a string must not silently mean NEVER_SKIP.
    assert value("#{A} + #{B}", {A: 5}, "SKIP_IF_ANY_VALUE_MISSING") is None
    assert value("#{A} + #{B}", {}, "SKIP_IF_ALL_VALUES_MISSING") is None
    assert value("#{A} + #{B}", {}, "NEVER_SKIP") == 0
    with pytest.raises(ValueError):
        value("#{A}", {}, "SKIP_SOMETIMES")


def test_programmatic_numbers_are_decimals():
    from weijian.indicators.expression.nodes import Number

    assert isinstance(Number(2).value, Decimal)
    assert Number(0.1).value == Decimal("0.1")


def test_evaluate_ordered_takes_values_aligned_with_ordered_items():
    expression = parse("(#{A} + #{B.M}) * C{K} / N{X}")
    assert expression.ordered_items() == (
        A,
        ElementRef("B", "M"),
        ConstantRef("K"),
        IndicatorRef("X"),
    )
    # (2 + 0) × 10 ÷ 4 = 5, B.M missing and counted as 0 (SKIP_IF_ALL: A is present).
    assert expression.evaluate_ordered([2, None, 10, 4]) == 5
    assert expression.evaluate({A: 2, ConstantRef("K"): 10, IndicatorRef("X"): 4}) == 5
    assert expression.evaluate_ordered([None, None, 10, None]) is None  # all data missing
    with pytest.raises(ValueError):
        expression.evaluate_ordered([1, 2])


def test_expressions_can_be_pickled_and_copied():
    # The engine may keep parsed expressions in a cache; the compiled form is rebuilt.
    import copy
    import pickle

    expression = parse("if(isNull(#{A}), #{B} * 2, greatest(#{A}, C{K}))")
    values = {B: 21, ConstantRef("K"): 1}
    for clone in (pickle.loads(pickle.dumps(expression)), copy.deepcopy(expression)):
        assert clone == expression
        assert clone.items() == expression.items()
        assert clone.evaluate(values) == 42  # A missing: B × 2 = 21 × 2
