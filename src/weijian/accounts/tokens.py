"""Personal access tokens, Django-free: their shape, checksum and stored hash.

A token reads like DHIS2's (2.39+): `d2pat_` + 32 random letters and digits + a 10-digit CRC32
checksum of what precedes it, so a mistyped or truncated token is refused before any database
lookup, and scanners that know DHIS2's prefix recognise a leaked one. Only its SHA-256 is
stored: the token has 190 bits of randomness, so a fast hash is as safe as a slow one and
costs nothing per request (a password hash would cost ~0.3 s on every API call).
"""

from __future__ import annotations

import hashlib
import secrets
import string
import zlib

PREFIX = "d2pat_"
RANDOM_LENGTH = 32
CHECKSUM_LENGTH = 10
LENGTH = len(PREFIX) + RANDOM_LENGTH + CHECKSUM_LENGTH
_ALPHABET = string.ascii_letters + string.digits


def _checksum(body: str) -> str:
    return f"{zlib.crc32(body.encode('ascii')):0{CHECKSUM_LENGTH}d}"


def generate() -> str:
    body = PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + _checksum(body)


def well_formed(token: str) -> bool:
    if len(token) != LENGTH or not token.startswith(PREFIX) or not token.isascii():
        return False
    body, checksum = token[:-CHECKSUM_LENGTH], token[-CHECKSUM_LENGTH:]
    random_part = body[len(PREFIX) :]
    return all(c in _ALPHABET for c in random_part) and _checksum(body) == checksum


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def shown(token: str) -> str:
    """What the token list shows to tell tokens apart: the prefix and the last 4 characters."""
    return f"{PREFIX}…{token[-4:]}"
