from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def _reinstall_form_stamp(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    # A migration that rebuilds a table on SQLite (most column changes) drops its triggers:
    # without them the cached form cells would outlive a change (form_cells_cache.py).
    if using != DEFAULT_DB_ALIAS:
        return
    from . import form_cells_cache

    form_cells_cache.install()


class ReportingConfig(AppConfig):
    name = "weijian.reporting"
    verbose_name = "报表填报"

    def ready(self) -> None:
        post_migrate.connect(_reinstall_form_stamp, sender=self)
