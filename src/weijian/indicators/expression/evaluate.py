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
from collections.abc import Callable, Sequence
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
#
# The range ends below 10^25 (Emax 24): no health figure comes near it (a stored value has at
# most 14 integer digits), every later rounding to up to 10 decimals stays exact within 60
# digits, and a result beyond it (2^999999 is a finite Decimal of 301 030 digits) is "no
# value" here instead of an exception when the result is rounded for display.
MAX_ADJUSTED_EXPONENT = 24
CONTEXT = Context(
    prec=34,
    rounding=ROUND_HALF_EVEN,
    Emax=MAX_ADJUSTED_EXPONENT,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
# Exponents a power may have when written as a number: enough for any factor (10^5) or
# growth formula, and small enough that a constant power is checked at once when saved.
MAX_LITERAL_EXPONENT = 1000

ZERO = Decimal(0)
ONE = Decimal(1)

Value = Decimal | bool | None
Supplied = Decimal | float | int | None


class MissingValueStrategy(StrEnum):
    """DHIS2's names, so metadata imported from DHIS2 maps one to one."""

    NEVER_SKIP = "NEVER_SKIP"
    SKIP_IF_ANY_VALUE_MISSING = "SKIP_IF_ANY_VALUE_MISSING"
    SKIP_IF_ALL_VALUES_MISSING = "SKIP_IF_ALL_VALUES_MISSING"


def to_decimal(value: object, ref: Ref | None = None) -> Decimal | None:
    """A supplied value as a Decimal; None, NaN and infinity are "missing"."""
    if value.__class__ is Decimal:  # the common case first: what the database returns
        return value if value.is_finite() else None
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


# A compiled expression: the operand values in `Program.refs` order, and whether missing
# data items are replaced by 0 (False inside isNull/isNotNull/firstNonNull).
Compiled = Callable[[list, bool], Value]


class Program:
    """An expression compiled once into nested closures: evaluating a cell is then a few
    function calls, without walking the tree or hashing operands more than once."""

    __slots__ = ("refs", "_data", "_run")

    def __init__(self, root: Node, refs: tuple[Ref, ...]):
        self.refs = refs
        self._data = tuple(i for i, ref in enumerate(refs) if is_data_item(ref))
        self._run = _compile(root, {ref: i for i, ref in enumerate(refs)})

    def run(self, supplied: Sequence[Supplied], missing: MissingValueStrategy) -> Decimal | None:
        """`supplied[i]` is the value of `refs[i]` (or None)."""
        if missing.__class__ is not MissingValueStrategy:
            missing = MissingValueStrategy(missing)  # also accepts the DHIS2 name as text
        refs = self.refs
        if len(supplied) != len(refs):
            raise ValueError(f"expected {len(refs)} values, got {len(supplied)}")
        raw = [to_decimal(v, refs[i]) for i, v in enumerate(supplied)]
        if self._data and missing is not MissingValueStrategy.NEVER_SKIP:
            found = sum(1 for i in self._data if raw[i] is not None)
            if not found or (found < len(self._data) and missing is _SKIP_IF_ANY):
                return None
        with localcontext(CONTEXT):
            return as_decimal(self._run(raw, True))

    def run_columns(
        self, columns: Sequence[Sequence[Decimal | None]], size: int, missing: MissingValueStrategy
    ) -> list[Decimal | None]:
        """run() for `size` cells at once: `columns[i][c]` is the value of `refs[i]` in cell
        c, already a finite Decimal or None (what the analytics engine holds). The same
        compiled closures and rules as run(), without a list, a conversion and a decimal
        context per cell; cells whose data items are all missing are skipped early."""
        missing = MissingValueStrategy(missing)
        if len(columns) != len(self.refs):
            raise ValueError(f"expected {len(self.refs)} columns, got {len(columns)}")
        run, data = self._run, self._data
        if not columns:
            with localcontext(CONTEXT):
                value = as_decimal(run((), True))
            return [value] * size
        # Which cells to evaluate, one pass per data-item column: with any item (SKIP_IF_ALL),
        # with every item (SKIP_IF_ANY), or all of them (NEVER_SKIP, or no data items).
        wanted: list[bool] | None = None
        if data and missing is not MissingValueStrategy.NEVER_SKIP:
            need_all = missing is _SKIP_IF_ANY
            for i in data:
                present = [v is not None for v in columns[i]]
                if wanted is None:
                    wanted = present
                elif need_all:
                    wanted = [a and b for a, b in zip(wanted, present, strict=True)]
                else:
                    wanted = [a or b for a, b in zip(wanted, present, strict=True)]
            if not any(wanted):
                return [None] * size
        out: list[Decimal | None] = []
        append = out.append
        with localcontext(CONTEXT):
            if wanted is None:
                for raw in zip(*columns, strict=True):
                    value = run(raw, True)
                    append(ONE if value is True else ZERO if value is False else value)
            else:
                for raw, evaluate in zip(zip(*columns, strict=True), wanted, strict=True):
                    if evaluate:
                        value = run(raw, True)
                        append(ONE if value is True else ZERO if value is False else value)
                    else:
                        append(None)
        return out


_SKIP_IF_ANY = MissingValueStrategy.SKIP_IF_ANY_VALUE_MISSING


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


def constant_power(base: Decimal, exponent: Decimal) -> tuple[Decimal | None, bool]:
    """A power of two written numbers, as evaluation computes it: (value or None, whether
    the value is out of range). The parser refuses the out-of-range ones when saved."""
    with localcontext(CONTEXT):
        try:
            return _power(base, exponent), False
        except Overflow:
            return None, True
        except ArithmeticError:  # 0 to a negative power, no real root: no value, not an error
            return None, False


def in_range(value: Decimal) -> bool:
    return value == 0 or value.adjusted() <= MAX_ADJUSTED_EXPONENT


def as_decimal(value: Value) -> Decimal | None:
    if value.__class__ is bool:
        return ONE if value else ZERO
    return value


def truth(value: Decimal | bool) -> bool:
    return value if value.__class__ is bool else value != 0


def _num(value: Decimal | bool) -> Decimal:
    if value.__class__ is bool:
        return ONE if value else ZERO
    return value


def _compile(node: Node, index: dict[Ref, int]) -> Compiled:
    match node:
        case Number(value=value) | Boolean(value=value):
            return lambda raw, substitute: value
        case Item(ref=ref):
            return _compile_item(index[ref], is_data_item(ref))
        case Group(inner=inner):
            return _compile(inner, index)
        case Unary(op=op, operand=operand):
            return _compile_unary(op, _compile(operand, index))
        case Binary(op=op, left=left, right=right):
            return _compile_binary(op, _compile(left, index), _compile(right, index))
        case Call(name=name, args=args):
            return _compile_call(name, [_compile(arg, index) for arg in args])
    raise TypeError(f"not an expression node: {node!r}")


def _compile_item(i: int, data_item: bool) -> Compiled:
    if not data_item:
        # Constants and group counts are never replaced by 0 (see the module docstring).
        return lambda raw, substitute: raw[i]

    def item(raw, substitute):
        value = raw[i]
        return ZERO if value is None and substitute else value

    return item


def _compile_unary(op: str, operand: Compiled) -> Compiled:
    def unary(raw, substitute):
        value = operand(raw, substitute)
        if value is None:
            return None
        if op == "!":
            return not truth(value)
        return -_num(value) if op == "-" else _num(value)

    return unary


def _compile_binary(op: str, left: Compiled, right: Compiled) -> Compiled:
    if op in ("&&", "||"):
        return lambda raw, substitute: _logic(op, left(raw, substitute), right(raw, substitute))
    apply = _OPS[op]

    def binary(raw, substitute):
        a = left(raw, substitute)
        b = right(raw, substitute)
        if a is None or b is None:
            return None
        try:
            return apply(_num(a), _num(b))
        except ArithmeticError:  # division by zero, overflow, no real root: no value
            return None

    return binary


def _compile_call(name: str, args: list[Compiled]) -> Compiled:
    match name:
        case "if":
            return _compile_if(*args)
        case "isNull":
            return lambda raw, substitute: args[0](raw, False) is None
        case "isNotNull":
            return lambda raw, substitute: args[0](raw, False) is not None
        case "firstNonNull":
            return _compile_first_non_null(args)
        case "greatest":
            return _compile_extreme(args, max)
        case "least":
            return _compile_extreme(args, min)
    raise TypeError(f"unknown function {name!r}")


def _compile_if(condition: Compiled, then: Compiled, otherwise: Compiled) -> Compiled:
    def if_(raw, substitute):
        # Only the chosen branch is evaluated: if(B > 0, A / B, 0) is safe.
        decided = condition(raw, substitute)
        if decided is None:
            return None
        return (then if truth(decided) else otherwise)(raw, substitute)

    return if_


def _compile_first_non_null(args: list[Compiled]) -> Compiled:
    def first_non_null(raw, substitute):
        for arg in args:
            value = arg(raw, False)
            if value is not None:
                return value
        # All missing: under a substituting strategy the result is a missing item, i.e. 0.
        return ZERO if substitute else None

    return first_non_null


def _compile_extreme(args: list[Compiled], pick: Callable) -> Compiled:
    def extreme(raw, substitute):
        # Like SQL GREATEST/LEAST in PostgreSQL: arguments without a value are ignored.
        present = [_num(v) for v in (arg(raw, substitute) for arg in args) if v is not None]
        return pick(present) if present else None

    return extreme


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
    # Exact for integer exponents; correctly rounded for others. A negative base with a
    # fractional exponent raises; 0 to a negative power quietly gives Infinity: both None.
    result = a**b
    return result if result.is_finite() else None


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
