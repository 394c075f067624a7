"""Shared by the API's command-line twins: who the command acts as."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError


class ActingCommand(BaseCommand):
    """A command that acts as a user, so scope and permissions are the API's own."""

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user", help="以哪个用户的权限执行（默认：第一个超级用户）")

    def acting_user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"找不到用户“{username}”（或该用户已停用）")
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("数据库中没有超级用户，请用 --user 指定用户")
        return user
