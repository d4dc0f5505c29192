from django.urls import path

from onestory import views_planning as views

# Family-scoped: the visibility walk (tests/families/test_visibility_walk.py) covers these too.
urlpatterns = [
    path("<int:family_id>/assessments/start/", views.assessment_start, name="assessment_start"),
    path("<int:family_id>/assessments/<int:assessment_id>/", views.assessment, name="assessment"),
    path("<int:family_id>/plans/add/", views.plan_add, name="plan_add"),
    path("<int:family_id>/plans/<int:plan_id>/", views.plan, name="plan"),
]
