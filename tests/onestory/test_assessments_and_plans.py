"""Assessments start from what the One Story already says; plans have goals, actions and
progress; the dates and sign-off rules hold."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from onestory import assessments, plans, services
from onestory.models import Assessment, Entry, Plan
from pods.working_days import add_working_days

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_an_assessment_is_prefilled_from_the_summary_and_recent_chronology(
    family, child, social_worker
):
    services.summary_save(
        family=family,
        based_on_version=0,
        user=social_worker.user,
        sections={
            "who_is_in_the_family": "Ada lives with her mum Grace",
            "worries": "Ada is often hungry",
            "wishes_and_feelings": "Ada wants to stay at her school",
        },
    )
    services.entry_record(
        family=family,
        author=social_worker.user,
        kind=Entry.Kind.HOME_VISIT,
        occurred=timezone.now() - datetime.timedelta(days=3),
        children=[services.ChildSeenDetails(person=child, seen=True)],
        final=True,
        what_happened="Fridge was empty\nGrace said money ran out",
        childs_voice="I like my teacher",
    )
    assessment = assessments.assessment_start(
        family=family, started=TODAY, author=social_worker.user
    )
    assert assessment.family_and_history == "Ada lives with her mum Grace"
    assert assessment.worries == "Ada is often hungry"
    assert "home visit: Fridge was empty" in assessment.recent_events
    assert "Grace said money" not in assessment.recent_events, "only the first line of each entry"
    assert assessment.childs_voice.startswith("Ada wants to stay at her school")
    assert "I like my teacher" in assessment.childs_voice
    assert assessment.families_own_words == "", "the family's own words are theirs to give"


def test_an_assessment_is_due_45_working_days_from_the_start(family, social_worker):
    assessment = assessments.assessment_start(
        family=family, started=datetime.date(2025, 12, 1), author=social_worker.user
    )
    assert assessment.due == add_working_days(datetime.date(2025, 12, 1), 45)
    assert assessment.due == datetime.date(2026, 2, 5), "Christmas, Boxing Day and New Year skipped"


def test_completion_needs_an_outcome_and_an_analysis_then_the_pod_manager_signs_off(
    family, social_worker, pod_manager, outsider
):
    assessment = assessments.assessment_start(
        family=family, started=TODAY, author=social_worker.user
    )
    with pytest.raises(ValidationError, match="Write the analysis"):
        assessments.assessment_complete(assessment=assessment, outcome="cin_plan", completed=TODAY)
    assessments.assessment_save(
        assessment=assessment, sections={"analysis": "Needs are met with support"}
    )
    with pytest.raises(ValidationError, match="Only a completed assessment"):
        assessments.assessment_sign_off(assessment=assessment, by=pod_manager.user)
    assessments.assessment_complete(assessment=assessment, outcome="cin_plan", completed=TODAY)
    with pytest.raises(ValidationError, match="Only the manager of the family's pod"):
        assessments.assessment_sign_off(assessment=assessment, by=social_worker.user)
    with pytest.raises(ValidationError, match="Only the manager of the family's pod"):
        assessments.assessment_sign_off(assessment=assessment, by=outsider.user)
    signed = assessments.assessment_sign_off(assessment=assessment, by=pod_manager.user)
    assert (
        signed.signed_off_by == pod_manager.user and signed.outcome == Assessment.Outcome.CIN_PLAN
    )
    with pytest.raises(ValidationError, match="signed off"):
        assessments.assessment_save(assessment=signed, sections={"analysis": "Changed afterwards"})


def test_a_plan_has_goals_actions_and_progress(family, child, social_worker):
    plan = plans.plan_create(
        family=family,
        child=child,
        kind=Plan.Kind.CIN,
        start=TODAY - datetime.timedelta(days=10),
        review_date=TODAY + datetime.timedelta(days=80),
        created_by=social_worker.user,
        goals=["Ada eats breakfast every day", "", "Grace gets debt advice"],
    )
    assert [goal.text for goal in plan.goals.all()] == [
        "Ada eats breakfast every day",
        "Grace gets debt advice",
    ]
    goal = plan.goals.first()
    assert goal.history.count() == 1
    action = plans.plan_action_add(
        goal=goal,
        text="Breakfast club place",
        owner="Sarah Edwards, school",
        due=TODAY + datetime.timedelta(days=7),
    )
    progress = plans.goal_progress_record(
        goal=goal, date=TODAY, rating=6, note="Most days", recorded_by=social_worker.user
    )
    assert (action.goal, progress.rating) == (goal, 6)


def test_a_plan_review_before_its_start_is_refused(family, child, social_worker):
    with pytest.raises(ValidationError) as error:
        plans.plan_create(
            family=family,
            child=child,
            kind=Plan.Kind.CP,
            start=TODAY,
            review_date=TODAY - datetime.timedelta(days=1),
            created_by=social_worker.user,
            goals=["Safe at home"],
        )
    assert error.value.message_dict["review_date"] == [
        "The review date must be on or after the plan starts"
    ]
    assert not Plan.objects.exists()


def test_a_plan_needs_a_goal_and_progress_a_rating_from_0_to_10(family, child, social_worker):
    with pytest.raises(ValidationError, match="at least one goal"):
        plans.plan_create(
            family=family,
            child=child,
            kind=Plan.Kind.CIN,
            start=TODAY,
            review_date=TODAY,
            created_by=social_worker.user,
            goals=["  "],
        )
    plan = plans.plan_create(
        family=family,
        child=child,
        kind=Plan.Kind.CIN,
        start=TODAY,
        review_date=TODAY,
        created_by=social_worker.user,
        goals=["A goal"],
    )
    with pytest.raises(ValidationError, match="0 to 10"):
        plans.goal_progress_record(
            goal=plan.goals.get(), date=TODAY, rating=11, note="", recorded_by=social_worker.user
        )
