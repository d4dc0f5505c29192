"""Who may audit (never the family's worker alone; the worker with their manager in a
self-audit), the audit grant through the family's door (to the quarter's end and a margin,
revoked at moderation), what submitting needs, and who may moderate."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from families.models import Family, FamilyGrant
from feedback.audits import sampling, services
from feedback.models.audits import Audit, AuditAction, AuditGrade
from pods.models import Worker
from tests.factories import make_worker
from tests.feedback.conftest import audit_grades

pytestmark = pytest.mark.django_db


def submit(audit, by, *, grades=None, overall=2, findings="Clear analysis", actions=()):
    return services.audit_record(
        audit=audit,
        grades=audit_grades() if grades is None else grades,
        overall=overall,
        findings=findings,
        learning="",
        actions=list(actions),
        submit=True,
        by=by.user,
    )


def test_the_familys_worker_cannot_audit_the_record_alone(
    sampled_audit, social_worker, pod_manager
):
    with pytest.raises(ValidationError) as error:
        services.audit_assign(
            audit=sampled_audit, auditor=social_worker, self_audit=False, by=pod_manager.user
        )
    assert error.value.message_dict["auditor"] == [
        services.AUDITOR_IS_WORKER.format(name=social_worker.name)
    ]
    sampled_audit.refresh_from_db()
    assert sampled_audit.status == Audit.Status.SAMPLED and sampled_audit.auditor is None


def test_the_worker_may_audit_their_own_case_with_their_manager(
    sampled_audit, social_worker, pod_manager
):
    audit = services.audit_assign(
        audit=sampled_audit, auditor=social_worker, self_audit=True, by=pod_manager.user
    )
    assert audit.status == Audit.Status.ASSIGNED
    assert audit.self_audit and audit.auditor == social_worker.user
    assert audit.moderator == pod_manager.user
    assert audit.grant is None  # they are in the family's pod already


def test_the_worker_starts_a_self_audit_of_their_own_case_outside_the_programme(
    family, social_worker, pod_manager
):
    audit = services.audit_self_start(family=family, by=social_worker.user)
    assert (audit.programme, audit.status, audit.self_audit) == (None, Audit.Status.ASSIGNED, True)
    assert (audit.auditor, audit.moderator) == (social_worker.user, pod_manager.user)
    assert audit.worker == social_worker and audit.plan_type == sampling.PlanType.OTHER
    with pytest.raises(ValidationError) as error:
        services.audit_self_start(family=family, by=social_worker.user)
    assert error.value.messages == [services.SELF_START_OPEN.format(audit="outside the programme")]
    assert Audit.objects.count() == 1


def test_only_the_familys_worker_starts_a_self_audit(family, pod_manager, auditor):
    for someone in (pod_manager, auditor):
        with pytest.raises(ValidationError) as error:
            services.audit_self_start(family=family, by=someone.user)
        assert error.value.messages == [services.SELF_START_NOT_WORKER]
    assert not Audit.objects.exists()


def test_a_self_audit_is_only_for_the_familys_worker(sampled_audit, auditor, pod_manager):
    with pytest.raises(ValidationError) as error:
        services.audit_assign(
            audit=sampled_audit, auditor=auditor, self_audit=True, by=pod_manager.user
        )
    assert "not the family's worker" in error.value.message_dict["auditor"][0]


def test_business_support_and_students_do_not_audit(sampled_audit, pod, pod_manager):
    for role in (Worker.Role.BUSINESS_SUPPORT_OFFICER, Worker.Role.STUDENT_SOCIAL_WORKER):
        worker = make_worker(role=role, team=pod)
        with pytest.raises(ValidationError, match="cannot audit"):
            services.audit_assign(
                audit=sampled_audit, auditor=worker, self_audit=False, by=pod_manager.user
            )


def test_an_auditor_outside_the_pod_gets_an_audit_grant_to_the_quarters_end(
    assigned_audit, auditor, family
):
    grant = assigned_audit.grant
    assert grant.kind == FamilyGrant.Kind.AUDIT and grant.user == auditor.user
    year, quarter = sampling.quarter_of(timezone.localdate())
    quarter_end = sampling.quarter_bounds(year, quarter)[1]
    expected = timezone.make_aware(
        datetime.datetime.combine(
            quarter_end + datetime.timedelta(days=services.GRANT_MARGIN_DAYS + 1), datetime.time()
        )
    )
    assert grant.expires == min(expected, grant.starts + datetime.timedelta(days=90))
    assert Family.objects.visible_to(auditor.user).filter(pk=family.pk).exists()
    # An expired grant lets nobody in, at once.
    later = grant.expires + datetime.timedelta(minutes=1)
    assert not Family.objects.visible_to(auditor.user, at=later).filter(pk=family.pk).exists()


def test_an_auditor_in_the_familys_pod_needs_no_grant(sampled_audit, pod, pod_manager):
    colleague = make_worker(role=Worker.Role.SENIOR_SOCIAL_WORKER, team=pod)
    audit = services.audit_assign(
        audit=sampled_audit, auditor=colleague, self_audit=False, by=pod_manager.user
    )
    assert audit.grant is None
    assert not FamilyGrant.objects.exists()


def test_submitting_needs_every_area_and_the_whole_graded(assigned_audit, auditor):
    grades = audit_grades()
    grades[0] = services.AreaGrade(area=grades[0].area, grade=None)
    with pytest.raises(ValidationError) as error:
        submit(assigned_audit, auditor, grades=grades, overall=None, findings="")
    assert error.value.message_dict == {
        "grade_childs_voice": ["Choose a grade for the child's voice"],
        "overall": [services.OVERALL_NEEDED],
        "findings": [services.FINDINGS_NEEDED],
    }
    assert not AuditGrade.objects.exists()  # nothing half-saved
    assigned_audit.refresh_from_db()
    assert assigned_audit.status == Audit.Status.ASSIGNED


def test_a_grade_off_the_scale_is_refused(assigned_audit, auditor):
    grades = audit_grades()
    grades[2] = services.AreaGrade(area=grades[2].area, grade=5)
    with pytest.raises(ValidationError) as error:
        submit(assigned_audit, auditor, grades=grades, overall=0)
    assert error.value.message_dict == {
        "grade_planning": ["Choose a grade for planning from the four-point scale"],
        "overall": [services.OVERALL_OFF_SCALE],
    }


def test_a_draft_may_be_saved_part_graded(assigned_audit, auditor):
    services.audit_record(
        audit=assigned_audit,
        grades=[services.AreaGrade(area="assessment", grade=3, comment="Thin analysis")],
        overall=None,
        findings="",
        learning="",
        actions=[],
        submit=False,
        by=auditor.user,
    )
    assigned_audit.refresh_from_db()
    assert assigned_audit.status == Audit.Status.ASSIGNED
    assert [(g.area, g.grade) for g in assigned_audit.grades.all()] == [("assessment", 3)]


def test_actions_belong_to_the_familys_worker_and_need_a_date_from_today(
    assigned_audit, auditor, social_worker
):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        submit(
            assigned_audit,
            auditor,
            actions=[
                services.ActionDraft(text="Visit", due=today - datetime.timedelta(days=1)),
                services.ActionDraft(text="", due=today),
                services.ActionDraft(text="Update the plan", due=None),
            ],
        )
    assert error.value.message_dict == {
        "action_1_due": [services.ACTION_DUE_PAST.format(n=1)],
        "action_2_text": [services.ACTION_TEXT_NEEDED.format(n=2)],
        "action_3_due": [services.ACTION_DUE_NEEDED.format(n=3)],
    }
    submit(assigned_audit, auditor, actions=[services.ActionDraft(text="Visit", due=today)])
    action = AuditAction.objects.get()
    assert action.owner == social_worker.user and action.due == today
    assert action.created_by == auditor.user


def test_the_auditor_cannot_moderate_their_own_audit(sampled_audit, pod, pod_manager):
    # A pod manager from another part of the pod's work audits, then tries to moderate.
    audit = services.audit_assign(
        audit=sampled_audit, auditor=pod_manager, self_audit=False, by=pod_manager.user
    )
    submit(audit, pod_manager)
    with pytest.raises(ValidationError, match="another manager must moderate"):
        services.audit_moderate(audit=audit, grade=2, note="", by=pod_manager.user)


def test_only_the_pod_manager_of_the_familys_pod_moderates(submitted_audit, other_pod):
    other_manager = make_worker(role=Worker.Role.POD_MANAGER, team=other_pod)
    with pytest.raises(ValidationError, match="Only the pod manager"):
        services.audit_moderate(audit=submitted_audit, grade=2, note="", by=other_manager.user)


def test_changing_the_grade_needs_a_reason(submitted_audit, pod_manager):
    with pytest.raises(ValidationError) as error:
        services.audit_moderate(audit=submitted_audit, grade=3, note=" ", by=pod_manager.user)
    assert error.value.message_dict == {"note": [services.REASON_FOR_CHANGE]}


def test_moderation_keeps_both_grades_and_revokes_the_grant(
    submitted_audit, pod_manager, auditor, family
):
    audit = services.audit_moderate(
        audit=submitted_audit,
        grade=3,
        note="The plan has no timescales",
        by=pod_manager.user,
    )
    assert audit.status == Audit.Status.MODERATED
    assert (audit.auditor_overall, audit.overall) == (2, 3)
    assert audit.moderator == pod_manager.user and audit.moderated is not None
    audit.grant.refresh_from_db()
    assert audit.grant.revoked is not None
    assert not Family.objects.visible_to(auditor.user).filter(pk=family.pk).exists()


def test_a_moderated_audit_cannot_be_changed(submitted_audit, pod_manager, auditor):
    services.audit_moderate(audit=submitted_audit, grade=2, note="", by=pod_manager.user)
    with pytest.raises(ValidationError, match="no longer be changed"):
        submit(submitted_audit, auditor)
    with pytest.raises(ValidationError, match="Only a submitted audit"):
        services.audit_moderate(audit=submitted_audit, grade=2, note="", by=pod_manager.user)
