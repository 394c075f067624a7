"""Helpers for replay tests: the one-time token a page's form carries, and a double submit."""

from __future__ import annotations

import re

from weijian.once.guard import REPLAYED_MESSAGE

_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
_TOKEN = re.compile(r'name="once" value="([A-Za-z0-9_-]+)"')


def form_token(html: str, contains: str = "") -> str:
    """The token of the first form on the page holding `contains` (its action, a field…)."""
    for form in _FORM.findall(html):
        found = _TOKEN.search(form)
        if found and contains in form:
            return found.group(1)
    raise AssertionError(f"no form with a once token containing {contains!r}")


def submit_twice(client, url: str, data: dict, token: str):
    """The same page sent twice (a double click, or back and resend): both responses."""
    first = client.post(url, {**data, "once": token})
    second = client.post(url, {**data, "once": token}, follow=True)
    assert REPLAYED_MESSAGE in second.content.decode(), "the replay is not told so"
    return first, second
