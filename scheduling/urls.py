"""Scheduling's pages. Family-scoped ones (with <family_id>) are walked by
tests/families/test_visibility_walk.py as an outsider (404) and as the pod (200)."""

urlpatterns: list = []
# Family-scoped pages, mounted under /families/ by config/urls.py.
family_urlpatterns: list = []
