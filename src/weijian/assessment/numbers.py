"""How assessment figures are written (Django-free): points, measured values, money.

Conventions, as the offices write their 考评表 and 公示 lists:
- 四舍五入 (ROUND_HALF_UP) everywhere, never banker's rounding.
- Points print with at most two decimals and no trailing zeros: 10, 7.5, 92.35.
- Integers of five or more digits are grouped by threes with a space ("10 600"), as in the
  issue's example explanation; four digits stay whole ("8991").
- Money prints with exactly two decimals (to the fen) and grouped: "12 345.60元".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


class NumberError(ValueError):
    """Input that is not a number; the message is the Chinese reason."""


def number(value, what: str) -> Decimal:
    """A finite Decimal from user input (str, int, Decimal), or NumberError naming `what`."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise NumberError(f"{what}“{value}”不是数字")
    else:
        text = str(value).strip().replace("，", "").replace(",", "")
        if text.endswith("%"):
            text = text[:-1]
        try:
            result = Decimal(text)
        except (InvalidOperation, ValueError):
            raise NumberError(f"{what}“{value}”不是数字") from None
    if not result.is_finite():
        raise NumberError(f"{what}“{value}”不是数字")
    return result


def quantize(value: Decimal, places: int = 2) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _grouped(digits: str) -> str:
    if len(digits) <= 4:
        return digits
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return " ".join(parts)


def _text(value: Decimal, places: int, *, strip: bool) -> str:
    rounded = quantize(value, places)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):f}"
    whole, _, frac = text.partition(".")
    if strip:
        frac = frac.rstrip("0")
    return sign + _grouped(whole) + (f".{frac}" if frac else "")


def pts(value: Decimal | None) -> str:
    """Points: 10, 7.5, 92.35 (two decimals at most, none trailing)."""
    if value is None:
        return ""
    return _text(value, 2, strip=True)


def figure(value: Decimal | None, unit: str = "", decimals: int = 2) -> str:
    """A measured value with its unit: 1.16%, 123, 10 600, 96.5分. Whole values print whole."""
    if value is None:
        return "无数据"
    if value == value.to_integral_value():
        body = _text(value, 0, strip=True)
    else:
        body = _text(value, decimals, strip=False)
    return f"{body}{unit}"


def yuan(value: Decimal | None) -> str:
    """Money to the fen: 12 345.60元."""
    if value is None:
        return ""
    return _text(value, 2, strip=False) + "元"


def plain_yuan(value: Decimal) -> str:
    """Money without the unit, for tables: 12 345.60."""
    return _text(value, 2, strip=False)
