"""`weijian demo [--no-serve] [--reset] [--port N] [--months N]`: load the demo district, print
the logins, then serve the site."""

import os
import unicodedata

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from weijian.demo.load import (
    DemoError,
    DemoSummary,
    ensure_partitions,
    load_demo,
    reset_all_data,
)
from weijian.demo.users import DEMO_PASSWORD, LOGINS


class Command(BaseCommand):
    help = "载入演示区县（示范区卫生健康局及其所属机构、报表和36个月的数据），打印演示账号，然后启动网站"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="只载入数据，不启动网站")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="先清空数据库中的全部数据（同 weijian flush），再载入演示数据",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT", "8000")),
            help="网站端口（默认取环境变量 PORT 或 8000）",
        )
        parser.add_argument(
            "--months", type=int, default=36, help="生成多少个月的数据（默认 36，截至上月）"
        )

    def handle(self, *args, no_serve: bool, reset: bool, port: int, months: int, **options) -> None:
        # A database that was never migrated (a new WEIJIAN_VAR_DIR, a new PostgreSQL database)
        # would otherwise end in a traceback from the first query; `make demo` migrates first.
        if "reporting_datavalue" not in connection.introspection.table_names():
            raise CommandError("数据库尚未建表：请先运行 weijian migrate，再运行 weijian demo")
        try:
            if 1 <= months <= 120:  # load_demo says why not otherwise
                ensure_partitions(months=months)  # committed first: see its docstring
            with transaction.atomic():
                if reset:
                    self.stdout.write("清空现有数据……")
                    reset_all_data()
                summary = load_demo(months=months, stdout=self.stdout)
        except DemoError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(describe(summary))
        self.stdout.write(logins_table())
        if not no_serve:
            call_command("serve", port=port, ephemeral_key=True)


def describe(s: DemoSummary) -> str:
    statuses = "，".join(f"{_STATUS_LABELS.get(k, k)} {v}" for k, v in sorted(s.statuses.items()))
    return (
        f"演示数据已载入（用时 {s.seconds} 秒）：{s.org_units} 个机构/科室，{s.forms} 张报表、{s.elements} 个数据元，"
        f"{s.first_period}–{s.last_period} 共 {s.months} 个月，{s.values} 个数据值，{s.audits} 条修改记录，"
        f"{s.submissions} 份报表（{statuses}），{s.events} 条流程记录；"
        f"国家指标库 {s.indicators} 个指标、{s.validation_rules} 条校验规则，{s.targets} 个本年度目标。\n"
    )


_STATUS_LABELS = {
    "DRAFT": "填报中",
    "SUBMITTED": "已上报待审核",
    "RETURNED": "已退回",
    "APPROVED": "审核通过",
    "LOCKED": "已锁定",
}


def logins_table() -> str:
    header = ("用户名", "密码", "角色", "所属单位", "说明")
    rows = [header] + [
        (lg.username, DEMO_PASSWORD, lg.role_label, lg.unit_name, lg.duty) for lg in LOGINS
    ]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    lines = ["演示账号（密码均为 " + DEMO_PASSWORD + "）："]
    for n, row in enumerate(rows):
        lines.append("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
