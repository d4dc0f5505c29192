"""Template filters for GOV.UK form controls that Django renders itself (selects, whose
options and option groups Django knows best)."""

from django import template

register = template.Library()


@register.filter
def govuk_select(field):
    """Render a select with GOV.UK classes, its error state and its hint and error ids."""
    classes = "govuk-select" + (" govuk-select--error" if field.errors else "")
    described_by = [f"{field.auto_id}-hint"] if field.help_text else []
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs = {"class": classes}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
