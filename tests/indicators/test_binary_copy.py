"""The binary COPY reader (indicators/binary_copy.py) on hand-built buffers, byte by byte as
PostgreSQL's documentation of the format lays them out."""

import struct

import numpy as np
import pytest

from weijian.indicators import binary_copy

HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">i", 0) + struct.pack(">i", 0)
TRAILER = struct.pack(">h", -1)


def row(*fields) -> bytes:
    """A row of (format, value) fields; value None is a NULL (length -1, no bytes)."""
    out = struct.pack(">h", len(fields))
    for fmt, value in fields:
        if value is None:
            out += struct.pack(">i", -1)
        else:
            data = struct.pack(">" + fmt, value)
            out += struct.pack(">i", len(data)) + data
    return out


def test_fixed_width_rows_become_native_int64_columns():
    buffer = HEADER + row(("q", 7), ("q", 123_456_789_012)) + row(("q", 8), ("q", -5)) + TRAILER
    first, second = binary_copy.read(buffer, ["int8", "int8"])
    assert first.values.tolist() == [7, 8]
    # A negative: two's complement big-endian, -5 stays -5.
    assert second.values.tolist() == [123_456_789_012, -5]
    assert first.values.dtype == np.int64 and first.null is None and second.null is None


def test_mixed_widths_and_a_float():
    buffer = HEADER + row(("h", -2), ("i", 2_000_000_000), ("d", 0.5)) + TRAILER
    small, medium, real = binary_copy.read(buffer, ["int2", "int4", "float8"])
    assert (small.values.tolist(), medium.values.tolist(), real.values.tolist()) == (
        [-2],
        [2_000_000_000],
        [0.5],
    )


def test_a_null_is_masked_and_its_value_zero():
    buffer = (
        HEADER + row(("q", 1), ("q", 10)) + row(("q", 2), ("q", None)) + row(("q", 3), ("q", -30))
    )
    buffer += TRAILER
    keys, values = binary_copy.read(buffer, ["int8", "int8"])
    assert keys.values.tolist() == [1, 2, 3] and keys.null is None
    assert values.values.tolist() == [10, 0, -30]
    assert values.null.tolist() == [False, True, False]


def test_an_empty_answer_is_empty_columns():
    columns = binary_copy.read(HEADER + TRAILER, ["int8", "int8", "int8"])
    assert [len(c.values) for c in columns] == [0, 0, 0]
    assert all(c.values.dtype == np.int64 for c in columns)


def test_a_header_extension_is_skipped():
    header = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">i", 0) + struct.pack(">i", 3) + b"xyz"
    (column,) = binary_copy.read(header + row(("q", 42)) + TRAILER, ["int8"])
    assert column.values.tolist() == [42]


@pytest.mark.parametrize(
    "buffer",
    [
        b"NOTCOPY" + b"\x00" * 20,  # no signature
        HEADER + row(("q", 1)),  # no trailer
        HEADER + row(("q", 1), ("q", 2)) + TRAILER,  # two fields where one is expected
        HEADER + row(("i", 1)) + TRAILER,  # a 4-byte field where an int8 is expected
    ],
)
def test_malformed_buffers_are_refused(buffer):
    with pytest.raises(binary_copy.CopyFormatError):
        binary_copy.read(buffer, ["int8"])
