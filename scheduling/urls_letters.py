"""Scheduling's letters pages (family-scoped ones are mounted under /families/)."""

urlpatterns: list = []
family_urlpatterns: list = []
