from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    """What business support arranges: appointments, statutory meetings and their clocks,
    letters and invitations, calls taken for an absent worker, cover (DESIGN §4)."""

    name = "scheduling"
    verbose_name = "Scheduling"
