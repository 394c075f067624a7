from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/items/<int:item_pk>/", views.score_item, name="score_item"),
    path("<int:pk>/photo/", views.upload_photo, name="upload_photo"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/notice/", views.issue_notice, name="issue_notice"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/answer/", views.answer, name="answer"),
    path("notices/<int:pk>/recheck/", views.recheck, name="recheck"),
    path("notices/<int:pk>/docx/", views.notice_docx, name="notice_docx"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_edit, name="plan_new"),
    path("plans/<int:pk>/", views.plan_edit, name="plan_edit"),
    path("scores/", views.scores, name="scores"),
    path("scores.xlsx", views.scores_xlsx, name="scores_xlsx"),
    path("scores.docx", views.scores_docx, name="scores_docx"),
    path("units/<str:code>/", views.unit_history, name="unit"),
    path("templates/", views.template_list, name="templates"),
    path("templates/import/", views.template_import, name="template_import"),
    path("templates/<str:code>/", views.template_detail, name="template"),
    path("templates/<str:code>/versions/", views.template_new_version, name="template_new_version"),
    path("templates/<str:code>/<str:label>/items/new/", views.item_edit, name="item_new"),
    path(
        "templates/<str:code>/<str:label>/items/<int:item_pk>/", views.item_edit, name="item_edit"
    ),
    path("templates/<str:code>/<str:label>.xlsx", views.template_xlsx, name="template_xlsx"),
]
