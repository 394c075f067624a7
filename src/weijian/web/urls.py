from django.contrib.auth import views as auth_views
from django.urls import path

from .views import (
    board,
    catalogue,
    completeness,
    dashboard,
    entry,
    excel,
    help,
    history,
    pick,
    pickers,
    pivot,
    review_list,
    validation,
)

FORM = "forms/<str:form_code>/<str:unit_code>/<str:period_id>/"

urlpatterns = [
    path("", board.task_board, name="task_board"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("forms/", pick.my_forms, name="my_forms"),
    path(FORM, entry.entry, name="entry"),
    path(FORM + "review/", entry.review, name="review"),
    path(FORM + "history/", history.history, name="history"),
    path(FORM + "print/", entry.print_view, name="entry_print"),
    path(FORM + "xlsx/", excel.download, name="xlsx_download"),
    path(FORM + "upload/", excel.upload, name="xlsx_upload"),
    path("review/", review_list.review_list, name="review_list"),
    path("review/approve/", review_list.approve_selected, name="review_approve_selected"),
    path("review.xlsx", review_list.review_xlsx, name="review_xlsx"),
    path("completeness/", completeness.overview, name="completeness"),
    path("indicators/", catalogue.indicator_catalogue, name="indicator_catalogue"),
    path("dashboard/", dashboard.unit_dashboard, name="dashboard"),
    path("validation/", validation.validation_results, name="validation"),
    path("pivot/", pivot.pivot_page, name="pivot"),
    path("pivot.xlsx", pivot.pivot_xlsx, name="pivot_xlsx"),
    path("pick/units/", pickers.units, name="pick_units"),
    path("help/", help.help_page, name="help_index"),
    path("help/<str:area>/", help.help_page, name="help"),
    path("pick/favourite/<str:code>/", pickers.favourite, name="pick_favourite"),
    path(
        "completeness/<str:form_code>/<str:period_id>/",
        completeness.detail,
        name="completeness_detail",
    ),
    path(
        "completeness/<str:form_code>/<str:period_id>/xlsx",
        completeness.detail_xlsx,
        name="completeness_xlsx",
    ),
]
