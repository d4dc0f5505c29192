"""What a complaint's response letter says, in plain words: which complaint, the outcome, the
response, and what the complainant can do next with the day by which to ask. The words are
put together here and the letter is made by scheduling's letters (a PDF, in the worker), which
know nothing of complaints."""

from __future__ import annotations

from feedback.complaints import clocks
from feedback.models import Complaint, ComplaintStage

NEXT_STEP = {
    ComplaintStage.Number.LOCAL_RESOLUTION: (
        "If you are not happy with this response, you can ask for your complaint to be "
        "investigated at stage 2 of the complaints procedure by someone independent of the "
        "team. Please ask by {deadline}: write to us or call us, and quote {reference}."
    ),
    ComplaintStage.Number.INVESTIGATION: (
        "If you are not happy with the outcome of the investigation, you can ask for a stage 3 "
        "review panel, which includes people from outside the council. Please ask by "
        "{deadline}: write to us or call us, and quote {reference}."
    ),
    ComplaintStage.Number.REVIEW_PANEL: (
        "This is the end of the council's complaints procedure. If you are still not happy, "
        "you can ask the Local Government and Social Care Ombudsman to look at your complaint: "
        "www.lgo.org.uk or 0300 061 0614."
    ),
}
OUTCOME_WORDS = {
    "upheld": "We have upheld your complaint: we agree that things went wrong.",
    "partly_upheld": (
        "We have partly upheld your complaint: we agree that some of what you told us went "
        "wrong, but not all of it."
    ),
    "not_upheld": (
        "We have not upheld your complaint: having looked into it, we do not find that things "
        "went wrong as you described."
    ),
}


def complaint_letter_body(*, complaint: Complaint, stage: ComplaintStage) -> str:
    """The paragraphs of the letter, separated by blank lines (as a letter's body is kept)."""
    deadline = clocks.escalation_deadline(stage.responded)
    paragraphs = [
        f"Thank you for your complaint, which we received on {complaint.received:%-d %B %Y}. "
        f"Its reference is {complaint.reference}. This is our response at "
        f"{stage.get_number_display().lower()}.",
        OUTCOME_WORDS[stage.outcome],
        stage.response,
        NEXT_STEP[stage.number].format(
            deadline=f"{deadline:%-d %B %Y}", reference=complaint.reference
        ),
    ]
    return "\n\n".join(paragraphs)
