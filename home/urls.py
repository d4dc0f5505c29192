from django.urls import path

from home.views import families, roles, team

urlpatterns = [
    path("", roles.home, name="home"),
    path("my-pod/", team.my_pod, name="my_pod"),
    path("teams/<int:team_id>/", team.team_detail, name="team_detail"),
    path("families/", families.my_families, name="my_families"),
    path("families/pod/", families.pod_families, name="pod_families"),
    path("families/search/", families.search, name="family_search"),
    path("families/<int:family_id>/", families.detail, name="family_detail"),
]
