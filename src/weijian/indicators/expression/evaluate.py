"""Evaluation with DHIS2 missing-value semantics, in exact decimal arithmetic.

Rules (dhis2-core ExpressionService, see reference-systems.md §1.3):
- Only data items count for the missing-value strategy: `#{…}`, `N{…}`, `R{…}`. Constants
  and group counts are facts the engine always supplies; if one is absent the result is None.
- NEVER_SKIP: a missing data item is 0.
- SKIP_IF_ANY_VALUE_MISSING: None if any data item is missing.
- SKIP_IF_ALL_VALUES_MISSING: None if the expression has data items and all are missing;
  otherwise a missing item is 0.
- `isNull`, `isNotNull` and `firstNonNull` see an item's raw value (missing stays missing),
  so `isNull(#{A})` is true when A was not reported, whatever the strategy substitutes.
- Division or modulus by zero, 0 to a negative power, overflow: None ("no value"); never an
  exception, never infinity. None propagates through arithmetic and comparisons.
- Comparisons give booleans; arithmetic treats true as 1 and false as 0; logic treats a
  non-zero number as true. `&&`/`||` use three-valued logic (false && None is false).
"""

import math
from collections.abc import Callable, Mapping
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from enum import StrEnum

from .nodes import Binary, Boolean, Call, Group, Item, Node, Number, Unary
from .refs import Ref, is_data_item

