"""The packed-column reader (indicators/packed_columns.py) on hand-built byte strings, laid
out as PostgreSQL's int8send gives them: 8 bytes, big-endian, two's complement."""

import struct

import numpy as np
import pytest

from weijian.indicators import packed_columns


def packed(*values: int) -> bytes:
    return b"".join(struct.pack(">q", v) for v in values)


def test_columns_become_native_int64_arrays_in_row_order():
    element, micros = packed_columns.unpack([packed(7, 7, 9), packed(12_000_000, 0, 2**62)])
    assert element.tolist() == [7, 7, 9]
    assert micros.tolist() == [12_000_000, 0, 2**62]
    assert element.dtype == np.int64 and micros.dtype.isnative


def test_negative_values_stay_negative():
    # A deletion in another writer's slot: -5.5 as micros, count -1.
    (micros, n) = packed_columns.unpack([packed(-5_500_000), packed(-1)])
    assert (micros.tolist(), n.tolist()) == ([-5_500_000], [-1])
    assert packed_columns.unpack([packed(-(2**63))])[0].tolist() == [-(2**63)]


def test_an_answer_of_no_row_is_empty_columns():
    # string_agg over no row is NULL: every column None.
    columns = packed_columns.unpack([None, None, None])
    assert [c.tolist() for c in columns] == [[], [], []]
    assert all(c.dtype == np.int64 for c in columns)


@pytest.mark.parametrize(
    "columns",
    [
        # A NULL value is skipped by string_agg: its column is one value short.
        [packed(1, 2), packed(10)],
        # One column NULL (no value at all), the other not.
        [packed(1), None],
        # Not whole 8-byte values.
        [packed(1) + b"\x00", packed(2) + b"\x00"],
    ],
)
def test_misaligned_columns_are_refused(columns):
    with pytest.raises(packed_columns.PackedColumnError):
        packed_columns.unpack(columns)


def test_the_select_list_packs_each_expression_as_bigint():
    assert packed_columns.sql(["r.slot", "pe.pe_key"]) == (
        "string_agg(int8send((r.slot)::bigint), ''::bytea), "
        "string_agg(int8send((pe.pe_key)::bigint), ''::bytea)"
    )
