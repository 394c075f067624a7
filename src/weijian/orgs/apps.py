from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "weijian.orgs"
    verbose_name = "组织机构"
