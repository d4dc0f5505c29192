"""The surveys screens (feedback/views/surveys.py) and the public page of a link
(feedback/views/survey_link.py)."""

from django.urls import path

from feedback.views import survey_link, surveys

urlpatterns = [
    path("", surveys.survey_list, name="survey_list"),
    path("waves/new/", surveys.survey_wave_new, name="survey_wave_new"),
    path("waves/<int:wave_id>/", surveys.survey_wave_results, name="survey_wave_results"),
    path(
        "waves/<int:wave_id>/results.<str:fmt>",
        surveys.survey_wave_download,
        name="survey_wave_download",
    ),
    path("waves/<int:wave_id>/ask/", surveys.survey_wave_ask, name="survey_wave_ask"),
    path(
        "waves/<int:wave_id>/comments/", surveys.survey_wave_comments, name="survey_wave_comments"
    ),
    path(
        "comments/<uuid:answer_id>/moderate/",
        surveys.survey_comment_moderate,
        name="survey_comment_moderate",
    ),
]
# Screens under /families/<family_id>/, behind the family's door.
family_urlpatterns = [
    path(
        "<int:family_id>/surveys/<int:wave_id>/interview/",
        surveys.survey_interview,
        name="survey_interview",
    ),
]
# The page a single-use link opens, under /survey/: no sign-in, no case data.
public_urlpatterns = [
    path("thanks/", survey_link.survey_thanks, name="survey_thanks"),
    path("<str:token>/", survey_link.survey_answer, name="survey_answer"),
]
