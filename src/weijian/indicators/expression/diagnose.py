"""Lark's syntax errors turned into Chinese messages that say where and why.

The parser is driven token by token (see parser.py), so each error comes with the tokens read
before it; the message depends on what came just before the bad spot (an operator, "(", ",",
an operand) and on what was found there. Lark's English text never reaches the user.
"""

import re

from lark import Token

from .errors import ExpressionError
from .functions import FUNCTION_LIST, FUNCTIONS

OPERATORS = {
    "PLUS",
    "MINUS",
    "STAR",
    "SLASH",
    "PERCENT",
    "POW",
    "EQ",
    "NE",
    "LT",
    "LE",
    "GT",
    "GE",
    "ANDAND",
    "OROR",
    "AND",
    "OR",
    "BANG",
    "NOT",
}
_REFERENCES = {"ELEMENT_REF", "CONSTANT_REF", "INDICATOR_REF", "REPORTING_REF", "GROUP_REF"}
_OPERAND_START = {"NUMBER", "TRUE", "FALSE", "NAME", "LPAR", *_REFERENCES}
_OPERAND_END = {"NUMBER", "TRUE", "FALSE", "NAME", "RPAR", *_REFERENCES}

REFERENCE_HELP = (
    "可用：#{数据元}、#{数据元.分类选项}、C{常量}、N{指标}、R{报表.上报指标}、OUG{机构组}"
)
_PREFIXES = ("OUG", "C", "N", "R")

# Full-width and typographic look-alikes Chinese input methods produce.
_LOOKALIKES = {
    "（": "(",
    "）": ")",
    "，": ",",
    "＋": "+",
    "－": "-",
    "—": "-",
    "＊": "*",
    "×": "*",
    "／": "/",
    "÷": "/",
    "％": "%",
    "＾": "^",
    "＃": "#",
    "｛": "{",
    "｝": "}",
    "＞": ">",
    "＜": "<",
    "＝": "==",
    "！": "!",
    "≥": ">=",
    "≤": "<=",
    "≠": "!=",
    "。": ".",
    "．": ".",
}
_ASCII_HINTS = {
    "=": "判断相等请写成“==”",
    "&": "“并且”请写成“&&”或 and",
    "|": "“或者”请写成“||”或 or",
    **dict.fromkeys("\"'“”‘’", "表达式中不能有文字（引号）"),
}


def unexpected_token(text: str, token: Token, history: list[Token]) -> ExpressionError:
    previous = _previous(history, token)
    if previous is not None and previous.type == "NAME" and token.type != "LPAR":
        return bare_name(text, previous)
    if token.type == "$END":
        return _at_end(text, previous, history)
    reason = _reason(token, previous)
    return _error(text, token.start_pos, reason, len(token.value))


def bare_name(text: str, token: Token) -> ExpressionError:
    """A word that is neither a function call nor a keyword: usually a code without #{…}."""
    name = token.value
    if name.lower() in ("and", "or"):
        reason = f"“{name}”前缺少数值"
    elif name.lower() in FUNCTIONS:
        reason = f"函数 {FUNCTIONS[name.lower()].name} 后应为“(”，如 {name}(…)"
    elif name in _PREFIXES:
        reason = f"“{name}”后应为“{{”，如 {name}{{编码}}"
    else:
        reason = f"无法识别的“{name}”：数据元请写成 #{{{name}}}，常量写成 C{{{name}}}"
    return _error(text, token.start_pos, reason, len(name))


def unexpected_character(text: str, pos: int) -> ExpressionError:
    char = text[pos]
    if char == "#":
        if text[pos + 1 : pos + 2] == "{":
            return _brace_problem(text, pos, "#")
        return _error(text, pos, "“#”后应为“{”：数据元写成 #{编码}")
    if char == "{":
        return _open_brace(text, pos)
    if char == "}":
        return _error(text, pos, "多余的右花括号“}”")
    if char in _LOOKALIKES:
        half = _LOOKALIKES[char]
        return _error(text, pos, f"请用半角符号“{half}”，不要用“{char}”")
    if char in _ASCII_HINTS:
        return _error(text, pos, _ASCII_HINTS[char])
    if not char.isascii() and char.isalpha():
        word = _word(text, pos)
        reason = f"无法识别的“{word}”：引用请写编码，不要写名称（{REFERENCE_HELP}）"
        return _error(text, pos, reason, len(word))
    return _error(text, pos, f"无法识别的字符“{char}”")


