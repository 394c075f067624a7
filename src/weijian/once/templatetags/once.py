from django import template
from django.utils.html import format_html

from weijian.once.guard import FIELD, new_token

register = template.Library()


@register.simple_tag
def once_token():
    """A fresh token per page load. autocomplete=off: a browser restoring the form after
    back/forward must not restore an old token either (the page is re-fetched)."""
    return format_html(
        '<input type="hidden" name="{}" value="{}" autocomplete="off">', FIELD, new_token()
    )
