from django.urls import path

from pods import views

urlpatterns = [
    path("", views.home, name="home"),
    path("my-pod/", views.my_pod, name="my_pod"),
    path("teams/", views.all_teams, name="all_teams"),
    path("teams/<int:team_id>/", views.team_detail, name="team_detail"),
    path("duty-rota/", views.duty_rota, name="duty_rota"),
]
