from celery import shared_task

from pods import services


@shared_task(acks_late=True)
def sync_team_groups() -> int:
    """Daily: memberships start and end on dates, so bring team groups into step."""
    return services.sync_all_team_groups()
