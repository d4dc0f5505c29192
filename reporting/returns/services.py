"""Asking for a collection year's statutory returns, and building them in a worker.

``return_request`` is called by the performance officer's page: it refuses a year that has not
ended, and queues the build on commit (a build already running is shown, not queued twice).
``return_build`` is the task's body: the CIN census and the SSDA903 return built from the
record (reporting.returns.cin, .ssda903), last year's SSDA903 files beside them for the
year-on-year rules (from last year's return when Pods built it, else built from the record as it
stands), both validated with the DfE's rules (reporting.returns.validation), the files kept as
one zip and each finding saved against the child, the family and the pod that holds it."""

from __future__ import annotations

import datetime
import io
import logging
import socket
import time
import zipfile

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from families.models import ChildStatus, Episode, FamilyMember, Person, PodAllocation
from reporting.models import ReturnIssue, StatutoryReturn
from reporting.returns import counts
from reporting.returns.cin import build_cin_census
from reporting.returns.completeness import pods_findings
from reporting.returns.period import CollectionYear, ReturnYearNotEnded
from reporting.returns.ssda903 import build_ssda903
from reporting.returns.validation import Validation, validate

logger = logging.getLogger(__name__)

CIN_NAME = "CIN_census_{year}.xml"
SSDA903_FOLDER = "SSDA903_{year}/"


def return_request(*, year: int, by) -> StatutoryReturn:
    """Queue the build of a collection year's returns. Refused (ReturnYearNotEnded) before the
    year has ended."""
    CollectionYear(year).check_ended(timezone.localdate())
    with transaction.atomic():
        statutory_return, _ = StatutoryReturn.objects.select_for_update().get_or_create(
            year=year, defaults={"requested_by": by}
        )
        if statutory_return.is_running and statutory_return.status != StatutoryReturn.Status.QUEUED:
            return statutory_return
        statutory_return.status = StatutoryReturn.Status.QUEUED
        statutory_return.requested = timezone.now()
        statutory_return.requested_by = by
        statutory_return.error = ""
        statutory_return.save()
        from reporting.tasks import build_statutory_return

        transaction.on_commit(lambda: build_statutory_return.delay(statutory_return.pk))
    return statutory_return


def return_files(statutory_return: StatutoryReturn) -> tuple[bytes | None, dict[str, bytes]]:
    """The CIN XML and the SSDA903 CSVs kept in a built return's zip."""
    cin_xml, ssda903 = None, {}
    folder = SSDA903_FOLDER.format(year=statutory_return.year)
    with statutory_return.files.open("rb") as stored, zipfile.ZipFile(stored) as archive:
        for name in archive.namelist():
            if name == CIN_NAME.format(year=statutory_return.year):
                cin_xml = archive.read(name)
            elif name.startswith(folder):
                ssda903[name.removeprefix(folder)] = archive.read(name)
    return cin_xml, ssda903


def _previous_ssda903(year: int) -> tuple[dict[str, bytes], str]:
    previous = StatutoryReturn.objects.filter(
        year=year - 1, status=StatutoryReturn.Status.READY
    ).first()
    if previous is not None and previous.files:
        _cin, files = return_files(previous)
        if files:
            return files, f"The {previous.label} return built in Pods on {previous.built:%-d %B %Y}"
    return build_ssda903(year - 1), f"Built for {year - 2}/{str(year - 1)[2:]} from the record"


