"""Scheduling's pages. Family-scoped ones (with <family_id>) are walked by
tests/families/test_visibility_walk.py as an outsider (404) and as the pod (200)."""

from django.urls import path

from scheduling.views import appointments, calendar

urlpatterns = [
    path("calendar/", calendar.pod_calendar, name="pod_calendar"),
    path("calendar/worker/<int:worker_id>/", calendar.worker_calendar, name="worker_calendar"),
    path("appointments/new/", appointments.team_appointment_new, name="team_appointment_new"),
    path(
        "appointments/<int:appointment_id>/",
        appointments.team_appointment,
        name="team_appointment",
    ),
]

# Family-scoped pages, mounted under /families/ by config/urls.py.
family_urlpatterns = [
    path(
        "<int:family_id>/appointments/",
        appointments.family_appointments,
        name="family_appointments",
    ),
    path("<int:family_id>/appointments/new/", appointments.appointment_new, name="appointment_new"),
    path(
        "<int:family_id>/appointments/<int:appointment_id>/",
        appointments.appointment_detail,
        name="appointment_detail",
    ),
    path(
        "<int:family_id>/appointments/<int:appointment_id>/move/",
        appointments.appointment_move,
        name="appointment_move",
    ),
    path(
        "<int:family_id>/appointments/<int:appointment_id>/cancel/",
        appointments.appointment_cancel,
        name="appointment_cancel",
    ),
    path(
        "<int:family_id>/appointments/<int:appointment_id>/held/",
        appointments.appointment_held,
        name="appointment_held",
    ),
    path(
        "<int:family_id>/appointments/<int:appointment_id>/record/",
        appointments.appointment_record,
        name="appointment_record",
    ),
]
