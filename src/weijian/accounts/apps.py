from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "weijian.accounts"
    verbose_name = "账户与安全"

    def ready(self):
        from . import forced  # noqa: F401  (connects the login signal)
