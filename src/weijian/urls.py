from django.contrib import admin
from django.urls import include, path

from weijian.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("ledger/", include("weijian.ledger.urls")),
    path("inspections/", include("weijian.inspections.urls")),
    path("assessment/", include("weijian.assessment.urls")),  # 考核与绩效 (issue 12)
    path("", include("weijian.documents.urls")),
    path("", include("weijian.governance.urls")),
    path("", include("weijian.surveys.urls")),
    path("", include("weijian.accounts.urls")),
    path("", include("weijian.reminders.urls")),
    path("", include("weijian.web.urls")),
]

handler400 = "weijian.web.views.errors.bad_request"
handler404 = "weijian.web.views.errors.not_found"
handler403 = "weijian.web.views.errors.forbidden"
handler500 = "weijian.web.views.errors.server_error"
