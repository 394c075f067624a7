from django.urls import path

from . import views

urlpatterns = [
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/<int:pk>/", views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/edit/", views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/results.xlsx", views.survey_results_xlsx, name="survey_results_xlsx"),
    path("surveys/<int:pk>/qr.<str:fmt>", views.survey_qr, name="survey_qr"),
    path("s/<str:token>/", views.survey_public, name="survey_public"),
    path("s/<str:token>/thanks/", views.survey_thanks, name="survey_thanks"),
]
