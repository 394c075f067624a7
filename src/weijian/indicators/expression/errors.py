"""ExpressionError: a Chinese message that says where (column, excerpt, caret) and why."""

import unicodedata

# Long expressions are shown as a window around the error, so the caret line stays short.
_WINDOW = 30


class ExpressionError(ValueError):
    """A bad expression (or a cycle between indicators).

    Attributes:
        reason:   why, in Chinese, without the position ("运算符“*”后缺少数值").
        column:   1-based character position in the expression text, or None.
        text:     the expression text, or None.
        headline: one line, "第 12 个字符处：缺少右括号“)”" (just `reason` without a column).
        excerpt:  two lines, the text around the error and a caret line under it ("" if none).
        message:  headline and excerpt together; also `str(error)`.
    """

    def __init__(
        self,
        reason: str,
        *,
        column: int | None = None,
        text: str | None = None,
        span: int = 1,
    ):
        self.reason = reason
        self.column = column
        self.text = text
        if column is None:
            self.headline = reason
        else:
            self.headline = f"第 {column} 个字符处：{reason}"
        self.excerpt = _excerpt(text, column, span) if text and column else ""
        self.message = f"{self.headline}\n{self.excerpt}" if self.excerpt else self.headline
        super().__init__(self.message)


class CycleError(ExpressionError):
    """Indicators that refer to each other in a loop; `cycle` is ("A", "B", "A")."""

    def __init__(self, cycle: tuple[str, ...]):
        self.cycle = cycle
        super().__init__(f"指标引用形成循环：{' → '.join(cycle)}")


def _excerpt(text: str, column: int, span: int) -> str:
    """The text around `column` and a caret line under the offending fragment.

    Wide (CJK) characters take two cells in a monospace font, so the caret is indented by
    display width, not by character count.
    """
    flat = "".join(" " if ch.isspace() else ch for ch in text)
    index = column - 1
    start = max(0, index - _WINDOW)
    end = min(len(flat), index + max(span, 1) + _WINDOW)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    shown = prefix + flat[start:end] + suffix
    before = prefix + flat[start:index]
    marked = flat[index : index + max(span, 1)] or " "
    caret = " " * _width(before) + "^" * max(1, _width(marked))
    return f"  {shown}\n  {caret}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
