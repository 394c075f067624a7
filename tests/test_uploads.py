"""weijian.uploads: an uploaded archive is measured before anything unpacks it."""

from __future__ import annotations

import io
import zipfile
from types import SimpleNamespace

import pytest

from tests import crafted
from weijian.uploads import MB, Budget, Limits, UploadRefused, check_size, check_zip, size_text


def archive(files: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as target:
        for name, content in files.items():
            target.writestr(name, content)
    return out.getvalue()


SMALL = archive({"xl/workbook.xml": b"<workbook/>", "[Content_Types].xml": b"<Types/>"})


def test_a_small_archive_passes_and_its_member_names_come_back():
    assert check_zip(SMALL, Limits()) == {"xl/workbook.xml", "[Content_Types].xml"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "上传的文件是空的"),
        (b"name,value\n1,2\n", "无法作为压缩包读取"),
        (b"PK\x03\x04" + b"\0" * 40, "无法作为压缩包读取"),
    ],
)
def test_what_is_not_a_zip_is_refused_in_chinese(data, message):
    with pytest.raises(UploadRefused, match=message):
        check_zip(data, Limits())


def test_the_file_size_is_checked_first():
    with pytest.raises(UploadRefused, match=r"过大（1 KB），上传的文件不能超过 1 KB"):
        check_zip(b"x" * 1025, Limits(max_bytes=1024))
    check_size(1024, Limits(max_bytes=1024))  # at the limit: accepted


def test_the_declared_total_is_bounded():
    # Two stored (uncompressed) members of 600 KB each: 1.2 MB declared in all.
    data = archive({"a": b"a" * 600 * 1024, "b": b"b" * 600 * 1024}, zipfile.ZIP_STORED)
    check_zip(data, Limits(max_unpacked=2 * MB))
    with pytest.raises(UploadRefused, match=r"解压后达 1\.2 MB，超过上限 1\.0 MB"):
        check_zip(data, Limits(max_unpacked=1 * MB))


def test_one_member_is_bounded_on_its_own():
    data = archive({"a": b"a" * 700 * 1024, "b": b"b"}, zipfile.ZIP_STORED)
    with pytest.raises(UploadRefused, match=r"部件“a”解压后达 700 KB，超过上限 512 KB"):
        check_zip(data, Limits(max_member=512 * 1024))


def test_a_zip_bomb_is_refused_by_its_declared_size_without_unpacking_it():
    bomb = crafted.with_bomb(SMALL, "xl/sharedStrings.xml")
    assert len(bomb) < 200 * 1024  # about 100 KB on disk for 100 MB unpacked
    with pytest.raises(UploadRefused, match=r"解压后达 100\.0 MB，超过上限 50\.0 MB.*压缩炸弹"):
        check_zip(bomb, Limits())


def test_a_bomb_under_the_total_is_still_refused_for_its_ratio():
    # 100 MB from about 100 KB is a ratio near 1 000; the total limit is lifted to see it.
    bomb = crafted.with_bomb(SMALL, "xl/sharedStrings.xml")
    limits = Limits(max_unpacked=500 * MB, max_member=500 * MB)
    with pytest.raises(UploadRefused, match=r"部件“xl/sharedStrings\.xml”压缩比异常（\d{3,4} 倍"):
        check_zip(bomb, limits)


def test_a_small_member_with_a_high_ratio_is_fine():
    # 512 KB of one letter deflates about 500-fold, but it is below the 1 MB floor.
    check_zip(archive({"a": b"a" * 512 * 1024}), Limits())


def test_too_many_members_are_refused():
    data = archive({f"m{i}": b"" for i in range(11)})
    with pytest.raises(UploadRefused, match="包含 11 个部件"):
        check_zip(data, Limits(max_members=10))


def test_the_budget_refuses_once_spent():
    now = [100.0]
    budget = Budget(20, "台账文件", clock=lambda: now[0])
    now[0] = 120.0
    budget.check()  # exactly 20 s: still within
    now[0] = 120.5
    with pytest.raises(UploadRefused, match="台账文件处理时间超过 20 秒，已停止，未导入任何数据"):
        budget.check()


def test_limits_come_from_settings_and_overrides():
    settings = SimpleNamespace(
        WEIJIAN_MAX_UPLOAD_BYTES=1000,
        WEIJIAN_UPLOAD_MAX_UNPACKED_BYTES=9000,
        WEIJIAN_UPLOAD_SECONDS=3,
    )
    limits = Limits.from_settings(settings, max_bytes=2000, unknown=1)
    assert (limits.max_bytes, limits.max_unpacked, limits.seconds) == (2000, 9000, 3)
    assert Limits.from_settings(SimpleNamespace()) == Limits()


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 KB"), (1536, "2 KB"), (5 * MB, "5.0 MB"), (3 * 1024 * MB // 2, "1.5 GB")],
)
def test_sizes_read_as_people_say_them(size, text):
    assert size_text(size) == text
