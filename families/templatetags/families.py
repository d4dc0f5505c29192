from django import template

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
