"""Supervision screens: the pod's weekly group supervision (agenda, discussions, presenting
mode), its actions, 1:1 supervision and reflective practice groups.

A session is for its pod: anyone outside the pod gets the same 404 as for a session that does
not exist. Only a pod manager of the pod runs it; its members read it."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, prefetch_related_objects
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.security_log import Kind, security_event_record
from config.govuk_forms import add_service_errors
from families.access import get_family_for_user_to_change, log_families_shown
from families.models import Family
from pods.models import Team, Worker
from pods.selectors import home_team, worker_for
from supervision import agenda, permissions, selectors, services
from supervision.forms import (
    AddFamilyForm,
    AttendanceForm,
    DiscussionForm,
    OneToOneForm,
    RPGSessionForm,
)
from supervision.models import (
    CaseDiscussion,
    Decision,
    GroupSupervision,
    OneToOneSupervision,
    ReflectivePracticeGroup,
)


def _worker(request):
    worker = worker_for(request.user)
    if worker is None:
        raise Http404
    return worker


def _session_for(request, session_id: int) -> tuple[GroupSupervision, bool]:
    """The session and whether the viewer runs it; 404 for anyone outside its pod."""
    session = (
        GroupSupervision.objects.select_related("pod", "facilitator__user")
        .filter(pk=session_id)
        .first()
    )
    today = timezone.localdate()
    if session is None or not (
        permissions.can_user_attend_group_supervision(request.user, session.pod, today)
        or permissions.can_user_attend_group_supervision(request.user, session.pod, session.date)
    ):
        raise Http404
    runs = (
        permissions.can_user_run_group_supervision(request.user, session.pod, session.date)
        and session.is_open
    )
    return session, runs


# --- the supervision home ------------------------------------------------------------------


def home(request):
    worker = _worker(request)
    today = timezone.localdate()
    pod = home_team(worker, today)
    if pod is not None and pod.kind != Team.Kind.POD:
        pod = None  # group supervision is the pods' (a leader's 1:1s and RPGs are below)
    sessions = []
    if pod is not None:
        sessions = list(GroupSupervision.objects.filter(pod=pod).order_by("-date")[:8])
    monday, sunday = services.session_week(today)
    this_week = next((s for s in sessions if monday <= s.date <= sunday), None)
    return render(
        request,
        "supervision/home.html",
        {
            "pod": pod,
            "sessions": sessions,
            "this_week": this_week,
            "manages": pod is not None
            and permissions.can_user_run_group_supervision(request.user, pod, today),
            "one_to_ones_due": selectors.one_to_ones_due(worker, today),
            "my_actions": selectors.my_actions(request.user, worker)[:20],
            "today": today,
        },
    )


def session_open(request, pod_id: int):
    worker = _worker(request)
    pod = get_object_or_404(Team, pk=pod_id, kind=Team.Kind.POD)
    today = timezone.localdate()
    if not permissions.can_user_attend_group_supervision(request.user, pod, today):
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    session = services.group_session_open(pod=pod, day=today, by=worker)
    return redirect("group_session", session_id=session.pk)


# --- a group session -----------------------------------------------------------------------


def session_detail(request, session_id: int):
    session, runs = _session_for(request, session_id)
    items = selectors.agenda_of(session, request.user)
    log_families_shown(request, [item.family for item in items])
    members = permissions.members_on(session.pod, session.date)
    on_agenda = [item.family_id for item in items]
    context = {
        "session": session,
        "items": items,
        "runs": runs,
        "attendance_form": AttendanceForm(
            members=members, initial={"attendees": list(session.attendees.all())}
        ),
        "add_form": AddFamilyForm(
            families=agenda.pod_families(session.pod, session.date, request.user)
            .exclude(pk__in=on_agenda)
            .order_by("display_name")
        ),
        "attendees": list(session.attendees.select_related("user")),
    }
    return render(request, "supervision/session.html", context)


def session_action(view):
    """A POST that changes a running session: the session first (404 outside its pod, as for
    every method), then the method, then whether the viewer runs it."""

    @wraps(view)
    def wrapped(request, session_id: int, **kwargs):
        session, runs = _session_for(request, session_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not runs:
            raise PermissionDenied(services.NOT_YOUR_POD if session.is_open else services.CLOSED)
        return view(request, session, **kwargs)

    return wrapped


@session_action
def session_add(request, session):
    families = agenda.pod_families(session.pod, session.date, request.user)
    form = AddFamilyForm(request.POST, families=families)
    if form.is_valid():
        family = form.cleaned_data["family"]
        try:
            services.agenda_add(session=session, family=family, by=_worker(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{family.display_name} added to the agenda")
    else:
        messages.error(request, " ".join(form.errors["family"]))
    return redirect("group_session", session_id=session.pk)


@session_action
def session_move(request, session, discussion_id: int):
    item = get_object_or_404(CaseDiscussion, pk=discussion_id, group_session=session)
    services.agenda_move(discussion=item, by=_worker(request), up=request.POST.get("up") == "1")
    return redirect("group_session", session_id=session.pk)


@session_action
def session_attendance(request, session):
    form = AttendanceForm(request.POST, members=permissions.members_on(session.pod, session.date))
    if form.is_valid():
        try:
            services.attendance_save(
                session=session, workers=list(form.cleaned_data["attendees"]), by=_worker(request)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Attendance saved")
    else:
        messages.error(request, " ".join(form.errors["attendees"]))
    return redirect("group_session", session_id=session.pk)


@session_action
def session_close(request, session):
    services.session_close(session=session, by=_worker(request))
    messages.success(
        request, "The session is closed. Its decisions are in each family's chronology"
    )
    return redirect("group_session", session_id=session.pk)


@require_http_methods(["GET", "POST"])
def discussion(request, session_id: int, discussion_id: int):
    session, runs = _session_for(request, session_id)
    item = get_object_or_404(
        CaseDiscussion.objects.filter(family__in=Family.objects.visible_to(request.user)),
        pk=discussion_id,
        group_session=session,
    )
    log_families_shown(request, [item.family])
    if request.method == "POST" and not runs:
        raise PermissionDenied(services.NOT_YOUR_POD if session.is_open else services.CLOSED)

    def saved():
        following = _next_item(session, item, request.user) if "save_next" in request.POST else None
        if following is not None:
            return redirect("group_discussion", session_id=session.pk, discussion_id=following.pk)
        return redirect("group_session", session_id=session.pk)

    members = permissions.members_on(session.pod, session.date)
    return _discussion_page(
        request,
        item,
        runs=runs,
        members=members,
        saved=saved,
        context={
            "caption": f"Group supervision, {session.date:%-d %B %Y}",
            "back": reverse("group_session", args=[session.pk]),
            "back_text": "Back to the agenda",
            "in_group": True,
        },
    )


def _discussion_page(request, item, *, runs, members, saved, context):
    """The discussion form (or, for a reader, the record), shared by group and 1:1
    supervision. ``saved`` answers a successful save."""
    members = members.order_by("user__first_name", "user__last_name")
    initial = {name: getattr(item, name) for name in DiscussionForm.TEXTS}
    initial.update(
        scaling_score=item.scaling_score,
        presenting_worker=item.presenting_worker_id or _holder(item.family),
    )
    form = DiscussionForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and runs and form.is_valid():
        try:
            services.discussion_save(
                discussion=item,
                by=_worker(request),
                decisions=form.decisions(),
                presenting_worker=form.cleaned_data["presenting_worker"],
                scaling_score=form.cleaned_data["scaling_score"],
                **form.texts(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Discussion of {item.family.display_name} saved and written to its chronology",
            )
            return saved()
    return render(
        request,
        "supervision/discussion.html",
        {
            **context,
            "item": item,
            "form": form,
            "runs": runs,
            "trend": agenda.scaling_trend(item.family, before=item),
            "decisions": list(item.decisions.select_related("owner__user")),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _holder(family: Family):
    allocation = family.allocations.filter(end__isnull=True).only("worker_id").first()
    return allocation.worker_id if allocation else None


def _next_item(session, item, user):
    items = selectors.agenda_of(session, user)
    ids = [i.pk for i in items]
    index = ids.index(item.pk) if item.pk in ids else -1
    return items[index + 1] if 0 <= index < len(items) - 1 else None


def present(request, session_id: int):
    """Presenting mode: one family at a time in large type, for the screen the pod sits
    around. Left and right arrow keys (static JS) follow the previous and next links."""
    session, _runs = _session_for(request, session_id)
    items = selectors.agenda_of(session, request.user)
    try:
        number = int(request.GET.get("n", "1"))
    except ValueError:
        number = 1
    number = min(max(number, 1), max(len(items), 1))
    item = items[number - 1] if items else None
    if item is not None:
        # The decisions of the family on the screen only (the agenda comes without them).
        prefetch_related_objects([item], "decisions__owner__user")
    log_families_shown(request, [item.family] if item else [])
    return render(
        request,
        "supervision/present.html",
        {
            "session": session,
            "item": item,
            "number": number,
            "count": len(items),
            "trend": agenda.scaling_trend(item.family, before=item) if item else [],
        },
    )


# --- actions -------------------------------------------------------------------------------


def actions(request):
    worker = _worker(request)
    today = timezone.localdate()
    pod = home_team(worker, today)
    if pod is None or pod.kind != Team.Kind.POD:
        raise Http404
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    actions_page = selectors.pod_actions_page(request.user, pod, today, page)
    return render(
        request,
        "supervision/actions.html",
        {"pod": pod, "actions": actions_page.actions, "page": actions_page, "today": today},
    )


def action_done(request, decision_id: int):
    worker = _worker(request)
    decision = get_object_or_404(
        Decision.objects.filter(discussion__family__in=Family.objects.visible_to(request.user)),
        pk=decision_id,
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.decision_complete(decision=decision, by=worker)
    messages.success(request, f"Done: {decision.text[:80]}")
    return redirect("home" if request.POST.get("next") == "home" else "supervision_actions")


# --- families ------------------------------------------------------------------------------


def bring_to_supervision(request, family_id: int):
    family = get_family_for_user_to_change(request, family_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.discussion_request(
        family=family, by=_worker(request), note=request.POST.get("note", "")
    )
    messages.success(request, "The family is on the list for the pod's next group supervision")
    return redirect("family_detail", family_id=family.pk)


# --- 1:1 supervision -----------------------------------------------------------------------


def one_to_ones(request):
    worker = _worker(request)
    today = timezone.localdate()
    return render(
        request,
        "supervision/one_to_ones.html",
        {
            "due": selectors.one_to_ones_due(worker, today),
            "mine": selectors.one_to_ones_of(worker)[:24],
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def one_to_one_new(request, worker_id: int):
    supervisor = _worker(request)
    today = timezone.localdate()
    supervisee = get_object_or_404(permissions.supervisees_of(supervisor, today), pk=worker_id)
    families = (
        Family.objects.visible_to(request.user)
        .filter(allocations__worker=supervisee, allocations__end__isnull=True)
        .order_by("display_name")
    )
    form = OneToOneForm(request.POST or None, families=families, initial={"date": today})
    if request.method == "POST" and form.is_valid():
        try:
            supervision = services.one_to_one_record(
                supervisor=supervisor,
                supervisee=supervisee,
                date=form.cleaned_data["date"],
                practice_notes=form.cleaned_data["practice_notes"],
                wellbeing=form.cleaned_data["wellbeing"],
                families=list(form.cleaned_data["families"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"1:1 supervision with {supervisee.name} recorded")
            return redirect("one_to_one", supervision_id=supervision.pk)
    return render(
        request,
        "supervision/one_to_one_form.html",
        {"form": form, "supervisee": supervisee},
        status=400 if form.is_bound and form.errors else 200,
    )


def one_to_one(request, supervision_id: int):
    _worker(request)  # a sign-in with no Worker has no 1:1s: 404
    today = timezone.localdate()
    supervision = get_object_or_404(
        OneToOneSupervision.objects.select_related("supervisor__user", "supervisee__user"),
        pk=supervision_id,
    )
    if not permissions.can_user_view_one_to_one(request.user, supervision, today):
        raise Http404  # the record as a whole is theirs; nobody else learns it exists
    reads_wellbeing = permissions.can_user_read_wellbeing(request.user, supervision, today)
    if reads_wellbeing:
        security_event_record(kind=Kind.WELLBEING_READ, request=request, target=supervision)
    discussions = list(
        supervision.discussions.filter(
            family__in=Family.objects.visible_to(request.user)
        ).select_related("family")
    )
    log_families_shown(request, [item.family for item in discussions])
    return render(
        request,
        "supervision/one_to_one.html",
        {
            "supervision": supervision,
            "discussions": discussions,
            "reads_wellbeing": reads_wellbeing,
        },
    )


@require_http_methods(["GET", "POST"])
def one_to_one_discussion(request, supervision_id: int, discussion_id: int):
    """A family discussed in a 1:1: the supervisor records it and its decisions, owned by
    people in the family's pod."""
    worker = _worker(request)
    today = timezone.localdate()
    supervision = get_object_or_404(
        OneToOneSupervision.objects.select_related("supervisor"), pk=supervision_id
    )
    if not permissions.can_user_view_one_to_one(request.user, supervision, today):
        raise Http404
    item = get_object_or_404(
        CaseDiscussion.objects.filter(family__in=Family.objects.visible_to(request.user)),
        pk=discussion_id,
        one_to_one=supervision,
    )
    log_families_shown(request, [item.family])
    runs = worker.pk == supervision.supervisor_id
    if request.method == "POST" and not runs:
        raise PermissionDenied(
            services.NOT_YOUR_SUPERVISEE.format(name=supervision.supervisee.name)
        )
    pod = agenda.family_pod(item.family, supervision.date)
    members = permissions.members_on(pod, supervision.date) if pod else Worker.objects.none()
    return _discussion_page(
        request,
        item,
        runs=runs,
        members=members,
        saved=lambda: redirect("one_to_one", supervision_id=supervision.pk),
        context={
            "caption": f"1:1 supervision of {supervision.supervisee.name}, "
            f"{supervision.date:%-d %B %Y}",
            "back": reverse("one_to_one", args=[supervision.pk]),
            "back_text": "Back to the 1:1",
            "in_group": False,
        },
    )


