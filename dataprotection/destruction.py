"""Destroying records: a family's whole case record, or a batch of records kept by their own
rules, with their history rows and their files, in one transaction, leaving a stub.

Which rows are a family's is found from the models, not listed by hand, so a model added later
is destroyed with its family without anyone remembering to add it here: every model reached
from ``Family`` through foreign keys to rows already found to be the family's (entries, then
the children seen on them, and so on), live rows and history rows alike. The people of the
family go too, unless they are also in another family. Two things that point at a family are
not its record and stay: survey answers (anonymous results, unlinked from it) and the review
items and stubs of this app. Files (One Story exports, letters) are removed from storage once
the transaction has committed, live and earlier versions alike."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from dataprotection import holds as holds_
from dataprotection.models import DestructionStub, LegalHold, Redaction, ReviewItem, SarItem
from families.models import Family, FamilyMember, Person
from reporting.models import ReturnIssue

# Point at a family without being its record: left, and unlinked where they must be.
NOT_THE_RECORD = {"dataprotection", "reporting"}
UNLINKED = {"feedback.Response"}  # anonymous survey answers: the family link is cleared

BLOCKED = "{reference} could not be destroyed: {what} still points at it. Nothing was destroyed."


@dataclass
class Found:
    """The rows of one family's record: ids per model, live and in history, and file names."""

    ids: dict[type[models.Model], set] = field(default_factory=lambda: defaultdict(set))
    files: set[str] = field(default_factory=set)


def _history_model(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


def _is_history(model) -> bool:
    return model.__name__.startswith("Historical") and hasattr(model, "history_id")


@functools.cache
def _owned_links():
    """(child model, its foreign key) for every model whose rows belong to the row they point
    at, breadth first from Family. A link to Person is not followed (people are shared)."""
    links, seen, frontier = [], {Family}, [Family]
    while frontier:
        parent = frontier.pop(0)
        for model in apps.get_models():
            if _is_history(model) or model._meta.app_label in NOT_THE_RECORD:
                continue
            if model._meta.label in UNLINKED or model is Person:
                continue
            for fk in model._meta.concrete_fields:
                if fk.is_relation and fk.many_to_one and fk.related_model is parent:
                    links.append((model, fk))
                    if model not in seen:
                        seen.add(model)
                        frontier.append(model)
    return links


def find(family: Family, people: set[int]) -> Found:
    """Every row of ``family``'s record, and of ``people``: live ones and those only in
    history (a row deleted earlier keeps its history rows, which go too)."""
    found = Found()
    found.ids[Family].add(family.pk)
    found.ids[Person] |= people
    asked: dict[tuple, set] = {}
    grew = True
    while grew:  # until nothing new is found: a model can be reached along two paths
        grew = False
        for model, fk in _owned_links():
            parents = found.ids.get(fk.related_model, set()) - asked.get((model, fk.name), set())
            if not parents:
                continue
            asked.setdefault((model, fk.name), set()).update(parents)
            lookup = {f"{fk.attname}__in": list(parents)}
            new = set(model._base_manager.filter(**lookup).values_list("pk", flat=True))
            if (history := _history_model(model)) is not None:
                pk = model._meta.pk.attname
                new |= set(history.objects.filter(**lookup).values_list(pk, flat=True))
            if new - found.ids[model]:
                found.ids[model] |= new
                grew = True
    for model, ids in found.ids.items():
        file_fields = [
            f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)
        ]
        if not file_fields or not ids:
            continue
        pk_in = {f"{model._meta.pk.attname}__in": list(ids)}
        sources = [model._base_manager]
        if (history := _history_model(model)) is not None:
            sources.append(history.objects)
        for source in sources:
            for values in source.filter(**pk_in).values_list(*file_fields):
                found.files.update(name for name in values if name)
    return found


def destroy(*, item: ReviewItem, by):
    """Destroy what ``item`` lists, as its rule says, and leave the stub. The caller has
    checked the confirmation; this checks the holds again, inside the transaction."""
    if item.family_id is None:
        return _destroy_batch(item=item, by=by)
    return destroy_family(item=item, by=by)


