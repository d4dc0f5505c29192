"""The right to rectification: a person's challenge to a fact in a final entry is logged
against it and answered by the pod manager; the entry itself is never rewritten."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from onestory import services
from onestory.models import Challenge, Entry
from tests.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(family, social_worker):
    return services.entry_record(
        family=family, author=social_worker.user, kind=Entry.Kind.HOME_VISIT,
        occurred=timezone.now() - datetime.timedelta(hours=1), children=[], final=True,
        what_happened="Mum was at home and said the rent is paid",
    )  # fmt: skip


def _day_fields(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _challenge(entry, by, **changes):
    values = {"raised_by": "Grace Okafor, Ada's mother", "received": timezone.localdate(),
              "what_is_wrong": "I was at work that day: my sister let them in"}  # fmt: skip
    return services.challenge_log(entry=entry, by=by, **(values | changes))


class TestLoggingAChallenge:
    def test_a_social_worker_logs_it_from_the_entry_and_the_entry_shows_it(
        self, family, entry, social_worker
    ):
        client = client_for(social_worker)
        path = f"/families/{family.pk}/entries/{entry.pk}/challenge/"
        response = client.post(path, {
            "raised_by": "Grace Okafor, Ada's mother", "what_is_wrong": "I was at work that day",
            **_day_fields("received", timezone.localdate()),
        })  # fmt: skip
        assert response.status_code == 302
        challenge = Challenge.objects.get()
        assert (challenge.entry, challenge.recorded_by) == (entry, social_worker.user)
        assert challenge.answered is None
        page = client.get(f"/families/{family.pk}/entries/{entry.pk}/").content.decode()
        assert "I was at work that day" in page
        assert "Mum was at home and said the rent is paid" in page, "the original stays"

    def test_who_and_what_are_needed_and_nothing_is_saved_without_them(
        self, family, entry, social_worker
    ):
        response = client_for(social_worker).post(
            f"/families/{family.pk}/entries/{entry.pk}/challenge/",
            {
                "raised_by": " ",
                **_day_fields("received", timezone.localdate()),
                "what_is_wrong": "",
            },
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert services.CHALLENGE_WHO_NEEDED in page and services.CHALLENGE_WHAT_NEEDED in page
        assert not Challenge.objects.exists()

    def test_a_date_in_the_future_or_before_the_entry_is_refused(self, entry, social_worker):
        with pytest.raises(ValidationError) as error:
            _challenge(entry, social_worker.user,
                       received=timezone.localdate() + datetime.timedelta(days=1))  # fmt: skip
        assert error.value.message_dict["received"] == [services.ENTRY_IN_FUTURE]
        with pytest.raises(ValidationError) as error:
            _challenge(entry, social_worker.user,
                       received=timezone.localdate() - datetime.timedelta(days=30))  # fmt: skip
        assert error.value.message_dict["received"] == [services.CHALLENGE_BEFORE_ENTRY]
        assert not Challenge.objects.exists()

    def test_a_draft_cannot_be_challenged(self, family, social_worker):
        draft = services.entry_record(
            family=family, author=social_worker.user, kind=Entry.Kind.CONTACT,
            occurred=timezone.now(), children=[], final=False, what_happened="Half written",
        )  # fmt: skip
        with pytest.raises(ValidationError) as error:
            _challenge(draft, social_worker.user)
        assert error.value.messages == [services.CHALLENGE_NOT_FINAL]
        response = client_for(social_worker).get(
            f"/families/{family.pk}/entries/{draft.pk}/challenge/"
        )
        assert response.status_code == 404


class TestAnsweringAChallenge:
    def test_a_correction_is_shown_beside_the_original_which_is_not_rewritten(
        self, family, entry, social_worker, pod_manager
    ):
        challenge = _challenge(entry, social_worker.user)
        versions = entry.history.count()
        response = client_for(pod_manager).post(
            f"/families/{family.pk}/entries/{entry.pk}/challenges/{challenge.pk}/answer/",
            {"outcome": Challenge.Outcome.CORRECTED, "answer": "",
             "correction": "Ada's aunt let us in; Mum was at work",
             **_day_fields("answered", timezone.localdate())},
        )  # fmt: skip
        assert response.status_code == 302
        challenge.refresh_from_db()
        assert challenge.outcome == Challenge.Outcome.CORRECTED
        assert challenge.answered_by == pod_manager.user
        entry.refresh_from_db()
        assert entry.what_happened == "Mum was at home and said the rent is paid"
        assert entry.history.count() == versions, "the entry itself is not saved again"
        page = client_for(social_worker).get(f"/families/{family.pk}/entries/{entry.pk}/")
        text = page.content.decode()
        assert "Mum was at home and said the rent is paid" in text
        assert "Ada&#x27;s aunt let us in; Mum was at work" in text
        assert "I was at work that day: my sister let them in" in text

    def test_a_record_that_stands_needs_the_answer_given(self, entry, social_worker, pod_manager):
        challenge = _challenge(entry, social_worker.user)
        with pytest.raises(ValidationError) as error:
            services.challenge_answer(
                challenge=challenge, outcome=Challenge.Outcome.NOT_CORRECTED, correction="",
                answer=" ", answered=timezone.localdate(), by=pod_manager.user,
            )  # fmt: skip
        assert error.value.message_dict["answer"] == [services.ANSWER_NEEDED]
        with pytest.raises(ValidationError) as error:
            services.challenge_answer(
                challenge=challenge, outcome=Challenge.Outcome.CORRECTED, correction="",
                answer="", answered=timezone.localdate(), by=pod_manager.user,
            )  # fmt: skip
        assert error.value.message_dict["correction"] == [services.CORRECTION_NEEDED]
        with pytest.raises(ValidationError) as error:
            services.challenge_answer(
                challenge=challenge, outcome="", correction="", answer="",
                answered=timezone.localdate(), by=pod_manager.user,
            )  # fmt: skip
        assert error.value.message_dict["outcome"] == [services.CHALLENGE_OUTCOME_NEEDED]
        challenge.refresh_from_db()
        assert challenge.answered is None and challenge.outcome == ""

    def test_it_is_answered_once_and_not_before_it_was_raised(
        self, entry, social_worker, pod_manager
    ):
        challenge = _challenge(entry, social_worker.user)
        with pytest.raises(ValidationError) as error:
            services.challenge_answer(
                challenge=challenge, outcome=Challenge.Outcome.NOT_CORRECTED, correction="",
                answer="The visit notes stand", by=pod_manager.user,
                answered=timezone.localdate() - datetime.timedelta(days=1),
            )  # fmt: skip
        assert error.value.message_dict["answered"] == [services.ANSWERED_BEFORE_RECEIVED]
        services.challenge_answer(
            challenge=challenge, outcome=Challenge.Outcome.NOT_CORRECTED, correction="",
            answer="The visit notes stand", answered=timezone.localdate(), by=pod_manager.user,
        )  # fmt: skip
        with pytest.raises(ValidationError) as error:
            services.challenge_answer(
                challenge=challenge, outcome=Challenge.Outcome.CORRECTED, correction="Changed",
                answer="", answered=timezone.localdate(), by=pod_manager.user,
            )  # fmt: skip
        assert error.value.messages == [services.CHALLENGE_ANSWERED]
        challenge.refresh_from_db()
        assert challenge.outcome == Challenge.Outcome.NOT_CORRECTED

    def test_only_the_pods_manager_answers(self, family, entry, social_worker):
        challenge = _challenge(entry, social_worker.user)
        response = client_for(social_worker).post(
            f"/families/{family.pk}/entries/{entry.pk}/challenges/{challenge.pk}/answer/",
            {"outcome": Challenge.Outcome.CORRECTED, "correction": "Mine now", "answer": "",
             **_day_fields("answered", timezone.localdate())},
        )  # fmt: skip
        assert response.status_code == 403
        challenge.refresh_from_db()
        assert challenge.answered is None
