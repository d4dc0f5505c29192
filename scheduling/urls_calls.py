"""Scheduling's calls pages (family-scoped ones are mounted under /families/)."""

from django.urls import path

from scheduling.views import calls

urlpatterns: list = [
    path("", calls.calls_waiting, name="calls_waiting"),
]
# Family-scoped: walked by tests/families/test_visibility_walk.py (it needs a call_id).
family_urlpatterns: list = [
    path("<int:family_id>/calls/new/", calls.call_log, name="call_log"),
    path("<int:family_id>/calls/<int:call_id>/pick-up/", calls.call_pick_up, name="call_pick_up"),
    path("<int:family_id>/calls/<int:call_id>/call-back/", calls.call_back, name="call_back"),
]