# --- reflective practice groups ------------------------------------------------------------


def _groups_of(worker):
    return ReflectivePracticeGroup.objects.filter(
        Q(members=worker) | Q(facilitators=worker)
    ).distinct()


def rpgs(request):
    worker = _worker(request)
    return render(
        request,
        "supervision/rpgs.html",
        {"groups": _groups_of(worker).prefetch_related("facilitators__user")},
    )


def rpg(request, group_id: int):
    worker = _worker(request)
    group = get_object_or_404(_groups_of(worker), pk=group_id)
    sessions = group.sessions.prefetch_related("attendees__user").order_by("-date")[:24]
    return render(
        request,
        "supervision/rpg.html",
        {
            "group": group,
            "sessions": sessions,
            "facilitates": group.facilitators.filter(pk=worker.pk).exists(),
            "size": group.members.count() + group.facilitators.count(),
        },
    )


@require_http_methods(["GET", "POST"])
def rpg_record(request, group_id: int):
    worker = _worker(request)
    group = get_object_or_404(_groups_of(worker), pk=group_id)
    if not group.facilitators.filter(pk=worker.pk).exists():
        raise PermissionDenied(services.NOT_AN_RPG_FACILITATOR)
    people = (
        (group.members.all() | group.facilitators.all())
        .distinct()
        .select_related("user")
        .order_by("user__first_name")
    )
    form = RPGSessionForm(
        request.POST or None,
        people=people,
        initial={"date": timezone.localdate(), "minutes": group.minutes},
    )
    names = []
    if request.method == "POST" and form.is_valid():
        names = services.names_in_notes(
            f"{form.cleaned_data['themes']}\n{form.cleaned_data['notes']}", request.user
        )
        if names and not form.cleaned_data["about_practice"]:
            form.add_error(
                "notes",
                "These notes may name someone on a case: "
                + ", ".join(names)
                + ". RPG notes are about practice, not people. Take the names out, or tick "
                "the box to say they name no child or family member",
            )
        else:
            try:
                services.rpg_session_record(
                    group=group,
                    date=form.cleaned_data["date"],
                    minutes=form.cleaned_data["minutes"],
                    attendees=list(form.cleaned_data["attendees"]),
                    themes=form.cleaned_data["themes"],
                    notes=form.cleaned_data["notes"],
                    by=worker,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The session is recorded")
                return redirect("rpg", group_id=group.pk)
    return render(
        request,
        "supervision/rpg_form.html",
        {"group": group, "form": form, "names": names},
        status=400 if form.is_bound and form.errors else 200,
    )
