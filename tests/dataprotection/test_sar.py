"""Subject access requests: the clock (one calendar month, to the next working day, and an
extension) against dates worked out by hand; gathering the records about one person; redaction
with a reason, cut out of the bundle's text (read back with pypdf); a second officer's sign-off;
the disclosure log; the remit; the KPI."""

import datetime
import hashlib
import io
import time
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import SecurityEvent
from config.celery import app
from dataprotection import clock
from dataprotection import sar as sar_
from dataprotection.models import BundleStatus, Redaction, SarItem, SubjectAccessRequest
from families import services as family_services
from families.models import Family, FamilyGrant, FamilyMember
from feedback.models import Complaint
from onestory import assessments, plans
from onestory import services as story
from onestory.models import Entry
from reporting.kpis import REGISTRY, Period, Scope
from tests.families.conftest import child, family  # noqa: F401

pytestmark = pytest.mark.django_db

THIRD_PARTY = "her neighbour Mrs Delia Price"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


class TestTheClock:
    """Worked out by hand against the England and Wales bank holidays."""

    @pytest.mark.parametrize(
        "received, due",
        [
            # A month on is a working day: that day.
            (datetime.date(2026, 10, 14), datetime.date(2026, 11, 16)),  # 14 Nov is a Saturday
            (datetime.date(2026, 9, 9), datetime.date(2026, 10, 9)),
            # 31 January: February has no 31st, so its last day (a Saturday in 2026) → Monday.
            (datetime.date(2026, 1, 31), datetime.date(2026, 3, 2)),
            # 25 November 2026: 25 December is Christmas (a Friday); Boxing Day is a Saturday,
            # so its bank holiday is Monday 28th → Tuesday 29 December.
            (datetime.date(2026, 11, 25), datetime.date(2026, 12, 29)),
            # 29 February 2024: 29 March 2024 was Good Friday, 1 April Easter Monday → 2 April.
            (datetime.date(2024, 2, 29), datetime.date(2024, 4, 2)),
        ],
    )
    def test_due_one_calendar_month_on_or_the_next_working_day(self, received, due):
        assert clock.response_due(received) == due

    def test_an_extension_goes_to_three_months_at_most(self):
        # 25 November 2026 + 3 months = Thursday 25 February 2027.
        assert clock.latest_extension(datetime.date(2026, 11, 25)) == datetime.date(2027, 2, 25)
        # 30 November 2026 + 3 months: February's last day, Sunday 28th → Monday 1 March.
        assert clock.latest_extension(datetime.date(2026, 11, 30)) == datetime.date(2027, 3, 1)


@pytest.fixture
def subject_family(family, social_worker, pod):  # noqa: F811
    """Ada Okafor's family: a summary saved twice, three entries (Ada seen on one, named in
    another, the third about her brother only), her plan, an assessment, a letter to her
    mother, and a complaint her mother made."""
    ada = family.members.get(relationship=FamilyMember.Relationship.CHILD).person
    family_services.person_add(family=family, details=family_services.PersonDetails(
        first_name="Kofi", last_name="Okafor", date_of_birth=datetime.date(2019, 2, 3),
        relationship="child",
    ))  # fmt: skip
    kofi = family.members.get(person__first_name="Kofi").person
    user = social_worker.user
    first = story.summary_save(
        family=family, sections={"what_is_happening": "Ada is worried about school."},
        based_on_version=0, user=user,
    )  # fmt: skip
    story.summary_save(
        family=family,
        sections={"what_is_happening": f"Ada is worried about school and {THIRD_PARTY}."},
        based_on_version=first.version, user=user,
    )  # fmt: skip
    now = timezone.now()
    seen = story.entry_record(
        family=family, author=user, kind=Entry.Kind.HOME_VISIT,
        occurred=now - datetime.timedelta(days=3), final=True,
        children=[story.ChildSeenDetails(person=ada, seen=True)],
        what_happened=f"Visited at home. Grace said {THIRD_PARTY} shouts at the children.",
    )  # fmt: skip
    named = story.entry_record(
        family=family, author=user, kind=Entry.Kind.CONTACT,
        occurred=now - datetime.timedelta(days=2), final=True, children=[],
        what_happened="School rang: Ada was late twice this week.",
    )  # fmt: skip
    brother = story.entry_record(
        family=family, author=user, kind=Entry.Kind.CONTACT,
        occurred=now - datetime.timedelta(days=1), final=True, children=[],
        what_happened="Nursery rang about Kofi's cough.",
    )  # fmt: skip
    plans.plan_create(
        family=family, child=ada, kind="cin", start=datetime.date(2026, 6, 1),
        review_date=datetime.date(2026, 9, 1), goals=["Ada gets to school on time"],
        created_by=user,
    )  # fmt: skip
    plans.plan_create(
        family=family, child=kofi, kind="cin", start=datetime.date(2026, 6, 1),
        review_date=datetime.date(2026, 9, 1), goals=["Kofi sees the GP"], created_by=user,
    )  # fmt: skip
    assessments.assessment_start(family=family, started=datetime.date(2026, 5, 1), author=user)
    return {"family": family, "ada": ada, "kofi": kofi, "seen": seen, "named": named,
            "brother": brother}  # fmt: skip


