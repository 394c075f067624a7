from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "weijian.api"
    label = "weijian_api"
    verbose_name = "接口"
