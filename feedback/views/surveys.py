"""The surveys screens for staff: the waves, a new wave, asking people, the results (with CSV,
XLSX and chart), moderating comments, and a telephone interview entered from the family's page.

Every wave page starts with ``_wave_for_user``: a wave whose results the reader may not see is
a 404, like one that does not exist. The interview starts at the family's door."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.govuk_forms import add_service_errors, render_form
from families.access import get_family_for_user
from feedback import permissions
from feedback.models import Answer, Instrument, Statement, Wave
from feedback.surveys import exports, sealing, selectors, services
from feedback.surveys.chart import results_chart
from feedback.surveys.forms import AddressesForm, AnswersForm, ModerateForm, WaveForm
from feedback.surveys.results import results_for
from pods.models import Team


def _wave_for_user(request, wave_id: int) -> tuple[Wave, list[Team] | None]:
    """The wave, and the teams the reader is limited to (None: the whole wave); 404 if they
    may read none of it."""
    wave = Wave.objects.select_related("instrument", "team", "owner").filter(pk=wave_id).first()
    if wave is None:
        raise Http404("No wave found")
    if permissions.can_user_see_wave_results(request.user, wave):
        return wave, None
    teams = [
        team
        for team in permissions.survey_teams_for(request.user)
        if permissions.can_user_see_team_results(request.user, wave, team)
    ]
    if not teams:
        raise Http404("No wave found")
    return wave, teams


@login_required
def survey_list(request):
    return render(
        request,
        "feedback/surveys/list.html",
        {
            "waves": selectors.waves_for(request.user),
            "can_run": permissions.can_user_run_surveys(request.user),
        },
    )


@login_required
def survey_wave_new(request):
    if not permissions.can_user_run_surveys(request.user):
        raise PermissionDenied
    form = WaveForm(request.POST or None, teams=Team.objects.active_on(timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        try:
            wave = services.wave_create(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{wave.name} created: now ask people")
            return redirect("survey_wave_ask", wave.pk)
    return render_form(request, form, title="Start a survey wave", submit="Create the wave")


def _chosen(request, wave: Wave, teams: list[Team] | None):
    """The earlier wave to compare with and the team slice, from the query string."""
    earlier_waves = list(selectors.earlier_waves(wave))
    earlier = next(
        (w for w in earlier_waves if str(w.pk) == request.GET.get("compare")),
        earlier_waves[0] if earlier_waves and "compare" not in request.GET else None,
    )
    team_choices = (
        teams
        if teams is not None
        else list(Team.objects.filter(pk__in=wave.responses.values("team")))
    )
    team = next((t for t in team_choices if str(t.pk) == request.GET.get("team")), None)
    if teams is not None and team is None:
        team = teams[0]
    return earlier, earlier_waves, team, team_choices


def _results(request, wave_id: int):
    wave, teams = _wave_for_user(request, wave_id)
    sealing.wave_seal(wave=wave, today=timezone.localdate())
    earlier, earlier_waves, team, team_choices = _chosen(request, wave, teams)
    results = results_for(
        wave=wave,
        earlier=earlier,
        team=team,
        reader_is_owner=permissions.can_user_moderate_comments(request.user, wave),
    )
    return results, earlier_waves, team_choices, teams


@login_required
def survey_wave_results(request, wave_id: int):
    results, earlier_waves, team_choices, teams = _results(request, wave_id)
    wave = results.wave
    return render(
        request,
        "feedback/surveys/results.html",
        {
            "results": results,
            "wave": wave,
            "earlier_waves": earlier_waves,
            "team_choices": team_choices,
            "whole_wave_allowed": teams is None,
            "chart": results_chart(results) if results.shown else "",
            "query": request.GET.urlencode(),
            "can_run": permissions.can_user_run_surveys(request.user),
            "can_moderate": permissions.can_user_moderate_comments(request.user, wave),
        },
    )


@login_required
def survey_wave_download(request, wave_id: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such download")
    results, *_ = _results(request, wave_id)
    table = exports.results_table(results)
    name = f"survey-{results.wave.instrument.slug}-{results.wave.pk}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(table), content_type="text/csv; charset=utf-8")
    else:
        title = f"{results.wave.instrument.name}: {results.wave.name}"
        response = HttpResponse(exports.as_xlsx(table, title), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def survey_wave_ask(request, wave_id: int):
    wave = get_object_or_404(Wave.objects.select_related("instrument", "team"), pk=wave_id)
    if not permissions.can_user_ask_for_wave(request.user, wave):
        raise Http404("No wave found")
    staff = wave.instrument.audience == Instrument.Audience.STAFF
    form = None if staff else AddressesForm(request.POST or None, wave=wave, user=request.user)
    today = timezone.localdate()
    if request.method == "POST" and (staff or form.is_valid()):
        try:
            if staff:
                asked = services.wave_ask_staff(wave=wave, asked_by=request.user, today=today)
            else:
                asked = services.wave_ask_addresses(
                    wave=wave,
                    asked_by=request.user,
                    today=today,
                    addresses=form.cleaned_data["addresses"],
                )
        except ValidationError as error:
            if staff:
                messages.error(request, " ".join(error.messages))
                return redirect("survey_wave_ask", wave.pk)
            add_service_errors(form, error)
        else:
            messages.success(request, f"{len(asked)} people asked: their links are being emailed")
            return redirect("survey_wave_ask", wave.pk)
    context = {
        "wave": wave,
        "form": form,
        "staff": staff,
        "asked": wave.links.count(),
        "answered": wave.links.filter(used__isnull=False).count(),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "feedback/surveys/ask.html", context, status=status)


@login_required
def survey_wave_comments(request, wave_id: int):
    wave = get_object_or_404(Wave.objects.select_related("instrument"), pk=wave_id)
    if not permissions.can_user_moderate_comments(request.user, wave):
        raise Http404("No wave found")
    comments = (
        Answer.objects.filter(response__wave=wave, statement__kind=Statement.Kind.COMMENT)
        .exclude(text="")
        .select_related("statement")
        .order_by("moderation", "pk")
    )
    return render(request, "feedback/surveys/comments.html", {"wave": wave, "comments": comments})


@login_required
@require_POST
def survey_comment_moderate(request, answer_id):
    answer = Answer.objects.select_related("response__wave").filter(pk=answer_id).first()
    if answer is None or not permissions.can_user_moderate_comments(
        request.user, answer.response.wave
    ):
        raise Http404("No comment found")
    form = ModerateForm(request.POST)
    if form.is_valid():
        services.comment_moderate(answer=answer, publish=form.cleaned_data["decision"] == "publish")
        messages.success(
            request,
            "Comment published"
            if answer.moderation == Answer.Moderation.PUBLISHED
            else "Comment withheld",
        )
    else:
        messages.error(request, services.WRONG_MODERATION)
    return redirect("survey_wave_comments", answer.response.wave_id)


@login_required
def survey_interview(request, family_id: int, wave_id: int):
    family = get_family_for_user(request, family_id)
    wave = get_object_or_404(selectors.interview_waves(timezone.localdate()), pk=wave_id)
    if not permissions.can_user_enter_interview(request.user, wave):
        raise PermissionDenied
    form = AnswersForm(request.POST or None, statements=list(wave.instrument.statements.all()))
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_record(
                wave=wave,
                family=family,
                interviewer=request.user,
                given=form.given(),
                today=timezone.localdate(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Telephone interview for {wave.name} saved")
            return redirect("family_detail", family.pk)
    return render_form(
        request,
        form,
        title=f"{wave.instrument.name}: {wave.name}",
        family=family,
        submit="Save the interview",
        intro="Read each statement to the parent or carer and record how much they agree.",
    )
