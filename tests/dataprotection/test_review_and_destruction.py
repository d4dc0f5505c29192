"""The monthly retention review and destruction: what is listed, deferral, holds, the second
person's confirmation, and what destruction removes (the records, their history rows, their
files) and leaves (the stub, the people in another family, the survey answers)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dataprotection import review as review_
from dataprotection.models import DestructionStub, LegalHold, ReviewItem
from families import services
from families.models import Family, FamilyMember, Person, Referral
from onestory.models import Entry, StoryExport
from tests.dataprotection.conftest import REVIEW_DAY, closed_family
from tests.factories import make_complaint
from tests.families.conftest import refer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def item_for(review, family) -> ReviewItem:
    return review.items.get(family=family)


class TestTheList:
    def test_a_family_past_its_date_is_listed_and_one_not_yet_past_is_not(self, old_family):
        recent = closed_family(
            name="The Novak family",
            received=datetime.date(2023, 1, 9),
            closed=datetime.date(2023, 2, 1),
        )
        review = review_.build_review(REVIEW_DAY)
        item = item_for(review, old_family)
        assert (item.category, item.status) == ("early_help", "due")
        assert item.destroy_after == datetime.date(2022, 1, 11)
        assert not review.items.filter(family=recent).exists(), "kept until February 2029"

    def test_an_open_family_is_never_listed(self, front_door):
        open_family = refer(received=datetime.date(2012, 1, 3))
        review = review_.build_review(REVIEW_DAY)
        assert not review.items.filter(family=open_family).exists()

    def test_building_a_month_twice_changes_nothing(self, old_family):
        first = review_.build_review(REVIEW_DAY)
        again = review_.build_review(REVIEW_DAY)
        assert first.pk == again.pk and again.items.filter(family=old_family).count() == 1

    def test_a_looked_after_child_without_a_date_of_birth_is_listed_as_unknown(self, old_family):
        child = old_family.members.get(relationship=FamilyMember.Relationship.CHILD).person
        Person.objects.filter(pk=child.pk).update(date_of_birth=None)
        from families.models import ChildStatus

        ChildStatus.objects.create(
            family=old_family, person=child, kind="looked_after", legal_status="V2",
            start=datetime.date(2015, 4, 1), end=datetime.date(2015, 12, 1),
        )  # fmt: skip
        item = item_for(review_.build_review(REVIEW_DAY), old_family)
        assert item.status == "unknown" and item.category == "looked_after"
        assert item.why_unknown == f"the date of birth of child {child.child_id} is not recorded"


class TestDeciding:
    def test_deferring_needs_a_reason_and_a_date_and_leaves_it_off_until_then(
        self, old_family, dpo
    ):
        item = item_for(review_.build_review(REVIEW_DAY), old_family)
        with pytest.raises(ValidationError) as error:
            review_.defer(item=item, by=dpo, reason=" ", look_again=None)
        assert error.value.message_dict == {
            "reason": [review_.DEFER_NEEDS_REASON],
            "look_again": [review_.DEFER_NEEDS_DATE],
        }
        item.refresh_from_db()
        assert item.status == "due", "nothing saved"
        review_.defer(
            item=item, by=dpo, reason="A sibling's care proceedings may need it",
            look_again=datetime.date(2099, 6, 1),
        )  # fmt: skip
        next_month = review_.build_review(datetime.date(2027, 1, 1))
        assert not next_month.items.filter(family=old_family).exists()

    def test_destroying_without_confirming_is_refused(self, old_family, dpo):
        item = item_for(review_.build_review(REVIEW_DAY), old_family)
        with pytest.raises(ValidationError) as error:
            review_.confirm(item=item, by=dpo, confirmed=False)
        assert error.value.message_dict == {"confirmed": [review_.NOT_CONFIRMED]}
        assert Family.objects.filter(pk=old_family.pk).exists()

    def test_the_proposer_cannot_also_confirm_and_a_second_officer_destroys(
        self, old_family, dpo, second_dpo
    ):
        item = item_for(review_.build_review(REVIEW_DAY), old_family)
        proposed = review_.confirm(item=item, by=dpo, confirmed=True)
        assert proposed.status == "proposed" and Family.objects.filter(pk=old_family.pk).exists()
        with pytest.raises(ValidationError) as error:
            review_.confirm(item=item, by=dpo, confirmed=True)
        assert error.value.messages == [
            "You proposed this destruction: the early help or no further action rule asks a "
            "second data protection officer to confirm it"
        ]
        stub = review_.confirm(item=item, by=second_dpo, confirmed=True)
        assert isinstance(stub, DestructionStub)
        assert (stub.proposed_by, stub.destroyed_by) == (dpo, second_dpo)
        assert not Family.objects.filter(pk=old_family.pk).exists()

    def test_a_proposal_is_carried_into_next_months_review(self, old_family, dpo):
        item = item_for(review_.build_review(REVIEW_DAY), old_family)
        review_.confirm(item=item, by=dpo, confirmed=True)
        carried = item_for(review_.build_review(datetime.date(2027, 1, 1)), old_family)
        assert (carried.status, carried.proposed_by) == ("proposed", dpo)


class TestHolds:
    def test_a_legal_hold_stops_destruction_and_is_named(self, old_family, dpo, second_dpo):
        LegalHold.objects.create(
            kind="inquiry", title="Inquiry into historical abuse", family=old_family,
            placed=datetime.date(2024, 1, 1), placed_by=dpo,
        )  # fmt: skip
        item = item_for(review_.build_review(REVIEW_DAY), old_family)
        assert item.status == "held"
        assert item.reason == "legal hold “Inquiry into historical abuse” (An inquiry's moratorium)"
        with pytest.raises(ValidationError) as error:
            review_.confirm(item=item, by=second_dpo, confirmed=True)
        assert "Inquiry into historical abuse" in error.value.messages[0]
        assert Family.objects.filter(pk=old_family.pk).exists()
        assert not DestructionStub.objects.exists()

    def test_a_hold_placed_after_the_proposal_still_stops_it(self, old_family, dpo, second_dpo):
        item = item_for(review_.build_review(REVIEW_DAY), old_family)
        review_.confirm(item=item, by=dpo, confirmed=True)
        make_complaint(received=datetime.date(2026, 11, 20), recorded_by=dpo, family=old_family)
        with pytest.raises(ValidationError) as error:
            review_.confirm(item=item, by=second_dpo, confirmed=True)
        assert "open complaint" in error.value.messages[0]
        assert Family.objects.filter(pk=old_family.pk).exists()

    def test_a_hold_on_a_category_holds_its_families(self, old_family, dpo):
        LegalHold.objects.create(
            kind="proceedings", title="Group claim", category="early_help",
            placed=datetime.date(2024, 1, 1), placed_by=dpo,
        )  # fmt: skip
        assert item_for(review_.build_review(REVIEW_DAY), old_family).status == "held"

    def test_a_released_hold_holds_nothing(self, old_family, dpo):
        LegalHold.objects.create(
            kind="inquiry", title="Finished inquiry", placed=datetime.date(2020, 1, 1),
            released=datetime.date(2023, 1, 20), placed_by=dpo,
        )  # fmt: skip
        assert item_for(review_.build_review(REVIEW_DAY), old_family).status == "due"


class TestDestruction:
    @pytest.fixture
    def recorded(self, front_door, social_worker, pod):
        """A family referred in 2015, allocated, with an entry corrected once (two history
        rows) and a PDF in storage, closed with no further action in January 2016; its mother
        is also a member of a second family."""
        family = refer(received=datetime.date(2015, 3, 3))
        services.family_allocate(family=family, team=pod, worker=social_worker,
                                 start=datetime.date(2015, 3, 3))  # fmt: skip
        entry = Entry.objects.create(
            family=family, author=social_worker.user, kind="home_visit",
            occurred=datetime.datetime(2015, 6, 1, 10, tzinfo=datetime.UTC),
            what_happened="Ada showed me her drawings", status="final",
        )  # fmt: skip
        entry.what_happened = "Ada showed me her drawings of home"
        entry.save()
        export = StoryExport.objects.create(family=family, requested_by=social_worker.user)
        export.file.save("story.pdf", ContentFile(b"%PDF-1.7 the family's story"))
        services.episode_close(family=family, end=datetime.date(2016, 1, 11), reason="needs_met")
        Referral.objects.filter(family=family).update(no_further_action=True)
        mother = family.members.get(relationship=FamilyMember.Relationship.MOTHER).person
        other = closed_family(
            name="The Brown family", received=datetime.date(2024, 1, 8),
            closed=datetime.date(2024, 2, 1),
        )  # fmt: skip
        FamilyMember.objects.create(family=other, person=mother, relationship="mother")
        return {
            "family": family, "entry": entry, "file": export.file.name, "mother": mother,
            "other": other,
        }  # fmt: skip

    @pytest.fixture
    def old_family(self, recorded):
        return recorded["family"]

    def destroy(self, family, dpo, second_dpo):
        item = item_for(review_.build_review(REVIEW_DAY), family)
        review_.confirm(item=item, by=dpo, confirmed=True)
        return review_.confirm(item=item, by=second_dpo, confirmed=True)

    def test_it_removes_the_records_their_history_and_their_files(
        self, old_family, recorded, dpo, second_dpo, django_capture_on_commit_callbacks
    ):
        child = old_family.members.get(relationship=FamilyMember.Relationship.CHILD).person
        assert Entry.history.filter(family_id=old_family.pk).count() == 2
        assert default_storage.exists(recorded["file"])
        with django_capture_on_commit_callbacks(execute=True):
            stub = self.destroy(old_family, dpo, second_dpo)
        assert not Entry.objects.filter(family_id=old_family.pk).exists()
        assert not Entry.history.filter(family_id=old_family.pk).exists()
        assert not Family.history.filter(id=old_family.pk).exists()
        assert not Person.objects.filter(pk=child.pk).exists()
        assert not Person.history.filter(id=child.pk).exists()
        assert not FamilyMember.history.filter(family_id=old_family.pk).exists()
        assert not default_storage.exists(recorded["file"]), "the PDF is gone from storage"
        assert stub.counts["onestory.Entry"] == 1 and stub.counts["files"] == 1
        assert stub.counts["history rows"] > 2

    def test_it_leaves_the_stub_and_the_people_in_another_family(
        self, old_family, recorded, dpo, second_dpo
    ):
        stub = self.destroy(old_family, dpo, second_dpo)
        assert Person.objects.filter(pk=recorded["mother"].pk).exists()
        assert recorded["other"].members.filter(person=recorded["mother"]).exists()
        stub.refresh_from_db()
        assert (stub.reference, stub.category) == (old_family.reference, "early_help")
        assert stub.family_id_destroyed == old_family.pk
        assert stub.rule_as_it_read == (
            "Early help or no further action: 6 years from when the record was closed"
        )
        names = str(stub.counts) + stub.reference + stub.rule_as_it_read
        assert "Okafor" not in names and "Ada" not in names, "a stub holds no name"

    def test_the_destroyed_family_is_404_for_its_pod(self, old_family, recorded, social_worker,
                                                      dpo, second_dpo):  # fmt: skip
        from tests.clients import client_for

        client = client_for(social_worker)
        assert client.get(f"/families/{old_family.pk}/").status_code == 200
        searched = client.post("/families/search/", {"q": "Okafor"})
        assert old_family.reference in searched.content.decode(), "found before"
        self.destroy(old_family, dpo, second_dpo)
        assert client.get(f"/families/{old_family.pk}/").status_code == 404
        found = client.post("/families/search/", {"q": "Okafor"})
        assert old_family.reference not in found.content.decode()

    def test_it_is_gone_from_the_drill_down_while_the_published_figures_stand(
        self, old_family, recorded, pod, pod_manager, dpo, second_dpo
    ):
        from reporting import reports
        from reporting.kpis import Period
        from tests.clients import client_for

        june = Period(2015, 6)  # the family was open, held by the pod
        report = reports.report_build(reports.report_request(period=june, team=pod, queue=False).pk)
        published = dict(report.values)
        assert published["open_children"]
        child = old_family.members.get(relationship=FamilyMember.Relationship.CHILD).person
        client = client_for(pod_manager)
        path = f"/reports/children/open_children/{june}/team-{pod.pk}/"
        assert [m.person for m in client.get(path).context["children"]] == [child]
        self.destroy(old_family, dpo, second_dpo)
        drill = client.get(path)
        assert drill.status_code == 200 and drill.context["children"] == []
        assert child.first_name not in drill.content.decode()
        report.refresh_from_db()
        assert report.values == published, "the figures already published stand"
        export = client.get(f"/reports/export/team-{pod.pk}.csv")
        assert export.status_code == 200 and old_family.reference not in export.content.decode()
