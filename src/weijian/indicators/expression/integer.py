"""Expressions evaluated exactly over int64 columns, Decimal for Decimal (layer 1: no Django).

The vectorised evaluator (vector.py) runs numpy over object arrays of Decimals: every cell of
every operand is first made a Decimal and every operation is a Python call per cell. Most
indicator sides are sums, differences and integer multiples of element totals, which the
rollups hold as int64 millionths. Here a column is held as Decimal holds a number, a
coefficient and an exponent, but per cell and in int64:

    coefficients  int64 array        value = coefficient × 10^exponent
    exponents     int64 array        (-6 for an element's value, 0 where a missing item is
                                      replaced by Decimal(0), a constant's own exponent)
    present       bool array         the cell has a value (vector.py's meaning)

+, - and × follow Decimal's exact rules (a sum's exponent is the smaller one, a product's the
sum of both), so every cell holds the very Decimal the object path computes, the exponent of
zero included. Only the division of a ratio (scaled_ratio) makes Decimals, in the
evaluator's decimal context, on the cells that have both sides.

Whatever cannot be done exactly this way raises Inexact and the caller uses vector.py for the
expression: division and the other operators, functions, a coefficient that could leave
int64, an exponent outside ±18, and a product that Decimal would make a negative zero (the
integer 0 has no sign).
"""

from __future__ import annotations

from decimal import Context, Decimal, localcontext

import numpy as np

from .evaluate import CONTEXT, MAX_ADJUSTED_EXPONENT, ZERO
from .nodes import Binary, Group, Item, Node, Number, Unary
from .refs import Ref, is_data_item

IntColumn = tuple[np.ndarray, np.ndarray, np.ndarray]  # (coefficients, exponents, present)

# Coefficients stay below 2^62 in magnitude, so a sum of two never wraps around int64.
LIMIT = 2**62
MAX_EXPONENT = 18


class Inexact(Exception):
    """This expression (or this ratio) needs the Decimal evaluator."""


def column(coefficients, exponent: int, present) -> IntColumn:
    """A column whose present cells have one exponent (an element's millionths: -6). Absent
    cells become 0 × 10^0, the Decimal(0) that vector.py puts there."""
    coefficients = np.asarray(coefficients, dtype=np.int64)
    present = np.asarray(present, dtype=bool)
    _check_exponent(exponent)
    if len(coefficients) and int(np.abs(coefficients).max()) >= LIMIT:
        raise Inexact("coefficient too large")
    return (
        np.where(present, coefficients, 0),
        np.where(present, exponent, 0).astype(np.int64),
        present.copy(),
    )


def constant(value: Decimal | None, size: int) -> IntColumn:
    """A constant over every cell; None (an unknown constant) is absent everywhere."""
    if value is None:
        return np.zeros(size, np.int64), np.zeros(size, np.int64), np.zeros(size, bool)
    coefficient, exponent = _split(value)
    return (
        np.full(size, coefficient, dtype=np.int64),
        np.full(size, exponent, dtype=np.int64),
        np.ones(size, dtype=bool),
    )


def _split(value: Decimal) -> tuple[int, int]:
    """(coefficient, exponent) of a finite Decimal that fits; Inexact otherwise."""
    if not value.is_finite():
        raise Inexact("not finite")
    sign, digits, exponent = value.as_tuple()
    coefficient = int("".join(map(str, digits)) or "0")
    if sign and not coefficient:
        raise Inexact("negative zero")
    _check_exponent(exponent)
    if coefficient >= LIMIT:
        raise Inexact("coefficient too large")
    return (-coefficient if sign else coefficient), exponent


def _check_exponent(exponent: int) -> None:
    if not -MAX_EXPONENT <= exponent <= MAX_EXPONENT:
        raise Inexact("exponent out of range")


