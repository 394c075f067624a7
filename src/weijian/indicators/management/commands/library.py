"""`weijian library load`: load the national indicator library shipped with the package."""

from django.core.management.base import BaseCommand, CommandError

from weijian.indicators.library.files import LibraryError, read_library
from weijian.indicators.library_sync import load_library


class Command(BaseCommand):
    help = "载入（或更新）随系统提供的国家指标库：指标、来源文件和校验规则"

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["load", "check"], help="load 载入；check 只检查文件")

    def handle(self, *args, action: str, **options) -> None:
        try:
            library = read_library()
        except LibraryError as exc:
            raise CommandError(str(exc)) from None
        if action == "check":
            self.stdout.write(f"指标库文件无误：{len(library.indicators)} 个指标")
            return
        summary = load_library(library)
        self.stdout.write(
            f"已载入指标库：{summary.sources} 份来源文件，{summary.indicators} 个指标，"
            f"{summary.validation_rules} 条校验规则"
        )
        if summary.retired_rules:
            self.stdout.write(
                f"已删除指标库文件中不再有的 {len(summary.retired_rules)} 条校验规则："
                + "、".join(summary.retired_rules)
            )
