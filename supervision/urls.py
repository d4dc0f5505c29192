from django.urls import path

from supervision import views

urlpatterns = [
    path("", views.home, name="supervision"),
    path("pods/<int:pod_id>/open/", views.session_open, name="group_session_open"),
    path("group/<int:session_id>/", views.session_detail, name="group_session"),
    path("group/<int:session_id>/add/", views.session_add, name="group_session_add"),
    path(
        "group/<int:session_id>/move/<int:discussion_id>/",
        views.session_move,
        name="group_session_move",
    ),
    path(
        "group/<int:session_id>/attendance/",
        views.session_attendance,
        name="group_session_attendance",
    ),
    path("group/<int:session_id>/close/", views.session_close, name="group_session_close"),
    path("group/<int:session_id>/present/", views.present, name="group_session_present"),
    path(
        "group/<int:session_id>/discussions/<int:discussion_id>/",
        views.discussion,
        name="group_discussion",
    ),
    path("actions/", views.actions, name="supervision_actions"),
    path("actions/<int:decision_id>/done/", views.action_done, name="action_done"),
    path("one-to-one/", views.one_to_ones, name="one_to_ones"),
    path("one-to-one/new/<int:worker_id>/", views.one_to_one_new, name="one_to_one_new"),
    path("one-to-one/<int:supervision_id>/", views.one_to_one, name="one_to_one"),
    path(
        "one-to-one/<int:supervision_id>/discussions/<int:discussion_id>/",
        views.one_to_one_discussion,
        name="one_to_one_discussion",
    ),
    path("rpg/", views.rpgs, name="rpgs"),
    path("rpg/<int:group_id>/", views.rpg, name="rpg"),
    path("rpg/<int:group_id>/record/", views.rpg_record, name="rpg_record"),
]

# Family-scoped: the visibility walk (tests/families/test_visibility_walk.py) covers it.
family_urlpatterns = [
    path(
        "<int:family_id>/bring-to-supervision/",
        views.bring_to_supervision,
        name="bring_to_supervision",
    ),
]