def run(
    root: Node, refs: tuple[Ref, ...], columns: list[IntColumn | None], size: int, missing: str
) -> IntColumn:
    """The expression over `size` cells of int columns (`columns[i]` for `refs[i]`; None: no
    int column for that operand, so Inexact) under a missing-value strategy, as
    VectorProgram.run()."""
    index = {ref: i for i, ref in enumerate(refs)}
    if any(c is None for c in columns):
        raise Inexact("an operand has no integer column")
    coefficients, exponents, present = _Run(columns, index, size).node(root)
    data = [columns[i][2] for ref, i in index.items() if is_data_item(ref)]
    if data and missing != "NEVER_SKIP":
        combine = np.logical_and if missing == "SKIP_IF_ANY_VALUE_MISSING" else np.logical_or
        present = present & combine.reduce(data)
    return coefficients, exponents, present


class _Run:
    def __init__(self, columns: list[IntColumn], index: dict[Ref, int], size: int) -> None:
        self.columns, self.index, self.size = columns, index, size

    def node(self, node: Node) -> IntColumn:
        match node:
            case Number(value=value):
                return constant(value, self.size)
            case Item(ref=ref):
                coefficients, exponents, present = self.columns[self.index[ref]]
                if is_data_item(ref):  # substituted: a missing item is 0 (held as 0 × 10^0)
                    return coefficients, exponents, np.ones(len(present), dtype=bool)
                return coefficients, exponents, present
            case Group(inner=inner):
                return self.node(inner)
            case Unary(op="-", operand=operand):
                coefficients, exponents, present = self.node(operand)
                return -coefficients, exponents, present  # -(0) is 0 in Decimal as here
            case Unary(op="+", operand=operand):
                return self.node(operand)
            case Binary(op="+" | "-" as op, left=left, right=right):
                return _add(self.node(left), self.node(right), op == "-")
            case Binary(op="*", left=left, right=right):
                return _multiply(self.node(left), self.node(right))
        raise Inexact(type(node).__name__)


def _add(left: IntColumn, right: IntColumn, subtract: bool) -> IntColumn:
    """Decimal's exact sum: both coefficients scaled to the smaller exponent."""
    (a, ea, pa), (b, eb, pb) = left, right
    exponents = np.minimum(ea, eb)
    a, b = _rescale(a, ea - exponents), _rescale(b, eb - exponents)
    return (a - b if subtract else a + b), exponents, pa & pb


def _rescale(coefficients: np.ndarray, shift: np.ndarray) -> np.ndarray:
    if not shift.any():
        return coefficients
    top = int(shift.max())
    if top > MAX_EXPONENT or int(np.abs(coefficients).max()) * 10**top >= LIMIT:
        raise Inexact("coefficient too large")
    return coefficients * (10 ** shift.astype(np.int64))


def _multiply(left: IntColumn, right: IntColumn) -> IntColumn:
    """Decimal's exact product: coefficients multiplied, exponents added. Decimal gives 0
    times a negative number a minus sign that an integer cannot hold: such cells refuse."""
    (a, ea, pa), (b, eb, pb) = left, right
    if len(a) and int(np.abs(a).max()) * int(np.abs(b).max()) >= LIMIT:
        raise Inexact("coefficient too large")
    if (((a == 0) & (b < 0)) | ((b == 0) & (a < 0))).any():
        raise Inexact("negative zero")
    exponents = ea + eb
    if len(exponents) and int(np.abs(exponents).max()) > MAX_EXPONENT:
        raise Inexact("exponent out of range")
    return a * b, exponents, pa & pb


def to_decimals(values: IntColumn) -> np.ndarray:
    """Every cell as the Decimal coefficient × 10^exponent (an object array)."""
    coefficients, exponents, _ = values
    out = np.full(len(coefficients), ZERO, dtype=object)
    changed = (coefficients != 0) | (exponents != 0)  # the rest is Decimal(0) itself
    with localcontext(_EXACT):
        for exponent in np.unique(exponents[changed]).tolist():
            at = np.flatnonzero(changed & (exponents == exponent))
            unit = Decimal(1).scaleb(exponent)  # Decimal(c) × 1E-6 is c × 10^-6 exactly
            out[at] = [unit * Decimal(c) for c in coefficients[at].tolist()]
    return out


