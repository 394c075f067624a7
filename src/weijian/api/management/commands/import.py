"""`weijian import metadata FILE.json` and `weijian import values FILE.json|FILE.csv`:
the same importers as POST /api/metadata and POST /api/dataValueSets."""

import json
from pathlib import Path

from django.core.management.base import CommandError

from weijian.api import metadata_import, value_import, value_rows
from weijian.api.errors import ApiError

from ._base import ActingCommand


class Command(ActingCommand):
    help = "导入 DHIS2 格式的元数据（JSON）或数据值（JSON/CSV）"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("kind", choices=["metadata", "values"], help="metadata 或 values")
        parser.add_argument("file", help="文件路径（.json，数据值也可用 .csv）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")
        parser.add_argument("--id-scheme", default=None, help="数据值的编码方式：UID、CODE 或 NAME")

    def handle(self, *args, kind: str, file: str, dry_run: bool, id_scheme, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件“{file}”")
        acting = self.acting_user(user)
        try:
            report = (
                self._metadata(acting, path, dry_run)
                if kind == "metadata"
                else self._values(acting, path, dry_run, id_scheme)
            )
        except ApiError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))

    def _metadata(self, user, path: Path, dry_run: bool):
        options = metadata_import.MetadataOptions(dry_run=dry_run)
        return metadata_import.import_metadata(user, _json(path), options)

    def _values(self, user, path: Path, dry_run: bool, id_scheme):
        query = {"dryRun": "true" if dry_run else "false"}
        if id_scheme:
            query["idScheme"] = id_scheme
        if path.suffix.lower() == ".csv":
            rows = value_rows.rows_from_csv(value_rows.decode_csv(path.read_bytes()))
            return value_import.import_values(
                user, rows, value_import.ImportOptions.from_sources(query)
            )
        payload = _json(path)
        options = value_import.ImportOptions.from_sources(query, payload)
        return value_import.import_values(user, value_rows.rows_from_json(payload), options)


def _json(path: Path) -> dict:
    try:
        payload = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"文件“{path.name}”不是有效的 JSON：{exc}") from None
    if not isinstance(payload, dict):
        raise CommandError(f"文件“{path.name}”的内容应为 JSON 对象")
    return payload
