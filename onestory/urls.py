from django.urls import path

from onestory import views, views_pdf

# Family-scoped: the visibility walk (tests/families/test_visibility_walk.py) covers these too.
urlpatterns = [
    path("<int:family_id>/summary/", views.summary_edit, name="summary_edit"),
    path("<int:family_id>/record/", views.record, name="entry_record"),
    path("<int:family_id>/chronology/", views.chronology, name="chronology"),
    path("<int:family_id>/entries/<int:entry_id>/", views.entry_detail, name="entry_detail"),
    path("<int:family_id>/entries/<int:entry_id>/continue/", views.record, name="entry_continue"),
    path(
        "<int:family_id>/entries/<int:entry_id>/countersign/",
        views.entry_countersign,
        name="entry_countersign",
    ),
    path(
        "<int:family_id>/entries/<int:entry_id>/correct/",
        views.entry_correct,
        name="entry_correct",
    ),
    path(
        "<int:family_id>/entries/<int:entry_id>/challenge/",
        views.challenge_new,
        name="challenge_new",
    ),
    path(
        "<int:family_id>/entries/<int:entry_id>/challenges/<int:challenge_id>/answer/",
        views.challenge_answer,
        name="challenge_answer",
    ),
    path("<int:family_id>/share/", views_pdf.share, name="story_share"),
    path(
        "<int:family_id>/share/<int:export_id>/",
        views_pdf.share_status,
        name="story_share_status",
    ),
    path(
        "<int:family_id>/share/<int:export_id>/download/",
        views_pdf.share_download,
        name="story_share_download",
    ),
]