_EXACT = Context(prec=60)  # no product of an int64 and a power of ten is rounded


class Denominators:
    """Each denominator's Decimals, made once per cell and analyse() and shared by the
    indicators that divide by the same expression (many rates share 出院人次数)."""

    def __init__(self) -> None:
        self._made: dict[object, tuple[np.ndarray, np.ndarray]] = {}

    def at(self, key, coefficients: np.ndarray, cells: np.ndarray) -> np.ndarray:
        """Decimal(coefficient) of `cells` (positions), made for the cells not asked before."""
        made, done = self._made.setdefault(
            key, (np.empty(len(coefficients), dtype=object), np.zeros(len(coefficients), bool))
        )
        new = cells[~done[cells]]
        if len(new):
            # Decimal(0) + n is Decimal(n) (exponent 0, exact: n has at most 19 digits), and
            # numpy's object add makes it in C, half the cost of calling Decimal() per cell.
            with localcontext(CONTEXT):
                made[new] = np.add(coefficients[new].astype(object), ZERO)
            done[new] = True
        return made[cells]


def scaled_ratio(
    top: IntColumn,
    bottom: IntColumn,
    factor: Decimal,
    in_force: np.ndarray,
    denominators: Denominators | None = None,
    key=None,
) -> tuple[np.ndarray, np.ndarray]:
    """numerator × factor ÷ denominator over the cells holding both sides (a non-zero
    denominator, an edition in force), as a vector.Column of Decimals: the very Decimal that
    evaluate.scaled_ratio() gives, digits and exponent.

    Decimal's quotient of c1 × 10^e1 by c2 × 10^e2 is the quotient of the integers c1 and c2
    with e1 - e2 added to its exponent (exact quotients take the ideal exponent e1 - e2,
    rounded ones keep their 34 digits), so the integers are divided in the evaluator's
    context and the exponent moved after (scaleb), only where it is not already 0. Raises
    Inexact where the product numerator × factor would pass Decimal's range, where
    the object path would say "no value" for an overflow: the caller then uses that path."""
    (t, et, pt), (b, eb, pb) = top, bottom
    factor_coefficient, factor_exponent = _split(factor)
    if factor_coefficient <= 0:
        raise Inexact("a factor of 0 or less signs zeros")
    at = np.flatnonzero(pt & pb & in_force & (b != 0))
    values = np.full(len(t), ZERO, dtype=object)
    present = np.zeros(len(t), dtype=bool)
    present[at] = True
    if not len(at):
        return values, present
    numerators = _times(t[at], factor_coefficient, et[at] + factor_exponent)
    shift = et[at] + factor_exponent - eb[at]
    divisors = (denominators or Denominators()).at(key, b, at)
    with localcontext(CONTEXT):
        try:
            quotients = numerators / divisors
            moved = np.flatnonzero(shift)
            if len(moved):
                quotients[moved] = _SCALEB(quotients[moved], shift[moved].astype(object))
        except ArithmeticError as error:  # past Decimal's range: that path says "no value"
            raise Inexact("out of range") from error
    values[at] = quotients
    return values, present


_SCALEB = np.frompyfunc(Decimal.scaleb, 2, 1)  # in the current context, as q.scaleb(s)


def _times(coefficients: np.ndarray, factor: int, exponents: np.ndarray) -> np.ndarray:
    """coefficients × factor as Python ints (an object array, as the division takes them).
    Refuses a product of more digits than the context holds or past Emax, where the object
    path rounds or overflows (bounded by the largest coefficient and exponent: a refusal
    only costs the object path)."""
    largest = int(np.abs(coefficients).max()) * factor
    if largest >= 10**CONTEXT.prec:
        raise Inexact("more digits than the context")
    if largest and len(str(largest)) - 1 + int(exponents.max()) > MAX_ADJUSTED_EXPONENT:
        raise Inexact("past Emax")
    if largest < LIMIT:
        return (coefficients * factor).astype(object)
    return coefficients.astype(object) * factor
