"""Django admin for sign-ins, in place of Django's own User and Group admin (DESIGN §5).

* Team groups change only through the organisation's services (pods.services), which follow
  memberships: here a user's groups are shown read-only and groups themselves cannot be
  added, changed or deleted.
* Every change an administrator makes to a user (adding, changing which fields, deleting, a
  password set) is written to the security log as USER_CHANGED, the administrator as who
  and the user as the object.
* Changes to people and roles ask the administrator to confirm it is them first
  (``ReauthenticationRequiredMixin``, used by pods/admin.py too).
* An administrator resets a lost second factor from the user's page, with a reason
  (accounts.services.second_factor_reset)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.reauth import is_recently_authenticated, reauthenticate_url
from accounts.security_log import Kind, security_event_record

User = get_user_model()

# Switches whose change the log spells out with both values: they give or take away access.
ACCESS_FLAGS = ("is_active", "is_staff", "is_superuser")


def _confirm_first(request):
    return redirect(reauthenticate_url(request.get_full_path()))


class ReauthenticationRequiredMixin:
    """The add, change and delete pages (and a list action, such as "delete selected") send
    an administrator who last gave their password or code more than five minutes ago to
    confirm it is them, then back to the page. A POST that arrives too late is not acted on.
    Lists and history stay readable without it."""

    def add_view(self, request, *args, **kwargs):
        if not is_recently_authenticated(request):
            return _confirm_first(request)
        return super().add_view(request, *args, **kwargs)

    def change_view(self, request, *args, **kwargs):
        if not is_recently_authenticated(request):
            return _confirm_first(request)
        return super().change_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        if not is_recently_authenticated(request):
            return _confirm_first(request)
        return super().delete_view(request, *args, **kwargs)

    def history_form_view(self, request, *args, **kwargs):
        """simple-history's "revert to this version" page saves the object too."""
        if not is_recently_authenticated(request):
            return _confirm_first(request)
        return super().history_form_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        if (
            request.method == "POST"
            and request.POST.get("action")
            and not is_recently_authenticated(request)
        ):
            return _confirm_first(request)
        return super().changelist_view(request, *args, **kwargs)


class SecondFactorResetForm(forms.Form):
    reason = forms.CharField(
        label="Why are you resetting this person's second factor?",
        help_text="For example: lost phone, reported on ticket 4411. This goes in the "
        "security log.",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=2000,
        error_messages={"required": services.RESET_REASON_REQUIRED},
    )


def _flag(value) -> str:
    return "on" if value else "off"


def _account_kind(user) -> str:
    if user.is_superuser:
        return " (superuser)"
    if user.is_staff:
        return " (staff)"
    return ""


admin.site.unregister(User)
admin.site.unregister(Group)
# django-otp's own device pages would let a superuser give anyone an authenticator, or read
# and edit backup codes, with no reason and no log: a lost second factor is reset, with a
# reason, from the user's page instead (second_factor_reset_view).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(User)
class UserAdmin(ReauthenticationRequiredMixin, DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        (
            "Permissions",
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "description": "Team groups follow the person's team memberships: change "
                "those on the worker's memberships, not here.",
            },
        ),
        ("Second factor", {"fields": ("second_factor",)}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("groups", "second_factor")
    filter_horizontal = ("user_permissions",)

    @admin.display(description="Second factor")
    def second_factor(self, obj):
        if obj.pk is None:
            return "-"
        apps = TOTPDevice.objects.filter(user=obj, confirmed=True).count()
        codes = StaticToken.objects.filter(device__user=obj).count()
        state = (
            f"Authenticator app set up, {codes} backup codes left"
            if apps
            else "None yet: set up at the next sign-in"
        )
        url = reverse("admin:auth_user_second_factor_reset", args=[obj.pk])
        return format_html('{} <a class="button" href="{}">Reset second factor</a>', state, url)

    def get_urls(self):
        return [
            path(
                "<id>/second-factor/reset/",
                self.admin_site.admin_view(self.second_factor_reset_view),
                name="auth_user_second_factor_reset",
            ),
        ] + super().get_urls()

    # --- the security log -----------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        detail = self._change_detail(form, obj) if change else f"Added user {obj.username}"
        if detail:
            security_event_record(
                kind=Kind.USER_CHANGED, request=request, user=request.user, target=obj,
                detail=detail,
            )  # fmt: skip

    @staticmethod
    def _change_detail(form, obj) -> str:
        """Which fields changed; a switch of access also with its old and new value."""
        if not form.changed_data:
            return ""
        named = [
            f"{name} ({_flag(form.initial.get(name))} to {_flag(getattr(obj, name))})"
            if name in ACCESS_FLAGS
            else name
            for name in form.changed_data
        ]
        return "Changed " + ", ".join(named)

    def delete_model(self, request, obj):
        self._deletion_record(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._deletion_record(request, obj)
        super().delete_queryset(request, queryset)

    @staticmethod
    def _deletion_record(request, obj) -> None:
        security_event_record(
            kind=Kind.USER_CHANGED,
            request=request,
            user=request.user,
            target=obj,
            detail=f"Deleted user {obj.username}{_account_kind(obj)}",
        )

    def user_change_password(self, request, id, form_url=""):
        if not is_recently_authenticated(request):
            return _confirm_first(request)
        response = super().user_change_password(request, id, form_url)
        saved = (
            request.method == "POST"
            and response.status_code == 302
            and response.url != request.get_full_path()
        )
        if saved:
            user = self.get_object(request, unquote(id))
            security_event_record(
                kind=Kind.USER_CHANGED,
                request=request,
                user=request.user,
                target=user,
                detail="Password set by an administrator"
                if user.has_usable_password()
                else "Password sign-in switched off by an administrator",
            )
        return response

    # --- resetting a lost second factor -------------------------------------------------

    def second_factor_reset_view(self, request, id):
        if not is_recently_authenticated(request):
            return _confirm_first(request)
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404("No such user")
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        form = SecondFactorResetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                deleted = services.second_factor_reset(
                    user=user,
                    reset_by=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"{user.username}'s second factor is reset ({deleted} devices removed). "
                    "They set up a new authenticator app at their next sign-in.",
                )
                return redirect("admin:auth_user_change", user.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": user,
            "form": form,
            "title": f"Reset the second factor of {user.username}",
        }
        return TemplateResponse(
            request,
            "admin/auth/user/second_factor_reset.html",
            context,
            status=400 if form.errors else 200,
        )


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Read-only: a team's group is made and renamed with its team (pods.services), and who is
    in it follows memberships."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
