from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "dataprotection"
    verbose_name = "Data protection"

    def ready(self):
        # Registers "SARs answered within time" in the KPI registry, after reporting's own.
        from dataprotection import kpis  # noqa: F401
