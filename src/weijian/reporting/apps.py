from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "weijian.reporting"
    verbose_name = "报表填报"
