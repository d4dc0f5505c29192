"""What business support arranges, so social workers spend their time with families.

Appointments are dated events with who attends and each invitation's state; statutory
meetings are appointments of a statutory kind that carry the deadline their clock gave them
(scheduling/clocks.py) and, when held late, why. Letters, calls taken and cover are each
recorded once, and what a family should see of them goes into its chronology as an entry."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from families.models.codes import ReviewParticipation as ReviewParticipationCode
from onestory.models import TEXT_LIMIT


def _text(verbose_name: str, **kwargs) -> models.TextField:
    return models.TextField(verbose_name, blank=True, max_length=TEXT_LIMIT, **kwargs)


def _midnight(day, days: int = 0):
    """The start of ``day`` (plus ``days``) in the service's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=days), datetime.time())
    )


class AppointmentQuerySet(models.QuerySet):
    def active(self):
        """Planned or held: what still takes someone's time (not cancelled, not moved)."""
        return self.filter(status__in=[Appointment.Status.PLANNED, Appointment.Status.HELD])

    def statutory(self):
        return self.filter(kind__in=Appointment.STATUTORY_KINDS)

    def on_day(self, day):
        return self.between(day, day)

    def between(self, first, last):
        """Appointments starting on a day from ``first`` to ``last`` (dates, inclusive, London
        time). Compared as times, not as ``start::date``, so the indexes on start serve."""
        return self.filter(start__gte=_midnight(first), start__lt=_midnight(last, days=1))


