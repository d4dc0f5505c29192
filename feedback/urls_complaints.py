"""The complaints screens (feedback/views/complaints.py)."""

from django.urls import path

from feedback.views import complaints

urlpatterns = [
    path("", complaints.complaint_list, name="complaint_list"),
    path("new/", complaints.complaint_new, name="complaint_new"),
    path("<int:complaint_id>/", complaints.complaint_detail, name="complaint_detail"),
    path("<int:complaint_id>/extend/", complaints.complaint_extend, name="complaint_extend"),
    path("<int:complaint_id>/respond/", complaints.complaint_respond, name="complaint_respond"),
    path("<int:complaint_id>/escalate/", complaints.complaint_escalate, name="complaint_escalate"),
    path("<int:complaint_id>/close/", complaints.complaint_close, name="complaint_close"),
    path(
        "<int:complaint_id>/actions/new/",
        complaints.complaint_action_add,
        name="complaint_action_add",
    ),
    path(
        "<int:complaint_id>/actions/<int:action_id>/done/",
        complaints.complaint_action_done,
        name="complaint_action_done",
    ),
    path(
        "<int:complaint_id>/stages/<int:number>/letter.pdf",
        complaints.complaint_letter_pdf,
        name="complaint_letter_pdf",
    ),
    path(
        "<int:complaint_id>/stages/<int:number>/letter/sent/",
        complaints.complaint_letter_send,
        name="complaint_letter_send",
    ),
]
# Screens under /families/<family_id>/, behind the family's door.
family_urlpatterns = [
    path("<int:family_id>/complaints/", complaints.family_complaints, name="family_complaints"),
]
