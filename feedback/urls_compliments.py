"""The compliments screens (feedback/views/compliments.py)."""

from django.urls import path  # noqa: F401

urlpatterns = []
# Screens under /families/<family_id>/, behind the family's door.
family_urlpatterns = []