class Appointment(models.Model):
    """A visit, a meeting or a hearing at a time and place. ``worker`` is who goes for the
    service (the family's worker, or their cover); ``chair`` chairs a conference or review.
    A statutory meeting carries ``due``, the deadline its clock gave it when it was booked,
    and ``late_reason`` when it is held after that."""

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", "Home visit"
        OFFICE_VISIT = "office_visit", "Office visit"
        FAMILY_TIME = "family_time", "Family time"
        STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
        ICPC = "icpc", "Initial child protection conference"
        RCPC = "rcpc", "Review child protection conference"
        CORE_GROUP = "core_group", "Core group"
        CIN_REVIEW = "cin_review", "Child in need review"
        CIC_REVIEW = "cic_review", "Child in care review"
        PROFESSIONALS_MEETING = "professionals_meeting", "Professionals meeting"
        COURT_HEARING = "court_hearing", "Court hearing"
        SUPERVISION = "supervision", "Supervision"
        RPG = "rpg", "Reflective practice group"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        MOVED = "moved", "Moved"

    class Outcome(models.TextChoices):
        """What a strategy discussion decided: whether its clock runs on to a conference."""

        CONFERENCE = "conference", "Section 47 enquiry: a conference is needed"
        NO_CONFERENCE = "no_conference", "Section 47 enquiry: no conference needed"
        NO_ENQUIRY = "no_enquiry", "No section 47 enquiry"

    class Clock(models.TextChoices):
        """Which link of the chain of statutory meetings an appointment answers (clocks.py)."""

        ICPC = "icpc", "Initial conference after the strategy discussion"
        FIRST_CORE_GROUP = "first_core_group", "First core group after the initial conference"
        CORE_GROUP = "core_group", "Core group"
        FIRST_RCPC = "first_rcpc", "First review conference"
        RCPC = "rcpc", "Review conference"
        FIRST_CIC_REVIEW = "first_cic_review", "First child in care review"
        SECOND_CIC_REVIEW = "second_cic_review", "Second child in care review"
        CIC_REVIEW = "cic_review", "Child in care review"
        CIN_REVIEW = "cin_review", "Child in need review"

    STATUTORY_KINDS = (
        Kind.STRATEGY_DISCUSSION,
        Kind.ICPC,
        Kind.RCPC,
        Kind.CORE_GROUP,
        Kind.CIN_REVIEW,
        Kind.CIC_REVIEW,
    )
    CHAIRED_KINDS = (Kind.ICPC, Kind.RCPC, Kind.CIC_REVIEW)
    VISIT_KINDS = (Kind.HOME_VISIT, Kind.OFFICE_VISIT, Kind.FAMILY_TIME)
    NON_FAMILY_KINDS = (Kind.SUPERVISION, Kind.RPG)

    family = models.ForeignKey(
        "families.Family",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="appointments",
    )
    children = models.ManyToManyField(
        "families.Person",
        blank=True,
        related_name="appointments",
        help_text="The children it is about (a child in care review is about one child)",
    )
    team = models.ForeignKey(
        "pods.Team",
        on_delete=models.PROTECT,
        related_name="appointments",
        help_text="The pod whose calendar it is in",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    start = models.DateTimeField()
    end = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    worker = models.ForeignKey(
        "pods.Worker",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        help_text="Who goes for the service: the family's worker, or their cover",
    )
    chair = models.ForeignKey(
        "pods.Worker",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_appointments",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    status_reason = models.CharField("reason", max_length=500, blank=True)
    moved_to = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="moved_from"
    )
    clock = models.CharField(max_length=30, choices=Clock.choices, blank=True)
    due = models.DateField(
        null=True, blank=True, help_text="The statutory deadline its clock gave it"
    )
    late_reason = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    entry = models.OneToOneField(
        "onestory.Entry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment",
        help_text="The chronology entry that records it",
    )
    notes = _text("Notes for those attending")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["team", "start"], name="appointment_team_start"),
            models.Index(fields=["worker", "start"], name="appointment_worker_start"),
            models.Index(fields=["chair", "start"], name="appointment_chair_start"),
            models.Index(fields=["family", "kind", "start"], name="appointment_family_kind"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appointment_ends_after"),
            models.CheckConstraint(
                condition=Q(family__isnull=False) | Q(kind__in=["supervision", "rpg"]),
                name="appointment_family_kinds_have_a_family",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {timezone.localtime(self.start):%d %b %Y %H:%M}"

    @property
    def is_statutory(self) -> bool:
        return self.kind in self.STATUTORY_KINDS

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.HELD)

    @property
    def day(self):
        return timezone.localtime(self.start).date()

    @property
    def is_late(self) -> bool:
        return self.due is not None and self.day > self.due


class Invitation(models.Model):
    """One person asked to an appointment, and where their invitation has got to. Exactly one
    of worker, family member and professional is set."""

    class State(models.TextChoices):
        TO_SEND = "to_send", "To send"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        ATTENDED = "attended", "Attended"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="invitations"
    )
    worker = models.ForeignKey(
        "pods.Worker", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        "families.FamilyMember", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    professional = models.ForeignKey(
        "families.Professional", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.TO_SEND)
    sent = models.DateTimeField(null=True, blank=True)
    letter = models.ForeignKey(
        "Letter", on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(worker__isnull=False, member__isnull=True, professional__isnull=True)
                    | Q(worker__isnull=True, member__isnull=False, professional__isnull=True)
                    | Q(worker__isnull=True, member__isnull=True, professional__isnull=False)
                ),
                name="invitation_is_for_one_person",
            ),
            models.UniqueConstraint(
                fields=["appointment", "worker"],
                condition=Q(worker__isnull=False),
                name="invitation_one_per_worker",
            ),
            models.UniqueConstraint(
                fields=["appointment", "member"],
                condition=Q(member__isnull=False),
                name="invitation_one_per_member",
            ),
            models.UniqueConstraint(
                fields=["appointment", "professional"],
                condition=Q(professional__isnull=False),
                name="invitation_one_per_professional",
            ),
        ]

    def __str__(self):
        return f"Invitation of {self.invitee_name} to {self.appointment}"

    @property
    def invitee_name(self) -> str:
        if self.worker_id:
            return self.worker.user.get_full_name()
        if self.member_id:
            return self.member.person.full_name
        return self.professional.name

    @property
    def kind(self) -> str:
        if self.worker_id:
            return "worker"
        return "family member" if self.member_id else "professional"


