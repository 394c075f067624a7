"""`weijian analytics --dx A;B --pe 2026Q1 --ou DEMO;LEVEL-2 [--json]`: the API's answer.

`weijian analytics verify` recomputes the rollups from the data values (and the completeness
rollups from the submissions and assignments) and names every cell that differs (exit status
1 if any); `weijian analytics rebuild` reinstalls the triggers (which hold the time zone) and
recomputes the rollups in place (after a migration, a repair, a change of WEIJIAN_TIME_ZONE,
or a difference verify found); `weijian analytics compact` folds the writers' rollup rows
into one per cell (PostgreSQL; run it from cron every few minutes, see rollups.compact), or
with `--loop SECONDS` keeps doing so every SECONDS until stopped (installs without cron);
`weijian analytics partitions` creates this year's and next year's data-value partitions and
moves any rows the DEFAULT partition holds into partitions of their own (PostgreSQL, daily
cron; see reporting/partitions.py)."""

import json
import time

from django.core.management.base import CommandError
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from weijian.api import analytics_table, dimensions
from weijian.api.errors import ApiError
from weijian.reporting import partitions, rollups

from ._base import ActingCommand


class Command(ActingCommand):
    help = "计算指标或数据元（与 /api/analytics 的结果相同），按表格或 JSON 输出"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "action", nargs="?", choices=["verify", "rebuild", "compact", "partitions"],
            help="verify：核对汇总表与数据值；rebuild：按数据值重建汇总表；"
            "compact：合并各连接写入的汇总行；partitions：建好今明两年的数据值分区"
            "（不写则计算指标）",
        )  # fmt: skip
        parser.add_argument("--dx", help="指标或数据元编码，用 ; 分隔")
        parser.add_argument("--pe", help="期间，如 2026Q1;2026S1 或 LAST_12_MONTHS")
        parser.add_argument("--ou", help="机构编码，可加 LEVEL-n、CHILDREN")
        parser.add_argument(
            "--output-id-scheme", default="CODE", help="UID、CODE 或 NAME（默认 CODE）"
        )
        parser.add_argument("--skip-rounding", action="store_true", help="不按指标小数位数取舍")
        parser.add_argument("--json", action="store_true", help="输出与接口相同的 JSON")
        parser.add_argument(
            "--loop", type=float, metavar="SECONDS",
            help="与 compact 同用：每隔 SECONDS 秒合并一次，直到按 Ctrl-C 或收到停止信号",
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        if options["loop"] is not None:
            return self.compact_every(options["action"], options["loop"])
        if options["action"]:
            return self.maintain_rollups(options["action"])
        missing = [f"--{name}" for name in ("dx", "pe", "ou") if not options[name]]
        if missing:
            raise CommandError(
                f"请给出 {'、'.join(missing)}（或 verify、rebuild、compact、partitions 之一）"
            )
        user = self.acting_user(options["user"])
        dims = [f"dx:{options['dx']}", f"pe:{options['pe']}", f"ou:{options['ou']}"]
        try:
            request = dimensions.parse_request(user, dims, [])
            scheme = dimensions.parse_output_scheme(options["output_id_scheme"])
            answer = analytics_table.build(request, scheme, options["skip_rounding"], False)
        except ApiError as exc:
            raise CommandError(exc.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
            return
        names = {key: item.get("name", key) for key, item in answer["metaData"]["items"].items()}
        for dx, pe, ou, value in answer["rows"]:
            self.stdout.write(
                f"{names.get(dx, dx)}\t{names.get(pe, pe)}\t{names.get(ou, ou)}\t{value}"
            )
        self.stdout.write(f"共 {len(answer['rows'])} 行")

    def compact_every(self, action: str | None, seconds: float) -> None:
        """For installs without cron: compact, sleep, again, until interrupted. A failed
        round (say the database restarting) is logged and retried at the next one."""
        if action != "compact":
            raise CommandError("--loop 只能与 compact 同用：weijian analytics compact --loop 300")
        if not seconds > 0:
            raise CommandError("--loop 的间隔须为正数（秒），如 300")
        try:
            while True:
                try:
                    self.maintain_rollups("compact")
                except DatabaseError as exc:
                    self.stderr.write(f"本轮合并失败，{seconds:g} 秒后重试：{exc}")
                    connections.close_all()  # a broken connection: the next round reconnects
                time.sleep(seconds)
        except KeyboardInterrupt:
            self.stdout.write("已停止定时合并")

    def maintain_rollups(self, action: str) -> None:
        started = time.monotonic()
        if action == "rebuild":
            with transaction.atomic():
                rollups.install_triggers()
                written = rollups.rebuild()
            self.stdout.write(
                f"已按数据值重建汇总表：合计/计数 {written['values']:,} 行，"
                f"期末值链 {written['last']:,} 行，上报完整性 {written['completeness']:,} 行"
                f"（{time.monotonic() - started:.1f} 秒）"
            )
            return
        if action == "partitions":
            return self.add_partitions()
        if action == "compact":
            folded = rollups.compact()
            self.stdout.write(
                f"已合并汇总表：{folded:,} 行并入合计行（{time.monotonic() - started:.1f} 秒）"
            )
            return
        count, differences = rollups.verify()
        for difference in differences:
            self.stdout.write(difference.describe())
        seconds = f"{time.monotonic() - started:.1f} 秒"
        if count:
            shown = f"（以上列出前 {len(differences)} 个）" if count > len(differences) else ""
            raise CommandError(
                f"汇总表与数据值有 {count} 处不一致{shown}；"
                f"请运行 weijian analytics rebuild 重建（{seconds}）"
            )
        self.stdout.write(f"汇总表与数据值一致，无差异（{seconds}）")

    def add_partitions(self) -> None:
        if not partitions.is_partitioned():
            self.stdout.write("数据值表未分区（SQLite 不分区），无需操作")
            return
        try:
            done = partitions.ensure(timezone.localdate())
        except DatabaseError as exc:  # the lock timeout: saves were running; cron retries
            raise CommandError(f"未能新建分区（数据库忙，下次再试）：{exc}") from None
        if done.created:
            years = "、".join(f"{year} 年" for year in done.created)
            self.stdout.write(f"已新建数据值分区：{years}；从默认分区移入 {done.moved:,} 行")
        self.stdout.write(
            f"数据值分区 {len(partitions.partitions())} 个，"
            f"默认分区 {partitions.default_rows():,} 行"
        )
