"""Values for the placeholders in bench/pages.py paths and forms, read from the dataset once
the benchmark has Django set up: families the demo social worker holds (the one with the most
people, the one with the longest chronology, one with a One Story summary), a child in the
first, a misspelling of a surname in it, today's date for forms, this week's group
supervision of the demo pod manager's pod, the latest survey waves, and a subject access
request from an adult of the family with the longest chronology."""

from __future__ import annotations


def values() -> dict[str, str]:
    from django.db.models import Count
    from django.utils import timezone

    from families.models import Family, FamilyMember
    from pods.models import Worker

    worker = Worker.objects.get(user__username="social-worker")
    held = Family.objects.filter(allocations__worker=worker, allocations__end__isnull=True)
    family = held.annotate(people=Count("members")).order_by("-people", "pk").first()
    if family is None:
        return {}
    today = timezone.localdate()
    found = {
        "family_id": str(family.pk),
        "today_day": str(today.day),
        "today_month": str(today.month),
        "today_year": str(today.year),
    }
    children = FamilyMember.objects.filter(family=family, relationship="child").order_by(
        "person__date_of_birth", "person_id"
    )
    surname = children.values_list("person__last_name", flat=True).first()
    found["misspelt_surname"] = misspell(surname)
    found["child_id"] = str(children.values_list("person_id", flat=True).first())
    longest = held.annotate(chronology=Count("entries")).order_by("-chronology", "pk").first()
    if longest.chronology:
        found["long_family_id"] = str(longest.pk)
    summarised = held.filter(summary__isnull=False).order_by("-summary__version", "pk").first()
    if summarised is not None:
        found["summary_family_id"] = str(summarised.pk)
    found |= _group_supervision(today)
    found |= _survey_waves()
    if "long_family_id" in found:
        found |= _subject_access_request(longest)
    return found


def _subject_access_request(family) -> dict[str, str]:
    """An open subject access request, logged by the demo data protection officer with
    identity checked, from the first adult of the family with the longest chronology (the
    same request again on a reused dataset), for gathering its records."""
    from django.utils import timezone

    from dataprotection import sar
    from dataprotection.models import SubjectAccessRequest
    from families.models import FamilyMember
    from pods.models import Worker

    officer = Worker.objects.get(user__username="data-protection-officer").user
    adult = (
        FamilyMember.objects.filter(family=family)
        .exclude(relationship=FamilyMember.Relationship.CHILD)
        .order_by("relationship", "pk")
        .first()
    )
    if adult is None:
        return {}
    request = SubjectAccessRequest.objects.filter(
        subject=adult.person, requester_name=BENCH_REQUESTER, closed__isnull=True,
        signed_off__isnull=True,
    ).first()  # fmt: skip
    if request is None:
        today = timezone.localdate()
        request = sar.sar_log(
            received=today, how=SubjectAccessRequest.How.EMAIL, requester_name=BENCH_REQUESTER,
            requester=SubjectAccessRequest.Requester.SUBJECT, subject=adult.person,
            identity_checked=today, identity_how="Passport seen", by=officer,
        )  # fmt: skip
    return {"sar_id": str(request.pk)}


BENCH_REQUESTER = "Benchmark requester"


def _survey_waves() -> dict[str, str]:
    """The latest wave of the parents' telephone interview and of Your Voice."""
    from feedback.models import Wave

    found = {}
    for name, slug in (
        ("parents_wave_id", "parents-telephone-interview"),
        ("your_voice_wave_id", "your-voice"),
    ):
        wave = Wave.objects.filter(instrument__slug=slug).order_by("-opens", "-pk").first()
        if wave is not None:
            found[name] = str(wave.pk)
    return found


def _group_supervision(today) -> dict[str, str]:
    """This week's group supervision of the demo pod manager's pod, opened as they would open
    it (so its agenda is the one the app proposes), with a family on it for the discussion,
    and the members who own its decisions."""
    import datetime

    from pods.models import Worker
    from pods.selectors import home_team
    from supervision import services
    from supervision.permissions import members_on

    manager = Worker.objects.get(user__username="pod-manager")
    pod = home_team(manager, today)
    if pod is None:
        return {}
    session = services.group_session_open(pod=pod, day=today, by=manager)
    if not session.is_open:
        return {}
    discussion = session.discussions.order_by("position", "pk").first()
    if discussion is None:
        return {}
    owners = list(members_on(pod, today).order_by("pk").values_list("pk", flat=True))[:3]
    return {
        "session_id": str(session.pk),
        "discussion_id": str(discussion.pk),
        "due_date": (today + datetime.timedelta(days=14)).isoformat(),
        **{f"owner_{number}": str(pk) for number, pk in enumerate(owners, start=1)},
    }


def misspell(name: str) -> str:
    """Swap two letters in the middle: the kind of slip search has to forgive."""
    if len(name) < 4:
        return name
    middle = len(name) // 2
    return name[: middle - 1] + name[middle] + name[middle - 1] + name[middle + 1 :]
