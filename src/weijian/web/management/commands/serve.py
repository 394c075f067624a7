"""`weijian serve [--port N]`: gunicorn serving the app, static files by whitenoise."""

import os
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, app, options: dict) -> None:
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


class Command(BaseCommand):
    help = "用 gunicorn 启动网站（默认 127.0.0.1:8000）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("WEIJIAN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument(
            "--ephemeral-key",
            action="store_true",
            help="未设置 WEIJIAN_SECRET_KEY 时，本次运行使用随机密钥（演示用；停止后会话失效）",
        )

    def handle(self, *args, host: str, port: int, workers: int, **options) -> None:
        if options["ephemeral_key"] and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
            # The demo serves on this machine only; a random key per run beats a public one.
            settings.SECRET_KEY = secrets.token_urlsafe(50)
        from weijian.wsgi import application

        self.stdout.write(f"卫健工作台已启动：http://{host}:{port}/  （按 Ctrl+C 停止）")
        _Gunicorn(
            application,
            {"bind": f"{host}:{port}", "workers": workers, "accesslog": "-", "timeout": 120},
        ).run()
