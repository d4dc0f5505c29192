from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dataprotection.models import DestructionStub, LegalHold, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(SimpleHistoryAdmin):
    """Administrators keep the rules; the model's clean() refuses a negative period or a
    trigger the category has no date for, with a message on the field."""

    list_display = ["category", "trigger", "years", "keep_until_age", "second_person"]
    fields = [
        "category", "trigger", "years", "keep_until_age", "years_after_death_under_18",
        "second_person", "basis",
    ]  # fmt: skip

    def has_delete_permission(self, request, obj=None):
        return False  # a rule stubs point at stays; change its period instead


@admin.register(LegalHold)
class LegalHoldAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "category", "placed", "released"]
    raw_id_fields = ["family"]
    readonly_fields = ["placed_by", "released_by"]

    def has_add_permission(self, request):
        return False  # placed from the data protection screens, which record who

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DestructionStub)
class DestructionStubAdmin(admin.ModelAdmin):
    list_display = ["reference", "category", "destroyed", "destroyed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
