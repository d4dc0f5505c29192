"""Django admin for the organisation. Saves go through pods.services, so admin keeps team
groups in step and writes role and team changes to the security log exactly as the screens
and the seed command do; model validation gives the form errors (FTE, dates, overlapping
memberships, two pods at once). Changing people, roles and teams asks the administrator to
confirm it is them first (accounts.admin.ReauthenticationRequiredMixin)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import ReauthenticationRequiredMixin
from pods import services
from pods.models import Absence, DutyRota, Team, TeamMembership, Worker


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    fields = ["worker", "start", "end"]
    autocomplete_fields = ["worker"]
    # Memberships change groups: edit them on their own page, where the service is called.
    can_delete = False
    readonly_fields = ["worker", "start", "end"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(ReauthenticationRequiredMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "specialism", "active_from", "active_to"]
    list_filter = ["kind"]
    search_fields = ["name"]
    exclude = ["group"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        services.team_save(team=obj)


@admin.register(Worker)
class WorkerAdmin(ReauthenticationRequiredMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "role",
        "fte",
        "employment",
        "newly_qualified",
        "start_date",
        "leave_date",
    ]
    list_filter = ["role", "employment", "newly_qualified"]
    search_fields = ["user__first_name", "user__last_name", "user__username"]
    autocomplete_fields = ["user", "line_manager"]
    list_select_related = ["user"]

    def save_model(self, request, obj, form, change):
        services.worker_save(worker=obj, actor=request.user, request=request)


@admin.register(TeamMembership)
class TeamMembershipAdmin(ReauthenticationRequiredMixin, SimpleHistoryAdmin):
    list_display = ["worker", "team", "start", "end"]
    list_filter = ["team__kind", "team"]
    search_fields = ["worker__user__first_name", "worker__user__last_name", "team__name"]
    autocomplete_fields = ["worker", "team"]
    list_select_related = ["worker__user", "team"]

    def save_model(self, request, obj, form, change):
        services.membership_save(membership=obj, actor=request.user, request=request)

    def delete_model(self, request, obj):
        services.membership_delete(membership=obj, actor=request.user, request=request)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("worker", "team"):
            services.membership_delete(membership=membership, actor=request.user, request=request)


@admin.register(Absence)
class AbsenceAdmin(SimpleHistoryAdmin):
    list_display = ["worker", "kind", "start", "end"]
    list_filter = ["kind"]
    autocomplete_fields = ["worker"]
    list_select_related = ["worker__user"]


@admin.register(DutyRota)
class DutyRotaAdmin(SimpleHistoryAdmin):
    list_display = ["date", "team", "worker"]
    list_filter = ["team"]
    autocomplete_fields = ["worker", "team"]
    list_select_related = ["worker__user", "team"]
    date_hierarchy = "date"
