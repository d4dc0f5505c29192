"""The themes the seeds name (evaluation 004, sections 1 and 4.2), so every database starts with
them; administrators add, reorder and retire themes in the admin."""

from django.db import migrations

COMPLAINT_THEMES = [
    "Failure to provide support",
    "Calls to the social worker not answered",
    "Lack of information shared",
    "Delays in paperwork",
    "Delays in visits or responses",
    "Changes of social worker",
]
COMPLIMENT_THEMES = [
    "The relationship with the family",
    "Knowing the family well",
    "Keeping us informed",
    "Easy to contact",
    "Support that made a difference",
    "The quality of a report",
]


def seed(apps, schema_editor):
    Theme = apps.get_model("feedback", "Theme")
    for used_for, names in (("complaints", COMPLAINT_THEMES), ("compliments", COMPLIMENT_THEMES)):
        for order, name in enumerate(names, start=1):
            Theme.objects.get_or_create(used_for=used_for, name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
