from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "weijian.ledger"
    verbose_name = "工作台账"
