"""The compliments screens (feedback/views/compliments.py)."""

from django.urls import path

from feedback.views import compliments

urlpatterns = [
    path("", compliments.compliment_list, name="compliment_list"),
    path("new/", compliments.compliment_new, name="compliment_new"),
    path("<int:compliment_id>/seen/", compliments.compliment_seen, name="compliment_seen"),
]
# Screens under /families/<family_id>/, behind the family's door.
family_urlpatterns = [
    path("<int:family_id>/compliments/", compliments.family_compliments, name="family_compliments"),
]
