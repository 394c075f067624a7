from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "weijian.inspections"
    verbose_name = "督查检查"
