from django.urls import path

from . import views

urlpatterns = [
    path("documents/", views.summaries, name="documents"),
    path("documents/generate/", views.generate, name="document_generate"),
    path("documents/history/", views.history, name="document_history"),
    path("documents/<int:pk>/", views.detail, name="document_detail"),
    path("documents/<int:pk>/docx/", views.download, name="document_download"),
    path("documents/<int:pk>/docx/review/", views.download_review, name="document_download_review"),
    path("documents/<int:pk>/provenance.json", views.provenance, name="document_provenance"),
    path("documents/templates/", views.templates, name="document_templates"),
    path("documents/templates/copy/", views.copy_template, name="document_template_copy"),
    path("documents/templates/<str:code>/", views.edit_template, name="document_template_edit"),
    path("documents/layouts/", views.upload_layout, name="document_layout_upload"),
    path("documents/tasks/", views.plan_tasks, name="document_tasks"),
    path("documents/tasks/<int:pk>/", views.plan_task_status, name="document_task_status"),
]
