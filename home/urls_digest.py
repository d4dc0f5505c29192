"""The daily digest choice, under /account/digest/."""

from django.urls import path

from home.views import digest

urlpatterns = [path("", digest.digest_choice, name="digest_choice")]
