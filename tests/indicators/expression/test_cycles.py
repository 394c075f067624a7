"""check_no_cycles: indicators that use each other through N{…} must not loop."""

import pytest

from weijian.indicators.expression import CycleError, ExpressionError, check_no_cycles, parse


def definitions(**texts):
    """code → [numerator, denominator] from "numerator | denominator" strings."""
    return {code: [parse(part) for part in text.split("|")] for code, text in texts.items()}


def test_no_references_no_cycle():
    check_no_cycles(definitions(A="#{X} | #{Y}", B="#{Y} | 1"))


def test_a_chain_and_a_diamond_are_fine():
    # A uses B and C, both use D: D is reached twice but there is no loop.
    check_no_cycles(definitions(A="N{B} + N{C} | 1", B="N{D} | 1", C="1 | N{D}", D="#{X} | 1"))


def test_two_indicators_using_each_other():
    with pytest.raises(CycleError) as caught:
        check_no_cycles(definitions(A="N{B} | 1", B="#{X} | N{A}"))
    assert caught.value.cycle == ("A", "B", "A")
    assert caught.value.message == "指标引用形成循环：A → B → A"


def test_self_reference():
    with pytest.raises(CycleError, match="指标引用形成循环：BOR → BOR"):
        check_no_cycles(definitions(BOR="N{BOR} * 100 | #{BEDS}"))


def test_a_longer_loop_reached_from_outside():
    # START → A → B → C → A: the message names the loop, not the way in.
    defs = definitions(START="N{A} | 1", A="N{B} | 1", B="1 | N{C}", C="if(1, N{A}, 0) | 1")
    with pytest.raises(CycleError) as caught:
        check_no_cycles(defs)
    assert caught.value.cycle == ("A", "B", "C", "A")


def test_the_reported_cycle_is_the_same_whatever_the_dict_order():
    first = definitions(B="N{A} | 1", A="N{B} | 1")
    second = dict(reversed(list(first.items())))
    messages = set()
    for defs in (first, second):
        with pytest.raises(CycleError) as caught:
            check_no_cycles(defs)
        messages.add(caught.value.message)
    assert messages == {"指标引用形成循环：A → B → A"}


def test_unknown_indicators_are_left_to_the_resolver():
    check_no_cycles(definitions(A="N{MISSING} | 1"))


def test_missing_denominators_are_skipped():
    check_no_cycles({"A": [parse("N{B}"), None], "B": [parse("1"), None]})


def test_a_very_long_chain_has_no_recursion_limit():
    defs = {f"I{i}": [parse(f"N{{I{i + 1}}}")] for i in range(3000)}
    check_no_cycles(defs)
    defs["I3000"] = [parse("N{I0}")]
    with pytest.raises(CycleError) as caught:
        check_no_cycles(defs)
    assert len(caught.value.cycle) == 3002


def test_a_cycle_error_is_an_expression_error_without_a_column():
    with pytest.raises(ExpressionError) as caught:
        check_no_cycles(definitions(A="N{A} | 1"))
    assert caught.value.column is None
    assert caught.value.headline == caught.value.message
