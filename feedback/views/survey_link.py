"""The page a single-use survey link opens: no sign-in, no case data, no worker's name.

It is one GOV.UK question page (radios, no script), so it works without JavaScript and on a
phone. A used, expired or forged link gets the same plain page, saves nothing and says nothing
about who it was for. Every response here is ``200``: Django's request logger writes the path
of a 4xx response, and the path holds the token. Nothing here is cached, and no page sends a
``Referer`` (the token would go with it).

The form is exempt from CSRF checks, for two reasons. With ``Referrer-Policy: no-referrer`` a
browser posts the form with ``Origin: null``, which Django's check refuses (and its refusal
is logged with the path, token and all). And there is nothing for a forged request to ride
on: no session or sign-in is used, and only someone who holds the secret token can post to
its address, which is what the CSRF token would otherwise prove."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from feedback.surveys import links, services
from feedback.surveys.forms import AnswersForm


def private_page(view):
    """No cache, and no Referer from this page or any link on it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        return response

    return never_cache(wrapped)


@login_not_required
@csrf_exempt
@private_page
@require_http_methods(["GET", "POST"])
def survey_answer(request, token: str):
    link = links.link_for_token(token)
    if link is None:
        return render(request, "feedback/surveys/public/not_valid.html")
    instrument = link.wave.instrument
    statements = list(instrument.statements.all())
    form = AnswersForm(request.POST or None, statements=statements)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_give(link=link, given=form.given())
        except ValidationError:
            return render(request, "feedback/surveys/public/not_valid.html")
        return redirect("survey_thanks")
    return render(
        request, "feedback/surveys/public/answer.html", {"form": form, "instrument": instrument}
    )


@login_not_required
@private_page
def survey_thanks(request):
    return render(request, "feedback/surveys/public/thanks.html")
