"""Integer columns packed by the database into one byte string each (Django-free).

PostgreSQL's `string_agg(int8send(x), ''::bytea)` concatenates a column's values as 8-byte
big-endian integers, so a query can answer ≈ 425 000 rows (a city pivot's rollup read) as
one row of a few byte strings: numpy reads each as an int64 array without a Python object per
row or value. As driver tuples (seven ints a row) those rows cost ≈ 1 µs a value, and a COPY
still hands Python one message per row.

    element, micros = unpack([b"...", b"..."])      # int64 arrays of equal length
"""

from __future__ import annotations

import numpy as np

WIDTH = 8  # int8send: 8 bytes, big-endian, two's complement
_WIRE = np.dtype(">i8")


class PackedColumnError(ValueError):
    """The byte strings are not equal-length columns of 8-byte integers."""


def unpack(packed: list[bytes | memoryview | None]) -> list[np.ndarray]:
    """One native int64 array per packed column. An aggregate over no row is NULL (None):
    every column is then empty. A NULL value would be skipped by string_agg and shift its
    column against the others, so columns of different lengths are refused, not guessed."""
    if all(blob is None for blob in packed):
        return [np.zeros(0, dtype=np.int64) for _ in packed]
    if any(blob is None for blob in packed):
        raise PackedColumnError("packed columns: some empty, some not")
    lengths = {len(blob) for blob in packed}
    if len(lengths) != 1 or lengths.pop() % WIDTH:
        raise PackedColumnError("packed columns: lengths differ or are not whole 8-byte values")
    return [np.frombuffer(blob, dtype=_WIRE).astype(np.int64) for blob in packed]


def sql(expressions: list[str]) -> str:
    """The select list that packs each expression (an integer of at most 8 bytes)."""
    return ", ".join(f"string_agg(int8send(({e})::bigint), ''::bytea)" for e in expressions)
