from django.apps import AppConfig


class OnceConfig(AppConfig):
    name = "weijian.once"
    verbose_name = "防重复提交"
