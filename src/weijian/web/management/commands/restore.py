"""`weijian restore ARCHIVE [--force] [--check]`: database and uploaded files from a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from weijian.backup.archive import BackupError
from weijian.backup.operations import check_backup, describe_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "从 weijian backup 生成的备份恢复数据库和上传文件；目标数据库须为新建或空的数据库"
        "（已有数据时需加 --force 才会整体替换）。恢复前请先停止网站"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="备份文件（.tar.gz）")
        parser.add_argument(
            "--force", action="store_true", help="目标数据库或上传文件目录已有数据时，整体替换"
        )
        parser.add_argument(
            "--check", action="store_true", help="只检查备份文件是否完整（校验和），不恢复"
        )

    def handle(self, *args, archive: str, force: bool, check: bool, **options) -> None:
        try:
            if check:
                manifest = check_backup(Path(archive))
                self.stdout.write(f"备份文件完整，校验和全部一致。\n{describe_manifest(manifest)}")
                return
            restored = restore_backup(Path(archive), force=force)
        except BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"恢复完成：{describe_manifest(restored.manifest)}；已核对各表行数与备份一致。"
        )
        for note in restored.notes:
            self.stdout.write(note)
