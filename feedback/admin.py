"""Django admin for what administrators keep: the themes complaints and compliments are
sorted by (add, reorder, retire one by unticking "active": a retired theme stays on the
records that have it, and leaves the forms).

Complaints and compliments are kept out of admin on purpose. A complaint about a family is
case data, seen only through the family's door or by the complaints officer, and admin has no
door: a superuser would read every complainant's words and address. Their screens are under
/feedback/complaints/ and /feedback/compliments/, with the history of each change kept by
django-simple-history."""

from django.contrib import admin

from feedback.models import Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "used_for", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["used_for", "active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        """Retire a theme instead: deleting one would take it off every record that has it."""
        return False
