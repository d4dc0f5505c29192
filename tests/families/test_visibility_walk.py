"""Walk every URL pattern with a family in it, as people outside the family's pod (404 every
time, the same 404 as for a family that does not exist) and as its pod manager (200).

New URL patterns are picked up by themselves: a pattern with an argument this walk cannot fill
fails the test, so whoever adds one teaches the walk how to fill it."""

import datetime
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from families import care, services
from families.models import ChildStatus, FamilyGrant
from feedback.audits import services as audit_services
from feedback.models import Instrument
from feedback.models.audits import AREAS, Audit
from feedback.surveys import services as survey_services
from onestory import assessments, exports, plans
from onestory import services as story_services
from onestory.models import Entry
from scheduling import calls, letters
from scheduling import services as scheduling_services
from scheduling.models import Appointment, Letter
from tests.clients import signed_in_client

pytestmark = pytest.mark.django_db
ARGUMENT = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def family_scoped_routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from family_scoped_routes(pattern, route)
        elif isinstance(pattern, URLPattern) and "<int:family_id>" in route:
            yield "/" + route


# Where a route needs a different object behind the same argument: a draft is carried on
# with, a final entry is corrected.
ROUTE_SPECIFIC = {
    "/correct/": {"entry_id": "final_entry_id"},
    "/challenge/": {"entry_id": "final_entry_id"},
    "/answer/": {"entry_id": "final_entry_id"},
    "audits/<int:audit_id>/moderate/": {"audit_id": "submitted_audit_id"},
}


def fill(route: str, values: dict[str, int]) -> str:
    def replace(match):
        name = match.group("name")
        for suffix, specific in ROUTE_SPECIFIC.items():
            if route.endswith(suffix) and name in specific:
                return str(values[specific[name]])
        assert name in values, f"The visibility walk does not know how to fill <{name}> in {route}"
        return str(values[name])

    return ARGUMENT.sub(replace, route)


