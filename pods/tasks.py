from celery import shared_task

from pods import services


@shared_task(acks_late=True)
def sync_team_groups() -> int:
    """Daily: bring team groups into step with memberships (taking them from any account
    with no current membership, Worker or not) and close leavers' sign-ins."""
    return services.sync_all_team_groups()
