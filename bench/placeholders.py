"""Values for the placeholders in bench/pages.py paths, read from the dataset once the
benchmark has Django set up: a family the demo social worker holds, and a misspelling of a
surname in it."""

from __future__ import annotations


def values() -> dict[str, str]:
    from django.db.models import Count

    from families.models import Family, FamilyMember
    from pods.models import Worker

    worker = Worker.objects.get(user__username="social-worker")
    family = (
        Family.objects.filter(allocations__worker=worker, allocations__end__isnull=True)
        .annotate(people=Count("members"))
        .order_by("-people", "pk")
        .first()
    )
    if family is None:
        return {}
    surname = (
        FamilyMember.objects.filter(family=family, relationship="child")
        .values_list("person__last_name", flat=True)
        .first()
    )
    return {"family_id": str(family.pk), "misspelt_surname": misspell(surname)}


def misspell(name: str) -> str:
    """Swap two letters in the middle: the kind of slip search has to forgive."""
    if len(name) < 4:
        return name
    middle = len(name) // 2
    return name[: middle - 1] + name[middle] + name[middle - 1] + name[middle + 1 :]
