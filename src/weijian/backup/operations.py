"""The two operations behind `weijian backup` and `weijian restore`."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import databases
from .archive import (
    FORMAT,
    FORMAT_VERSION,
    MEDIA,
    BackupError,
    Member,
    read_archive,
    write_archive,
)


def default_name() -> str:
    return f"weijian-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def make_backup(out: Path | None = None) -> tuple[Path, dict]:
    """Back up the database and every media file into one archive; returns (path, manifest).

    `out` is a file name, or a folder to put a dated archive in (default: the working folder).
    The database is copied first, then the media files, so a file uploaded meanwhile may be
    in the archive without its row, and none that the copied database refers to is left out; a
    file deleted or changed while it is copied fails the backup (run it again)."""
    out = Path(out) if out else Path.cwd()
    if out.is_dir():
        out = out / default_name()
    if not out.parent.is_dir():
        raise BackupError(f"备份文件所在的文件夹不存在：{out.parent}")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".weijian-backup-") as staging:
        dump = databases.dump(Path(staging))
        media = _media_members(media_root)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "weijian_version": _version(),
            "database": {
                "kind": dump.kind,
                "file": dump.file.name,
                "server_version": dump.server_version,
                "tables": dump.tables,
                "migrations": dump.migrations,
            },
        }
        members = [Member(dump.file.name, dump.file), *media]
        return out, write_archive(out, members, manifest)


def _media_members(root: Path) -> list[Member]:
    if not root.is_dir():
        return []
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    return [Member(f"{MEDIA}/{p.relative_to(root).as_posix()}", p) for p in files]


def _version() -> str:
    try:
        return version("weijian")
    except PackageNotFoundError:
        return "unknown"


@dataclass
class Restored:
    manifest: dict
    notes: list[str] = field(default_factory=list)


def check_backup(archive: Path) -> dict:
    """Read and verify an archive without restoring anything; returns its manifest."""
    return read_archive(Path(archive), None)


def restore_backup(archive: Path, *, force: bool = False) -> Restored:
    """Restore database and media from `archive` into the configured database and media folder.

    Everything is checked before anything changes: the archive whole (checksums), the kind of
    database, the program being at least as new as the backup, and — unless `force` — that the
    database and media folder hold no data yet. The database is replaced in one transaction;
    the media folder is then swapped for the archive's in one rename."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Next to the media folder, so the restored folder moves into place by a rename.
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".weijian-restore-") as staging:
        staged = Path(staging)
        manifest = read_archive(Path(archive), staged)
        database = manifest["database"]
        _refuse_unless_restorable(database, media_root, force)
        databases.restore(staged / database["file"])
        _verify_rows(database["tables"])
        _swap_media(staged / MEDIA, media_root)
        restored = Restored(manifest)
    pending = databases.pending_migrations()
    if pending:
        restored.notes.append(
            f"备份来自较早的版本，数据库还缺 {len(pending)} 个迁移（如 {pending[0]}），"
            "请运行 weijian migrate 后再启动网站"
        )
    return restored


def _refuse_unless_restorable(database: dict, media_root: Path, force: bool) -> None:
    here = databases.kind()
    if database.get("kind") != here:
        names = databases.KIND_NAMES
        raise BackupError(
            f"这是 {names.get(database.get('kind'), str(database.get('kind')))} 数据库的备份，"
            f"当前配置的是 {names[here]} 数据库，不能直接恢复；请用相同类型的数据库恢复"
        )
    newer = databases.unknown_migrations(database["migrations"])
    if newer:
        raise BackupError(
            f"该备份来自较新的卫健工作台（含本程序没有的 {len(newer)} 个数据库迁移，如 {newer[0]}），"
            "请先升级程序再恢复"
        )
    if force:
        return
    held = databases.content()
    if held:
        raise BackupError(
            f"目标数据库已有数据（{databases.describe_content(held)}），为防止覆盖，未恢复任何内容；"
            "确认要用备份替换现有的全部数据时，请加 --force"
        )
    if media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupError(
            f"上传文件目录 {media_root} 中已有文件，为防止覆盖，未恢复任何内容；"
            "确认要用备份替换时，请加 --force"
        )


def _verify_rows(expected: dict[str, int]) -> None:
    found = databases.current_counts()
    differ = sorted(t for t in expected.keys() | found.keys() if expected.get(t) != found.get(t))
    if differ:
        table = differ[0]
        if table not in found:
            detail = f"表 {table} 不存在"
        elif table not in expected:
            detail = f"多出了备份中没有的表 {table}"
        else:
            detail = f"表 {table} 应有 {expected[table]} 行，实有 {found[table]} 行"
        raise BackupError(f"恢复后核对不符：{detail}（共 {len(differ)} 张表不符）")


def _swap_media(staged: Path, media_root: Path) -> None:
    staged.mkdir(exist_ok=True)  # a backup without media files restores an empty folder
    if media_root.exists():
        replaced = staged.parent / "replaced-media"
        media_root.rename(replaced)
    staged.rename(media_root)
    # The replaced folder, if any, goes with the staging folder.


def describe_manifest(manifest: dict) -> str:
    database = manifest["database"]
    rows = sum(database["tables"].values())
    media = [f["size"] for name, f in manifest["files"].items() if name.startswith(f"{MEDIA}/")]
    return (
        f"{manifest.get('created_at', '?')} 的备份（卫健工作台 {manifest.get('weijian_version', '?')}）："
        f"{databases.KIND_NAMES.get(database['kind'], database['kind'])} 数据库 "
        f"{len(database['tables'])} 张表共 {rows} 行，上传文件 {len(media)} 个（{_size(sum(media))}）"
    )


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return ""