# decimal128 precision: exact for every sum/product of reported figures, and 34 significant
# digits for quotients, far beyond any displayed rounding. Traps turn inf/NaN into exceptions
# that each operation maps to None.
CONTEXT = Context(
    prec=34,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

ZERO = Decimal(0)
ONE = Decimal(1)

Value = Decimal | bool | None
Number_ = Decimal | float | int | None


class MissingValueStrategy(StrEnum):
    """DHIS2's names, so metadata imported from DHIS2 maps one to one."""

    NEVER_SKIP = "NEVER_SKIP"
    SKIP_IF_ANY_VALUE_MISSING = "SKIP_IF_ANY_VALUE_MISSING"
    SKIP_IF_ALL_VALUES_MISSING = "SKIP_IF_ALL_VALUES_MISSING"


def to_decimal(value: object, ref: Ref | None = None) -> Decimal | None:
    """A supplied value as a Decimal; None, NaN and infinity are "missing"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr() is the shortest exact spelling: 0.1 becomes Decimal("0.1"), not 0.1000…055.
        return Decimal(repr(value)) if math.isfinite(value) else None
    where = f" for {ref.to_text()}" if ref is not None else ""
    raise TypeError(f"value{where} must be a Decimal, float, int or None, not {type(value)}")


def evaluate(
    root: Node,
    items: frozenset[Ref],
    values: Mapping[Ref, Number_],
    missing: MissingValueStrategy,
) -> Decimal | None:
    missing = MissingValueStrategy(missing)  # also accepts the DHIS2 name as a string
    lookup = {ref: to_decimal(values.get(ref), ref) for ref in items}
    data_items = [ref for ref in items if is_data_item(ref)]
    found = sum(1 for ref in data_items if lookup[ref] is not None)
    if missing is MissingValueStrategy.SKIP_IF_ANY_VALUE_MISSING and found < len(data_items):
        return None
    if missing is MissingValueStrategy.SKIP_IF_ALL_VALUES_MISSING and data_items and not found:
        return None
    with localcontext(CONTEXT):
        return as_decimal(_Evaluator(lookup).eval(root, substitute=True))


def scaled_ratio(
    numerator: Decimal | None, denominator: Decimal | None, factor: Decimal | int
) -> Decimal | None:
    """numerator × factor ÷ denominator, or None when either side is missing or zero-divides."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    with localcontext(CONTEXT):
        try:
            # Multiply first, as DHIS2 does: one rounding instead of two.
            return numerator * to_decimal(factor) / denominator
        except ArithmeticError:
            return None


def as_decimal(value: Value) -> Decimal | None:
    if isinstance(value, bool):
        return ONE if value else ZERO
    return value


def truth(value: Decimal | bool) -> bool:
    return value if isinstance(value, bool) else value != 0


class _Evaluator:
    def __init__(self, lookup: Mapping[Ref, Decimal | None]):
        self.lookup = lookup

    def eval(self, node: Node, substitute: bool) -> Value:
        match node:
            case Number(value=value) | Boolean(value=value):
                return value
            case Item(ref=ref):
                return self.item(ref, substitute)
            case Group(inner=inner):
                return self.eval(inner, substitute)
            case Unary(op=op, operand=operand):
                return _unary(op, self.eval(operand, substitute))
            case Binary(op=op, left=left, right=right):
                return _binary(op, self.eval(left, substitute), self.eval(right, substitute))
            case Call():
                return self.call(node, substitute)
        raise TypeError(f"not an expression node: {node!r}")

    def item(self, ref: Ref, substitute: bool) -> Decimal | None:
        value = self.lookup.get(ref)
        if value is None and substitute and is_data_item(ref):
            return ZERO
        return value

    def call(self, node: Call, substitute: bool) -> Value:
        args = node.args
        match node.name:
            case "if":
                condition = self.eval(args[0], substitute)
                if condition is None:
                    return None
                return self.eval(args[1] if truth(condition) else args[2], substitute)
            case "isNull":
                return self.eval(args[0], substitute=False) is None
            case "isNotNull":
                return self.eval(args[0], substitute=False) is not None
            case "firstNonNull":
                return self.first_non_null(args, substitute)
            case "greatest":
                return self.extreme(args, substitute, max)
            case "least":
                return self.extreme(args, substitute, min)
        raise TypeError(f"unknown function {node.name!r}")

    def first_non_null(self, args: tuple[Node, ...], substitute: bool) -> Value:
        for arg in args:
            value = self.eval(arg, substitute=False)
            if value is not None:
                return value
        # All missing: under a substituting strategy the result is a missing item, i.e. 0.
        return ZERO if substitute else None

    def extreme(self, args: tuple[Node, ...], substitute: bool, pick: Callable) -> Value:
        # Like SQL GREATEST/LEAST in PostgreSQL: arguments without a value are ignored.
        present = [_num(v) for v in (self.eval(a, substitute) for a in args) if v is not None]
        return pick(present) if present else None


def _num(value: Decimal | bool) -> Decimal:
    if isinstance(value, bool):
        return ONE if value else ZERO
    return value


def _unary(op: str, value: Value) -> Value:
    if value is None:
        return None
    if op == "!":
        return not truth(value)
    return -_num(value) if op == "-" else _num(value)


def _binary(op: str, left: Value, right: Value) -> Value:
    if op in ("&&", "||"):
        return _logic(op, left, right)
    if left is None or right is None:
        return None
    a, b = _num(left), _num(right)
    try:
        result = _OPS[op](a, b)
    except ArithmeticError:
        return None
    # Not every route to infinity signals (0 ** -1 quietly gives Infinity): check the result.
    if isinstance(result, Decimal) and not result.is_finite():
        return None
    return result


def _logic(op: str, left: Value, right: Value) -> bool | None:
    # Kleene logic: a known false decides `&&`, a known true decides `||`.
    decisive = op == "||"
    known = [truth(v) for v in (left, right) if v is not None]
    if decisive in known:
        return decisive
    if len(known) < 2:
        return None
    return not decisive


def _divide(a: Decimal, b: Decimal) -> Decimal | None:
    return None if b == 0 else a / b


def _modulo(a: Decimal, b: Decimal) -> Decimal | None:
    # Decimal's % keeps the dividend's sign, like Java's % that DHIS2 uses: -7 % 3 = -1.
    return None if b == 0 else a % b


def _power(a: Decimal, b: Decimal) -> Decimal | None:
    if a == 0 and b == 0:
        return ONE  # as Java's Math.pow; Decimal calls 0**0 undefined
    # Exact for integer exponents; correctly rounded for others; a negative base with a
    # fractional exponent or 0 to a negative power raises, and becomes None.
    return a**b


_OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _divide,
    "%": _modulo,
    "^": _power,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
