"""Money on the assessment pages as on the allocation table: to the fen, grouped (1 260 000.00)."""

from django import template

from ..numbers import plain_yuan

register = template.Library()


@register.filter
def fen(value):
    return "" if value is None else plain_yuan(value)
