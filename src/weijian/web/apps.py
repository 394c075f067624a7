from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "weijian.web"
    verbose_name = "页面"

    def ready(self) -> None:
        from django.contrib import admin

        admin.site.site_header = "卫健工作台 · 系统管理"
        admin.site.site_title = "卫健工作台"
        admin.site.index_title = "组织机构与报表管理"
        # The admin edits the whole district's metadata, so it is for superusers only;
        # everyone else works through the scoped pages.
        admin.site.has_permission = lambda request: bool(
            request.user.is_active and request.user.is_superuser
        )
