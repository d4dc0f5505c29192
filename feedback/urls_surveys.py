"""The surveys screens (feedback/views/surveys.py)."""

from django.urls import path  # noqa: F401

urlpatterns = []
# Screens under /families/<family_id>/, behind the family's door.
family_urlpatterns = []
# The page a single-use link opens, under /survey/: no sign-in, no case data.
public_urlpatterns = []
