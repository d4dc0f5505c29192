"""The audits screens (feedback/views/audits.py)."""

from django.urls import path

from feedback.views import audits

urlpatterns = [
    path("", audits.audit_list, name="audit_list"),
    path("draw/", audits.audit_programme_draw, name="audit_programme_draw"),
    path("results/", audits.audit_results, name="audit_results"),
    path("<int:programme_id>/", audits.audit_programme, name="audit_programme"),
    path("audit/<int:audit_id>/assign/", audits.audit_assign, name="audit_assign"),
]
# Screens under /families/<family_id>/, behind the family's door.
family_urlpatterns = [
    path("<int:family_id>/audits/", audits.audit_family_list, name="audit_family_list"),
    path("<int:family_id>/audits/self/", audits.audit_self_start, name="audit_self_start"),
    path("<int:family_id>/audits/<int:audit_id>/", audits.audit_detail, name="audit_detail"),
    path("<int:family_id>/audits/<int:audit_id>/grade/", audits.audit_grade, name="audit_grade"),
    path(
        "<int:family_id>/audits/<int:audit_id>/moderate/",
        audits.audit_moderate,
        name="audit_moderate",
    ),
    path(
        "<int:family_id>/audit-actions/<int:audit_action_id>/done/",
        audits.audit_action_done,
        name="audit_action_done",
    ),
]
