from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "weijian.documents"
    verbose_name = "工作总结"
