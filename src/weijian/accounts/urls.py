from django.urls import path

from . import people_views, views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/password/", views.change_password, name="account_password"),
    path("account/password/required/", views.password_required, name="account_password_required"),
    path("account/tokens/", views.create_token, name="account_token_create"),
    path("account/tokens/<int:token_id>/revoke/", views.revoke_token, name="account_token_revoke"),
    path("account/hints/dismiss/", views.dismiss_hints, name="account_dismiss_hints"),
    path("people/", people_views.people, name="people"),
    path("people/new/", people_views.create, name="people_create"),
    path("people/<int:pk>/", people_views.person, name="person"),
    path("people/<int:pk>/grant/", people_views.grant, name="person_grant"),
    path(
        "people/<int:pk>/roles/<int:assignment_id>/revoke/",
        people_views.revoke,
        name="person_revoke",
    ),
    path("people/<int:pk>/reset/", people_views.reset, name="person_reset"),
    path("people/<int:pk>/active/", people_views.activate, name="person_active"),
    path("people/<int:pk>/name/", people_views.rename, name="person_rename"),
]
