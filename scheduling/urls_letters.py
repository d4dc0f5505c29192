"""Scheduling's letters pages. The family-scoped ones, mounted under /families/, are walked by
tests/families/test_visibility_walk.py as an outsider (404) and as the pod (200)."""

from django.urls import path

from scheduling.views import letters

urlpatterns: list = []

family_urlpatterns = [
    path("<int:family_id>/letters/", letters.letter_list, name="letter_list"),
    path("<int:family_id>/letters/new/", letters.letter_new, name="letter_new"),
    path("<int:family_id>/letters/<int:letter_id>/", letters.letter_detail, name="letter_detail"),
    path("<int:family_id>/letters/<int:letter_id>/pdf/", letters.letter_pdf, name="letter_pdf"),
    path("<int:family_id>/letters/<int:letter_id>/send/", letters.letter_send, name="letter_send"),
    path(
        "<int:family_id>/appointments/<int:appointment_id>/invitations/",
        letters.invitations_send,
        name="invitations_send",
    ),
]
