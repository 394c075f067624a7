"""Turning a syntax tree back into text: canonical syntax (to_text) or Chinese words (describe).

Both printers keep the user's parentheses (Group nodes) and add parentheses only where a tree
built in code would otherwise read differently, so `parse(to_text(e)) == e` always holds.
"""

from collections.abc import Callable, Mapping

from .nodes import Binary, Boolean, Call, Group, Item, Node, Number, Unary
from .refs import ConstantRef, ElementRef, GroupCountRef, IndicatorRef, Ref, ReportingRef

Names = Callable[[Ref], str | None]

_LEVELS = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
    "^": 8,
}
_COMPARISON = 4
_UNARY = 7
_POWER = 8
_ATOM = 9


class _Printer:
    open, close, comma = "(", ")", ", "

    def render(self, node: Node) -> str:
        match node:
            case Number(value=value):
                return self.number(value)
            case Boolean(value=value):
                return self.boolean(value)
            case Item(ref=ref):
                return self.item(ref)
            case Group(inner=inner):
                return f"{self.open}{self.render(inner)}{self.close}"
            case Unary(op=op, operand=operand):
                return self.unary(op, self.operand(operand, self.level(operand) < _UNARY))
            case Binary():
                return self.binary(node)
            case Call(name=name, args=args):
                return self.call(name, [self.render(arg) for arg in args])
        raise TypeError(f"not an expression node: {node!r}")

    def level(self, node: Node) -> int:
        if isinstance(node, Binary):
            return _LEVELS[node.op]
        if isinstance(node, Unary) or (isinstance(node, Number) and node.value < 0):
            return _UNARY
        return _ATOM

    def binary(self, node: Binary) -> str:
        level = _LEVELS[node.op]
        left, right = self.level(node.left), self.level(node.right)
        if node.op == "^":
            # Right-associative, and its base is an atom: (-2)^2 needs its parentheses.
            wrap_left, wrap_right = left <= _POWER, right < _UNARY
        else:
            wrap_left, wrap_right = left < level, right <= level
        return " ".join(
            (
                self.operand(node.left, wrap_left),
                self.operator(node.op),
                self.operand(node.right, wrap_right),
            )
        )

    def operand(self, node: Node, wrap: bool) -> str:
        text = self.render(node)
        return f"{self.open}{text}{self.close}" if wrap else text

    def unary(self, op: str, operand: str) -> str:
        # "- -2" rather than "--2": same tree, easier to read.
        return f"{op} {operand}" if operand[:1] in "+-" else f"{op}{operand}"

    def number(self, value) -> str:
        return str(value)

    def boolean(self, value: bool) -> str:
        return "true" if value else "false"

    def item(self, ref: Ref) -> str:
        return ref.to_text()

    def operator(self, op: str) -> str:
        return op

    def call(self, name: str, args: list[str]) -> str:
        return f"{name}({self.comma.join(args)})"


class _Describer(_Printer):
    """Chinese words for an office user: 门急诊人次 ÷ 出院人次 × 100."""

    open, close, comma = "（", "）", "，"
    _OPERATORS = {
        "*": "×",
        "/": "÷",
        "%": "取余",
        "==": "=",
        "!=": "≠",
        "<=": "≤",
        ">=": "≥",
        "&&": "且",
        "||": "或",
    }
    _CALLS = {"greatest": "最大值", "least": "最小值", "firstNonNull": "首个有数据的值"}

    def __init__(self, names: Names):
        self.names = names

    def level(self, node: Node) -> int:
        # "X无数据" reads like a comparison: (X无数据) × 2 needs its parentheses.
        if isinstance(node, Call) and node.name in ("isNull", "isNotNull"):
            return _COMPARISON
        return super().level(node)

    def render(self, node: Node) -> str:
        if isinstance(node, Call) and node.name in ("isNull", "isNotNull"):
            inner = node.args[0]
            subject = self.operand(inner, self.level(inner) < _ATOM)
            return subject + ("无数据" if node.name == "isNull" else "有数据")
        return super().render(node)

    def number(self, value) -> str:
        return format(value, "f")  # 1E+3 reads as 1000

    def boolean(self, value: bool) -> str:
        return "真" if value else "假"

    def item(self, ref: Ref) -> str:
        return describe_ref(ref, self.names)

    def operator(self, op: str) -> str:
        return self._OPERATORS.get(op, op)

    def unary(self, op: str, operand: str) -> str:
        return f"非{operand}" if op == "!" else super().unary(op, operand)

    def call(self, name: str, args: list[str]) -> str:
        if name == "if":
            condition, then, otherwise = args
            return f"如果（{condition}，则 {then}，否则 {otherwise}）"
        return f"{self._CALLS[name]}（{self.comma.join(args)}）"


def to_text(node: Node) -> str:
    return _Printer().render(node)


def describe(node: Node, names: Names) -> str:
    return _Describer(names).render(node)


def describe_ref(ref: Ref, names: Names) -> str:
    """One operand in words; an unknown one is marked 【未知… CODE】 so the UI can flag it."""
    name = names(ref)
    match ref:
        case ElementRef(code=code, option_code=option):
            if name:
                return name
            if option is not None:
                element = names(ElementRef(code))
                if element:
                    return f"{element}（【未知分类选项 {option}】）"
                return f"【未知数据元 {code}.{option}】"
            return f"【未知数据元 {code}】"
        case ConstantRef(code=code):
            return name or f"【未知常量 {code}】"
        case IndicatorRef(code=code):
            return name or f"【未知指标 {code}】"
        case ReportingRef(form_code=form, metric=metric):
            return (name or f"【未知报表 {form}】") + metric.label
        case GroupCountRef(group_code=group):
            return (name or f"【未知机构组 {group}】") + "机构数"
    raise TypeError(f"not a reference: {ref!r}")


def names_from(
    *,
    elements: Mapping[str, str] | None = None,
    options: Mapping[str, str] | None = None,
    constants: Mapping[str, str] | None = None,
    indicators: Mapping[str, str] | None = None,
    forms: Mapping[str, str] | None = None,
    groups: Mapping[str, str] | None = None,
) -> Names:
    """A `names` callback for describe() from plain code → name dictionaries.

    Element with option: "门急诊人次（男）". Reporting refs and group counts get the form or
    group name; describe() appends the metric ("上报率") or "机构数".
    """
    tables = {
        ConstantRef: (constants or {}, "code"),
        IndicatorRef: (indicators or {}, "code"),
        ReportingRef: (forms or {}, "form_code"),
        GroupCountRef: (groups or {}, "group_code"),
    }
    elements, options = elements or {}, options or {}

    def names(ref: Ref) -> str | None:
        if isinstance(ref, ElementRef):
            element = elements.get(ref.code)
            if element is None or ref.option_code is None:
                return element
            option = options.get(ref.option_code)
            return f"{element}（{option}）" if option else None
        table, attribute = tables[type(ref)]
        return table.get(getattr(ref, attribute))

    return names
