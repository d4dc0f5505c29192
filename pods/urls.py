from django.urls import path

from pods import views

urlpatterns = [
    path("teams/", views.all_teams, name="all_teams"),
    path("duty-rota/", views.duty_rota, name="duty_rota"),
]