def log(subject, by, **overrides):
    details = {
        "received": timezone.localdate() - datetime.timedelta(days=5),
        "how": "letter", "requester_name": "Grace Okafor", "requester": "parent",
        "subject": subject, "identity_checked": timezone.localdate() - datetime.timedelta(days=4),
        "identity_how": "Passport seen at the front desk", "by": by,
    }  # fmt: skip
    return sar_.sar_log(**{**details, **overrides})


class TestLogging:
    def test_logged_with_its_reference_and_due_date(self, subject_family, dpo):
        sar = log(subject_family["ada"], dpo)
        assert sar.reference == f"SAR-{sar.received.year}-0001"
        assert sar.due == clock.response_due(sar.received)
        assert log(subject_family["ada"], dpo).reference.endswith("-0002")

    def test_the_person_is_found_by_name_and_date_of_birth(self, subject_family):
        found = sar_.find_subject(
            first_name="ada", last_name="OKAFOR", born=subject_family["ada"].date_of_birth
        )
        assert found == subject_family["ada"]
        with pytest.raises(ValidationError) as error:
            sar_.find_subject(first_name="Ada", last_name="Okafor", born=datetime.date(2001, 1, 1))
        assert "No one called Ada Okafor born on 1 January 2001" in error.value.messages[0]

    def test_a_person_whose_record_is_restricted_is_outside_the_officers_remit(
        self, subject_family, dpo, social_worker
    ):
        the_family = subject_family["family"]
        family_services.family_restrict(
            family=the_family, reason="A member of staff's family", named_users=[],
            review_date=timezone.localdate() + datetime.timedelta(days=90), by=social_worker.user,
        )  # fmt: skip
        with pytest.raises(ValidationError) as error:
            log(subject_family["ada"], dpo)
        assert error.value.message_dict["subject"] == [
            sar_.OUTSIDE_REMIT.format(reference=the_family.reference)
        ]
        assert not SubjectAccessRequest.objects.exists()

    def test_identity_checked_before_receipt_is_refused(self, subject_family, dpo):
        with pytest.raises(ValidationError) as error:
            log(subject_family["ada"], dpo, identity_checked=datetime.date(2020, 1, 1))
        assert error.value.message_dict["identity_checked"] == [sar_.IDENTITY_BEFORE_RECEIPT]


