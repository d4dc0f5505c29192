"""1:1 supervision (who supervises whom, the private wellbeing section, who is overdue) and
reflective practice groups (attendance, notes that never name a family)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pods.models import Team, Worker
from supervision import permissions, selectors, services
from supervision.models import OneToOneSupervision, ReflectivePracticeGroup, RPGSession
from tests.factories import make_team, make_worker

pytestmark = pytest.mark.django_db


class TestOneToOne:
    def test_the_pod_manager_supervises_the_pod_and_a_senior_leader_the_manager(
        self, pod_manager, social_worker, senior_leader, outsider, today
    ):
        assert list(permissions.supervisors_of(social_worker, today)) == [pod_manager]
        assert list(permissions.supervisors_of(pod_manager, today)) == [senior_leader]
        assert outsider not in permissions.supervisees_of(pod_manager, today)

    def test_a_1_to_1_for_someone_you_do_not_supervise_is_refused(
        self, pod_manager, outsider, social_worker, today
    ):
        with pytest.raises(PermissionDenied, match="You do not supervise"):
            services.one_to_one_record(supervisor=pod_manager, supervisee=outsider, date=today)
        with pytest.raises(PermissionDenied):
            services.one_to_one_record(supervisor=social_worker, supervisee=pod_manager, date=today)
        assert not OneToOneSupervision.objects.exists()

    def test_a_1_to_1_in_the_future_is_refused(self, pod_manager, social_worker, today):
        with pytest.raises(ValidationError, match="today or in the past"):
            services.one_to_one_record(
                supervisor=pod_manager,
                supervisee=social_worker,
                date=today + datetime.timedelta(days=1),
            )

    def test_wellbeing_is_for_the_two_and_the_supervisors_line_manager(
        self, pod, pod_manager, social_worker, senior_leader, today
    ):
        """Not for every senior leader: only the one who line manages the supervisor (the
        full rule is in test_wellbeing.py)."""
        supervision = services.one_to_one_record(
            supervisor=pod_manager,
            supervisee=social_worker,
            date=today,
            wellbeing="Finding the Okafor visits hard after her own loss",
        )
        colleague = make_worker(role=Worker.Role.SENIOR_SOCIAL_WORKER, team=pod)

        def readers():
            return {
                worker.pk: permissions.can_user_read_wellbeing(worker.user, supervision, today)
                for worker in (social_worker, pod_manager, senior_leader, colleague)
            }

        assert readers() == {
            social_worker.pk: True,
            pod_manager.pk: True,
            senior_leader.pk: False,
            colleague.pk: False,
        }
        pod_manager.line_manager = senior_leader
        pod_manager.save()
        supervision.refresh_from_db()
        assert readers()[senior_leader.pk] is True
        # The history keeps no copy of it for anyone to read elsewhere.
        assert not hasattr(supervision.history.first(), "wellbeing")

    def test_who_is_overdue(self, pod, pod_manager, social_worker, today):
        newly_qualified = make_worker(team=pod, newly_qualified=True)
        services.one_to_one_record(
            supervisor=pod_manager,
            supervisee=social_worker,
            date=today - datetime.timedelta(days=30),
        )
        services.one_to_one_record(
            supervisor=pod_manager,
            supervisee=newly_qualified,
            date=today - datetime.timedelta(days=10),
        )
        due = {row.supervisee.pk: row for row in selectors.one_to_ones_due(pod_manager, today)}
        assert due[social_worker.pk].due == today - datetime.timedelta(days=2)
        assert due[social_worker.pk].is_overdue(today)
        assert due[newly_qualified.pk].due == today + datetime.timedelta(days=4)
        assert not due[newly_qualified.pk].is_overdue(today)


@pytest.fixture
def rpg(lead_practitioner, social_worker, pod_manager):
    group = ReflectivePracticeGroup.objects.create(name="Tuesday RPG")
    group.facilitators.add(lead_practitioner)
    group.members.add(social_worker, pod_manager)
    return group


class TestReflectivePracticeGroups:
    def test_a_session_records_attendance_and_themes(
        self, rpg, lead_practitioner, social_worker, today
    ):
        session = services.rpg_session_record(
            group=rpg,
            date=today,
            minutes=75,
            attendees=[lead_practitioner, social_worker],
            themes="Endings; working with fathers",
            notes="We thought about how endings stir up our own losses.",
            by=lead_practitioner,
        )
        assert set(session.attendees.all()) == {lead_practitioner, social_worker}

    def test_attendance_of_someone_not_in_the_group_is_refused(
        self, rpg, lead_practitioner, outsider, today
    ):
        with pytest.raises(ValidationError) as error:
            services.rpg_session_record(
                group=rpg, date=today, minutes=75, attendees=[outsider], themes="", notes="",
                by=lead_practitioner,
            )  # fmt: skip
        assert error.value.message_dict["attendees"] == [
            f"{outsider.name} is not a member or facilitator of this group"
        ]
        assert not RPGSession.objects.exists()

    def test_only_a_facilitator_records_a_session(self, rpg, social_worker, today):
        with pytest.raises(PermissionDenied):
            services.rpg_session_record(
                group=rpg, date=today, minutes=75, attendees=[], themes="", notes="",
                by=social_worker,
            )  # fmt: skip

    def test_rpg_notes_never_link_to_a_family(self):
        fields = {field.name for field in RPGSession._meta.get_fields()}
        related = {
            field.related_model._meta.label
            for field in RPGSession._meta.get_fields()
            if field.is_relation and field.related_model
        }
        assert "family" not in fields
        assert not any(label.startswith("families.") for label in related)

    def test_notes_that_name_someone_on_a_case_you_can_see_are_flagged(
        self, social_worker, family, outsider
    ):
        text = "We talked about Ada and how hard Grace finds the mornings. Hope helps."
        assert services.names_in_notes(text, social_worker.user) == ["Ada", "Grace"]
        # Someone who cannot see the family gets no hint of who is in it.
        assert services.names_in_notes(text, outsider.user) == []


def test_a_specialist_team_worker_is_supervised_by_its_manager(today):
    fostering = make_team(name="Fostering", kind=Team.Kind.SPECIALIST)
    manager = make_worker(role=Worker.Role.POD_MANAGER, team=fostering)
    worker = make_worker(team=fostering)
    assert list(permissions.supervisors_of(worker, today)) == [manager]
