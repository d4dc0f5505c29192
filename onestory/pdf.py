"""The One Story as a PDF for the family to keep: the summary, each child's current plan in
plain words, and the entries the worker chose. Rendered by WeasyPrint from a Django template,
as a tagged PDF (PDF/UA-1) so that a screen reader can read it to a parent.

Called from the Celery task only (onestory.tasks): a PDF is never rendered in a request."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from families.models import ChildStatus, Family
from onestory.models import ChildSeen, Entry
from onestory.selectors import summary_of

TEMPLATE = "onestory/pdf/story.html"
ENTRIES_NOT_IN_STORY = (
    "{count} of the chosen entries are not final entries in this family's story: "
    "choose the entries again"
)

# The summary's sections, headed as a parent would say them.
SUMMARY_HEADINGS = {
    "who_is_in_the_family": "Who is in your family",
    "what_is_happening": "What is happening",
    "working_well": "What is going well",
    "worries": "What we are worried about",
    "needs_to_change": "What needs to change",
    "wishes_and_feelings": "What your children have told us they wish for and feel",
    "plan": "The plan",
}

ENTRY_HEADINGS = {
    "what_happened": "What happened",
    "childs_voice": "What the children told us",
    "analysis": "What we think",
    "next_steps": "What happens next",
}
ENTRY_KIND_WORDS = {
    Entry.Kind.SUPERVISION_DECISION: "Decision made with the team manager",
}

# What each status means, for a parent: {name} is the child's first name.
STATUS_WORDS = {
    ChildStatus.Kind.CIN_PLAN: (
        "{name} has a child in need plan. It is a plan agreed with you, so that {name} and "
        "your family get the help you need."
    ),
    ChildStatus.Kind.CP_PLAN: (
        "{name} has a child protection plan. A child protection conference decided that "
        "{name} needs a plan to keep them safe. You and everyone working with your family "
        "work on the plan together, and review conferences look at it again."
    ),
    ChildStatus.Kind.LOOKED_AFTER: "{name} is looked after by the council (a child in care).",
    ChildStatus.Kind.CARE_PROCEEDINGS: (
        "The council has asked the family court to make decisions about {name}'s care (care "
        "proceedings). You have the right to free legal advice from a solicitor."
    ),
}
CP_CATEGORY_WORDS = {
    ChildStatus.CPCategory.NEGLECT: "neglect",
    ChildStatus.CPCategory.PHYSICAL: "physical harm",
    ChildStatus.CPCategory.EMOTIONAL: "emotional harm",
    ChildStatus.CPCategory.SEXUAL: "sexual harm",
    ChildStatus.CPCategory.MULTIPLE: "more than one kind of harm",
}
LEGAL_STATUS_WORDS = {
    ChildStatus.LegalStatus.S20: "This is with your agreement (section 20).",
    ChildStatus.LegalStatus.INTERIM_CARE_ORDER: "The court has made an interim care order.",
    ChildStatus.LegalStatus.CARE_ORDER: "The court has made a care order.",
    ChildStatus.LegalStatus.PLACEMENT_ORDER: "The court has made a placement order.",
    ChildStatus.LegalStatus.REMAND: "The court has remanded {name} to the council's care.",
}


class StoryCannotBeBuilt(Exception):
    """The request itself is wrong, so trying again would fail the same way. The message is
    written for the worker who asked."""


def render_story_pdf(*, family: Family, entry_ids: Iterable[int], requested_by) -> bytes:
    """The family's story as PDF bytes, with the chosen entries (final ones only: a chosen
    id that is not a final entry of this family refuses the whole PDF rather than leave an
    entry out without saying so)."""
    # Imported here: WeasyPrint is heavy, and only Celery workers render PDFs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(TEMPLATE, story_context(family, entry_ids, requested_by))
    # No fetching at all: nothing typed into the record can make the worker load a URL.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=()))
    return document.write_pdf(pdf_variant="pdf/ua-1")


def story_context(family: Family, entry_ids: Iterable[int], requested_by) -> dict:
    summary = summary_of(family)
    return {
        "family": family,
        "summary_sections": [
            {"heading": heading, "text": getattr(summary, name)}
            for name, heading in SUMMARY_HEADINGS.items()
            if getattr(summary, name).strip()
        ],
        "children_statuses": _statuses_in_words(family),
        "entries": _chosen_entries(family, entry_ids),
        "prepared_by": requested_by.get_full_name() or requested_by.get_username(),
        "prepared_on": timezone.localdate(),
        "council_name": settings.PODS_COUNCIL_NAME,
    }


def _chosen_entries(family: Family, entry_ids: Iterable[int]) -> list[dict]:
    wanted = set(entry_ids)
    entries = list(
        Entry.objects.filter(family=family, status=Entry.Status.FINAL, pk__in=wanted)
        .prefetch_related(
            Prefetch("children_seen", queryset=ChildSeen.objects.select_related("person"))
        )
        .order_by("occurred", "pk")  # a story reads from the beginning
    )
    if len(entries) != len(wanted):
        raise StoryCannotBeBuilt(ENTRIES_NOT_IN_STORY.format(count=len(wanted) - len(entries)))
    return [
        {
            "title": ENTRY_KIND_WORDS.get(entry.kind, entry.get_kind_display()),
            "occurred": timezone.localtime(entry.occurred),
            "children_seen": [seen.person.first_name for seen in entry.children_seen.all()],
            "sections": [
                {"heading": heading, "text": getattr(entry, name)}
                for name, heading in ENTRY_HEADINGS.items()
                if getattr(entry, name).strip()
            ],
        }
        for entry in entries
    ]


def _statuses_in_words(family: Family) -> list[dict]:
    """Each child with a plan or status today, and what it means in plain English."""
    statuses = (
        family.child_statuses.current_on(timezone.localdate())
        .select_related("person")
        .order_by("person__date_of_birth", "person__first_name", "start")
    )
    children: dict[int, dict] = {}
    for status in statuses:
        name = status.person.first_name
        child = children.setdefault(
            status.person_id, {"name": status.person.full_name, "plans": []}
        )
        words = [STATUS_WORDS[status.kind].format(name=name)]
        if status.kind == ChildStatus.Kind.CP_PLAN and status.cp_category:
            words.append(f"The worry is about {CP_CATEGORY_WORDS[status.cp_category]}.")
        if status.kind == ChildStatus.Kind.LOOKED_AFTER and status.legal_status:
            words.append(
                LEGAL_STATUS_WORDS.get(
                    status.legal_status, f"{status.get_legal_status_display()}."
                ).format(name=name)
            )
        child["plans"].append({"since": status.start, "words": " ".join(words)})
    return list(children.values())
