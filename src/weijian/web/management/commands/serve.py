"""`weijian serve [--port N]`: gunicorn serving the app, static files by whitenoise.

Workers are bounded so that no request, however crafted, holds one for long or keeps its
memory: a worker silent for `--timeout` seconds (60) is killed and replaced, and each worker
is replaced after `--max-requests` requests (1 000, plus up to 10 % jitter so the workers do not
all restart at once), which gives back whatever memory a large import or document left in
the process (CPython rarely returns freed memory to the system)."""

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


def gunicorn_options(
    host: str, port: int, workers: int, timeout: int, max_requests: int
) -> dict[str, object]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "accesslog": "-",
        "timeout": timeout,
        "graceful_timeout": min(timeout, 30),
        "max_requests": max_requests,
        "max_requests_jitter": max(max_requests // 10, 1) if max_requests else 0,
    }


class Command(BaseCommand):
    help = "用 gunicorn 启动网站（默认 127.0.0.1:8000）"

    def add_arguments(self, parser) -> None:
        env = os.environ.get
        parser.add_argument("--host", default=env("WEIJIAN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(env("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(env("WEB_WORKERS", "2")))
        parser.add_argument(
            "--timeout", type=int, default=int(env("WEB_TIMEOUT", "60")),
            help="一个请求最长处理秒数，超时的工作进程被终止并重启",
        )  # fmt: skip
        parser.add_argument(
            "--max-requests", type=int, default=int(env("WEB_MAX_REQUESTS", "1000")),
            help="每个工作进程处理多少个请求后重启（释放内存；0 表示不重启）",
        )  # fmt: skip
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

        config = gunicorn_options(host, port, workers, options["timeout"], options["max_requests"])
        self.stdout.write(f"卫健工作台已启动：http://{host}:{port}/  （按 Ctrl+C 停止）")
        _Gunicorn(application, config).run()
