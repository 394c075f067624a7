from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "weijian.indicators"
    verbose_name = "指标"
