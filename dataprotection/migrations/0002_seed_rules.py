from django.db import migrations


def seed(apps, schema_editor):
    from dataprotection.defaults import RULES

    RetentionRule = apps.get_model("dataprotection", "RetentionRule")
    for rule in RULES:
        RetentionRule.objects.update_or_create(category=rule["category"], defaults=rule)


class Migration(migrations.Migration):
    dependencies = [("dataprotection", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
