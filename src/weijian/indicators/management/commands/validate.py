"""`weijian validate --ou CODE --pe PERIOD`: run every validation rule over a subtree."""

from django.core.management.base import BaseCommand, CommandError

from weijian import periods
from weijian.indicators.validation import run_for_subtree
from weijian.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "对某机构及其下属单位、某期间内的数据运行全部校验规则，列出违反的规则"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--ou", required=True, help="机构编码，如 RMYY")
        parser.add_argument("--pe", required=True, help="期间，如 202610、2026Q3、2026")

    def handle(self, *args, ou: str, pe: str, **options) -> None:
        unit = OrgUnit.objects.filter(code=ou).first()
        if unit is None:
            raise CommandError(f"找不到机构编码“{ou}”")
        try:
            period = periods.parse(pe)
        except periods.PeriodError as exc:
            raise CommandError(str(exc)) from None
        violations = run_for_subtree(unit, period)
        for v in violations:
            self.stdout.write(
                f"[{v.rule.get_importance_display()}] {v.org_unit.ancestor_names()} "
                f"{v.period.label}：{v.message}"
            )
        self.stdout.write(
            f"共 {len(violations)} 条违反校验规则的记录（{unit.name}，{period.label}）"
        )