def _zip(year: int, cin_xml: bytes, ssda903: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(CIN_NAME.format(year=year), cin_xml)
        for name, content in sorted(ssda903.items()):
            archive.writestr(SSDA903_FOLDER.format(year=year) + name, content)
    return buffer.getvalue()


def _where_to_put_right(person_ids: set[int], day: datetime.date) -> dict[int, tuple[int, int]]:
    """For each child, the family whose record the returns read (the one with their latest
    episode, or their latest period of care) and the pod holding it: {person: (family, team)}."""
    latest_episode = Episode.objects.filter(family=OuterRef("family")).order_by("-start")
    memberships = (
        FamilyMember.objects.filter(
            person_id__in=person_ids, relationship=FamilyMember.Relationship.CHILD
        )
        .annotate(latest=Subquery(latest_episode.values("start")[:1]))
        .values_list("person_id", "family_id", "latest")
    )
    family_of: dict[int, tuple[datetime.date, int]] = {}
    for person_id, family_id, latest in memberships:
        key = (latest or datetime.date.min, family_id)
        if person_id not in family_of or key > family_of[person_id]:
            family_of[person_id] = key
    in_care = ChildStatus.objects.filter(
        person_id__in=person_ids, kind=ChildStatus.Kind.LOOKED_AFTER
    ).values_list("person_id", "family_id", "start")
    for person_id, family_id, start in in_care:
        if start > family_of.get(person_id, (datetime.date.min, 0))[0]:
            family_of[person_id] = (start, family_id)
    families = {family for _start, family in family_of.values()}
    # The team holding the family now, else the last that did (the front door hands a family
    # to a pod on the day it arrives, so both start that day: the open one wins).
    teams = dict(
        PodAllocation.objects.filter(family_id__in=families, start__lte=day)
        .order_by("family_id", F("end").desc(nulls_first=True), "-start")
        .distinct("family_id")
        .values_list("family_id", "team_id")
    )
    return {person: (family, teams.get(family)) for person, (_start, family) in family_of.items()}


def _issues(statutory_return: StatutoryReturn, validation: Validation) -> list[ReturnIssue]:
    cin = validation.cin_issues + validation.return_issues
    ssda903 = validation.ssda903_issues + pods_findings(statutory_return.year)
    found = [(ReturnIssue.Return.CIN, issue) for issue in cin] + [
        (ReturnIssue.Return.SSDA903, issue) for issue in ssda903
    ]
    person_ids = {Person.pk_of_child_id(issue.child) for _return, issue in found} - {None}
    where = _where_to_put_right(person_ids, timezone.localdate())
    rows = []
    for of_return, issue in found:
        person_id = Person.pk_of_child_id(issue.child)
        family_id, team_id = where.get(person_id, (None, None))
        rows.append(
            ReturnIssue(
                statutory_return=statutory_return,
                of_return=of_return,
                kind=ReturnIssue.Kind.ERROR if issue.is_error else ReturnIssue.Kind.QUERY,
                rule=issue.rule,
                message=issue.message or "",
                child_ref=issue.child or "",
                person_id=person_id if family_id else None,
                family_id=family_id,
                team_id=team_id,
                table=issue.table or "",
                columns=list(issue.columns),
            )
        )
    return rows


def return_build(return_id: int) -> str:
    """Build, validate and keep one year's returns. Idempotent: building again replaces the
    files and the findings in one transaction."""
    with transaction.atomic():
        statutory_return = StatutoryReturn.objects.select_for_update().get(pk=return_id)
        statutory_return.status = StatutoryReturn.Status.BUILDING
        statutory_return.started = timezone.now()
        statutory_return.save(update_fields=["status", "started"])
    year = statutory_return.year
    try:
        began = time.monotonic()
        cin_xml = build_cin_census(year)
        ssda903 = build_ssda903(year)
        previous, previous_from = _previous_ssda903(year)
        built_in = time.monotonic() - began
        StatutoryReturn.objects.filter(pk=return_id).update(
            status=StatutoryReturn.Status.VALIDATING
        )
        began = time.monotonic()
        validation = validate(
            year=year, cin_xml=cin_xml, ssda903=ssda903, ssda903_previous=previous
        )
        validated_in = time.monotonic() - began
    except Exception as exc:
        logger.exception("Statutory returns %s could not be built", year)
        StatutoryReturn.objects.filter(pk=return_id).update(
            status=StatutoryReturn.Status.FAILED, error=str(exc)[:2000]
        )
        if isinstance(exc, ReturnYearNotEnded):
            return "refused"
        raise
    with transaction.atomic():
        statutory_return = StatutoryReturn.objects.select_for_update().get(pk=return_id)
        old_file = statutory_return.files.name if statutory_return.files else ""
        statutory_return.issues.all().delete()
        issues = _issues(statutory_return, validation)
        ReturnIssue.objects.bulk_create(issues, batch_size=2000)
        statutory_return.files.save(
            f"pods-returns-{year}.zip", ContentFile(_zip(year, cin_xml, ssda903)), save=False
        )
        statutory_return.counts = {
            "cin": counts.cin_counts(cin_xml),
            "ssda903": counts.ssda903_counts(ssda903),
        }
        statutory_return.errors = sum(i.kind == ReturnIssue.Kind.ERROR for i in issues)
        statutory_return.queries = len(issues) - statutory_return.errors
        statutory_return.validation = {
            "rulesets": validation.rulesets,
            "versions": validation.versions,
            "skipped": list(validation.skipped),
            "failed": [
                {"return": f.collection, "rule": f.rule, "error": f.error[:300]}
                for f in validation.failed
            ],
        }
        statutory_return.previous_year_from = previous_from
        statutory_return.build_seconds = round(built_in, 2)
        statutory_return.validate_seconds = round(validated_in, 2)
        statutory_return.status = StatutoryReturn.Status.READY
        statutory_return.built = timezone.now()
        statutory_return.error = ""
        statutory_return.save()
        if old_file and old_file != statutory_return.files.name:
            storage = statutory_return.files.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return f"built on {socket.gethostname()}"
