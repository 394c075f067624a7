from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("weijian.web.urls")),
]

handler400 = "weijian.web.views.errors.bad_request"
handler404 = "weijian.web.views.errors.not_found"
handler403 = "weijian.web.views.errors.forbidden"
handler500 = "weijian.web.views.errors.server_error"
