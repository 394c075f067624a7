"""parse(text) -> Expression: lark parses, the builder checks codes and calls, or says why not."""

from decimal import Decimal

from lark import Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from . import diagnose
from .errors import ExpressionError
from .evaluate import MAX_LITERAL_EXPONENT, constant_power, in_range
from .expr import Expression
from .functions import FUNCTIONS
from .grammar import parser
from .nodes import Binary, Boolean, Call, Group, Item, Node, Number, Unary
from .refs import (
    METRIC_LABELS,
    ConstantRef,
    ElementRef,
    GroupCountRef,
    IndicatorRef,
    Ref,
    ReportingMetric,
    ReportingRef,
)

MAX_LENGTH = 5000
# Evaluation and printing recurse once per level; 200 keeps far below Python's limit of 1000
# and still allows a flat sum of 200 operands.
MAX_DEPTH = 200

_CANONICAL_OPS = {"and": "&&", "or": "||", "not": "!"}
_PREFIX_LENGTH = {
    "ELEMENT_REF": 2,
    "CONSTANT_REF": 2,
    "INDICATOR_REF": 2,
    "REPORTING_REF": 2,
    "GROUP_REF": 4,
}
_CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_METRIC_HELP = "、".join(f"{metric.value}（{label}）" for metric, label in METRIC_LABELS.items())


def parse(text: str) -> Expression:
    """Parse an expression, or raise ExpressionError with a Chinese message (where and why)."""
    if not isinstance(text, str):
        raise TypeError(f"expression text must be str, not {type(text).__name__}")
    if not text.strip():
        raise ExpressionError("空表达式")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"表达式过长（{len(text)} 个字符，最多 {MAX_LENGTH} 个）")
    tree = _syntax_tree(text)
    return Expression(text, _Builder(text).node(tree, 1))


def _syntax_tree(text: str) -> Tree:
    # Feeding tokens one by one keeps the tokens read so far, which the messages need.
    interactive = parser().parse_interactive(text)
    history: list[Token] = []
    try:
        for token in interactive.iter_parse():
            history.append(token)
        return interactive.feed_eof(history[-1] if history else None)
    except UnexpectedToken as error:
        raise diagnose.unexpected_token(text, error.token, history) from None
    except UnexpectedCharacters as error:
        raise diagnose.unexpected_character(text, error.pos_in_stream) from None
    except UnexpectedInput:  # pragma: no cover - LALR raises only the two above
        raise ExpressionError("表达式不完整", column=len(text) + 1, text=text) from None