@pytest.fixture
def values(family, child, pod_manager, lead_practitioner, settings, tmp_path):
    status = services.child_status_start(
        family=family, person=child, kind=ChildStatus.Kind.CIN_PLAN, start=datetime.date(2025, 4, 1)
    )
    grant = services.grant_give(
        family=family,
        user=lead_practitioner.user,
        kind=FamilyGrant.Kind.LEAD_PRACTITIONER,
        reason="Joint work on domestic abuse",
        expires=timezone.now() + datetime.timedelta(days=30),
        granted_by=pod_manager.user,
    )
    # The pod manager's own draft, so "carry on with a draft" opens for them too.
    entry = story_services.entry_record(
        family=family,
        author=pod_manager.user,
        kind=Entry.Kind.HOME_VISIT,
        occurred=timezone.now() - datetime.timedelta(hours=1),
        children=[],
        final=False,
        what_happened="A draft",
    )
    final_entry = story_services.entry_record(
        family=family,
        author=pod_manager.user,
        kind=Entry.Kind.HOME_VISIT,
        occurred=timezone.now() - datetime.timedelta(hours=2),
        children=[],
        final=True,
        what_happened="A visit",
    )
    # Open, so the pod manager's answer form opens.
    challenge = story_services.challenge_log(
        entry=final_entry, raised_by="Grace Okafor, Ada's mother", received=timezone.localdate(),
        what_is_wrong="I was not there that day", by=pod_manager.user,
    )  # fmt: skip
    assessment = assessments.assessment_start(
        family=family, started=datetime.date(2025, 4, 2), author=pod_manager.user
    )
    plan = plans.plan_create(
        family=family,
        child=child,
        kind="cin",
        start=datetime.date(2025, 4, 1),
        review_date=datetime.date(2025, 7, 1),
        goals=["Ada is safe"],
        created_by=pod_manager.user,
    )
    # A One Story PDF built (in this process, not a worker) so that its download opens too.
    settings.MEDIA_ROOT = str(tmp_path)
    export = exports.story_export_request(
        family=family, entry_ids=[], requested_by=pod_manager.user
    )
    exports.story_export_build(export_id=export.pk)
    # Scheduling: an appointment (its record and held forms open before it starts, for the
    # walk), a letter to the household and a call taken for the worker.
    start = timezone.now() + datetime.timedelta(days=3)
    appointment = scheduling_services.appointment_book(
        family=family,
        kind=Appointment.Kind.HOME_VISIT,
        start=start,
        end=start + datetime.timedelta(hours=1),
        worker=pod_manager,
        by=pod_manager.user,
        allow_clashes=True,
    )
    family.address = "1 Mill Lane\nBrightwater"
    family.save()
    letter = letters.letter_prepare(
        family=family,
        kind=Letter.Kind.FAMILY_LETTER,
        by=pod_manager.user,
        body="We will visit next week.",
    )
    letters.letter_render(letter_id=letter.pk)  # in this process, so its download opens
    call = calls.call_log(
        family=family,
        caller="Grace, Ada's mother",
        received=timezone.now() - datetime.timedelta(minutes=10),
        message="Please call back",
        urgent=False,
        for_worker=pod_manager,
        by=pod_manager.user,
    )
    # Surveys: an open wave of the parents' telephone interview, entered from the family.
    survey_wave = survey_services.wave_create(
        instrument=Instrument.objects.get(slug="parents-telephone-interview"),
        name="This month",
        opens=timezone.localdate(),
        closes=timezone.localdate() + datetime.timedelta(days=14),
        who_is_asked="Parents",
        owner=pod_manager.user,
    )
    # Audits: a self-audit with the pod manager (so its form opens for them), and another
    # audit by the lead practitioner submitted for the pod manager to moderate, with an action.
    worker = family.allocations.get(end__isnull=True).worker
    audit = Audit.objects.create(family=family, team=worker.memberships.get().team, plan_type="cin")
    audit_services.audit_assign(audit=audit, auditor=worker, self_audit=True, by=pod_manager.user)
    submitted = Audit.objects.create(family=family, team=audit.team, plan_type="cin")
    audit_services.audit_assign(
        audit=submitted, auditor=lead_practitioner, self_audit=False, by=pod_manager.user
    )
    audit_services.audit_record(
        audit=submitted,
        grades=[audit_services.AreaGrade(area=area.value, grade=2) for area in AREAS],
        overall=2,
        findings="A clear record",
        learning="",
        actions=[audit_services.ActionDraft(text="Update the plan", due=timezone.localdate())],
        submit=True,
        by=lead_practitioner.user,
    )
    # The care record: Ada looked after (alongside her plan) with a placement, a time missing,
    # a year's health, an adoption decision; then leaving care, and her contact after it.
    looked_after = services.child_status_start(
        family=family,
        person=child,
        kind=ChildStatus.Kind.LOOKED_AFTER,
        start=datetime.date(2025, 4, 1),
        legal_status="C2",
    )
    placement = care.placement_start(
        family=family, person=child, start=datetime.date(2025, 4, 1), place="U6", provider="PR1"
    )
    missing = care.missing_record(
        family=family, person=child, kind="M", start=datetime.date(2025, 5, 1)
    )
    outcomes = care.health_outcomes_save(family=family, person=child, year=2026, sdq_score=10)
    adoption = care.adoption_save(family=family, person=child, decided=datetime.date(2025, 6, 1))
    services.child_status_end(status=looked_after, end=datetime.date(2025, 12, 31))
    contact = care.leaver_contact_save(
        family=family, person=child, year=2026, in_touch="YES", activity="F2", accommodation="C1"
    )
    return {
        "family_id": family.pk,
        "person_id": child.pk,
        "referral_id": family.referrals.get().pk,
        "status_id": status.pk,
        "grant_id": grant.pk,
        "entry_id": entry.pk,
        "final_entry_id": final_entry.pk,
        "challenge_id": challenge.pk,
        "assessment_id": assessment.pk,
        "plan_id": plan.pk,
        "export_id": export.pk,
        "appointment_id": appointment.pk,
        "letter_id": letter.pk,
        "call_id": call.pk,
        "audit_id": audit.pk,
        "submitted_audit_id": submitted.pk,
        "audit_action_id": submitted.actions.get().pk,
        "wave_id": survey_wave.pk,
        "placement_id": placement.pk,
        "missing_id": missing.pk,
        "outcomes_id": outcomes.pk,
        "contact_id": contact.pk,
        "adoption_id": adoption.pk,
    }


def test_the_walk_covers_every_family_screen():
    routes = set(family_scoped_routes())
    assert "/families/<int:family_id>/" in routes
    assert "/families/<int:family_id>/access-log/" in routes
    assert "/families/<int:family_id>/chronology/" in routes
    assert len(routes) >= 20


@pytest.mark.parametrize("who", ["outsider", "other_pod_business_support", "senior_leader"])
def test_everyone_outside_the_pod_gets_404_on_every_family_url(request, values, who):
    worker = request.getfixturevalue(who)
    client = signed_in_client(worker.user)
    for route in family_scoped_routes():
        path = fill(route, values)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code == 404, (
                f"{who} {method.upper()} {path}: {response.status_code}"
            )


def test_a_family_outside_visibility_and_one_that_does_not_exist_give_the_same_404(
    values, outsider
):
    client = signed_in_client(outsider.user)
    hidden = client.get(f"/families/{values['family_id']}/")
    missing = client.get("/families/999999999/")
    assert hidden.status_code == missing.status_code == 404
    # Identical but for the sign-out form's CSRF token, which is masked afresh each time.
    assert _without_csrf(hidden.content) == _without_csrf(missing.content)


def _without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_the_pod_manager_gets_200_on_every_family_url(values, pod_manager):
    client = signed_in_client(pod_manager.user)
    for route in family_scoped_routes():
        path = fill(route, values)
        response = client.get(path)
        if response.status_code == 405:  # an action that only takes a POST
            response = client.post(path)
            assert response.status_code == 302, f"POST {path}: {response.status_code}"
        else:
            assert response.status_code == 200, f"GET {path}: {response.status_code}"
