"""`weijian ledger load`: the built-in ledger types, their figures, indicators and health days."""

from django.core.management.base import BaseCommand

from weijian.ledger.builtin import load_builtin


class Command(BaseCommand):
    help = "载入（或更新）内置台账类型、台账统计数据项、台账指标和卫生健康宣传日历"

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["load"], help="load 载入")

    def handle(self, *args, action: str, **options) -> None:
        summary = load_builtin()
        self.stdout.write(
            f"已载入台账：{summary.types} 个台账类型，{summary.elements} 个统计数据项，"
            f"{summary.indicators} 个指标，{summary.campaigns} 个宣传日/活动月"
        )
