"""`{% url %}` with its answers remembered per worker process: `{% load cached_url %}` in a
template replaces Django's tag there, with the same syntax and results.

Every page renders the menu's 26 links and the entry page 13 more, and Django's `reverse()`
costs 60–180 µs a call on this machine (it matches the name against every candidate pattern
and quotes the result each time): about 7 ms of a page at month end, for answers that only
change with the URL configuration. The key holds everything reverse() depends on: the URL
configuration in use, the script prefix (a deployment under a sub-path), the name, the
arguments and the current namespace instance. Arguments that cannot be hashed go uncached.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()


@lru_cache(maxsize=4096)
def _reverse(urlconf, prefix, root, view_name, args, kwargs, current_app) -> str:
    # urlconf, prefix and root are part of the key only: reverse() reads them itself.
    return reverse(
        view_name,
        args=[value for _type, value in args],
        kwargs={name: value for name, _type, value in kwargs},
        current_app=current_app,
    )


def cached_reverse(view_name, args, kwargs, current_app) -> str:
    # Types too: 1 and True hash alike, and reverse() gives "1" and "True".
    key = (
        tuple((type(a), a) for a in args),
        tuple(sorted((name, type(v), v) for name, v in kwargs.items())),
    )
    try:
        hash(key)
    except TypeError:
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    return _reverse(
        get_urlconf(), get_script_prefix(), settings.ROOT_URLCONF, view_name, *key, current_app
    )


class CachedURLNode(URLNode):
    def render(self, context):
        view_name = self.view_name.resolve(context)
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None and request is not None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        try:
            address = cached_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
            address = ""
        if self.asvar:
            context[self.asvar] = address
            return ""
        return conditional_escape(address) if context.autoescape else address


@register.tag
def url(parser, token):
    """Django's {% url %}, parsed by Django, rendered through the cache."""
    node = django_url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
