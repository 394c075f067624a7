"""The backup archive, Django-free: a gzip-compressed tar of the database dump, the media files
and `manifest.json`, which describes the backup and lists every other member with its size
and SHA-256.

    database.sqlite3 | database.pgdump     the database (SQLite file, or pg_dump -Fc)
    media/<path>                           every file under $WEIJIAN_VAR_DIR/media
    manifest.json                          written last, once every checksum is known

manifest.json:

    {"format": "weijian-backup", "format_version": 1, "created_at": "2026-12-07T02:00:00+08:00",
     "weijian_version": "0.1.0",
     "database": {"kind": "sqlite" | "postgresql", "file": "database.sqlite3",
                  "server_version": "3.40.1", "tables": {"<table>": <rows>, …},
                  "migrations": {"<app>": ["0001_initial", …], …}},
     "files": {"database.sqlite3": {"size": 30085120, "sha256": "…"}, "media/…": {…}, …}}

Reading refuses, in Chinese and before anything is restored: a file that is not a complete
gzip tar, an archive without a manifest or of a newer format, members that are not plain files
or whose paths leave the extraction folder, members missing from or not listed in the
manifest, and any size or checksum that differs.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FORMAT = "weijian-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = ("database.sqlite3", "database.pgdump")
DATABASE_KINDS = ("sqlite", "postgresql")
MEDIA = "media"
CHUNK = 1024 * 1024
MANIFEST_MAX_BYTES = 64 * 1024 * 1024


class BackupError(Exception):
    """A refused backup or restore; `message` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Member:
    """A file to put into the archive under `name`."""

    name: str
    path: Path


def write_archive(out: Path, members: Iterable[Member], manifest: dict) -> dict:
    """Write the members, then manifest.json with their sizes and checksums, to `out`.

    The archive appears under its name only once complete (a `.partial` file is renamed), so a
    backup interrupted half-way never looks like a good one; it is readable by its owner only,
    as it holds every account's password hash. Returns the manifest written."""
    partial = out.with_name(out.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with (
            os.fdopen(descriptor, "wb") as raw,
            tarfile.open(
                fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT
            ) as tar,
        ):
            files = {member.name: _add(tar, member) for member in members}
            manifest = {**manifest, "files": files}
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            tar.addfile(_info(MANIFEST, len(data), time.time()), io.BytesIO(data))
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _info(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o600
    return info


class _Hashing:
    """A file object that hashes what is read through it."""

    def __init__(self, file) -> None:
        self.file, self.digest, self.size = file, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add(tar: tarfile.TarFile, member: Member) -> dict:
    try:
        file = open(member.path, "rb")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        raise BackupError(f"文件在备份过程中被删除：{member.name}，请重新备份") from None
    with file:
        stat = os.fstat(file.fileno())
        reader = _Hashing(file)
        try:
            tar.addfile(_info(member.name, stat.st_size, stat.st_mtime), reader)
        except OSError:  # the file shrank while it was read
            raise BackupError(f"文件在备份过程中被改动：{member.name}，请重新备份") from None
        if file.read(1):
            raise BackupError(f"文件在备份过程中被改动：{member.name}，请重新备份")
    return {"size": reader.size, "sha256": reader.digest.hexdigest()}


# -- reading ---------------------------------------------------------------------------------


def read_archive(archive: Path, into: Path | None) -> dict:
    """Extract `archive` into the folder `into` (or only read it, when None) and return its
    manifest, verified: every listed file present with its size and checksum, nothing else,
    nothing outside `into`."""
    if not archive.is_file():
        raise BackupError(f"找不到备份文件：{archive}")
    found: dict[str, dict] = {}
    manifest_data = None
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for info in tar:
                name = _safe_name(info)
                if name in found or (name == MANIFEST and manifest_data is not None):
                    raise BackupError(f"备份文件中“{name}”出现了两次，可能被改动过，已拒绝")
                source = tar.extractfile(info)
                if name == MANIFEST:
                    manifest_data = source.read(MANIFEST_MAX_BYTES + 1)
                else:
                    found[name] = _extract(source, into / name if into else None)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(
            f"“{archive.name}”不是完整的卫健工作台备份文件（无法读取：{exc}）；"
            "文件可能不完整（复制中断）或不是用 weijian backup 生成的"
        ) from None
    manifest = parse_manifest(manifest_data)
    _compare(manifest["files"], found)
    return manifest


def _safe_name(info: tarfile.TarInfo) -> str:
    path = PurePosixPath(info.name)
    unsafe = (
        not info.isfile()
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in info.name.split("/"))
        or "\\" in info.name
        or not (
            info.name in (MANIFEST, *DATABASE_FILES)
            or path.parts[:1] == (MEDIA,)
            and len(path.parts) > 1
        )
    )
    if unsafe:
        raise BackupError(
            f"备份文件中有不应出现的条目“{info.name}”（不是普通文件或路径不安全），已拒绝"
        )
    return info.name


def _extract(source, target: Path | None) -> dict:
    digest, size = hashlib.sha256(), 0
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") if target else contextlib.nullcontext() as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if out:
                out.write(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def parse_manifest(data: bytes | None) -> dict:
    if data is None:
        raise BackupError("备份文件中没有清单 manifest.json，不是卫健工作台的备份文件")
    if len(data) > MANIFEST_MAX_BYTES:
        raise BackupError("备份清单 manifest.json 过大，不是卫健工作台的备份清单")
    try:
        manifest = json.loads(data)
    except ValueError:
        raise BackupError("备份清单 manifest.json 无法解析，文件可能已损坏") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("manifest.json 不是卫健工作台的备份清单")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise BackupError("备份清单中的格式版本无效")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"该备份的格式版本为 {version}，本程序只能恢复版本 {FORMAT_VERSION} 及以前的备份，"
            "请先升级卫健工作台"
        )
    files, database = manifest.get("files"), manifest.get("database")
    good_files = isinstance(files, dict) and all(
        isinstance(f, dict) and isinstance(f.get("size"), int) and isinstance(f.get("sha256"), str)
        for f in files.values()
    )
    good_database = (
        isinstance(database, dict)
        and database.get("kind") in DATABASE_KINDS
        and database.get("file") in DATABASE_FILES
        and _all(database.get("tables"), lambda rows: isinstance(rows, int))
        and _all(
            database.get("migrations"),
            lambda names: isinstance(names, list) and all(isinstance(n, str) for n in names),
        )
    )
    if not (good_files and good_database) or database["file"] not in files:
        raise BackupError("备份清单 manifest.json 内容不完整，文件可能已损坏")
    return manifest


def _all(mapping, test) -> bool:
    return isinstance(mapping, dict) and all(test(value) for value in mapping.values())


def _compare(listed: dict[str, dict], found: dict[str, dict]) -> None:
    missing = sorted(listed.keys() - found.keys())
    if missing:
        raise BackupError(
            f"备份文件不完整：清单中的 {len(missing)} 个文件不在其中（如“{missing[0]}”）"
        )
    unlisted = sorted(found.keys() - listed.keys())
    if unlisted:
        raise BackupError(
            f"备份文件中有 {len(unlisted)} 个清单未列出的文件（如“{unlisted[0]}”），可能被改动过，已拒绝"
        )
    damaged = sorted(name for name in listed if listed[name] != found[name])
    if damaged:
        raise BackupError(
            f"备份文件已损坏：{len(damaged)} 个文件的大小或校验和与清单不符（如“{damaged[0]}”）"
        )
