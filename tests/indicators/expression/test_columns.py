"""evaluate_columns(): the analytics engine's column-wise path gives exactly what evaluate()
gives cell by cell, for every missing-value strategy, including booleans, functions, zero
divisions and missing operands."""

import itertools
import random
from decimal import Decimal

import pytest

from weijian.indicators.expression import MissingValueStrategy, parse

EXPRESSIONS = [
    "#{A}",
    "#{A} + #{B} * 2",
    "#{A} / #{B}",
    "(#{A} - #{B}) / #{A} * 100",
    "#{A} ^ 2 % 7",
    "-#{A} + C{K}",
    "#{A} > #{B}",
    "#{A} >= 1 && #{B} < 3",
    "!(#{A} == #{B}) || #{B} != 0",
    "if(#{B} > 0, #{A} / #{B}, 0)",
    "isNull(#{A}) + isNotNull(#{B})",
    "firstNonNull(#{A}, #{B}, 5)",
    "greatest(#{A}, #{B}) - least(#{A}, #{B}, C{K})",
    "OUG{G} * #{A}",
    "R{F.REPORTING_RATE} / 100 * #{B}",
    "7 * 6",
]

VALUES = [None, Decimal(0), Decimal(1), Decimal("2.5"), Decimal(-3), Decimal("1234.567891")]


@pytest.mark.parametrize("text", EXPRESSIONS)
@pytest.mark.parametrize("missing", list(MissingValueStrategy))
def test_columns_equal_cells(text, missing):
    expression = parse(text)
    refs = expression.ordered_items()
    rng = random.Random(text)
    cells = list(itertools.product(VALUES, repeat=len(refs))) if len(refs) <= 3 else []
    cells += [tuple(rng.choice(VALUES) for _ in refs) for _ in range(50)]
    columns = [[cell[i] for cell in cells] for i in range(len(refs))]
    expected = [expression.evaluate(dict(zip(refs, cell, strict=True)), missing) for cell in cells]
    got = expression.evaluate_columns(columns, len(cells), missing)
    # Same values, and the same spelling (exponent) of each Decimal.
    assert [str(v) for v in got] == [str(v) for v in expected]


def test_a_column_per_operand_is_required():
    with pytest.raises(ValueError):
        parse("#{A} + #{B}").evaluate_columns([[Decimal(1)]], 1)
