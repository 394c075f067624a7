"""Expression: a parsed, immutable expression and what can be done with it."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from . import render, vector
from .errors import ExpressionError
from .evaluate import CONTEXT, MissingValueStrategy, Program, Supplied, scaled_ratio
from .nodes import Item, Node, walk
from .refs import ConstantRef, ElementRef, GroupCountRef, IndicatorRef, Ref, ReportingRef

SKIP_IF_ALL = MissingValueStrategy.SKIP_IF_ALL_VALUES_MISSING

_KINDS = {
    ConstantRef: "常量",
    IndicatorRef: "指标",
    ReportingRef: "报表",
    GroupCountRef: "机构组",
}


@dataclass(frozen=True)
class Expression:
    """A parsed expression. Two expressions are equal when their trees are (spacing, keyword
    spelling and function-name case do not matter; parentheses do)."""

    text: str = field(compare=False)  # as the user wrote it
    root: Node
    _ordered: tuple[Ref, ...] = field(init=False, repr=False, compare=False)
    _items: frozenset[Ref] = field(init=False, repr=False, compare=False)
    _program: Program = field(init=False, repr=False, compare=False)
    _vector: vector.VectorProgram | None = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        refs = (node.ref for node in walk(self.root) if isinstance(node, Item))
        ordered = tuple(dict.fromkeys(refs))
        object.__setattr__(self, "_ordered", ordered)
        object.__setattr__(self, "_items", frozenset(ordered))
        object.__setattr__(self, "_program", Program(self.root, ordered))
        object.__setattr__(self, "_vector", None)  # built on first use

    def __reduce__(self):
        # The compiled program is closures (not picklable): rebuild it from the tree.
        return (Expression, (self.text, self.root))

    def items(self) -> frozenset[Ref]:
        """Every operand the expression needs a value for (one query fetches them all)."""
        return self._items

    def ordered_items(self) -> tuple[Ref, ...]:
        """The operands in order of first appearance, each once."""
        return self._ordered

    def indicator_refs(self) -> frozenset[IndicatorRef]:
        return frozenset(ref for ref in self._items if isinstance(ref, IndicatorRef))

    def evaluate(
        self,
        values: Mapping[Ref, Supplied],
        missing: MissingValueStrategy = SKIP_IF_ALL,
    ) -> Decimal | None:
        """The value, or None for "no value". `values` maps each ref to a number or None;
        an absent ref is missing. See `evaluate.py` for the exact missing-value rules."""
        return self._program.run([values.get(ref) for ref in self._ordered], missing)

    def evaluate_ordered(
        self,
        supplied: Sequence[Supplied],
        missing: MissingValueStrategy = SKIP_IF_ALL,
    ) -> Decimal | None:
        """evaluate() for a caller that holds the values as a list aligned with
        `ordered_items()` (one per operand, None if missing): no dictionary per cell."""
        return self._program.run(supplied, missing)

    def evaluate_columns(
        self,
        columns: Sequence[Sequence[Decimal | None]],
        size: int,
        missing: MissingValueStrategy = SKIP_IF_ALL,
    ) -> list[Decimal | None]:
        """evaluate() for `size` cells at once, one column per operand aligned with
        `ordered_items()` (finite Decimals or None): the analytics engine's vectorised path.
        Gives exactly what evaluate() gives cell by cell."""
        return self._program.run_columns(columns, size, missing)

    def evaluate_vector(
        self, columns: list[vector.Column], size: int, missing: MissingValueStrategy = SKIP_IF_ALL
    ) -> vector.Column:
        """evaluate_columns() on numpy columns (vector.py), the same values Decimal for
        Decimal; cells numpy cannot take (a power, an overflow) go through the per-cell
        evaluator, for the whole expression."""
        missing = MissingValueStrategy(missing)
        if self._vector is None:
            object.__setattr__(self, "_vector", vector.VectorProgram(self.root, self._ordered))
        try:
            with localcontext(CONTEXT):
                values, present = self._vector.run(columns, size, missing.value)
            return values, present
        except (vector.Unsupported, ArithmeticError):
            lists = [vector.to_list(column) for column in columns]
            return vector.column_of(self._program.run_columns(lists, size, missing))

    def describe(self, names: render.Names) -> str:
        """In words. `names(ref)` returns the display text of an operand or None if unknown:
        - ElementRef(code)          → the element's name ("门急诊人次");
        - ElementRef(code, option)  → element and option ("门急诊人次（男）"); if None,
                                       describe asks for ElementRef(code) and marks the option;
        - ConstantRef / IndicatorRef → the constant's / indicator's name;
        - ReportingRef              → the form's name; describe appends the metric ("上报率");
        - GroupCountRef             → the group's name; describe appends "机构数".
        Unknown operands read 【未知数据元 XYZ】 etc. `names_from(...)` builds a callback."""
        return render.describe(self.root, names)

    def unknown_items(self, names: render.Names) -> tuple[Ref, ...]:
        """The operands `names` does not know, in order of appearance."""
        return tuple(ref for ref in self._ordered if not names(ref))

    def check_known(self, is_known: Callable[[Ref], bool]) -> None:
        """Raise ExpressionError at the first operand `is_known` rejects."""
        for node in walk(self.root):
            if isinstance(node, Item) and not is_known(node.ref):
                raise ExpressionError(
                    f"找不到{_kind(node.ref)}“{node.ref.to_text()}”",
                    column=node.start + 1 if node.start >= 0 else None,
                    text=self.text,
                    span=node.end - node.start,
                )

    def to_text(self) -> str:
        """Canonical spelling: single spaces around binary operators, `&&`/`||`/`!` for
        and/or/not, canonical function names. `parse(e.to_text()) == e`."""
        return render.to_text(self.root)

    def __str__(self) -> str:
        return self.to_text()


def compute_indicator(
    numerator: Expression,
    denominator: Expression,
    factor: Decimal | int,
    values: Mapping[Ref, Supplied],
    *,
    missing: MissingValueStrategy = SKIP_IF_ALL,
) -> Decimal | None:
    """numerator × factor ÷ denominator, unrounded, or None ("no value").

    The DHIS2 indicator rule: each side has a value when any of its data items does
    (SKIP_IF_ALL_VALUES_MISSING within a side, missing items count as 0); the indicator needs
    both sides; a zero denominator gives None.
    """
    top = numerator.evaluate(values, missing)
    if top is None:
        return None
    return scaled_ratio(top, denominator.evaluate(values, missing), factor)


def _kind(ref: Ref) -> str:
    if isinstance(ref, ElementRef):
        return "数据元" if ref.option_code is None else "数据元或分类选项"
    return _KINDS[type(ref)]
