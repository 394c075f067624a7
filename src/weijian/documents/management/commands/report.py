"""`weijian report summary --org CODE --period PERIOD [--template CODE] --out FILE.docx` and
`weijian report plan --org CODE --year 2027 [--out FILE.docx]`: the document and, beside it,
FILE.provenance.json (one entry per printed number)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.http import Http404

from weijian.api.management.commands._base import ActingCommand
from weijian.documents.actions import DocumentError, build, generate, parse_date, visible_unit
from weijian.documents.docx import final_copy
from weijian.documents.specs import builtin_specs


class Command(ActingCommand):
    help = "生成工作总结（summary）或下一年度工作计划（plan）的 Word 文档及其数据来源文件"

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        summary = sub.add_parser("summary", help="工作总结")
        summary.add_argument("--org", required=True, help="机构编码，如 RMYY")
        summary.add_argument(
            "--period",
            required=True,
            help="期间：2026S1、2025、2026Q3、202607 或 2026-01-01~2026-03-15",
        )
        summary.add_argument("--template", help=f"模板编码（{'、'.join(builtin_specs())}）")
        summary.add_argument("--out", required=True, help="输出的 .docx 文件")
        summary.add_argument(
            "--any-unit-type", action="store_true", help="模板不适用于该类单位时仍然使用"
        )
        plan = sub.add_parser("plan", help="下一年度工作计划")
        plan.add_argument("--org", required=True, help="机构编码")
        plan.add_argument("--year", required=True, help="计划年度，如 2027")
        plan.add_argument("--template", default="NEXT_YEAR_PLAN", help="模板编码")
        plan.add_argument("--out", help="输出的 .docx 文件（默认：<机构><年度>工作计划.docx）")
        for p in (summary, plan):
            p.add_argument(
                "--check",
                action="store_true",
                help="检查文稿中与数据矛盾的表述并列出（无则不输出）",
            )
            p.add_argument(
                "--date",
                help="成文日期，如 2026-07-10（默认：补写往期总结取期末后第10天，否则为当天）",
            )
            p.add_argument(
                "--review",
                action="store_true",
                help="输出审阅稿（模板文字黄色标出，供核对）；默认输出定稿，同网页上的“下载”",
            )
            ActingCommand.add_arguments(self, p)
        plan.add_argument(
            "--save",
            action="store_true",
            help="同时保存到系统（计划任务可在该年度总结中报告落实情况）",
        )

    def handle(self, *args, **options) -> None:
        user = self.acting_user(options["user"])
        try:
            unit = visible_unit(user, options["org"])
        except Http404:
            raise CommandError(f"找不到机构“{options['org']}”，或不在用户的权限范围内") from None
        period = options["period"] if options["what"] == "summary" else options["year"]
        out = Path(options["out"] or f"{unit.code}-{period}-plan.docx")
        if out.suffix.lower() != ".docx":
            raise CommandError("输出文件应以 .docx 结尾")
        try:
            date = parse_date(options.get("date") or "")
            if options["what"] == "plan" and options.get("save"):
                row = generate(user, unit.code, period, options["template"], date=date)
                self.stdout.write(f"已保存计划及其任务（文档编号 {row.pk}）")
            force = bool(options.get("any_unit_type"))
            composed = build(unit, period, options["template"], date=date, force=force)
        except DocumentError as exc:
            raise CommandError(exc.message) from None
        out.parent.mkdir(parents=True, exist_ok=True)
        # the 定稿 by default, as the page's 下载: the yellow marks are for reviewing on screen
        out.write_bytes(composed.docx if options.get("review") else final_copy(composed.docx))
        provenance = out.with_suffix(".provenance.json")
        provenance.write_text(composed.provenance, encoding="utf-8")
        self.stdout.write(
            f"已生成《{composed.document.title}》：{out}（数据来源：{provenance}），"
            f"用时 {composed.seconds:.2f} 秒"
        )
        for note in composed.document.notes:  # what the document leaves out, for the operator
            self.stdout.write(f"提示：{note}")
        if options.get("check"):
            from weijian.documents.queries import check_document

            findings = check_document(composed.document)
            for finding in findings:
                self.stdout.write(f"矛盾：{finding}")
            self.stdout.write(f"检查完毕：发现 {len(findings)} 处与数据矛盾的表述")