def _previous(history: list[Token], token: Token) -> Token | None:
    # The parser's failing token is already in `history`; the lexer's is not.
    if history and history[-1] is token:
        return history[-2] if len(history) > 1 else None
    return history[-1] if history else None


def _at_end(text: str, previous: Token | None, history: list[Token]) -> ExpressionError:
    end = len(text.rstrip())
    if previous is None:
        return ExpressionError("空表达式")
    if previous.type in OPERATORS:
        reason = f"运算符“{previous.value}”后缺少数值"
    elif previous.type == "LPAR":
        reason = "“(”后缺少内容和右括号“)”"
    elif previous.type == "COMMA":
        reason = "“,”后缺少参数"
    else:
        opened = _unclosed(history)
        if opened is None:
            reason = "表达式不完整"
        else:
            reason = f"缺少右括号“)”（第 {opened.start_pos + 1} 个字符处的“(”没有配对）"
    return _error(text, end, reason)


def _reason(token: Token, previous: Token | None) -> str:
    kind = token.type
    shown = token.value
    before = previous.type if previous is not None else None
    if before in OPERATORS and kind in OPERATORS | {"RPAR", "COMMA"}:
        hint = "（乘方请用“^”）" if previous.value == shown == "*" else ""
        return f"运算符“{previous.value}”后缺少数值{hint}"
    if kind == "RPAR":
        return _closing_paren(before)
    if kind == "COMMA":
        return _comma(before)
    if kind in _OPERAND_START and before in _OPERAND_END:
        hint = "（乘号请写成“*”）" if kind == "LPAR" else ""
        return f"缺少运算符：“{previous.value}”与“{shown}”之间应有 +、-、*、/ 等运算符{hint}"
    if kind in ("BANG", "NOT"):
        return f"“{shown}”（非）只能写在条件前面；“不等于”请写成“!=”"
    if kind in OPERATORS:
        if before is None:
            return f"表达式不能以运算符“{shown}”开头"
        if before == "LPAR":
            return f"“(”后缺少数值，不能直接接运算符“{shown}”"
    return f"此处不应出现“{shown}”"


def _closing_paren(before: str | None) -> str:
    if before == "LPAR":
        return "括号“()”内缺少内容"
    if before == "COMMA":
        return "“,”后缺少参数"
    return "多余的右括号“)”：前面没有与之配对的“(”"


def _comma(before: str | None) -> str:
    if before is None:
        return "表达式不能以“,”开头"
    if before in ("LPAR", "COMMA"):
        return "“,”前缺少参数"
    return "逗号“,”只能用来分隔函数的参数"


def _unclosed(history: list[Token]) -> Token | None:
    stack: list[Token] = []
    for token in history:
        if token.type == "LPAR":
            stack.append(token)
        elif token.type == "RPAR" and stack:
            stack.pop()
    return stack[-1] if stack else None


def _open_brace(text: str, pos: int) -> ExpressionError:
    word = re.search(r"[A-Za-z_][A-Za-z0-9_]*$", text[:pos])
    if word is None:
        return _error(text, pos, "多余的左花括号“{”")
    name, start = word.group(), word.start()
    if name in _PREFIXES:
        return _brace_problem(text, start, name)
    if name.upper() in _PREFIXES:
        reason = f"引用前缀要大写：请把“{name}{{”写成“{name.upper()}{{”"
    else:
        reason = f"不支持的引用“{name}{{…}}”（{REFERENCE_HELP}）"
    return _error(text, start, reason, len(name) + 1)


def _brace_problem(text: str, start: int, prefix: str) -> ExpressionError:
    """`#{` / `C{` … that the reference token did not match: unclosed, or a brace inside."""
    opening = start + len(prefix)
    inner = re.search(r"[{}]", text[opening + 1 :])
    if inner is None or inner.group() == "}":
        return _error(text, start, f"“{prefix}{{”缺少右花括号“}}”", len(prefix) + 1)
    return _error(text, opening + 1 + inner.start(), f"“{prefix}{{…}}”中不能再有“{{”")


def _error(text: str, pos: int, reason: str, span: int = 1) -> ExpressionError:
    return ExpressionError(reason, column=pos + 1, text=text, span=span)


def unknown_function(text: str, token: Token) -> ExpressionError:
    reason = f"未知函数“{token.value}”（可用：{FUNCTION_LIST}）"
    return _error(text, token.start_pos, reason, len(token.value))


def _word(text: str, pos: int) -> str:
    """The run of non-ASCII letters (a Chinese name, typically) starting at `pos`."""
    end = pos + 1
    while end < len(text) and not text[end].isascii() and text[end].isalnum():
        end += 1
    return text[pos:end]
