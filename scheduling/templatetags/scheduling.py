from django import template

from scheduling.models import Appointment

register = template.Library()


@register.filter
def clock_label(clock: str) -> str:
    """The plain-words name of a link in the chain of statutory meetings."""
    try:
        return Appointment.Clock(clock).label
    except ValueError:
        return clock
