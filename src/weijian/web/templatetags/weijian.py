from django import template

register = template.Library()


@register.filter
def person(user) -> str:
    """A user as people call them: full name, else username; a dash for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username


@register.filter
def absolute(number):
    """|x|, for changes shown with an ↑/↓ arrow instead of a sign."""
    return abs(number) if number is not None else None


@register.filter
def plain(number, places: int = 2):
    """A Decimal as people write it: 2784, 12.5 — no trailing zeros; '无数据' for None."""
    if number is None:
        return "无数据"
    from decimal import Decimal

    rounded = Decimal(number).quantize(Decimal(1).scaleb(-int(places)))
    text = format(rounded.normalize(), "f")
    return text
