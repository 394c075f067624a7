"""The syntax tree. Nodes are frozen and compare by structure, never by position, so an
expression equals its own re-serialisation (`parse(e.to_text()) == e`)."""

from dataclasses import dataclass, field
from decimal import Decimal

from .refs import Ref

# Canonical operator spellings: `and`/`or`/`not` are stored as `&&`/`||`/`!`.
BINARY_OPS = ("||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "^")
UNARY_OPS = ("+", "-", "!")


@dataclass(frozen=True, slots=True)
class Number:
    value: Decimal
    start: int = field(default=-1, compare=False)
    end: int = field(default=-1, compare=False)

    def __post_init__(self):
        # Trees built in code may say Number(2); arithmetic must stay in Decimal.
        if not isinstance(self.value, Decimal):
            object.__setattr__(self, "value", Decimal(str(self.value)))


@dataclass(frozen=True, slots=True)
class Boolean:
    value: bool
    start: int = field(default=-1, compare=False)
    end: int = field(default=-1, compare=False)


@dataclass(frozen=True, slots=True)
class Item:
    """An operand: `#{…}`, `C{…}`, `N{…}`, `R{…}` or `OUG{…}`."""

    ref: Ref
    start: int = field(default=-1, compare=False)
    end: int = field(default=-1, compare=False)


@dataclass(frozen=True, slots=True)
class Unary:
    op: str
    operand: "Node"
    start: int = field(default=-1, compare=False)
    end: int = field(default=-1, compare=False)


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: "Node"
    right: "Node"
    start: int = field(default=-1, compare=False)
    end: int = field(default=-1, compare=False)


@dataclass(frozen=True, slots=True)
class Call:
    """A function call; `name` is the canonical spelling (`isNull`, not `ISNULL`)."""

    name: str
    args: tuple["Node", ...]
    start: int = field(default=-1, compare=False)
    end: int = field(default=-1, compare=False)


@dataclass(frozen=True, slots=True)
class Group:
    """Parentheses as the user wrote them: kept so that describe() shows them too."""

    inner: "Node"
    start: int = field(default=-1, compare=False)
    end: int = field(default=-1, compare=False)


Node = Number | Boolean | Item | Unary | Binary | Call | Group


def children(node: Node) -> tuple[Node, ...]:
    match node:
        case Unary(operand=operand):
            return (operand,)
        case Binary(left=left, right=right):
            return (left, right)
        case Call(args=args):
            return args
        case Group(inner=inner):
            return (inner,)
    return ()


def walk(node: Node):
    """Every node, parents before children, left to right (iterative: no recursion limit)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))
