"""evaluate_vector() (numpy columns, vector.py) gives exactly what evaluate() gives cell by
cell — the same Decimal, digit for digit and exponent for exponent — for hand-picked and for
random expressions over every operator and function, every missing-value strategy, missing
operands, zeros, negatives, ties and booleans."""

import itertools
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.indicators.expression.test_columns import EXPRESSIONS, VALUES
from weijian.indicators.expression import MissingValueStrategy, parse, vector


def per_cell_and_vector(expression, cells, missing):
    refs = expression.ordered_items()
    expected = [expression.evaluate(dict(zip(refs, cell, strict=True)), missing) for cell in cells]
    columns = [vector.column_of([cell[i] for cell in cells]) for i in range(len(refs))]
    got = vector.to_list(expression.evaluate_vector(columns, len(cells), missing))
    return [repr(v) for v in got], [repr(v) for v in expected]


@pytest.mark.parametrize("text", [*EXPRESSIONS, "#{A} % #{B}", "2 ^ #{A}", "-(#{A} > 1)"])
@pytest.mark.parametrize("missing", list(MissingValueStrategy))
def test_hand_picked_expressions(text, missing):
    expression = parse(text)
    refs = expression.ordered_items()
    rng = random.Random(text)
    cells = list(itertools.product(VALUES, repeat=len(refs))) if len(refs) <= 3 else []
    cells += [tuple(rng.choice(VALUES) for _ in refs) for _ in range(50)]
    got, expected = per_cell_and_vector(expression, cells, missing)
    assert got == expected


# Random expression texts from the grammar's pieces.
LEAVES = st.sampled_from(
    ["#{A}", "#{B}", "#{C.X}", "C{K}", "OUG{G}", "R{F.REPORTING_RATE}", "0", "1", "2.5", "100",
     "true", "false"]
)  # fmt: skip
BINARY = st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||"])


def _combine(children):
    binary = st.tuples(children, BINARY, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    unary = st.tuples(st.sampled_from(["-", "!", "+"]), children).map(lambda t: f"{t[0]}({t[1]})")
    call = st.one_of(
        st.tuples(children, children, children).map(lambda t: "if({}, {}, {})".format(*t)),
        children.map(lambda c: f"isNull({c})"),
        children.map(lambda c: f"isNotNull({c})"),
        st.lists(children, min_size=1, max_size=3).map(lambda a: f"firstNonNull({', '.join(a)})"),
        st.lists(children, min_size=1, max_size=3).map(lambda a: f"greatest({', '.join(a)})"),
        st.lists(children, min_size=1, max_size=3).map(lambda a: f"least({', '.join(a)})"),
    )
    return st.one_of(binary, unary, call)


TEXTS = st.recursive(LEAVES, _combine, max_leaves=8)
NUMBERS = st.one_of(
    st.none(),
    st.sampled_from([Decimal(0), Decimal(1), Decimal(-1), Decimal("0.5"), Decimal("2.50")]),
    st.decimals(min_value=-1000, max_value=1000, places=3),
)


@settings(max_examples=300, deadline=None)
@given(
    text=TEXTS,
    missing=st.sampled_from(list(MissingValueStrategy)),
    data=st.data(),
)
def test_random_expressions(text, missing, data):
    expression = parse(text)
    refs = expression.ordered_items()
    cells = data.draw(
        st.lists(st.tuples(*[NUMBERS for _ in refs]), min_size=1, max_size=12), label="cells"
    )
    got, expected = per_cell_and_vector(expression, cells, missing)
    assert got == expected


def test_a_power_that_fails_in_one_cell_falls_back_cell_by_cell():
    # (-8) ^ 0.5 has no real value; 0 ^ -1 is infinite: both cells "no value", the others not.
    expression = parse("#{A} ^ #{B}")
    cells = [(Decimal(-8), Decimal("0.5")), (Decimal(0), Decimal(-1)), (Decimal(2), Decimal(10))]
    got, expected = per_cell_and_vector(expression, cells, MissingValueStrategy.NEVER_SKIP)
    assert got == expected == ["None", "None", "Decimal('1024')"]
