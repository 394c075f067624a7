from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "weijian.governance"
    verbose_name = "领导小组与目标责任书"
