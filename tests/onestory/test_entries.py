"""Recording: drafts kept, students countersigned, corrections as new versions, bad input."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from onestory import services
from onestory.models import TEXT_LIMIT, Entry
from pods.models import Worker
from tests.factories import make_worker

pytestmark = pytest.mark.django_db


def _visit(
    family, author, child, *, final=True, seen=True, alone=False, when=None, entry=None, **texts
):
    return services.entry_record(
        family=family,
        author=author.user,
        kind=Entry.Kind.HOME_VISIT,
        occurred=when or timezone.now() - datetime.timedelta(hours=1),
        children=[services.ChildSeenDetails(person=child, seen=seen, seen_alone=alone)],
        final=final,
        entry=entry,
        what_happened=texts.pop("what_happened", "Ada showed me her room"),
        **texts,
    )


def test_a_draft_is_kept_and_can_be_finished_later(family, child, social_worker):
    draft = _visit(family, social_worker, child, final=False, what_happened="Half written")
    assert Entry.objects.get().status == Entry.Status.DRAFT
    done = _visit(family, social_worker, child, entry=draft, what_happened="Finished")
    assert (done.pk, done.status, done.what_happened) == (draft.pk, Entry.Status.FINAL, "Finished")


def test_only_the_author_can_carry_on_with_a_draft(family, child, social_worker, pod_manager):
    draft = _visit(family, social_worker, child, final=False)
    with pytest.raises(ValidationError, match="Only the author"):
        _visit(family, pod_manager, child, entry=draft)


def test_a_students_entry_is_final_only_when_countersigned(family, child, pod, social_worker):
    student = make_worker(role=Worker.Role.STUDENT_SOCIAL_WORKER, team=pod)
    entry = _visit(family, student, child)
    assert entry.status == Entry.Status.AWAITING_COUNTERSIGNATURE
    with pytest.raises(ValidationError, match="qualified social worker other than the author"):
        services.entry_countersign(entry=entry, by=student.user)
    signed = services.entry_countersign(entry=entry, by=social_worker.user)
    assert (signed.status, signed.countersigned_by) == (Entry.Status.FINAL, social_worker.user)


def test_a_final_entry_is_corrected_as_a_new_version(family, child, social_worker):
    entry = _visit(family, social_worker, child, what_happened="Ada was at school")
    services.entry_correct(
        entry=entry, by=social_worker.user, reason="Wrong place", what_happened="Ada was at home"
    )
    versions = list(
        entry.history.order_by("history_date").values_list("what_happened", "history_change_reason")
    )
    assert versions[0][0] == "Ada was at school"
    assert versions[-1] == ("Ada was at home", "Corrected: Wrong place")
    with pytest.raises(ValidationError, match="final"):
        _visit(family, social_worker, child, entry=entry)


def test_a_visit_in_the_future_is_refused(family, child, social_worker):
    with pytest.raises(ValidationError) as error:
        _visit(family, social_worker, child, when=timezone.now() + datetime.timedelta(days=1))
    assert error.value.message_dict["occurred"] == [
        "The date of the visit must be today or in the past"
    ]
    assert not Entry.objects.exists()


def test_a_child_seen_alone_must_have_been_seen(family, child, social_worker):
    with pytest.raises(ValidationError) as error:
        _visit(family, social_worker, child, seen=False, alone=True)
    assert (
        "Ada cannot have been seen alone without being seen"
        in error.value.message_dict["children"][0]
    )
    assert not Entry.objects.exists()


def test_a_huge_paste_is_refused_and_nothing_is_saved(family, child, social_worker):
    with pytest.raises(ValidationError, match="20,000 characters or fewer"):
        _visit(family, social_worker, child, analysis="y" * (TEXT_LIMIT + 1))
    assert not Entry.objects.exists()
