"""The list behind a feedback figure: the complaints, responses, compliments or audits it
counts, as far as the viewer may open them. The count is the figure's; what is listed is only
what the viewer's role shows them (complaints and compliments as the complaints pages decide,
audits of families they may see), so the list never says more than the pages do."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from families.access import log_families_shown
from families.models import Family
from feedback.complaints.selectors import complaints_visible_to
from feedback.compliments.selectors import compliments_visible_to
from feedback.models import Audit, ComplaintStage
from reporting.kpis import REGISTRY, Period
from reporting.kpis.feedback_behind import COMPLAINTS, COMPLIMENTS, LISTS, STAGES, ids_behind
from reporting.views import scope_from

SHOWN = 500


def _rows(user, kind: str, ids: list[int]) -> list:
    if kind == COMPLAINTS:
        return list(
            complaints_visible_to(user)
            .filter(pk__in=ids)
            .select_related("family", "worker__user", "team")
            .order_by("received", "pk")[:SHOWN]
        )
    if kind == STAGES:
        return list(
            ComplaintStage.objects.filter(pk__in=ids, complaint__in=complaints_visible_to(user))
            .select_related("complaint__family")
            .order_by("responded", "pk")[:SHOWN]
        )
    if kind == COMPLIMENTS:
        return list(
            compliments_visible_to(user)
            .filter(pk__in=ids)
            .select_related("family", "worker__user", "team")
            .order_by("received", "pk")[:SHOWN]
        )
    return list(
        Audit.objects.filter(pk__in=ids, family__in=Family.objects.visible_to(user))
        .select_related("family").order_by("moderated", "pk")[:SHOWN]
    )  # fmt: skip


def feedback_behind(request, key: str, month: str, scope: str):
    if key not in LISTS:
        raise Http404
    try:
        period = Period.parse(month)
    except ValueError:
        raise Http404 from None
    if period >= Period.of(timezone.localdate()):
        raise Http404
    chosen = scope_from(request, scope)
    ids = ids_behind(key, period, chosen)
    kind = LISTS[key]
    rows = _rows(request.user, kind, ids)
    # A family is named only to those who may open it (the worker concerned in a complaint
    # may see that it exists without seeing the family it is about).
    families = [row.complaint.family if kind == STAGES else row.family for row in rows]
    named = set(
        Family.objects.visible_to(request.user)
        .filter(pk__in={family.pk for family in families if family is not None})
        .values_list("pk", flat=True)
    )
    log_families_shown(request, [family for family in families if family and family.pk in named])
    shown = [
        (row, family if family is not None and family.pk in named else None)
        for row, family in zip(rows, families, strict=True)
    ]
    return render(
        request,
        "reporting/feedback_behind.html",
        {
            "kpi": REGISTRY[key],
            "period": period,
            "scope": chosen,
            "kind": kind,
            "total": len(ids),
            "rows": shown,
            "hidden": len(ids) - len(rows),
        },
    )
