"""`weijian unlock USERNAME`: lift a login lockout (recorded as an account event)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from weijian.accounts import actions


class Command(BaseCommand):
    help = "解除用户的登录锁定（登录失败次数过多被锁定时）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"找不到用户“{username}”")
        cleared = actions.unlock(user, detail="命令行 weijian unlock")
        self.stdout.write(f"已解除“{username}”的登录锁定（清除失败记录 {cleared} 条）")
