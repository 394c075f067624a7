"""`weijian backup [--out FILE|FOLDER]`: the database and the uploaded files in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from weijian.backup.archive import BackupError
from weijian.backup.operations import describe_manifest, make_backup


class Command(BaseCommand):
    help = (
        "备份数据库和上传文件（$WEIJIAN_VAR_DIR/media）到一个 .tar.gz 归档，附清单和校验和；"
        "网站运行时也可备份"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--out",
            help="备份文件名，或存放备份的文件夹（默认：当前文件夹，文件名 weijian-backup-日期-时间.tar.gz）",
        )

    def handle(self, *args, out: str | None, **options) -> None:
        try:
            path, manifest = make_backup(Path(out) if out else None)
        except BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"备份完成：{path}（{path.stat().st_size} 字节）\n{describe_manifest(manifest)}"
        )
