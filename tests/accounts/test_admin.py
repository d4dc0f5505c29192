"""Django admin for sign-ins (accounts/admin.py): team groups are not edited there, every
change to a user is in the security log, changes to people and roles ask for a fresh password
or code, and an administrator resets a lost second factor with a reason."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from accounts.reauth import AUTHENTICATED_AT_SESSION_KEY, reauthenticate_url
from pods.models import TeamMembership
from tests.clients import signed_in_client
from tests.factories import PASSWORD, make_team, make_worker

pytestmark = pytest.mark.django_db
User = get_user_model()
Kind = SecurityEvent.Kind


@pytest.fixture
def root():
    return User.objects.create_superuser("root", "root@example.org", PASSWORD)


@pytest.fixture
def admin_client(root):
    return signed_in_client(root)


@pytest.fixture
def stale_admin_client(root):
    """Signed in with both factors, but more than five minutes ago."""
    client = signed_in_client(root)
    session = client.session
    session[AUTHENTICATED_AT_SESSION_KEY] = time.time() - 6 * 60
    session.save()
    return client


@pytest.fixture
def pod():
    return make_team(name="Oak Pod")


def _user_events(user):
    return SecurityEvent.objects.filter(
        kind=Kind.USER_CHANGED, target_type="auth.user", target_id=str(user.pk)
    ).order_by("pk")


def _change_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": f"{timezone.localtime(user.date_joined):%Y-%m-%d}",
        "date_joined_1": f"{timezone.localtime(user.date_joined):%H:%M:%S}",
    }
    # The page carries the initial date joined too (its default is a callable), as a browser
    # posts it back.
    data["initial-date_joined_0"] = data["date_joined_0"]
    data["initial-date_joined_1"] = data["date_joined_1"]
    if user.is_staff:
        data["is_staff"] = "on"
    if user.is_superuser:
        data["is_superuser"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


class TestTeamGroupsAreNotEditedInAdmin:
    def test_the_user_page_shows_groups_but_has_no_field_to_change_them(self, admin_client, pod):
        worker = make_worker(team=pod)
        response = admin_client.get(f"/admin/auth/user/{worker.user_id}/change/")
        assert response.status_code == 200
        assert "groups" not in response.context["adminform"].form.fields
        assert "Team: Oak Pod" in response.content.decode(), "shown, read-only"

    def test_posting_a_team_group_for_a_user_changes_nothing(self, admin_client, pod):
        account = User.objects.create_user("no.worker")
        response = admin_client.post(
            f"/admin/auth/user/{account.pk}/change/",
            _change_form(account, groups=[pod.group_id]),
        )
        assert response.status_code == 302
        assert not account.groups.exists()

    def test_a_new_user_is_in_no_group_whatever_is_posted(self, admin_client, pod):
        response = admin_client.post(
            "/admin/auth/user/add/",
            {
                "username": "new.person",
                "usable_password": "false",
                "password1": "",
                "password2": "",
                "groups": [pod.group_id],
            },
        )
        assert response.status_code == 302
        assert not User.objects.get(username="new.person").groups.exists()

    @pytest.mark.parametrize("path", ["/admin/auth/group/add/", "/admin/auth/group/{pk}/delete/"])
    def test_groups_cannot_be_added_or_deleted_in_admin(self, admin_client, pod, path):
        response = admin_client.get(path.format(pk=pod.group_id))
        assert response.status_code == 403

    def test_a_group_is_read_only_in_admin(self, admin_client, pod):
        response = admin_client.post(
            f"/admin/auth/group/{pod.group_id}/change/", {"name": "Renamed", "permissions": []}
        )
        assert response.status_code == 403
        pod.group.refresh_from_db()
        assert pod.group.name == "Team: Oak Pod"


class TestEveryChangeToAUserIsLogged:
    def test_adding_a_user_is_logged_with_the_administrator(self, admin_client, root):
        admin_client.post(
            "/admin/auth/user/add/",
            {
                "username": "new.person",
                "usable_password": "false",
                "password1": "",
                "password2": "",
            },
        )
        added = User.objects.get(username="new.person")
        event = _user_events(added).get()
        assert event.user == root
        assert event.target_label == "new.person"
        assert event.detail.startswith("Added user new.person")

    def test_a_change_is_logged_with_the_fields_it_changed(self, admin_client, root):
        account = User.objects.create_user("someone", first_name="Old")
        admin_client.post(
            f"/admin/auth/user/{account.pk}/change/",
            _change_form(account, first_name="New", email="someone@example.org"),
        )
        event = _user_events(account).get()
        assert event.user == root
        assert event.detail == "Changed first_name, email"

    @pytest.mark.parametrize(
        ("flag", "value", "detail"),
        [
            ("is_active", "", "Changed is_active (on to off)"),
            ("is_staff", "on", "Changed is_staff (off to on)"),
            ("is_superuser", "on", "Changed is_superuser (off to on)"),
        ],
    )
    def test_switching_a_flag_names_the_flag_and_both_values(
        self, admin_client, flag, value, detail
    ):
        account = User.objects.create_user("someone")
        response = admin_client.post(
            f"/admin/auth/user/{account.pk}/change/", _change_form(account, **{flag: value})
        )
        assert response.status_code == 302
        assert _user_events(account).get().detail == detail

    def test_a_save_that_changes_nothing_logs_nothing(self, admin_client):
        account = User.objects.create_user("someone")
        admin_client.post(f"/admin/auth/user/{account.pk}/change/", _change_form(account))
        assert not _user_events(account).exists()

    def test_deleting_a_user_is_logged(self, admin_client, root):
        account = User.objects.create_user("leaving", is_staff=True)
        pk = account.pk
        response = admin_client.post(f"/admin/auth/user/{pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        assert not User.objects.filter(pk=pk).exists()
        event = SecurityEvent.objects.get(kind=Kind.USER_CHANGED, target_id=str(pk))
        assert event.user == root
        assert event.detail == "Deleted user leaving (staff)"

    def test_deleting_users_through_the_list_action_is_logged_for_each(self, admin_client):
        first, second = User.objects.create_user("one"), User.objects.create_user("two")
        response = admin_client.post(
            "/admin/auth/user/",
            {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
        )
        assert response.status_code == 302
        details = sorted(
            SecurityEvent.objects.filter(kind=Kind.USER_CHANGED).values_list("detail", flat=True)
        )
        assert details == ["Deleted user one", "Deleted user two"]

    def test_setting_a_password_in_admin_is_logged(self, admin_client, root):
        account = User.objects.create_user("someone")
        response = admin_client.post(
            f"/admin/auth/user/{account.pk}/password/",
            {
                "password1": "a-new-long-password-1",
                "password2": "a-new-long-password-1",
                "usable_password": "true",
            },
        )
        assert response.status_code == 302
        assert _user_events(account).get().detail == "Password set by an administrator"


class TestChangesToPeopleAndRolesAskForAFreshPassword:
    @pytest.fixture
    def paths(self, pod):
        worker = make_worker(team=pod)
        membership = TeamMembership.objects.get(worker=worker)
        return [
            "/admin/auth/user/add/",
            f"/admin/auth/user/{worker.user_id}/change/",
            f"/admin/auth/user/{worker.user_id}/delete/",
            f"/admin/auth/user/{worker.user_id}/password/",
            f"/admin/auth/user/{worker.user_id}/second-factor/reset/",
            "/admin/pods/worker/add/",
            f"/admin/pods/worker/{worker.pk}/change/",
            f"/admin/pods/worker/{worker.pk}/delete/",
            "/admin/pods/teammembership/add/",
            f"/admin/pods/teammembership/{membership.pk}/change/",
            f"/admin/pods/teammembership/{membership.pk}/delete/",
            "/admin/pods/team/add/",
            f"/admin/pods/team/{pod.pk}/change/",
            f"/admin/pods/team/{pod.pk}/delete/",
        ]

    def test_each_change_page_sends_a_stale_administrator_to_confirm_first(
        self, stale_admin_client, paths
    ):
        for path in paths:
            response = stale_admin_client.get(path)
            assert response.status_code == 302, path
            assert response.url == reauthenticate_url(path), path

    def test_each_change_page_opens_for_an_administrator_who_has_just_confirmed(
        self, admin_client, paths
    ):
        for path in paths:
            assert admin_client.get(path).status_code == 200, path

    def test_a_late_post_is_not_acted_on(self, stale_admin_client, pod):
        worker = make_worker(team=pod)
        membership = TeamMembership.objects.get(worker=worker)
        response = stale_admin_client.post(
            f"/admin/pods/teammembership/{membership.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 302
        assert TeamMembership.objects.filter(pk=membership.pk).exists()

    def test_a_list_action_from_a_stale_administrator_is_not_acted_on(self, stale_admin_client):
        account = User.objects.create_user("someone")
        response = stale_admin_client.post(
            "/admin/auth/user/",
            {"action": "delete_selected", "_selected_action": [account.pk], "post": "yes"},
        )
        assert response.status_code == 302
        assert response.url == reauthenticate_url("/admin/auth/user/")
        assert User.objects.filter(pk=account.pk).exists()

    def test_the_lists_stay_readable_without_confirming(self, stale_admin_client):
        assert stale_admin_client.get("/admin/pods/worker/").status_code == 200


class TestSecondFactorReset:
    @pytest.fixture
    def person(self):
        worker = make_worker(username="sam", password=PASSWORD)
        TOTPDevice.objects.create(user=worker.user, name="Authenticator app", confirmed=True)
        backup = StaticDevice.objects.create(user=worker.user, name="Backup codes")
        backup.token_set.create(token="12345678")
        return worker.user

    def _url(self, user):
        return f"/admin/auth/user/{user.pk}/second-factor/reset/"

    def test_the_user_page_links_to_the_reset(self, admin_client, person):
        page = admin_client.get(f"/admin/auth/user/{person.pk}/change/").content.decode()
        assert f'href="{self._url(person)}"' in page
        assert "Reset second factor" in page

    def test_the_reset_asks_for_a_reason(self, admin_client, person):
        response = admin_client.get(self._url(person))
        assert response.status_code == 200
        assert 'name="reason"' in response.content.decode()

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_an_empty_reason_is_a_clear_error_and_nothing_is_reset(
        self, admin_client, person, reason
    ):
        response = admin_client.post(self._url(person), {"reason": reason})
        assert response.status_code == 400
        assert "Enter why the second factor is being reset" in response.content.decode()
        assert TOTPDevice.objects.filter(user=person).exists()
        assert StaticDevice.objects.filter(user=person).exists()
        assert not SecurityEvent.objects.filter(kind=Kind.SECOND_FACTOR_RESET).exists()

    def test_the_reset_deletes_every_device_and_logs_the_reason(self, admin_client, root, person):
        response = admin_client.post(self._url(person), {"reason": "Lost phone, ticket 4411"})
        assert response.status_code == 302
        assert response.url == f"/admin/auth/user/{person.pk}/change/"
        assert not TOTPDevice.objects.filter(user=person).exists()
        assert not StaticDevice.objects.filter(user=person).exists()
        event = SecurityEvent.objects.get(kind=Kind.SECOND_FACTOR_RESET)
        assert event.user == root
        assert (event.target_type, event.target_id) == ("auth.user", str(person.pk))
        assert event.detail == "Lost phone, ticket 4411 (0 session(s) ended)"

    def test_after_the_reset_the_person_sets_up_a_new_authenticator_at_sign_in(
        self, admin_client, person
    ):
        admin_client.post(self._url(person), {"reason": "Lost phone"})
        from django.test import Client

        client = Client()
        client.post("/sign-in/", {"username": "sam", "password": PASSWORD})
        response = client.get("/account/second-factor/")
        assert response.status_code == 302
        assert response.url.startswith("/account/second-factor/set-up/")

    def test_the_reset_needs_a_fresh_password(self, stale_admin_client, person):
        response = stale_admin_client.post(self._url(person), {"reason": "Lost phone"})
        assert response.status_code == 302
        assert response.url == reauthenticate_url(self._url(person))
        assert TOTPDevice.objects.filter(user=person).exists()

    def test_a_user_that_does_not_exist_is_404(self, admin_client):
        assert admin_client.get("/admin/auth/user/999999/second-factor/reset/").status_code == 404

    def test_a_staff_member_without_the_change_user_permission_is_refused(self, person):
        clerk = User.objects.create_user("clerk", is_staff=True)
        response = signed_in_client(clerk).post(self._url(person), {"reason": "Lost phone"})
        assert response.status_code == 403
        assert TOTPDevice.objects.filter(user=person).exists()


class TestTheResetService:
    def test_a_blank_reason_is_refused(self, root):
        from django.core.exceptions import ValidationError

        from accounts.services import second_factor_reset

        person = User.objects.create_user("someone")
        TOTPDevice.objects.create(user=person, name="app", confirmed=True)
        with pytest.raises(ValidationError):
            second_factor_reset(user=person, reset_by=root, reason=" ")
        assert TOTPDevice.objects.filter(user=person).exists()

    def test_it_returns_how_many_devices_it_deleted(self, root):
        from accounts.services import second_factor_reset

        person = User.objects.create_user("someone")
        TOTPDevice.objects.create(user=person, name="app", confirmed=True)
        StaticDevice.objects.create(user=person, name="backup")
        assert second_factor_reset(user=person, reset_by=root, reason="Lost phone") == 2


def test_django_otps_own_device_pages_are_not_in_admin(admin_client):
    """A device added there would skip the reset's reason and its log line."""
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin_client.get("/admin/otp_static/staticdevice/").status_code == 404
