from django.urls import path

from families.views import access, family, journey, lists

# Every pattern with <family_id> is family-scoped: tests/families/test_visibility_walk.py walks
# them all as outsiders (404) and as the pod (200), picking new ones up by itself.
urlpatterns = [
    path("refer/", lists.refer, name="family_refer"),
    path("break-glass/", lists.break_glass, name="break_glass"),
    path("<int:family_id>/people/add/", family.person_add, name="person_add"),
    path("<int:family_id>/professionals/add/", family.professional_add, name="professional_add"),
    path("<int:family_id>/level-of-need/", family.need_assessment, name="need_assessment"),
    path("<int:family_id>/allocate/", journey.allocate, name="family_allocate"),
    path("<int:family_id>/transfer/", journey.transfer, name="family_transfer"),
    path("<int:family_id>/statuses/add/", journey.status_start, name="status_start"),
    path("<int:family_id>/statuses/<int:status_id>/end/", journey.status_end, name="status_end"),
    path("<int:family_id>/close/", journey.close, name="episode_close"),
    path("<int:family_id>/re-refer/", journey.rerefer, name="family_rerefer"),
    path("<int:family_id>/access/", access.grants, name="family_grants"),
    path("<int:family_id>/access/<int:grant_id>/revoke/", access.grant_revoke, name="grant_revoke"),
    path("<int:family_id>/access-log/", access.access_log, name="access_log"),
    path("<int:family_id>/restrict/", access.restrict, name="family_restrict"),
]
