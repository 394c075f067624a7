from django.urls import path

from .views import runs, schemes

app_name = "assessment"

urlpatterns = [
    path("", schemes.home, name="home"),
    path("schemes/new/", schemes.scheme_new, name="scheme_new"),
    path("schemes/<str:code>/", schemes.scheme_detail, name="scheme"),
    path("schemes/<str:code>/versions/", schemes.new_version, name="new_version"),
    path("schemes/<str:code>/import/", schemes.import_xlsx, name="import"),
    path("schemes/<str:code>/offices/", schemes.office_save, name="office_save"),
    path("schemes/<str:code>/peers/", schemes.peer_save, name="peer_save"),
    path("schemes/<str:code>/runs/", schemes.start_run, name="start_run"),
    path("schemes/<str:code>/v<int:number>/publish/", schemes.publish, name="publish"),
    path("schemes/<str:code>/v<int:number>/settings/", schemes.settings, name="settings"),
    path("schemes/<str:code>/v<int:number>/vetoes/", schemes.veto_save, name="veto_save"),
    path("schemes/<str:code>/v<int:number>/nodes/new/", schemes.node_edit, name="node_new"),
    path("schemes/<str:code>/v<int:number>/nodes/<int:pk>/", schemes.node_edit, name="node_edit"),
    path(
        "schemes/<str:code>/v<int:number>/nodes/<int:pk>/delete/",
        schemes.node_delete,
        name="node_delete",
    ),
    path("schemes/<str:code>/v<int:number>.xlsx", schemes.version_xlsx, name="version_xlsx"),
    path("runs/<int:pk>/", runs.run_detail, name="run"),
    path("runs/<int:pk>/advance/", runs.advance, name="advance"),
    path("runs/<int:pk>/recompute/", runs.recompute, name="recompute"),
    path("runs/<int:pk>/sheet/", runs.sheet, name="sheet"),
    path("runs/<int:pk>/publicity.docx", runs.publicity_docx, name="publicity_docx"),
    path("runs/<int:pk>/publicity.xlsx", runs.publicity_xlsx, name="publicity_xlsx"),
    path("runs/<int:pk>/appeals/<int:appeal_pk>/rule/", runs.rule, name="rule"),
    path("runs/<int:pk>/vetoes/<int:hit_pk>/decide/", runs.veto_decide, name="veto_decide"),
    path("runs/<int:pk>/units/<str:code>/", runs.unit_result, name="unit"),
    path("runs/<int:pk>/units/<str:code>/score/", runs.score, name="score"),
    path("runs/<int:pk>/units/<str:code>/self/", runs.self_score, name="self_score"),
    path("runs/<int:pk>/units/<str:code>/override/", runs.override, name="override"),
    path("runs/<int:pk>/units/<str:code>/upload/", runs.upload, name="upload"),
    path("runs/<int:pk>/units/<str:code>/appeal/", runs.appeal, name="appeal"),
    path("runs/<int:pk>/units/<str:code>/veto/", runs.veto_propose, name="veto_propose"),
    path("runs/<int:pk>/units/<str:code>/notice/", runs.raise_notice, name="raise_notice"),
    path("runs/<int:pk>/units/<str:code>/notice.docx", runs.notice_docx, name="notice_docx"),
]
