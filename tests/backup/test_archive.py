"""The archive format on its own (no database): what a good archive holds, and every way a bad
one is refused with a Chinese reason."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from weijian.backup.archive import (
    FORMAT,
    FORMAT_VERSION,
    BackupError,
    Member,
    read_archive,
    write_archive,
)

MANIFEST = {
    "format": FORMAT,
    "format_version": FORMAT_VERSION,
    "database": {"kind": "sqlite", "file": "database.sqlite3", "tables": {}, "migrations": {}},
}
PDF = b"%PDF-1.4 sign-in sheet"


@pytest.fixture
def files(tmp_path):
    source = tmp_path / "source"
    (source / "ledger" / "2026").mkdir(parents=True)
    (source / "database.sqlite3").write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    (source / "ledger" / "2026" / "签到表.pdf").write_bytes(PDF)
    return [
        Member("database.sqlite3", source / "database.sqlite3"),
        Member("media/ledger/2026/签到表.pdf", source / "ledger" / "2026" / "签到表.pdf"),
    ]


@pytest.fixture
def archive(files, tmp_path):
    path = tmp_path / "backup.tar.gz"
    write_archive(path, files, MANIFEST)
    return path


def test_an_archive_reads_back_verified_with_every_file_and_its_checksum(files, archive, tmp_path):
    out = tmp_path / "out"
    manifest = read_archive(archive, out)
    assert manifest["files"]["media/ledger/2026/签到表.pdf"] == {
        "size": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest(),
    }
    assert manifest["database"] == MANIFEST["database"]
    assert (out / "media/ledger/2026/签到表.pdf").read_bytes() == PDF
    assert (out / "database.sqlite3").read_bytes() == files[0].path.read_bytes()
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds password hashes
    assert not archive.with_name("backup.tar.gz.partial").exists()


def test_reading_without_a_folder_only_verifies(files, archive):
    assert read_archive(archive, None)["files"].keys() == {m.name for m in files}


def test_a_file_whose_content_differs_from_its_size_fails_the_backup_and_leaves_no_archive(
    files, tmp_path
):
    # /proc files report size 0 and yet have content, as a file being written to would.
    growing = Member("media/status.txt", Path("/proc/self/status"))
    out = tmp_path / "b.tar.gz"
    with pytest.raises(BackupError, match="文件在备份过程中被改动：media/status.txt，请重新备份"):
        write_archive(out, [files[0], growing], MANIFEST)
    assert list(tmp_path.glob("b.tar.gz*")) == []


# -- bad archives ----------------------------------------------------------------------------


def rebuild(path: Path, members: dict[str, bytes], kind=tarfile.REGTYPE) -> Path:
    """A tar.gz holding exactly `members` (name → bytes), as a hand-made or altered archive."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.type = len(data), kind
            tar.addfile(info, io.BytesIO(data))
    return path


def contents(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}


def refused(archive: Path, tmp_path: Path) -> str:
    with pytest.raises(BackupError) as caught:
        read_archive(archive, tmp_path / "out")
    return caught.value.message


def test_a_missing_file_is_refused(tmp_path):
    assert refused(tmp_path / "nothing.tar.gz", tmp_path).startswith("找不到备份文件：")


@pytest.mark.parametrize(
    "data", [b"", b"just some text", b"PK\x03\x04 a .docx, say", b"\x1f\x8b\x08\x00garbage"]
)
def test_a_file_that_is_no_gzip_tar_is_refused(tmp_path, data):
    path = tmp_path / "x.tar.gz"
    path.write_bytes(data)
    assert "不是完整的卫健工作台备份文件" in refused(path, tmp_path)


def test_a_truncated_archive_is_refused(archive, tmp_path):
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])  # a copy interrupted half-way
    assert "不是完整的卫健工作台备份文件" in refused(archive, tmp_path)


