"""Django admin for what has no screen of its own: setting up reflective practice groups
(their facilitators and members). Supervision records are kept out of admin on purpose: a
1:1's wellbeing section is for the two people in it and the supervisor's supervisor only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from supervision.models import ReflectivePracticeGroup


@admin.register(ReflectivePracticeGroup)
class ReflectivePracticeGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "minutes", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    filter_horizontal = ["facilitators", "members"]
