"""Cover for an absent worker's appointments (home/cover.py suggests who)."""

urlpatterns: list = []