class _Builder:
    """Lark tree → syntax tree, checking what the grammar leaves open (codes, calls, depth)."""

    def __init__(self, text: str):
        self.text = text

    def node(self, tree: Tree, depth: int) -> Node:
        start, end = tree.meta.start_pos, tree.meta.end_pos
        if depth > MAX_DEPTH:
            raise self.error(start, f"表达式嵌套过深（超过 {MAX_DEPTH} 层），请拆分为几个指标")
        kids = tree.children
        match tree.data:
            case "number":
                number = Number(Decimal(kids[0].value), start, end)
                if not in_range(number.value):
                    raise self.error(start, f"数值“{kids[0].value}”超出范围（绝对值须小于 10^25）")
                return number
            case "boolean":
                return Boolean(kids[0].type == "TRUE", start, end)
            case "reference":
                return Item(self.reference(kids[0]), start, end)
            case "bare_name":
                raise diagnose.bare_name(self.text, kids[0])
            case "group":
                return Group(self.node(kids[1], depth + 1), start, end)
            case "unary":
                return Unary(self.op(kids[0]), self.node(kids[1], depth + 1), start, end)
            case "binary":
                left, right = self.node(kids[0], depth + 1), self.node(kids[2], depth + 1)
                binary = Binary(self.op(kids[1]), left, right, start, end)
                if binary.op == "^":
                    self.check_power(binary)
                return binary
            case "call":
                return self.call(tree, depth)
        raise AssertionError(f"grammar rule without a builder: {tree.data}")

    def check_power(self, power: Binary) -> None:
        """A power written with numbers is checked now, so `2^99999999` is refused when the
        indicator is saved (in Chinese) rather than silently having no value."""
        base, exponent = _written_number(power.left), _written_number(power.right)
        fragment = self.text[power.start : power.end]
        if base is not None and exponent is not None:
            _value, out_of_range = constant_power(base, exponent)
            if out_of_range:
                reason = f"“{fragment}”的结果超出数值范围（绝对值须小于 10^25）"
                raise self.error(power.start, reason, len(fragment))
        if exponent is not None and abs(exponent) > MAX_LITERAL_EXPONENT:
            shown = self.text[power.right.start : power.right.end].replace(" ", "")
            reason = f"指数“{shown}”过大（绝对值最多为 {MAX_LITERAL_EXPONENT}）"
            raise self.error(power.start, reason, len(fragment))

    def op(self, token: Token) -> str:
        return _CANONICAL_OPS.get(token.value.lower(), token.value)

    def call(self, tree: Tree, depth: int) -> Call:
        name_token, _, arguments, _ = tree.children
        spec = FUNCTIONS.get(name_token.value.lower())
        if spec is None:
            raise diagnose.unknown_function(self.text, name_token)
        args = [] if arguments is None else arguments.children[::2]  # skip the commas
        count = len(args)
        if spec.max_args == spec.min_args and count != spec.min_args:
            reason = f"{spec.name} 需要 {spec.min_args} 个参数，实际 {count} 个"
            raise self.error(name_token.start_pos, reason, len(name_token))
        if count < spec.min_args:
            reason = f"{spec.name} 至少需要 {spec.min_args} 个参数，实际 {count} 个"
            raise self.error(name_token.start_pos, reason, len(name_token))
        nodes = tuple(self.node(arg, depth + 1) for arg in args)
        return Call(spec.name, nodes, tree.meta.start_pos, tree.meta.end_pos)

    def reference(self, token: Token) -> Ref:
        prefix_length = _PREFIX_LENGTH[token.type]
        prefix = token.value[:prefix_length]
        parts = self.parts(token.value[prefix_length:-1], token.start_pos + prefix_length)
        match token.type:
            case "ELEMENT_REF":
                return self.element(prefix, parts)
            case "REPORTING_REF":
                return self.reporting(prefix, parts, token)
            case "CONSTANT_REF":
                return ConstantRef(self.single(prefix, parts, "常量编码"))
            case "INDICATOR_REF":
                return IndicatorRef(self.single(prefix, parts, "指标编码"))
            case "GROUP_REF":
                return GroupCountRef(self.single(prefix, parts, "机构组编码"))
        raise AssertionError(f"reference token without a builder: {token.type}")

    def parts(self, content: str, offset: int) -> list[tuple[str, int, int]]:
        """Split `CODE.OPTION` at dots: (code stripped of spaces, its position, the position
        where the part begins, i.e. just after the dot or the brace)."""
        result = []
        for piece in content.split("."):
            lead = len(piece) - len(piece.lstrip())
            result.append((piece.strip(), offset + lead, offset))
            offset += len(piece) + 1
        return result

    def element(self, prefix: str, parts: list[tuple[str, int, int]]) -> ElementRef:
        if len(parts) > 2:
            reason = "数据元引用中最多有一个“.”：写成 #{数据元编码} 或 #{数据元编码.分类选项编码}"
            raise self.error(parts[2][2] - 1, reason)
        code = self.code(parts[0], f"“{prefix}”后应为数据元编码")
        if len(parts) == 1:
            return ElementRef(code)
        return ElementRef(code, self.code(parts[1], "“.”后应为分类选项编码"))

    def reporting(self, prefix: str, parts: list[tuple[str, int, int]], token: Token) -> Ref:
        form = self.code(parts[0], f"“{prefix}”后应为报表编码")
        if len(parts) == 1:
            reason = f"缺少上报指标：应写成 R{{{form}.REPORTING_RATE}}（可用：{_METRIC_HELP}）"
            raise self.error(token.end_pos - 1, reason)
        if len(parts) > 2:
            raise self.error(parts[2][2] - 1, "报表引用中只能有一个“.”：写成 R{报表编码.上报指标}")
        metric, position, _ = parts[1]
        if not metric:
            raise self.error(position, f"“.”后应为上报指标（可用：{_METRIC_HELP}）")
        try:
            return ReportingRef(form, ReportingMetric(metric.upper()))
        except ValueError:
            reason = f"未知的上报指标“{metric}”（可用：{_METRIC_HELP}）"
            raise self.error(position, reason, len(metric)) from None

    def single(self, prefix: str, parts: list[tuple[str, int, int]], what: str) -> str:
        if len(parts) > 1:
            raise self.error(parts[1][2] - 1, f"{what}中不能有“.”")
        return self.code(parts[0], f"“{prefix}”后应为{what}")

    def code(self, part: tuple[str, int, int], if_empty: str) -> str:
        code, position, _ = part
        if not code:
            raise self.error(position, if_empty)
        for index, char in enumerate(code):
            if char not in _CODE_CHARS:
                raise self.error(position + index, _bad_code_char(char))
        return code

    def error(self, pos: int, reason: str, span: int = 1) -> ExpressionError:
        return ExpressionError(reason, column=pos + 1, text=self.text, span=span)


def _written_number(node: Node) -> Decimal | None:
    """The value of a number as written, with its sign and parentheses (`-5`, `(2)`)."""
    match node:
        case Number(value=value):
            return value
        case Group(inner=inner):
            return _written_number(inner)
        case Unary(op="-", operand=operand):
            value = _written_number(operand)
            return None if value is None else -value
        case Unary(op="+", operand=operand):
            return _written_number(operand)
    return None


def _bad_code_char(char: str) -> str:
    rule = "编码只能由英文字母、数字、“_”和“-”组成"
    if char.isspace():
        return f"编码中间不能有空格：{rule}"
    if not char.isascii() and char.isalnum():
        return f"编码中不能有“{char}”：{rule}（请填写编码，不要填写名称）"
    return f"编码中不能有“{char}”：{rule}"
