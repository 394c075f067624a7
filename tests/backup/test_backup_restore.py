"""`weijian backup` then `weijian restore` into a fresh database gives back the same system:
the same analytics, the same audit trails (timestamps to the microsecond), the same uploaded
files. A database or media folder holding data is not overwritten without --force, and a bad or
foreign archive changes nothing. On SQLite and on PostgreSQL (whichever the suite runs on)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from tests.backup.snapshot import snapshot
from tests.served import WEIJIAN
from weijian.backup.archive import Member, read_archive, write_archive
from weijian.demo.load import load_demo
from weijian.orgs.models import OrgUnit
from weijian.reporting import actions
from weijian.reporting.models import DataValue, DataValueAudit, Form

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = settings.MEDIA_ROOT / "ledger" / "2026" / "01" / "签到表.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 8)
    return settings.MEDIA_ROOT


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a database that does not exist yet (SQLite) or is empty (PostgreSQL)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = connection.settings_dict["NAME"] + "_restored"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = urlsplit(os.environ["WEIJIAN_DATABASE_URL"])
    yield urlunsplit(url._replace(path=f"/{name}"))
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def in_restored(env: dict, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, env={**os.environ, **env}, cwd=ROOT, capture_output=True, text=True
    )


SNAPSHOT = (
    "import json, django; django.setup(); "
    "from tests.backup.snapshot import snapshot; print(json.dumps(snapshot()))"
)


def test_restore_into_a_fresh_database_gives_the_same_analytics_audit_and_media(
    media, fresh_database, tmp_path
):
    load_demo(months=3)  # its summary document lands in media/documents/
    # A save now: audit timestamps with microseconds (dumpdata would round them).
    this_month = f"{timezone.localdate():%Y%m}"
    neike, workload = User.objects.get(username="neike"), Form.objects.get(code="WORKLOAD")
    unit = OrgUnit.objects.get(code="RMYY_NK")
    actions.save_values(neike, workload, unit, this_month, {("ER_VISITS", "default"): "41"})
    before = snapshot()
    # The save's audit row (the last) has microseconds: isoformat shows them unless they are 0.
    assert "." in before["audit"][-1][1]
    assert len(before["analytics"]) > 1000 and len(before["media"]) == 4

    out = run("backup", "--out", str(tmp_path))
    archive = next(tmp_path.glob("weijian-backup-*.tar.gz"))
    assert f"备份完成：{archive}" in out

    env = {
        "WEIJIAN_DATABASE_URL": fresh_database,
        "WEIJIAN_VAR_DIR": str(tmp_path / "restored-var"),
        "DJANGO_SETTINGS_MODULE": "weijian.settings",
    }
    restored = in_restored(env, WEIJIAN, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "恢复完成" in restored.stdout and "已核对各表行数与备份一致" in restored.stdout
    after = in_restored(env, sys.executable, "-c", SNAPSHOT)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == before


def test_a_database_with_data_is_not_overwritten_without_force(media, world, tmp_path):
    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "41"}
    )
    run("backup", "--out", str(tmp_path / "b.tar.gz"))
    # Work continues after the backup.
    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "42"}
    )
    (media / "later.txt").write_text("uploaded after the backup")

    with pytest.raises(CommandError) as refused:
        run("restore", str(tmp_path / "b.tar.gz"))
    # world: 6 users, 5 units; 1 value saved.
    assert refused.value.args[0] == (
        "目标数据库已有数据（6 个用户、5 个机构、1 个数据值），为防止覆盖，未恢复任何内容；"
        "确认要用备份替换现有的全部数据时，请加 --force"
    )
    assert DataValue.objects.get().value == "42"
    assert (media / "later.txt").exists()

    out = run("restore", str(tmp_path / "b.tar.gz"), "--force")
    assert "恢复完成" in out
    assert DataValue.objects.get().value == "41"  # as backed up
    assert DataValueAudit.objects.count() == 1  # the later change's audit row went with it
    assert not (media / "later.txt").exists()
    assert (media / "ledger" / "2026" / "01" / "签到表.pdf").exists()


def test_a_media_folder_with_files_is_not_overwritten_without_force(media, world, tmp_path):
    run("backup", "--out", str(tmp_path / "b.tar.gz"))
    call_command("flush", interactive=False, verbosity=0)  # an empty database …
    with pytest.raises(CommandError, match=f"上传文件目录 {media} 中已有文件，为防止覆盖"):
        run("restore", str(tmp_path / "b.tar.gz"))  # … but files in the media folder


def test_a_damaged_archive_changes_nothing_even_with_force(media, world, tmp_path):
    archive = tmp_path / "b.tar.gz"
    run("backup", "--out", str(archive))
    data = bytearray(archive.read_bytes())
    archive.write_bytes(bytes(data[: len(data) - 2000]))  # the end of the copy lost
    users = snapshot()["tables"]
    with pytest.raises(CommandError, match="不是完整的卫健工作台备份文件"):
        run("restore", str(archive), "--force")
    with pytest.raises(CommandError, match="不是完整的卫健工作台备份文件"):
        run("restore", str(archive), "--check")
    assert snapshot()["tables"] == users


def rewrite(archive: Path, tmp_path: Path, change) -> Path:
    """The same archive with its manifest changed (checksums recomputed): a foreign backup."""
    folder = tmp_path / "unpacked"
    manifest = read_archive(archive, folder)
    members = [Member(name, folder / name) for name in manifest.pop("files")]
    change(manifest)
    out = tmp_path / "changed.tar.gz"
    write_archive(out, members, manifest)
    return out


def test_a_backup_of_the_other_kind_of_database_is_refused(media, world, tmp_path):
    run("backup", "--out", str(tmp_path / "b.tar.gz"))
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    changed = rewrite(tmp_path / "b.tar.gz", tmp_path, lambda m: m["database"].update(kind=other))
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    with pytest.raises(CommandError) as refused:
        run("restore", str(changed), "--force")
    assert refused.value.args[0] == (
        f"这是 {names[other]} 数据库的备份，当前配置的是 {names[connection.vendor]} 数据库，"
        "不能直接恢复；请用相同类型的数据库恢复"
    )


def test_a_backup_from_a_newer_version_is_refused(media, world, tmp_path):
    run("backup", "--out", str(tmp_path / "b.tar.gz"))
    newer = rewrite(
        tmp_path / "b.tar.gz",
        tmp_path,
        lambda m: m["database"]["migrations"]["reporting"].append("0099_from_the_future"),
    )
    with pytest.raises(
        CommandError, match="含本程序没有的 1 个数据库迁移，如 reporting.0099_from_the_future"
    ):
        run("restore", str(newer), "--force")


def test_check_reports_a_good_archive(media, world, tmp_path):
    run("backup", "--out", str(tmp_path / "b.tar.gz"))
    out = run("restore", str(tmp_path / "b.tar.gz"), "--check")
    assert out.startswith("备份文件完整，校验和全部一致。")
    assert "上传文件 1 个" in out


def test_backup_into_a_missing_folder_is_refused(media, world, tmp_path):
    with pytest.raises(CommandError, match="备份文件所在的文件夹不存在"):
        run("backup", "--out", str(tmp_path / "no" / "such" / "b.tar.gz"))


def test_an_archive_whose_database_dump_cannot_be_read_changes_nothing(media, world, tmp_path):
    """Checksums match (the archive was made that way), but the dump itself is no database:
    the restore stops before committing anything, even with --force."""
    run("backup", "--out", str(tmp_path / "b.tar.gz"))

    def spoil(manifest):
        dump = tmp_path / "unpacked" / manifest["database"]["file"]
        dump.write_bytes(b"not a database dump" * 100)

    spoiled = rewrite(tmp_path / "b.tar.gz", tmp_path, spoil)
    tables = snapshot()["tables"]
    with pytest.raises(CommandError, match="数据库未改动"):
        run("restore", str(spoiled), "--force")
    assert snapshot()["tables"] == tables
    assert (media / "ledger" / "2026" / "01" / "签到表.pdf").exists()


PARTITIONS = (
    "import json, django; django.setup(); from django.db import connection; "
    "cursor = connection.cursor(); cursor.execute('SELECT tableoid::regclass::text, id, value "
    "FROM reporting_datavalue ORDER BY id'); rows = cursor.fetchall(); "
    "from weijian.reporting import partitions; "
    "print(json.dumps([partitions.partitions(), rows]))"
)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's partitions")
def test_a_restore_brings_back_the_partitions_and_where_each_value_lives(
    media, world, fresh_database, tmp_path
):
    from weijian.reporting import partitions

    today = timezone.localdate()
    for period_id, value in ((f"{today:%Y%m}", "41"), ("201901", "7")):  # 2019: DEFAULT
        actions.save_values(
            world.alice, world.form, world.medicine, period_id, {("DIS", "default"): value}
        )
    partitions.ensure(today)  # 2019's partition made, its value moved there
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text, id, value FROM reporting_datavalue ORDER BY id"
        )
        rows = [list(row) for row in cursor.fetchall()]
    assert [row[0] for row in rows] == [
        partitions.partition_name(today.year),
        "reporting_datavalue_y2019",
    ]
    before = [partitions.partitions(), rows]
    run("backup", "--out", str(tmp_path / "b.tar.gz"))

    env = {
        "WEIJIAN_DATABASE_URL": fresh_database,
        "WEIJIAN_VAR_DIR": str(tmp_path / "restored-var"),
        "DJANGO_SETTINGS_MODULE": "weijian.settings",
    }
    restored = in_restored(env, WEIJIAN, "restore", str(tmp_path / "b.tar.gz"))
    assert restored.returncode == 0, restored.stderr
    after = in_restored(env, sys.executable, "-c", PARTITIONS)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == before
    verified = in_restored(env, WEIJIAN, "analytics", "verify")
    assert verified.returncode == 0 and "无差异" in verified.stdout, verified.stdout
