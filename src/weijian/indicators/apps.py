from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "weijian.indicators"
    verbose_name = "指标"

    def ready(self) -> None:
        from weijian.reporting.checks import register_submit_check

        from .validation import check_submission

        register_submit_check(check_submission)
