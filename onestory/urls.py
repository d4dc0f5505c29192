from django.urls import path

from onestory import views

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
]
