"""The complaints services: a complaint recorded with its stage 1 clock and reference, and
every refusal of the procedure a clear message with nothing saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from feedback.complaints import services
from feedback.models import Complaint, ComplaintAction, ComplaintStage
from scheduling.models import Letter
from tests.feedback.conftest import COMPLAINT_RECEIVED

pytestmark = pytest.mark.django_db
D = datetime.date


def record(officer, **fields):
    values = {
        "received": COMPLAINT_RECEIVED,
        "received_by": "email",
        "from_kind": "parent",
        "from_name": "Sam Hill",
        "from_email": "sam.hill@example.org",
        "summary": "My letters never arrive in time.",
        "by": officer.user,
        **fields,
    }
    return services.complaint_record(**values)


def messages_of(error: ValidationError) -> dict:
    return error.value.message_dict


def respond(stage, officer, **fields):
    values = {
        "responded": stage.opened + datetime.timedelta(days=7),
        "outcome": "partly_upheld",
        "response": "We are sorry. Your worker will now call you every week.",
        "by": officer.user,
        **fields,
    }
    return services.complaint_stage_respond(stage=stage, **values)


class TestRecording:
    def test_it_opens_stage_1_due_ten_working_days_after_receipt(self, family_complaint):
        stage = family_complaint.stages.get()
        # Received Mon 19 Oct 2026: 20-23 Oct (1-4), 26-30 Oct (5-9), Mon 2 Nov (10).
        assert (stage.number, stage.opened, stage.due) == (1, COMPLAINT_RECEIVED, D(2026, 11, 2))
        assert family_complaint.reference == "C-2026-0001"

    def test_references_count_up_within_the_year_and_start_again_the_next(
        self, family_complaint, pod, complaints_officer
    ):
        assert record(complaints_officer, team=pod).reference == "C-2026-0002"
        older = record(complaints_officer, team=pod, received=D(2025, 12, 1))
        assert older.reference == "C-2025-0001"

    def test_a_child_complainant_needs_the_advocate_offer_recorded(self, pod, complaints_officer):
        with pytest.raises(ValidationError) as error:
            record(complaints_officer, team=pod, from_kind="child")
        assert messages_of(error)["advocate_offered"] == [services.ADVOCATE_OFFER_NEEDED]
        assert not Complaint.objects.exists()
        complaint = record(
            complaints_officer, team=pod, from_kind="child", advocate_offered=COMPLAINT_RECEIVED
        )
        assert complaint.advocate_offered == COMPLAINT_RECEIVED

    def test_it_refuses_a_complaint_about_nobody_or_without_words(self, complaints_officer):
        with pytest.raises(ValidationError) as error:
            record(complaints_officer, summary=" ", from_name="")
        assert messages_of(error) == {
            "family": [services.ABOUT_NOBODY],
            "summary": [services.SUMMARY_NEEDED],
            "from_name": [services.NAME_NEEDED],
        }
        assert not Complaint.objects.exists() and not ComplaintStage.objects.exists()


class TestExtending:
    def test_stage_1_is_extended_once_with_a_reason_to_twenty_working_days(
        self, family_complaint, complaints_officer
    ):
        stage = family_complaint.stages.get()
        services.complaint_stage_extend(
            stage=stage, reason="The worker is on leave", by=complaints_officer.user
        )
        stage.refresh_from_db()
        # 20 working days from Mon 19 Oct 2026: Mon 16 Nov.
        assert (stage.extended_to, stage.deadline) == (D(2026, 11, 16), D(2026, 11, 16))
        with pytest.raises(ValidationError) as error:
            services.complaint_stage_extend(
                stage=stage, reason="Again", to=D(2026, 11, 13), by=complaints_officer.user
            )
        assert error.value.messages == [
            "Stage 1 was already extended once, to 16 November 2026: the procedure allows one "
            "extension"
        ]
        stage.refresh_from_db()
        assert stage.extension_reason == "The worker is on leave"

    def test_an_extension_needs_a_reason_and_stays_within_the_maximum(
        self, family_complaint, complaints_officer
    ):
        stage = family_complaint.stages.get()
        with pytest.raises(ValidationError) as error:
            services.complaint_stage_extend(
                stage=stage, reason="", to=D(2026, 11, 17), by=complaints_officer.user
            )
        assert messages_of(error) == {
            "reason": [services.EXTENSION_REASON_NEEDED],
            "to": [
                "The new date must be no later than 16 November 2026: 20 working days from "
                "19 October 2026 is the most the procedure allows for stage 1"
            ],
        }
        stage.refresh_from_db()
        assert stage.extended_to is None and stage.extension_reason == ""


class TestResponding:
    def test_a_response_needs_an_outcome_and_saves_nothing_without_one(
        self, family_complaint, complaints_officer
    ):
        stage = family_complaint.stages.get()
        with pytest.raises(ValidationError) as error:
            respond(stage, complaints_officer, outcome="")
        assert messages_of(error) == {"outcome": [services.OUTCOME_NEEDED]}
        stage.refresh_from_db()
        assert stage.responded is None and not Letter.objects.exists()

    def test_the_response_makes_a_letter_to_the_complainant(
        self, family_complaint, complaints_officer
    ):
        stage = respond(family_complaint.stages.get(), complaints_officer)
        letter = stage.letter
        assert (letter.kind, letter.to_name, letter.family) == (
            Letter.Kind.COMPLAINT_RESPONSE,
            "Grace Okafor",
            family_complaint.family,
        )
        assert "C-2026-0001" in letter.body
        # Responded Mon 26 Oct 2026: 20 working days later is Mon 23 Nov.
        assert "Please ask by 23 November 2026" in letter.body
        assert "We have partly upheld your complaint" in letter.body

    def test_a_complaint_with_no_address_or_email_cannot_be_answered_in_writing(
        self, pod, complaints_officer
    ):
        complaint = record(complaints_officer, team=pod, from_email="")
        with pytest.raises(ValidationError) as error:
            respond(complaint.stages.get(), complaints_officer)
        assert error.value.messages == [services.NO_WAY_TO_WRITE]


class TestEscalating:
    def test_stage_2_cannot_start_before_stage_1_is_answered(
        self, family_complaint, complaints_officer
    ):
        with pytest.raises(ValidationError) as error:
            services.complaint_escalate(
                complaint=family_complaint,
                requested=D(2026, 10, 26),
                by=complaints_officer.user,
            )
        assert error.value.messages == [
            "Stage 1 has not been answered yet: a complaint goes to the next stage only after "
            "the response"
        ]
        assert family_complaint.stages.count() == 1

    def test_escalation_within_the_window_opens_stage_2_on_its_clock(
        self, family_complaint, complaints_officer
    ):
        respond(family_complaint.stages.get(), complaints_officer)  # Mon 26 Oct 2026
        stage2 = services.complaint_escalate(
            complaint=family_complaint, requested=D(2026, 11, 23), by=complaints_officer.user
        )
        # Asked for Mon 23 Nov 2026 (the last day allowed): 25 working days later is Mon 28
        # Dec, Christmas (observed Boxing Day), and Tue 29 is the 25th: 24-27 Nov (1-4), 30
        # Nov-4 Dec (5-9), 7-11 (10-14), 14-18 (15-19), 21-24 (20-23), [25 Christmas, 28
        # Boxing Day observed], Tue 29 (24), Wed 30 Dec 2026 (25).
        assert (stage2.number, stage2.due) == (2, D(2026, 12, 30))

    def test_escalation_after_its_window_is_refused(self, family_complaint, complaints_officer):
        respond(family_complaint.stages.get(), complaints_officer)  # Mon 26 Oct 2026
        with pytest.raises(ValidationError) as error:
            services.complaint_escalate(
                complaint=family_complaint, requested=D(2026, 11, 24), by=complaints_officer.user
            )
        assert messages_of(error) == {
            "requested": [
                "The request to escalate had to be made by 23 November 2026, 20 working days "
                "after the response of 26 October 2026"
            ]
        }
        assert family_complaint.stages.count() == 1


class TestActionsAndClosing:
    def test_an_action_has_an_owner_and_a_due_date_and_is_done_once(
        self, family_complaint, complaints_officer, pod_manager
    ):
        action = services.complaint_action_add(
            complaint=family_complaint,
            text="Remind the pod to call back within a day",
            owner=pod_manager.user,
            due=D(2099, 1, 1),
            by=complaints_officer.user,
        )
        services.complaint_action_done(action=action, by=pod_manager.user)
        with pytest.raises(ValidationError):
            services.complaint_action_done(action=action, by=pod_manager.user)
        assert ComplaintAction.objects.get().done is not None

    def test_a_complaint_closes_only_once_its_stage_is_answered(
        self, family_complaint, complaints_officer
    ):
        with pytest.raises(ValidationError) as error:
            services.complaint_close(
                complaint=family_complaint, closed=D(2026, 11, 1), by=complaints_officer.user
            )
        assert error.value.messages == ["Answer stage 1 before closing the complaint"]
        respond(family_complaint.stages.get(), complaints_officer)
        services.complaint_close(
            complaint=family_complaint,
            closed=D(2026, 11, 30),
            learning="Call back within a working day",
            by=complaints_officer.user,
        )
        family_complaint.refresh_from_db()
        assert family_complaint.closed == D(2026, 11, 30)
