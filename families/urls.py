from django.urls import path

from families.views import access, care, family, journey, lists

# Every pattern with <family_id> is family-scoped: tests/families/test_visibility_walk.py walks
# them all as outsiders (404) and as the pod (200), picking new ones up by itself.
urlpatterns = [
    path("refer/", lists.refer, name="family_refer"),
    path("break-glass/", lists.break_glass, name="break_glass"),
    path("<int:family_id>/people/add/", family.person_add, name="person_add"),
    path("<int:family_id>/people/<int:person_id>/", family.person_edit, name="person_edit"),
    path("<int:family_id>/professionals/add/", family.professional_add, name="professional_add"),
    path("<int:family_id>/level-of-need/", family.need_assessment, name="need_assessment"),
    path("<int:family_id>/allocate/", journey.allocate, name="family_allocate"),
    path("<int:family_id>/transfer/", journey.transfer, name="family_transfer"),
    path("<int:family_id>/statuses/add/", journey.status_start, name="status_start"),
    path("<int:family_id>/statuses/<int:status_id>/end/", journey.status_end, name="status_end"),
    path("<int:family_id>/statuses/<int:status_id>/", journey.status_edit, name="status_edit"),
    path("<int:family_id>/close/", journey.close, name="episode_close"),
    path("<int:family_id>/re-refer/", journey.rerefer, name="family_rerefer"),
    path("<int:family_id>/referral/", journey.referral_edit, name="referral_edit"),
    path(
        "<int:family_id>/referrals/<int:referral_id>/", journey.referral_edit, name="referral_edit"
    ),
    path("<int:family_id>/access/", access.grants, name="family_grants"),
    path("<int:family_id>/access/<int:grant_id>/revoke/", access.grant_revoke, name="grant_revoke"),
    path("<int:family_id>/access-log/", access.access_log, name="access_log"),
    path("<int:family_id>/restrict/", access.restrict, name="family_restrict"),
    # A looked-after child's care record (families/views/care.py).
    path("<int:family_id>/care/<int:person_id>/", care.family_care, name="family_care"),
    path("<int:family_id>/care/placements/add/", care.placement_add, name="placement_add"),
    path(
        "<int:family_id>/care/placements/<int:placement_id>/",
        care.placement_change,
        name="placement_change",
    ),
    path(
        "<int:family_id>/care/placements/<int:placement_id>/end/",
        care.placement_end,
        name="placement_end",
    ),
    path("<int:family_id>/care/missing/add/", care.missing_add, name="missing_add"),
    path(
        "<int:family_id>/care/missing/<int:missing_id>/",
        care.missing_change,
        name="missing_change",
    ),
    path(
        "<int:family_id>/care/missing/<int:missing_id>/back/",
        care.missing_end,
        name="missing_end",
    ),
    path("<int:family_id>/care/health/add/", care.health_outcomes_add, name="health_outcomes_add"),
    path(
        "<int:family_id>/care/health/<int:outcomes_id>/",
        care.health_outcomes_change,
        name="health_outcomes_change",
    ),
    path(
        "<int:family_id>/care/leaving-care/add/",
        care.leaver_contact_add,
        name="leaver_contact_add",
    ),
    path(
        "<int:family_id>/care/leaving-care/<int:contact_id>/",
        care.leaver_contact_change,
        name="leaver_contact_change",
    ),
    path("<int:family_id>/care/adoption/add/", care.adoption_add, name="adoption_add"),
    path(
        "<int:family_id>/care/adoption/<int:adoption_id>/",
        care.adoption_change,
        name="adoption_change",
    ),
]
