"""Expressions evaluated over whole columns at once (numpy), with exactly the per-cell rules.

The per-cell evaluator (evaluate.py) calls a few nested closures per operand and cell: for a
county pivot that is ~160 000 cell evaluations of ~280 expressions and a quarter of a second
of pure call overhead. Here each node of the tree is evaluated once per *column*: numpy
object arrays of the same Decimals, so every cell sees the very same Decimal operations in the
same decimal context as evaluate() — results equal Decimal for Decimal, same digits and
exponent — while the loop over cells runs in numpy's C code. A column is a pair:

    values    object array of Decimal (ZERO where the cell has no value, never None)
    present   bool array: the cell has a value

Booleans are held as ONE and ZERO, which is what evaluate() turns them into wherever they are
used (arithmetic, logic, the final result). Division and modulus by zero give "no value" cell
by cell; the rare operations that can fail per cell in other ways (powers, overflow) fall back
to the per-cell evaluator for the whole expression, so no rule is ever approximated.
"""

from __future__ import annotations

import numpy as np

from .evaluate import ONE, ZERO, _power
from .nodes import Binary, Boolean, Call, Group, Item, Node, Number, Unary
from .refs import Ref, is_data_item

Column = tuple[np.ndarray, np.ndarray]  # (values, present)


class Unsupported(Exception):
    """This expression (or cell) needs the per-cell evaluator."""


def column_of(values) -> Column:
    """A column from a list of Decimal or None."""
    array = np.array(values, dtype=object)
    present = np.not_equal(array, None)
    if not present.all():
        array[~present] = ZERO
    return array, present


def to_list(column: Column, wanted: np.ndarray | None = None) -> list:
    values, present = column
    keep = present if wanted is None else present & wanted
    return np.where(keep, values, None).tolist()


class VectorProgram:
    """An expression tree evaluated column-wise; `refs` fixes the order of the columns."""

    def __init__(self, root: Node, refs: tuple[Ref, ...]) -> None:
        self.root = root
        self.index = {ref: i for i, ref in enumerate(refs)}

    def run(self, columns: list[Column], size: int, missing: str) -> Column:
        """The expression's column under a missing-value strategy (evaluate.py's rules):
        a cell whose data items are all missing (SKIP_IF_ALL) or any missing (SKIP_IF_ANY)
        has no value. Raises Unsupported or an ArithmeticError when a cell needs the per-cell
        evaluator; the caller (Expression.evaluate_vector) then uses it."""
        data = [columns[i][1] for ref, i in self.index.items() if is_data_item(ref)]
        values, present = _Run(columns, size, self.index).node(self.root, True)
        if data and missing != "NEVER_SKIP":
            combine = np.logical_and if missing == "SKIP_IF_ANY_VALUE_MISSING" else np.logical_or
            present = present & combine.reduce(data)
        return values, present


