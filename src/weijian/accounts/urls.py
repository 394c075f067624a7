from django.urls import path

from . import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/password/", views.change_password, name="account_password"),
    path("account/tokens/", views.create_token, name="account_token_create"),
    path("account/tokens/<int:token_id>/revoke/", views.revoke_token, name="account_token_revoke"),
]
