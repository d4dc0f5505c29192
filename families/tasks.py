from celery import shared_task

from families import services


@shared_task(acks_late=True)
def clear_expired_grants() -> int:
    """Daily tidy-up of guardian rows behind expired grants. Visibility never waits for it:
    expiry is checked whenever a family is fetched."""
    return services.grants_expired_clear()
