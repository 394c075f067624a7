from django.urls import path

from . import views

urlpatterns = [
    path("reminders/", views.channels, name="reminder_channels"),
    path("reminders/add/", views.add, name="reminder_add"),
    path("reminders/<int:pk>/remove/", views.remove, name="reminder_remove"),
    path("reminders/<int:pk>/test/", views.test, name="reminder_test"),
    path("reminders/urge/<str:form_code>/<str:period_id>/", views.urge, name="reminder_urge"),
]
