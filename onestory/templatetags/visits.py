"""The rows of the visits-due table, drawn in Python: a pod's list has hundreds of children,
and the template language costs several times as much per cell. Every value is escaped."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.safestring import mark_safe

register = template.Library()

ROW = (
    '<tr class="govuk-table__row" data-testid="visit-due-{child_id}">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{family}">{name}</a></td>'
    '<td class="govuk-table__cell">{kind}</td>'
    '<td class="govuk-table__cell">{seen}</td>'
    '<td class="govuk-table__cell">{due}</td>'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{record}?child={child_id}">'
    'Record a visit<span class="govuk-visually-hidden"> to {name}</span></a></td></tr>'
)
OVERDUE = '<strong class="govuk-tag govuk-tag--red">Overdue {days} day{s}</strong>'


@register.simple_tag
def visits_due_rows(visits_due) -> str:
    # The URLs differ only by the family's id: reversed once, for id 0, and filled in.
    family_url = reverse("family_detail", args=[0]).replace("/0/", "/{}/")
    record_url = reverse("entry_record", args=[0]).replace("/0/", "/{}/")
    rows = []
    for due in visits_due:
        days = due.overdue_days
        rows.append(
            ROW.format(
                child_id=due.child.pk,
                family=family_url.format(due.family.pk),
                record=record_url.format(due.family.pk),
                name=escape(due.child.full_name),
                kind=escape(due.status.get_kind_display()),
                seen=date_format(due.last_seen, "j M") if due.last_seen else "Not yet",
                due=OVERDUE.format(days=days, s="" if days == 1 else "s")
                if due.is_overdue
                else date_format(due.due, "D j M"),
            )
        )
    return mark_safe("".join(rows))  # nosec B308 B703  # every value is escaped above
