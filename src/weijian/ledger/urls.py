from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="ledger_home"),
    path("calendar/", views.calendar, name="ledger_calendar"),
    path("types/new/", views.type_edit, name="ledger_type_new"),
    path("types/<str:type_code>/edit/", views.type_edit, name="ledger_type_edit"),
    path("record/<int:pk>/", views.detail, name="ledger_detail"),
    path("record/<int:pk>/edit/", views.edit, name="ledger_edit"),
    path("record/<int:pk>/delete/", views.delete, name="ledger_delete"),
    path("record/<int:pk>/attach/", views.attach, name="ledger_attach"),
    path("file/<int:pk>/", views.attachment_file, name="ledger_file"),
    path("file/<int:pk>/delete/", views.attachment_delete, name="ledger_file_delete"),
    path("<str:type_code>/", views.record_list, name="ledger_list"),
    path("<str:type_code>/records.xlsx", views.records_xlsx, name="ledger_records_xlsx"),
    path("<str:type_code>/new/", views.create, name="ledger_new"),
    path("<str:type_code>/nothing/", views.nothing, name="ledger_nothing"),
    path("<str:type_code>/template.xlsx", views.template, name="ledger_template"),
    path("<str:type_code>/import/", views.import_page, name="ledger_import"),
]
