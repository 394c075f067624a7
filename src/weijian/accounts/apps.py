from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "weijian.accounts"
    verbose_name = "账户与安全"
