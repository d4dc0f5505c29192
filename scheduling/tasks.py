"""Celery tasks of scheduling: each takes ids and calls one service. Letters are rendered and
email is sent here, in the worker, never in a request."""

import logging

from celery import shared_task

from scheduling import invitations, letters

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=True,
)
def render_letter(self, letter_id: int) -> str:
    """Render a letter's PDF into storage. A failure that may pass (storage or database
    unavailable) is retried with backoff; after the last try, or at once for a letter that
    can never be made, the letter is marked failed with the reason."""
    try:
        letter = letters.letter_render(letter_id=letter_id)
    except letters.LetterCannotBeMade as error:
        letters.letter_fail(letter_id=letter_id, error=str(error))
        return "failed"
    except Exception:
        if self.request.retries >= self.max_retries:
            logger.exception("Letter %s could not be made after its last try", letter_id)
            letters.letter_fail(letter_id=letter_id, error=letters.UNEXPECTED_FAILURE)
        raise
    return letter.status if letter is not None else "nothing to do"


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=5, retry_backoff=True)
def send_invitation_email(invitation_id: int) -> str:
    """Email one invitation (a mail server that does not answer is tried again, with backoff;
    a professional's letter stays "ready to send" on its page until it has gone)."""
    return invitations.invitation_email_send(invitation_id=invitation_id)
