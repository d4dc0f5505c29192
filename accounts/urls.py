from django.urls import path

from accounts import views

urlpatterns = [
    path("confirm/", views.reauthenticate, name="reauthenticate"),
]
