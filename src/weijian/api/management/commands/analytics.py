"""`weijian analytics --dx A;B --pe 2026Q1 --ou DEMO;LEVEL-2 [--json]`: the API's answer."""

import json

from django.core.management.base import CommandError

from weijian.api import analytics_table, dimensions
from weijian.api.errors import ApiError

from ._base import ActingCommand


class Command(ActingCommand):
    help = "计算指标或数据元（与 /api/analytics 的结果相同），按表格或 JSON 输出"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--dx", required=True, help="指标或数据元编码，用 ; 分隔")
        parser.add_argument("--pe", required=True, help="期间，如 2026Q1;2026S1 或 LAST_12_MONTHS")
        parser.add_argument("--ou", required=True, help="机构编码，可加 LEVEL-n、CHILDREN")
        parser.add_argument(
            "--output-id-scheme", default="CODE", help="UID、CODE 或 NAME（默认 CODE）"
        )
        parser.add_argument("--skip-rounding", action="store_true", help="不按指标小数位数取舍")
        parser.add_argument("--json", action="store_true", help="输出与接口相同的 JSON")

    def handle(self, *args, **options) -> None:
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
