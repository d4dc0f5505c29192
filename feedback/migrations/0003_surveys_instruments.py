"""The four survey instruments every database starts with: the parents' telephone interview and
the children and young people's questionnaire (statements from the evaluation, in its order),
the staff survey *Your Voice* (themed by the six principles, with the time-use question), and
one for foster carers. Statement texts are read from ``feedback/data/``; the codes here are the
stable names that the demo, the results and the tests use, paired with the texts by order."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "instruments_and_published_figures.json"

PARENT_CODES = [
    "explains_role",
    "knows_family_situation",
    "explains_what_needs_to_change",
    "understands_even_when_we_disagree",
    "involves_me_in_decisions",
    "good_relationship",
    "keeps_me_informed",
    "easy_to_contact",
    "contact_positive",
    "work_successful",
]
CHILDREN_CODES = [
    "understands_why_involved",
    "sees_me_regularly",
    "can_trust",
    "listens_to_me",
    "honest",
    "kind_and_understands",
    "explains_things",
    "does_what_they_say",
    "makes_decisions",
    "happy_overall",
]
# Your Voice: (code, text, principle). The evaluation's example statements, each given the
# principle it tests (an index into the file's list), and a few of our own (written out)
# so that each principle has two to four.
YOUR_VOICE = [
    ("familiar_people", 0, "Continuity"),
    (
        "same_worker_while_needed",
        "Children and families keep the same social worker for as long as they need one",
        "Continuity",
    ),
    (
        "know_colleagues_families",
        "When a colleague is away I know enough about their families to help",
        "Continuity",
    ),
    ("senior_social_worker_role", 6, "Consistency"),
    ("supervision_confidence", 4, "Consistency"),
    ("safe_and_supported", 12, "Consistency"),
    ("group_supervision_support", 5, "Collaboration"),
    (
        "colleagues_skills",
        "I can draw on the skills of colleagues in my pod when a family needs them",
        "Collaboration",
    ),
    (
        "partners_work_together",
        "We work well with the other agencies around a family",
        "Collaboration",
    ),
    ("change_without_delay", 1, "Agent of Change"),
    ("trusted_to_decide", 2, "Agent of Change"),
    ("rpg_containment", 3, "Learning Culture"),
    ("cpd_pathway", 7, "Learning Culture"),
    (
        "time_to_reflect",
        "I have time to reflect on my practice and learn from it",
        "Learning Culture",
    ),
    ("slt_consider_frontline", 8, "Organisational Culture"),
    ("slt_standards", 9, "Organisational Culture"),
    ("slt_best_for_children", 10, "Organisational Culture"),
    ("influence_changes", 11, "Organisational Culture"),
]
# The evaluation reports workload on its own (reasonable / above capacity): not a principle.
WORKLOAD = ("workload_reasonable", "My workload is reasonable")
TIME_USE = [
    ("time_children", "With children and young people"),
    ("time_adults", "With adults in families"),
    (
        "time_reports_admin",
        "On reports and admin (including the recording system and court reports)",
    ),
    ("time_cpd", "On CPD and contributing to learning and research"),
    ("time_supervision_meetings", "In supervision and meetings"),
]
FOSTER_CARERS = [
    (
        "same_social_worker",
        "The child I care for has kept the same social worker long enough to know them well",
    ),
    (
        "sees_child_regularly",
        "The child's social worker visits regularly and sees the child on their own",
    ),
    ("kept_informed", "I am kept informed about plans and decisions for the child"),
    ("listened_to", "The child's social worker listens to what I know about the child"),
    ("views_count", "My views are taken into account when decisions are made about the child"),
    (
        "easy_to_contact",
        "The child's social worker is easy to contact, and if they are not available there "
        "is always someone I can speak to",
    ),
    ("support_to_care", "I get the support I need to care for the child"),
    (
        "workers_together",
        "My supervising social worker and the child's social worker work well together",
    ),
    ("training", "I get the training I need to care for the children placed with me"),
    ("happy_overall", "Overall, I am happy with the service the child and I get"),
]
COMMENT = ("comment", "Is there anything else you would like to tell us?")


def instruments(data):
    parents = data["parent_telephone_interview"]["statements"]
    children = data["children_young_people_questionnaire"]["statements"]
    voice = data["staff_survey_your_voice"]["example_statements"]
    assert len(parents) == len(PARENT_CODES) and len(children) == len(CHILDREN_CODES)
    your_voice = [
        (code, voice[text] if isinstance(text, int) else text, "scale", theme)
        for code, text, theme in YOUR_VOICE
    ]
    your_voice.append((*WORKLOAD, "scale", ""))
    your_voice += [(code, text, "time_share", "") for code, text in TIME_USE]
    return [
        {
            "slug": "parents-telephone-interview",
            "name": "Parents' telephone interview",
            "audience": "parents",
            "anonymous": False,
            "introduction": "We would like to know what it has been like working with your "
            "social worker. Say how much you agree with each statement.",
            "statements": [(c, t, "scale", "") for c, t in zip(PARENT_CODES, parents, strict=True)],
        },
        {
            "slug": "children-young-people",
            "name": "Children and young people's questionnaire",
            "audience": "children",
            "anonymous": False,
            "introduction": "Tell us what you think about your social worker. There are no "
            "right or wrong answers.",
            "statements": [
                (c, t, "scale", "") for c, t in zip(CHILDREN_CODES, children, strict=True)
            ],
        },
        {
            "slug": "your-voice",
            "name": "Your Voice",
            "audience": "staff",
            "anonymous": True,
            "introduction": "Your Voice is our social work health check. Your answers are "
            "anonymous: nothing records who gave them.",
            "statements": your_voice,
        },
        {
            "slug": "foster-carers",
            "name": "Foster carers' survey",
            "audience": "foster_carers",
            "anonymous": False,
            "introduction": "Tell us how well we work with you and the child you care for.",
            "statements": [(c, t, "scale", "") for c, t in FOSTER_CARERS],
        },
    ]


def create(apps, schema_editor):
    Instrument = apps.get_model("feedback", "Instrument")
    Statement = apps.get_model("feedback", "Statement")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for spec in instruments(data):
        statements = spec.pop("statements") + [(*COMMENT, "comment", "")]
        instrument, _ = Instrument.objects.get_or_create(slug=spec["slug"], defaults=spec)
        for order, (code, text, kind, theme) in enumerate(statements, start=1):
            Statement.objects.get_or_create(
                instrument=instrument,
                code=code,
                defaults={"order": order, "text": text, "kind": kind, "theme": theme},
            )


def remove(apps, schema_editor):
    apps.get_model("feedback", "Instrument").objects.filter(
        slug__in=["parents-telephone-interview", "children-young-people", "your-voice",
                  "foster-carers"]
    ).delete()  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_seed_themes")]

    operations = [migrations.RunPython(create, remove)]
