"""`weijian assessment …`: the assessment from the command line, acting as a user (scope and
permissions as on the pages).

    weijian assessment ranking --scheme RMYY_KSKH --period 202607 [--xlsx 公示.xlsx] [--docx 公示.docx]
    weijian assessment recompute --scheme RMYY_KSKH --period 202608 --user yiyuan
    weijian assessment export --scheme RMYY_KSKH [--number 1] --out 考评表.xlsx
    weijian assessment import --scheme RMYY_KSKH 考评表.xlsx --user yiyuan
"""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from weijian.assessment import excel, outputs, queries
from weijian.assessment.actions import runs
from weijian.assessment.actions.common import AssessmentError
from weijian.assessment.models import Run, Scheme
from weijian.assessment.numbers import pts


class Command(BaseCommand):
    help = "考核：排名与公示（ranking）、重新计算（recompute）、考评表导出/导入（export/import）"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["ranking", "recompute", "export", "import"])
        parser.add_argument("file", nargs="?", help="import：要导入的 .xlsx 文件")
        parser.add_argument("--scheme", required=True, help="方案编码，如 RMYY_KSKH")
        parser.add_argument("--period", help="考核期间，如 202607、2025")
        parser.add_argument("--number", type=int, help="export：版本号（默认最新）")
        parser.add_argument("--out", help="export：输出文件")
        parser.add_argument("--xlsx", help="ranking：另存公示表 .xlsx")
        parser.add_argument("--docx", help="ranking：另存公示 .docx")
        parser.add_argument("--user", help="以哪个用户的权限执行（默认：第一个超级用户）")

    def handle(self, *args, what, **options):
        user = self._user(options["user"])
        scheme = Scheme.objects.filter(code=options["scheme"]).first()
        if scheme is None or scheme not in queries.schemes_for(user):
            raise CommandError(f"找不到方案“{options['scheme']}”（或不在您的权限范围内）")
        try:
            getattr(self, f"_{what}")(user, scheme, options)
        except AssessmentError as exc:
            raise CommandError(exc.message) from None

    def _user(self, username):
        qs = User.objects.filter(is_active=True)
        user = (
            qs.filter(username=username).first()
            if username
            else qs.filter(is_superuser=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError(
                f"找不到用户“{username}”" if username else "没有超级用户，请用 --user 指定用户"
            )
        return user

    def _run(self, user, scheme, options) -> Run:
        run = Run.objects.filter(scheme=scheme, period=options["period"] or "").first()
        if run is None or not queries.can_see_run(user, run):
            raise CommandError(f"找不到{options['period']}的考核")
        return run

    def _ranking(self, user, scheme, options):
        run = self._run(user, scheme, options)
        if not queries.can_see_ranking(user, run):
            raise CommandError("考核结果尚未公示，您只能查看本单位结果")
        for r in queries.ranking(run):
            veto = " 一票否决" if r.vetoed else ""
            self.stdout.write(
                f"{r.peer_group or scheme.population}\t{r.rank or '—'}\t{r.org_unit.name}\t{pts(r.total)}\t{r.grade}{veto}"
            )
        if options["xlsx"]:
            Path(options["xlsx"]).write_bytes(outputs.publicity_xlsx(run))
        if options["docx"]:
            Path(options["docx"]).write_bytes(outputs.publicity_docx(run, timezone.localdate()))

    def _recompute(self, user, scheme, options):
        computation = runs.recompute(user, self._run(user, scheme, options))
        self.stdout.write(f"第{computation.number}次计算：{len(computation.changes)} 处变化")
        for change in computation.changes:
            self.stdout.write(
                f"  {change['unit']} {change['what']}：{change['before']} → {change['after']}"
            )

    def _export(self, user, scheme, options):
        versions = scheme.versions.order_by("-number")
        version = (
            versions.filter(number=options["number"]).first()
            if options["number"]
            else versions.first()
        )
        if version is None or not options["out"]:
            raise CommandError("请用 --out 指定输出文件（--number 为已有版本号）")
        Path(options["out"]).write_bytes(excel.export_xlsx(version))
        self.stdout.write(f"已导出第{version.number}版：{options['out']}")

    def _import(self, user, scheme, options):
        if not options["file"]:
            raise CommandError("请给出要导入的 .xlsx 文件")
        draft = excel.import_xlsx(user, scheme, Path(options["file"]).read_bytes())
        self.stdout.write(
            f"已导入为第{draft.number}版草稿（{draft.nodes.count()} 个维度和项目），请检查后发布"
        )
