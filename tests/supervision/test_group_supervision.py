"""Group supervision: the proposed agenda, a discussion with decisions saved together and
written to the chronology, the scaling trend, and the bad input the issue lists."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from families import services as family_services
from families.models import ChildStatus, FamilyGrant
from onestory import plans
from onestory.models import Entry
from supervision import agenda, services
from supervision.models import CaseDiscussion, Decision, GroupSupervision
from tests.factories import make_worker
from tests.families.conftest import refer

pytestmark = pytest.mark.django_db


def _save(discussion, by, *, decisions=(), score=6, **texts):
    return services.discussion_save(
        discussion=discussion,
        by=by,
        decisions=list(decisions),
        scaling_score=score,
        question=texts.pop("question", "Is Ada safe at home?"),
        **texts,
    )


def _decision(owner, text="Visit with the health visitor", days=7):
    return services.DecisionDetails(
        text=text, owner=owner, due=timezone.localdate() + datetime.timedelta(days=days)
    )


class TestTheAgenda:
    def test_it_proposes_each_kind_of_family_once_with_its_reasons(
        self, pod, pod_manager, social_worker, family, child, today
    ):
        # An overdue CP visit and a review in a week, for the first family.
        family_services.child_status_start(
            family=family, person=child, kind=ChildStatus.Kind.CP_PLAN,
            cp_category="neglect", start=today - datetime.timedelta(days=60),
        )  # fmt: skip
        plans.plan_create(
            family=family, child=child, kind="cp", start=today - datetime.timedelta(days=60),
            review_date=today + datetime.timedelta(days=7), goals=["Ada is safe"],
            created_by=pod_manager.user,
        )  # fmt: skip
        services.discussion_request(family=family, by=social_worker, note="Worried about Dad")
        # A family allocated to the pod this week.
        newcomer = refer(
            name="The Mensah family",
            child=("Kofi", "Mensah", datetime.date(2016, 1, 1)),
            received=today,
        )  # noqa: E501
        family_services.family_allocate(
            family=newcomer, team=pod, worker=social_worker, start=today
        )

        proposals = {
            p.family.pk: p.reasons for p in agenda.propose(pod, today, user=pod_manager.user)
        }

        assert proposals[family.pk][0] == f"{social_worker.name} asked to bring it"
        assert "Ada's visit is overdue" in proposals[family.pk]
        assert any(
            reason.startswith("Child protection plan review on") for reason in proposals[family.pk]
        )
        assert "new to the pod" in proposals[newcomer.pk]
        assert list(proposals) == [family.pk, newcomer.pk], "each family once, requests first"

    def test_a_family_not_discussed_for_a_long_while_comes_back(
        self, pod, pod_manager, family, today
    ):
        old = services.group_session_open(
            pod=pod, day=today - datetime.timedelta(weeks=20), by=pod_manager
        )
        discussion = old.discussions.get(family=family)
        _save(discussion, pod_manager)
        CaseDiscussion.objects.filter(pk=discussion.pk).update(
            discussed=timezone.now() - datetime.timedelta(weeks=20)
        )
        reasons = {
            p.family.pk: p.reasons for p in agenda.propose(pod, today, user=pod_manager.user)
        }
        assert reasons[family.pk][0].startswith("not discussed since")
        _save(discussion, pod_manager)  # discussed again (its date stays the first one)
        CaseDiscussion.objects.filter(pk=discussion.pk).update(discussed=timezone.now())
        assert family.pk not in {
            p.family.pk for p in agenda.propose(pod, today, user=pod_manager.user)
        }

    def test_opening_twice_in_a_week_gives_the_same_session(self, pod, pod_manager, session, today):
        again = services.group_session_open(pod=pod, day=today, by=pod_manager)
        assert again.pk == session.pk and GroupSupervision.objects.count() == 1

    def test_the_manager_adds_and_reorders(self, pod, pod_manager, social_worker, session, today):
        other = refer(name="The Mensah family", child=("Kofi", "Mensah", datetime.date(2016, 1, 1)))
        family_services.family_allocate(family=other, team=pod, worker=social_worker, start=today)
        added = services.agenda_add(session=session, family=other, by=pod_manager)
        services.agenda_move(discussion=added, by=pod_manager, up=True)
        assert [d.family_id for d in session.discussions.order_by("position")][0] == other.pk

    def test_a_family_of_another_pod_cannot_be_added(
        self, pod_manager, other_pod, outsider, session, today
    ):
        elsewhere = refer(
            name="The Brown family", child=("Tom", "Brown", datetime.date(2014, 2, 2))
        )
        family_services.family_allocate(
            family=elsewhere, team=other_pod, worker=outsider, start=today
        )  # noqa: E501
        with pytest.raises(ValidationError, match="You cannot see this family"):
            services.agenda_add(session=session, family=elsewhere, by=pod_manager)
        # Seen through a grant, it is still another pod's family.
        family_services.grant_give(
            family=elsewhere, user=pod_manager.user, kind=FamilyGrant.Kind.COVER,
            reason="Covering the Brown family's visits", granted_by=outsider.user,
            expires=timezone.now() + datetime.timedelta(days=1),
        )  # fmt: skip
        with pytest.raises(ValidationError, match="Choose a family the pod holds"):
            services.agenda_add(session=session, family=elsewhere, by=pod_manager)

    def test_a_session_for_a_pod_you_do_not_manage_is_refused(
        self, pod, other_pod, social_worker, today
    ):
        with pytest.raises(PermissionDenied):
            services.group_session_open(pod=pod, day=today, by=social_worker)
        other_manager = make_worker(role="pod_manager", team=other_pod)
        with pytest.raises(PermissionDenied):
            services.group_session_open(pod=pod, day=today, by=other_manager)
        assert not GroupSupervision.objects.exists()


class TestADiscussion:
    def test_decisions_are_written_to_the_chronology(
        self, pod_manager, social_worker, family, session
    ):
        discussion = session.discussions.get(family=family)
        _save(
            discussion, pod_manager, presenting_worker=social_worker,
            decisions=[_decision(social_worker), _decision(pod_manager, "Book a core group", 3)],
            hypotheses="Mum may be isolated since the move",
        )  # fmt: skip
        entry = Entry.objects.get(family=family, kind=Entry.Kind.SUPERVISION_DECISION)
        assert entry.status == Entry.Status.FINAL and entry.author == pod_manager.user
        assert "Scaling score: 6 out of 10" in entry.what_happened
        assert f"Visit with the health visitor (owner: {social_worker.name}" in entry.next_steps
        assert "Book a core group" in entry.next_steps
        assert entry.analysis == "Mum may be isolated since the move"
        assert Decision.objects.filter(discussion=discussion).count() == 2

    def test_saving_again_corrects_the_same_entry(
        self, pod_manager, social_worker, family, session
    ):
        discussion = session.discussions.get(family=family)
        _save(discussion, pod_manager, decisions=[_decision(social_worker)])
        _save(discussion, pod_manager, score=7, decisions=[_decision(social_worker, "Call school")])
        entry = Entry.objects.get(family=family, kind=Entry.Kind.SUPERVISION_DECISION)
        assert "7 out of 10" in entry.what_happened and "Call school" in entry.next_steps
        assert entry.history.count() == 2

    def test_the_scaling_trend_shows_earlier_scores(self, pod, pod_manager, family, today):
        for weeks, score in ((3, 3), (2, 4), (1, 6)):
            day = today - datetime.timedelta(weeks=weeks)
            session = services.group_session_open(pod=pod, day=day, by=pod_manager)
            discussion = services.agenda_add(session=session, family=family, by=pod_manager)
            _save(discussion, pod_manager, score=score)
            CaseDiscussion.objects.filter(pk=discussion.pk).update(
                discussed=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
            )
        now = services.group_session_open(pod=pod, day=today, by=pod_manager)
        current = services.agenda_add(session=now, family=family, by=pod_manager)
        assert [score for _day, score in agenda.scaling_trend(family, before=current)] == [3, 4, 6]

    @pytest.mark.parametrize("score", [-1, 11])
    def test_a_score_outside_0_to_10_saves_nothing(
        self, pod_manager, social_worker, family, session, score
    ):  # noqa: E501
        discussion = session.discussions.get(family=family)
        with pytest.raises(ValidationError) as error:
            _save(discussion, pod_manager, score=score, decisions=[_decision(social_worker)])
        assert error.value.message_dict["scaling_score"] == ["Enter a score from 0 to 10"]
        self._nothing_saved(discussion)

    def test_a_decision_without_an_owner_saves_nothing(
        self, pod_manager, social_worker, family, session
    ):  # noqa: E501
        discussion = session.discussions.get(family=family)
        with pytest.raises(ValidationError) as error:
            _save(discussion, pod_manager, decisions=[_decision(social_worker), _decision(None)])
        assert error.value.message_dict["decision_2_owner"] == ["Choose who owns this decision"]
        self._nothing_saved(discussion)

    def test_an_owner_outside_the_pod_saves_nothing(self, pod_manager, outsider, family, session):
        discussion = session.discussions.get(family=family)
        with pytest.raises(ValidationError) as error:
            _save(discussion, pod_manager, decisions=[_decision(outsider)])
        assert error.value.message_dict["decision_1_owner"] == [
            f"{outsider.name} is not in the pod: choose an owner from the pod"
        ]
        self._nothing_saved(discussion)

    def test_only_the_pod_manager_saves_and_not_after_closing(
        self, pod_manager, social_worker, family, session
    ):
        discussion = session.discussions.get(family=family)
        with pytest.raises(PermissionDenied):
            _save(discussion, social_worker)
        services.session_close(session=session, by=pod_manager)
        with pytest.raises(ValidationError, match="closed"):
            _save(discussion, pod_manager)
        self._nothing_saved(discussion)

    def test_attendance_of_someone_not_in_the_pod_is_refused(
        self, pod_manager, social_worker, outsider, session
    ):
        with pytest.raises(ValidationError) as error:
            services.attendance_save(
                session=session, workers=[social_worker, outsider], by=pod_manager
            )  # noqa: E501
        assert error.value.message_dict["attendees"][0].startswith(
            f"{outsider.name} is not in the pod"
        )
        assert not session.attendees.exists()
        services.attendance_save(
            session=session, workers=[social_worker, pod_manager], by=pod_manager
        )  # noqa: E501
        assert set(session.attendees.all()) == {social_worker, pod_manager}

    def test_an_action_is_completed_by_its_owner_or_their_manager(
        self, pod_manager, social_worker, outsider, family, session
    ):
        discussion = session.discussions.get(family=family)
        _save(discussion, pod_manager, decisions=[_decision(social_worker)])
        decision = Decision.objects.get()
        with pytest.raises(PermissionDenied):
            services.decision_complete(decision=decision, by=outsider)
        done = services.decision_complete(decision=decision, by=social_worker)
        assert done.done is not None and done.done_by == social_worker.user

    @staticmethod
    def _nothing_saved(discussion):
        discussion.refresh_from_db()
        assert discussion.discussed is None and discussion.scaling_score is None
        assert not Decision.objects.exists()
        assert not Entry.objects.filter(kind=Entry.Kind.SUPERVISION_DECISION).exists()