class ReviewParticipation(models.Model):
    """How a child took part in their child in care review, recorded when the review is held
    (SSDA903 REVIEW_CODE)."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="participation"
    )
    person = models.ForeignKey("families.Person", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(
        "how the child took part", max_length=3, choices=ReviewParticipationCode.choices
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "person"], name="one_participation_per_child_and_review"
            )
        ]

    def __str__(self):
        return f"{self.person} at {self.appointment}: {self.code}"


class Letter(models.Model):
    """A letter or invitation sent out, with the PDF rendered in the worker (kept in storage)
    and how and when it went. Every letter sent is an entry in the family's chronology."""

    class Kind(models.TextChoices):
        CONFERENCE_INVITATION = "conference_invitation", "Invitation to a conference"
        REVIEW_INVITATION = "review_invitation", "Invitation to a review"
        MEETING_INVITATION = "meeting_invitation", "Invitation to a meeting"
        CONFIRMATION = "confirmation", "Appointment confirmation"
        CHANGE = "change", "Appointment changed"
        FAMILY_LETTER = "family_letter", "Letter to the family"
        COMPLAINT_RESPONSE = "complaint_response", "Response to a complaint"

    # A complaint's response is the complaints officer's (feedback/): kept apart from the
    # case record, so it is not among a family's letters or business support's to send.
    CASE_KINDS = list(Kind)
    CASE_KINDS.remove(Kind.COMPLAINT_RESPONSE)

    class Status(models.TextChoices):
        RENDERING = "rendering", "Being made"
        READY = "ready", "Ready to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be made"

    class SentBy(models.TextChoices):
        POST = "post", "Post"
        EMAIL = "email", "Email"
        BY_HAND = "by_hand", "By hand"

    # Empty only for a complaint's response when the complaint is not about a family.
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, null=True, blank=True, related_name="letters"
    )
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="letters"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    to_name = models.CharField(max_length=200)
    to_address = models.TextField(blank=True)
    to_email = models.EmailField(blank=True)
    member = models.ForeignKey(
        "families.FamilyMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    professional = models.ForeignKey(
        "families.Professional", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = _text("What the letter says", help_text="In plain words")
    pdf = models.FileField(upload_to="letters/%Y/%m/", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RENDERING)
    error = models.CharField(max_length=500, blank=True)
    sent_by = models.CharField(max_length=20, choices=SentBy.choices, blank=True)
    sent = models.DateTimeField(null=True, blank=True)
    entry = models.OneToOneField(
        "onestory.Entry", on_delete=models.SET_NULL, null=True, blank=True, related_name="letter"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to_name}"


class CallTaken(models.Model):
    """A call from a family for a worker who is away, logged by business support or the duty
    worker so that no call goes unanswered. ``pick_up_by`` is the working day by which
    someone should have picked it up (the next working day), kept for the KPI."""

    family = models.ForeignKey("families.Family", on_delete=models.CASCADE, related_name="calls")
    caller = models.CharField(max_length=200, help_text="Who called, and who they are")
    received = models.DateTimeField()
    message = _text("Message")
    urgent = models.BooleanField(default=False)
    for_worker = models.ForeignKey(
        "pods.Worker", on_delete=models.PROTECT, related_name="calls_for"
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calls_taken"
    )
    pick_up_by = models.DateField()
    picked_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls_picked_up",
    )
    picked_up = models.DateTimeField(null=True, blank=True)
    called_back = models.DateTimeField(null=True, blank=True)
    call_back_note = _text("What was said on calling back")
    entry = models.OneToOneField(
        "onestory.Entry", on_delete=models.SET_NULL, null=True, blank=True, related_name="call"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-urgent", "received", "pk"]
        indexes = [models.Index(fields=["for_worker", "picked_up"], name="call_for_worker")]
        constraints = [
            models.CheckConstraint(
                condition=Q(called_back__isnull=True) | Q(picked_up__isnull=False),
                name="call_picked_up_before_called_back",
            )
        ]

    def __str__(self):
        return f"Call from {self.caller} for {self.for_worker}"

    @property
    def is_waiting(self) -> bool:
        return self.picked_up is None


class CoverAssignment(models.Model):
    """An appointment handed to a colleague because its worker is away: who for whom, by
    whom, when. The appointment's ``worker`` becomes the cover; this keeps the story."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="cover_assignments"
    )
    away_worker = models.ForeignKey("pods.Worker", on_delete=models.PROTECT, related_name="+")
    cover_worker = models.ForeignKey("pods.Worker", on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assigned"]

    def __str__(self):
        return f"{self.cover_worker} covers {self.away_worker} at {self.appointment}"


class DigestChoice(models.Model):
    """Someone who has turned their daily digest email off (everyone gets it by default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_choice"
    )
    wants_digest = models.BooleanField(default=True)
    changed = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.user}: digest {'on' if self.wants_digest else 'off'}"
