from django.urls import path

from . import views

urlpatterns = [
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_new, name="group_new"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/adjust/", views.group_adjust, name="group_adjust"),
    path("groups/<int:pk>/notice.docx", views.group_notice, name="group_notice"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/new/", views.contract_new, name="contract_new"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/sign/", views.contract_sign, name="contract_sign"),
    path("contracts/<int:pk>/print/", views.contract_print, name="contract_print"),
    path("contracts/<int:pk>/scan/", views.contract_scan, name="contract_scan"),
    path(
        "contracts/<int:pk>/scan/upload/", views.contract_scan_upload, name="contract_scan_upload"
    ),
]
