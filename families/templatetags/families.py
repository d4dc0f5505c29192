from django import template
from django.utils import timezone

register = template.Library()

STATUS_COLOURS = {
    "cp_plan": "red",
    "looked_after": "purple",
    "care_proceedings": "orange",
    "cin_plan": "blue",
}


@register.filter
def age_on(person, day):
    return person.age_on(day)


@register.filter
def status_colour(kind: str) -> str:
    return STATUS_COLOURS.get(kind, "grey")


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def status_summary(statuses):
    """Current statuses of a family's children, one entry per kind: (kind, label, how many)."""
    summary: dict[str, list] = {}
    for status in statuses:
        entry = summary.setdefault(status.kind, [status.kind, status.get_kind_display(), 0])
        entry[2] += 1
    return [tuple(entry) for entry in summary.values()]


@register.filter
def days_since(moment, today):
    """Whole days from a datetime (or date) to ``today``; None when there is none."""
    if moment is None:
        return None
    day = timezone.localtime(moment).date() if hasattr(moment, "hour") else moment
    return (today - day).days