def test_an_archive_without_manifest_is_refused(archive, tmp_path):
    members = contents(archive)
    del members["manifest.json"]
    path = rebuild(tmp_path / "y.tar.gz", members)
    assert refused(path, tmp_path) == "备份文件中没有清单 manifest.json，不是卫健工作台的备份文件"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda m: m.update(format_version=FORMAT_VERSION + 1),
            "格式版本为 2，本程序只能恢复版本 1",
        ),
        (lambda m: m.update(format="something-else"), "不是卫健工作台的备份清单"),
        (lambda m: m.update(format_version="1"), "格式版本无效"),
        (lambda m: m.pop("database"), "内容不完整"),
        (lambda m: m["database"].update(file="../etc/passwd"), "内容不完整"),
        (lambda m: m["database"].update(kind="mysql"), "内容不完整"),
        (lambda m: m["database"].update(tables={"auth_user": "many"}), "内容不完整"),
        (lambda m: m["database"].update(migrations={"reporting": "0001"}), "内容不完整"),
    ],
)
def test_a_manifest_of_another_kind_or_newer_format_is_refused(archive, tmp_path, change, message):
    members = contents(archive)
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    assert message in refused(rebuild(tmp_path / "y.tar.gz", members), tmp_path)


def test_a_manifest_that_is_not_json_is_refused(archive, tmp_path):
    members = {**contents(archive), "manifest.json": b"{not json"}
    assert "无法解析" in refused(rebuild(tmp_path / "y.tar.gz", members), tmp_path)


def test_a_changed_file_is_refused_by_its_checksum(archive, tmp_path):
    members = contents(archive)
    data = bytearray(members["database.sqlite3"])
    data[100] ^= 0xFF  # one flipped byte, same size
    members["database.sqlite3"] = bytes(data)
    message = refused(rebuild(tmp_path / "y.tar.gz", members), tmp_path)
    assert message == "备份文件已损坏：1 个文件的大小或校验和与清单不符（如“database.sqlite3”）"


def test_a_listed_file_missing_or_an_unlisted_one_is_refused(archive, tmp_path):
    members = contents(archive)
    pdf = members.pop("media/ledger/2026/签到表.pdf")
    message = refused(rebuild(tmp_path / "y.tar.gz", members), tmp_path)
    assert (
        message == "备份文件不完整：清单中的 1 个文件不在其中（如“media/ledger/2026/签到表.pdf”）"
    )
    members["media/ledger/2026/签到表.pdf"] = pdf
    members["media/extra.txt"] = b"planted"
    message = refused(rebuild(tmp_path / "z.tar.gz", members), tmp_path)
    assert "1 个清单未列出的文件（如“media/extra.txt”）" in message


@pytest.mark.parametrize(
    "name", ["/etc/cron.d/x", "media/../../x", "media/./x", "media", "settings.py", "media\\..\\x"]
)
def test_a_member_outside_the_expected_places_is_refused_before_it_is_written(
    archive, tmp_path, name
):
    members = {name: b"x", **contents(archive)}
    message = refused(rebuild(tmp_path / "y.tar.gz", members), tmp_path)
    assert message == f"备份文件中有不应出现的条目“{name}”（不是普通文件或路径不安全），已拒绝"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*"))


def test_a_link_or_device_member_is_refused(tmp_path):
    path = rebuild(tmp_path / "y.tar.gz", {"media/link": b""}, kind=tarfile.SYMTYPE)
    assert "不应出现的条目“media/link”" in refused(path, tmp_path)


def test_a_member_twice_is_refused(archive, tmp_path):
    path = tmp_path / "y.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [*contents(archive).items(), ("database.sqlite3", b"second")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    assert "“database.sqlite3”出现了两次" in refused(path, tmp_path)


def test_a_file_deleted_while_the_backup_runs_fails_it_and_leaves_no_archive(files, tmp_path):
    gone = Member("media/gone.jpg", tmp_path / "gone.jpg")  # listed, then deleted
    out = tmp_path / "b.tar.gz"
    with pytest.raises(BackupError, match="文件在备份过程中被删除：media/gone.jpg，请重新备份"):
        write_archive(out, [*files, gone], MANIFEST)
    assert list(tmp_path.glob("b.tar.gz*")) == []