class TestExtension:
    @pytest.fixture
    def sar(self, subject_family, dpo):
        return log(subject_family["ada"], dpo, received=datetime.date(2026, 11, 25))

    def test_extended_with_a_reason_and_the_day_the_requester_was_told(self, sar):
        sar_.sar_extend(
            sar=sar, extended_to=None, reason="The records are many",
            requester_told=datetime.date(2026, 11, 27),
        )  # fmt: skip
        sar.refresh_from_db()
        assert sar.due == datetime.date(2026, 12, 29)
        assert sar.deadline == sar.extended_to == datetime.date(2027, 2, 25)

    @pytest.mark.parametrize(
        "extended_to, reason, told, field, message",
        [
            (datetime.date(2027, 3, 1), "Many", datetime.date(2026, 11, 27), "extended_to",
             sar_.EXTENSION_TOO_LONG.format(day=datetime.date(2027, 2, 25))),
            (datetime.date(2026, 12, 20), "Many", datetime.date(2026, 11, 27), "extended_to",
             sar_.EXTENSION_NOT_LATER.format(day=datetime.date(2026, 12, 29))),
            (None, "", datetime.date(2026, 11, 27), "extension_reason",
             sar_.EXTENSION_REASON_NEEDED),
            (None, "Many", datetime.date(2026, 12, 30), "requester_told",
             sar_.TOLD_TOO_LATE.format(day=datetime.date(2026, 12, 29))),
        ],
    )  # fmt: skip
    def test_bad_extensions_are_refused_and_change_nothing(
        self, sar, extended_to, reason, told, field, message
    ):
        with pytest.raises(ValidationError) as error:
            sar_.sar_extend(sar=sar, extended_to=extended_to, reason=reason, requester_told=told)
        assert error.value.message_dict[field] == [message]
        sar.refresh_from_db()
        assert sar.extended_to is None and sar.deadline == datetime.date(2026, 12, 29)

    def test_it_is_extended_once(self, sar):
        told = datetime.date(2026, 11, 27)
        sar_.sar_extend(sar=sar, extended_to=None, reason="Many", requester_told=told)
        with pytest.raises(ValidationError) as error:
            sar_.sar_extend(sar=sar, extended_to=None, reason="More", requester_told=told)
        assert "can be extended once" in error.value.messages[0]


class TestGathering:
    def test_the_records_about_a_child(self, subject_family, dpo):
        sar = log(subject_family["ada"], dpo)
        count = sar_.sar_gather(sar=sar, by=dpo)
        items = list(sar.items.all())
        assert count == len(items)
        kinds = [item.kind for item in items]
        assert kinds.count(SarItem.Kind.SUMMARY) == 2, "every version of the summary"
        entries = {item.source_id for item in items if item.kind == SarItem.Kind.ENTRY}
        assert entries == {subject_family["seen"].pk, subject_family["named"].pk}
        plan_titles = [item.title for item in items if item.kind == SarItem.Kind.PLAN]
        assert plan_titles == ["Child in need plan for Ada"], "her plan, not her brother's"
        assert kinds.count(SarItem.Kind.ASSESSMENT) == 1
        assert all(item.family_reference == subject_family["family"].reference for item in items)

    def test_for_an_adult_every_entry_and_plan_of_the_family(self, subject_family, dpo):
        grace = subject_family["family"].members.get(relationship="mother").person
        Complaint.objects.create(
            reference="C-2026-0001", received=timezone.localdate(), received_by="letter",
            from_kind="parent", from_name="Grace Okafor", family=subject_family["family"],
            summary="Nobody rang me back", recorded_by=dpo,
        )  # fmt: skip
        sar = log(grace, dpo)
        sar_.sar_gather(sar=sar, by=dpo)
        kinds = list(sar.items.values_list("kind", flat=True))
        assert kinds.count(SarItem.Kind.ENTRY) == 3
        assert kinds.count(SarItem.Kind.PLAN) == 2
        assert sar.items.get(kind=SarItem.Kind.COMPLAINT).text == "Nobody rang me back"

    def test_the_officer_is_let_through_the_familys_door_until_the_request_is_due(
        self, subject_family, dpo
    ):
        the_family = subject_family["family"]
        assert not Family.objects.visible_to(dpo).filter(pk=the_family.pk).exists()
        sar = log(subject_family["ada"], dpo)
        sar_.sar_gather(sar=sar, by=dpo)
        grant = FamilyGrant.objects.get(user=dpo, family=the_family)
        assert grant.kind == FamilyGrant.Kind.SUBJECT_ACCESS and sar.reference in grant.reason
        assert timezone.localtime(grant.expires).date() >= sar.deadline
        assert Family.objects.visible_to(dpo).filter(pk=the_family.pk).exists()
        assert SecurityEvent.objects.filter(kind="grant_given", user=dpo).count() == 1
        sar_.sar_gather(sar=sar, by=dpo)  # again: the grant in force is reused
        assert FamilyGrant.objects.filter(user=dpo, family=the_family).count() == 1

    def test_not_before_identity_is_checked(self, subject_family, dpo):
        sar = log(subject_family["ada"], dpo, identity_checked=None, identity_how="")
        with pytest.raises(ValidationError) as error:
            sar_.sar_gather(sar=sar, by=dpo)
        assert error.value.messages == [sar_.IDENTITY_NOT_CHECKED]
        assert not sar.items.exists() and not FamilyGrant.objects.filter(user=dpo).exists()

    def test_a_challenge_to_an_entry_is_gathered_beside_it(
        self, subject_family, dpo, social_worker
    ):
        story.challenge_log(
            entry=subject_family["seen"], raised_by="Grace Okafor",
            what_is_wrong="I never said that", received=timezone.localdate(), by=social_worker.user,
        )  # fmt: skip
        sar = log(subject_family["ada"], dpo)
        sar_.sar_gather(sar=sar, by=dpo)
        text = sar.items.get(source_id=subject_family["seen"].pk, kind="entry").text
        assert "Visited at home" in text and "by Grace Okafor: I never said that" in text


