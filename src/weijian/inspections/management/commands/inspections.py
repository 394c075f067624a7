"""`weijian inspections load [FILE.yaml …]` loads the built-in checklist templates (or the
given files) and the inspection indicators; `weijian inspections escalate` escalates overdue
rectification notices and republishes the overdue figures (run it daily)."""

from django.core.management.base import BaseCommand, CommandError

from weijian.inspections import actions, templates_io


class Command(BaseCommand):
    help = "督查检查：载入内置考评表（load）；逾期整改升级督办（escalate）"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["load", "escalate"])
        parser.add_argument(
            "files", nargs="*", help="load：要载入的 YAML 文件（默认全部内置考评表）"
        )
        parser.add_argument("--days", type=int, default=None, help="escalate：逾期多少天升级")

    def handle(self, *args, what, files, days, **options):
        if what == "load":
            try:
                loaded = templates_io.load_builtin(files or None)
            except templates_io.TemplateFileError as exc:
                raise CommandError(str(exc)) from None
            for item in loaded:
                self.stdout.write(f"{item.code}（{item.version}版）：{item.status}")
            self.stdout.write(
                f"共 {len(loaded)} 张考评表；指标 INSP_RATE_ONTIME、INSP_AVG_SCORE 已载入"
            )
        else:
            escalated = actions.escalate_overdue(days=days)
            for notice in escalated:
                self.stdout.write(
                    f"{notice.number} {notice.org_unit.name} → {notice.escalated_to.name}"
                )
            self.stdout.write(f"升级督办 {len(escalated)} 份逾期整改通知书")