def destroy_family(*, item: ReviewItem, by) -> DestructionStub:
    with transaction.atomic():
        family = Family.objects.select_for_update().get(pk=item.family_id)
        held = holds_.holds_on([family.pk], {family.pk: item.category}).get(family.pk)
        if held:
            raise ValidationError(f"{family.reference} is held: {'; '.join(held)}")
        people = _only_in(family)
        found = find(family, people)
        counts: dict[str, int] = defaultdict(int)
        for label in UNLINKED:
            apps.get_model(label)._base_manager.filter(family=family).update(family=None)
        LegalHold.objects.filter(family=family).delete()  # only released ones are left
        # The returns' findings are a worklist for the record: they go with it (the returns
        # already built, like the monthly reports' figures, stand).
        ReturnIssue.objects.filter(family=family).delete()
        # A subject access request's copies of this family's records go with them (the
        # request and its disclosure log stay: what was sent, when, to whom).
        gathered = SarItem.objects.filter(family=family)
        redactions = list(Redaction.objects.filter(item__in=gathered).values_list("pk", flat=True))
        _count(counts, gathered.delete())
        Redaction.history.filter(id__in=redactions).delete()
        try:
            for model in _deletion_order([m for m, ids in found.ids.items() if ids]):
                ids = list(found.ids[model])
                _count(counts, model._base_manager.filter(pk__in=ids).delete())
        except (ProtectedError, RestrictedError) as error:
            what = sorted({obj._meta.verbose_name for obj in error.protected_objects})
            message = BLOCKED.format(reference=family.reference, what=", ".join(what))
            raise ValidationError(message) from error
        # After the live rows: deleting those writes a last history row of each, which goes too.
        history_rows = 0
        for model, ids in found.ids.items():
            history = _history_model(model)
            if history is not None and ids:
                deleted, _ = history.objects.filter(
                    **{f"{model._meta.pk.attname}__in": list(ids)}
                ).delete()
                history_rows += deleted
        counts["history rows"] = history_rows
        counts["files"] = len(found.files)
        stub = _stub(item, by, dict(sorted(counts.items())), family_id=family.pk)
        files = sorted(found.files)
        transaction.on_commit(lambda: _remove_files(files))
        return stub


def _destroy_batch(*, item: ReviewItem, by) -> DestructionStub:
    from dataprotection.review import batch_querysets

    with transaction.atomic():
        held = holds_.batch_holds(item.category)
        if held:
            raise ValidationError(f"These records are held: {'; '.join(held)}")
        rows = batch_querysets(item.category, item.cutoff)
        model = rows.model
        ids = list(rows.values_list("pk", flat=True))
        counts: dict[str, int] = defaultdict(int)
        _count(counts, model._base_manager.filter(pk__in=ids).delete())
        history_rows = 0
        if (history := _history_model(model)) is not None:
            history_rows, _ = history.objects.filter(
                **{f"{model._meta.pk.attname}__in": ids}
            ).delete()
        counts["history rows"] = history_rows
        return _stub(item, by, dict(sorted(counts.items())), family_id=None)


def _protects(model, other) -> bool:
    """``model`` has a foreign key to ``other`` that protects ``other`` from deletion."""
    return any(
        fk.is_relation
        and fk.many_to_one
        and fk.related_model is other
        and fk.remote_field.on_delete is models.PROTECT
        for fk in model._meta.concrete_fields
    )


def _deletion_order(found_models: list) -> list:
    """The models in an order that deletes each before what it protects (an episode before
    its referral, the discussions of a family before the family, the family before its
    people)."""
    remaining, order = set(found_models), []
    while remaining:
        ready = [
            model
            for model in remaining
            if not any(other is not model and _protects(other, model) for other in remaining)
        ]
        if not ready:
            raise RuntimeError(f"models protect each other: {sorted(map(str, remaining))}")
        order.extend(sorted(ready, key=lambda model: model._meta.label))
        remaining -= set(ready)
    return order


def _only_in(family: Family) -> set[int]:
    """The people of ``family`` who are in no other family."""
    members = FamilyMember.objects.filter(family=family).values_list("person_id", flat=True)
    elsewhere = FamilyMember.objects.filter(person_id__in=members).exclude(family=family)
    return set(members) - set(elsewhere.values_list("person_id", flat=True))


def _count(counts: dict[str, int], result) -> None:
    _total, per_model = result
    for label, n in per_model.items():
        if n:
            counts[label] += n


def _stub(item: ReviewItem, by, counts: dict, *, family_id) -> DestructionStub:
    stub = DestructionStub.objects.create(
        category=item.category,
        reference=item.reference,
        family_id_destroyed=family_id,
        rule=item.rule,
        rule_as_it_read=f"{item.rule.get_category_display()}: {item.rule.describe()}"[:300],
        destroy_after=item.destroy_after,
        counts=counts,
        proposed_by=item.proposed_by,
        destroyed_by=by,
    )
    ReviewItem.objects.filter(pk=item.pk).update(
        status=ReviewItem.Status.DESTROYED, decided_by=by, decided=stub.destroyed
    )
    return stub


def _remove_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