@pytest.fixture
def gathered(subject_family, dpo):
    sar = log(subject_family["ada"], dpo)
    sar_.sar_gather(sar=sar, by=dpo)
    return sar


def entry_item(sar):
    return sar.items.get(kind=SarItem.Kind.ENTRY, text__contains="Visited at home")


def pdf_text(sar) -> str:
    sar.refresh_from_db()
    with sar.bundle.open("rb") as bundle:
        reader = PdfReader(io.BytesIO(bundle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


class TestRedaction:
    def test_a_passage_not_in_the_record_or_without_a_reason_is_refused(self, gathered, dpo):
        item = entry_item(gathered)
        with pytest.raises(ValidationError) as error:
            sar_.redaction_mark(item=item, passage="Mr Nobody", reason="", by=dpo)
        assert error.value.message_dict == {
            "passage": [sar_.NOT_IN_TEXT], "reason": [sar_.NO_REASON]
        }  # fmt: skip
        with pytest.raises(ValidationError) as error:
            sar_.redaction_mark(item=item, passage=THIRD_PARTY, reason="", by=dpo)
        assert error.value.message_dict == {"reason": [sar_.NO_REASON]}
        assert not Redaction.objects.exists()

    def test_marked_wherever_it_appears_and_matched_across_line_breaks(self, gathered, dpo):
        item = entry_item(gathered)
        made = sar_.redaction_mark(
            item=item, passage="her neighbour\n  Mrs Delia   PRICE", reason="third_party",
            everywhere=True, by=dpo,
        )  # fmt: skip
        # The summary's later version, and the assessment that copied the summary in.
        elsewhere = gathered.items.exclude(pk=item.pk).filter(text__contains="Delia")
        assert set(elsewhere.values_list("kind", flat=True)) == {"summary", "assessment"}
        assert {r.item_id for r in made} == {item.pk, *elsewhere.values_list("pk", flat=True)}
        text, spans = sar_.redacted(item.text, item.redactions.all())
        assert "Delia" not in text and "[Removed: information about a third party]" in text
        assert len(spans) == 1

    def test_overlapping_passages_are_cut_as_one(self):
        text, spans = sar_.redacted(
            "one two three four",
            [Redaction(passage="two three", reason="third_party"),
             Redaction(passage="three four", reason="serious_harm")],
        )  # fmt: skip
        assert text == "one [Removed: information about a third party]"
        assert spans == [(4, 18, "third_party")]


class TestSignOffBundleAndDisclosure:
    def test_no_bundle_before_a_second_officer_signs_off(self, gathered, dpo):
        with pytest.raises(ValidationError) as error:
            sar_.sar_bundle_queue(sar=gathered)
        assert error.value.messages == [sar_.NOT_SIGNED_OFF]
        with pytest.raises(ValidationError) as error:
            sar_.sar_sign_off(sar=gathered, by=dpo)
        assert error.value.messages == [sar_.OWN_GATHERING]
        gathered.refresh_from_db()
        assert gathered.signed_off is None and gathered.bundle_status == BundleStatus.NONE

    def test_nothing_is_redacted_after_sign_off(self, gathered, dpo, second_dpo):
        sar_.sar_sign_off(sar=gathered, by=second_dpo)
        with pytest.raises(ValidationError) as error:
            sar_.redaction_mark(
                item=entry_item(gathered), passage=THIRD_PARTY, reason="third_party", by=dpo
            )
        assert error.value.messages == [sar_.SIGNED_OFF_ALREADY]

    def test_the_redacted_phrase_is_nowhere_in_the_bundles_text(self, gathered, dpo, second_dpo):
        sar_.redaction_mark(
            item=entry_item(gathered), passage=THIRD_PARTY, reason="third_party",
            everywhere=True, by=dpo,
        )  # fmt: skip
        sar_.sar_sign_off(sar=gathered, by=second_dpo)
        sar_.sar_bundle_build(sar_id=gathered.pk)
        text = pdf_text(gathered)
        assert "Delia" not in text and "Price" not in text
        assert "Information about a third party: 4 passages" in text  # the assessment twice
        assert "Grace said [Removed: information about a third party] shouts" in text
        assert "School rang: Ada was late twice this week." in text
        with gathered.bundle.open("rb") as bundle:
            raw = bundle.read()
        assert b"Delia" not in raw

    def test_the_disclosure_log_keeps_the_checksum_and_answers_the_request(
        self, gathered, dpo, second_dpo
    ):
        with pytest.raises(ValidationError):
            sar_.disclosure_record(
                sar=gathered, sent=timezone.localdate(), sent_to="Grace", how="post", by=dpo
            )
        sar_.sar_sign_off(sar=gathered, by=second_dpo)
        sar_.sar_bundle_build(sar_id=gathered.pk)
        gathered.refresh_from_db()
        disclosure = sar_.disclosure_record(
            sar=gathered, sent=timezone.localdate(), sent_to="Grace Okafor, 12 Acacia Road",
            how="post", by=dpo,
        )  # fmt: skip
        with gathered.bundle.open("rb") as bundle:
            assert disclosure.sha256 == hashlib.sha256(bundle.read()).hexdigest()
        gathered.refresh_from_db()
        assert (gathered.closed, gathered.outcome) == (timezone.localdate(), "sent")
        assert not FamilyGrant.objects.in_force().filter(user=dpo).exists(), "access ends"
        assert not Family.objects.visible_to(dpo).exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_bundle(subject_family, dpo, second_dpo):
    sar = log(subject_family["ada"], dpo)
    sar_.sar_gather(sar=sar, by=dpo)
    sar_.sar_sign_off(sar=sar, by=second_dpo)
    sar = sar_.sar_bundle_queue(sar=sar)
    assert sar.bundle_status == BundleStatus.QUEUED
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
        deadline = time.monotonic() + 60
        while sar.bundle_status == BundleStatus.QUEUED and time.monotonic() < deadline:
            time.sleep(0.2)
            sar.refresh_from_db()
    assert sar.bundle_status == BundleStatus.READY
    assert "Your subject access request This is what" in pdf_text(sar)


class TestTheKpi:
    def test_answered_within_time_counts_the_extended_date(self, subject_family, dpo):
        ada = subject_family["ada"]
        # Received 2 Nov, due 2 Dec: one answered on time, one late, one late but extended,
        # one withdrawn (not counted).
        received = datetime.date(2026, 11, 2)
        answered = {}
        for name, closed, extended in [
            ("on time", datetime.date(2026, 12, 2), False),
            ("late", datetime.date(2026, 12, 3), False),
            ("extended", datetime.date(2026, 12, 20), True),
        ]:
            sar = log(ada, dpo, received=received, identity_checked=received)
            if extended:
                sar_.sar_extend(sar=sar, extended_to=datetime.date(2027, 1, 15), reason="Many",
                                requester_told=datetime.date(2026, 11, 20))  # fmt: skip
            SubjectAccessRequest.objects.filter(pk=sar.pk).update(closed=closed, outcome="sent")
            answered[name] = sar
        withdrawn = log(ada, dpo, received=received, identity_checked=received)
        SubjectAccessRequest.objects.filter(pk=withdrawn.pk).update(
            closed=datetime.date(2026, 12, 1), outcome="withdrawn"
        )
        figure = REGISTRY["sars_answered_in_time"].value(Period(2026, 12), Scope.authority())
        assert figure == Decimal("66.7")  # 2 of 3
        assert REGISTRY["sars_answered_in_time"].value(Period(2026, 11), Scope.authority()) is None
