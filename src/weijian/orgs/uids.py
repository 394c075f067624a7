"""DHIS2-style 11-character uids: a letter, then 10 letters or digits."""

import secrets
import string

_LETTERS = string.ascii_letters
_ALPHANUMERIC = string.ascii_letters + string.digits


def generate_uid() -> str:
    return secrets.choice(_LETTERS) + "".join(secrets.choice(_ALPHANUMERIC) for _ in range(10))


def is_valid_uid(value: str) -> bool:
    return len(value) == 11 and value[0] in _LETTERS and all(ch in _ALPHANUMERIC for ch in value)
