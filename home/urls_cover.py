"""Cover for an absent worker's appointments (home/cover.py suggests who)."""

from django.urls import path

from home.views import cover

urlpatterns: list = [
    path("", cover.cover_needed_page, name="cover_needed"),
    path("<int:appointment_id>/assign/", cover.cover_assign, name="cover_assign"),
]
