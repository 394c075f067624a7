"""Finding units by what people type: part of the Chinese name, pinyin initials ("rmyy" for
人民医院), or the code. Used by the org picker; scope is applied by the caller's queryset.

Pinyin initials come from pypinyin (phrase-aware, so 重庆 is "cq", not "zq") and are cached
per name in the process: unit names are few and rarely change, and computing them is the
costly part (about 50 µs a character).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=100_000)
def initials(text: str) -> str:
    """ "示范区人民医院" → "sfqrmyy"; Latin letters and digits stay as written ("ICU2病区" →
    "icu2bq"); punctuation and spaces are dropped."""
    parts = lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="default")
    return _NOT_ALNUM.sub("", "".join(parts).lower())


def normalise(query: str) -> str:
    return (query or "").strip().lower()


def matches(query: str, *texts: str) -> bool:
    """True when the (normalised) query is part of a text or of the text's pinyin initials."""
    q = normalise(query)
    if not q:
        return True
    initial_query = _NOT_ALNUM.sub("", q)
    for text in texts:
        if not text:
            continue
        if q in text.lower():
            return True
        if initial_query and initial_query in initials(text):
            return True
    return False