class _Run:
    def __init__(self, columns: list[Column], size: int, index: dict[Ref, int]) -> None:
        self.columns, self.size, self.index = columns, size, index

    def full(self, value) -> np.ndarray:
        return np.full(self.size, value, dtype=object)

    def everywhere(self) -> np.ndarray:
        return np.ones(self.size, dtype=bool)

    def node(self, node: Node, substitute: bool) -> Column:
        match node:
            case Number(value=value):
                return self.full(value), self.everywhere()
            case Boolean(value=value):
                return self.full(ONE if value else ZERO), self.everywhere()
            case Item(ref=ref):
                return self.item(ref, substitute)
            case Group(inner=inner):
                return self.node(inner, substitute)
            case Unary(op=op, operand=operand):
                return self.unary(op, self.node(operand, substitute))
            case Binary(op=op, left=left, right=right):
                return self.binary(op, self.node(left, substitute), self.node(right, substitute))
            case Call(name=name, args=args):
                return self.call(name, args, substitute)
        raise Unsupported(repr(node))

    def item(self, ref: Ref, substitute: bool) -> Column:
        values, present = self.columns[self.index[ref]]
        if substitute and is_data_item(ref):
            # A missing data item is 0 under a substituting strategy (values hold ZERO there).
            return values, self.everywhere()
        return values, present

    def unary(self, op: str, operand: Column) -> Column:
        values, present = operand
        if op == "!":
            return _bools(~_truth(values)), present
        return (-values if op == "-" else values), present

    def binary(self, op: str, left: Column, right: Column) -> Column:
        if op in ("&&", "||"):
            return _logic(op, left, right)
        (a, pa), (b, pb) = left, right
        present = pa & pb
        if op in ("+", "-", "*"):
            return _ARITHMETIC[op](a, b), present
        if op in ("/", "%"):
            present = present & _truth(b)
            out = self.full(ZERO)
            ufunc = np.divide if op == "/" else np.remainder
            ufunc(a, b, out=out, where=present)
            return out, present
        if op == "^":
            return self.elementwise(_power, a, b, present)
        return _bools(_COMPARE[op](a, b).astype(bool)), present

    def elementwise(self, function, a, b, present) -> Column:
        out, ok = self.full(ZERO), present.copy()
        for i in np.flatnonzero(present):
            value = function(a[i], b[i])
            if value is None:
                ok[i] = False
            else:
                out[i] = value
        return out, ok

    def call(self, name: str, args, substitute: bool) -> Column:
        if name in ("isNull", "isNotNull"):
            _, present = self.node(args[0], False)
            flag = ~present if name == "isNull" else present
            return _bools(flag), self.everywhere()
        if name == "firstNonNull":
            return self.first_non_null(args, substitute)
        if name in ("greatest", "least"):
            return self.extreme(args, substitute, np.greater if name == "greatest" else np.less)
        if name == "if":
            return self.if_(*(self.node(arg, substitute) for arg in args))
        raise Unsupported(name)

    def first_non_null(self, args, substitute: bool) -> Column:
        values, found = self.full(ZERO), np.zeros(self.size, dtype=bool)
        for arg in args:
            arg_values, arg_present = self.node(arg, False)
            take = arg_present & ~found
            values[take] = arg_values[take]
            found |= arg_present
        # All missing: under a substituting strategy the result is a missing item, i.e. 0.
        return values, (self.everywhere() if substitute else found)

    def extreme(self, args, substitute: bool, better) -> Column:
        # As max()/min() over the present arguments: the first of equal extremes wins.
        values, found = self.full(ZERO), np.zeros(self.size, dtype=bool)
        for arg in args:
            arg_values, arg_present = self.node(arg, substitute)
            take = arg_present & (~found | better(arg_values, values).astype(bool))
            values[take] = arg_values[take]
            found |= arg_present
        return values, found

    def if_(self, condition: Column, then: Column, otherwise: Column) -> Column:
        chosen = _truth(condition[0])
        values = np.where(chosen, then[0], otherwise[0])
        present = condition[1] & np.where(chosen, then[1], otherwise[1])
        return values, present


def _truth(values: np.ndarray) -> np.ndarray:
    return np.not_equal(values, ZERO).astype(bool)


def _bools(flags: np.ndarray) -> np.ndarray:
    return np.where(flags, ONE, ZERO).astype(object)


def _logic(op: str, left: Column, right: Column) -> Column:
    # Kleene logic: a known false decides `&&`, a known true decides `||`.
    (a, pa), (b, pb) = left, right
    ta, tb = _truth(a), _truth(b)
    if op == "||":
        decided = (pa & ta) | (pb & tb)
        value = decided
    else:
        decided = (pa & ~ta) | (pb & ~tb)
        value = ~decided
    present = decided | (pa & pb)
    return _bools(value), present


_ARITHMETIC = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
}

_COMPARE = {
    "==": np.equal,
    "!=": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}
