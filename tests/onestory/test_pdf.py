"""The One Story as a PDF for the family: what goes in it (and what never does), that it is a
tagged PDF a screen reader can read, that a real Celery worker builds it into storage, and
that only writers who can see the family may share it."""

import datetime
import io
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_retry
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from config.celery import app
from families import services as family_services
from families.models import ChildStatus
from onestory import exports
from onestory import services as story_services
from onestory.models import CaseSummary, Entry, StoryExport
from onestory.pdf import (
    ENTRIES_NOT_IN_STORY,
    STATUS_WORDS,
    SUMMARY_HEADINGS,
    StoryCannotBeBuilt,
    render_story_pdf,
)
from onestory.tasks import build_story_pdf
from tests.clients import client_for
from tests.families.conftest import refer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test's PDFs in its own folder, through the same default storage the app uses."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def record(family, author, text, *, final=True, days_ago=1, **fields):
    return story_services.entry_record(
        family=family,
        author=author.user,
        kind=fields.pop("kind", Entry.Kind.HOME_VISIT),
        occurred=timezone.now() - datetime.timedelta(days=days_ago),
        children=[],
        final=final,
        what_happened=text,
        **fields,
    )


def write_summary(family, author, **sections):
    story_services.summary_save(
        family=family, sections=sections, based_on_version=0, user=author.user
    )


def text_of(pdf: bytes) -> str:
    """The PDF's words with all runs of white space made single spaces (lines wrap)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def structure_of(pdf: bytes) -> list[str]:
    """The tag of every element in the PDF's structure tree, in reading order."""
    reader = PdfReader(io.BytesIO(pdf))
    tags: list[str] = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif hasattr(node, "get") and "/S" in node:
            tags.append(str(node["/S"]).lstrip("/"))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return tags


class TestTheDocument:
    def test_it_has_the_summary_and_the_chosen_entries_but_not_the_others_nor_drafts(
        self, family, social_worker
    ):
        write_summary(family, social_worker, working_well="Grace walks Ada to school every day")
        chosen = record(family, social_worker, "Ada showed me her new bedroom")
        record(family, social_worker, "A note the worker chose to leave out")
        draft = record(family, social_worker, "Half-written draft", final=False)

        text = text_of(
            render_story_pdf(family=family, entry_ids=[chosen.pk], requested_by=social_worker.user)
        )

        assert "Your family's story" in text
        assert "What is going well" in text and "Grace walks Ada to school every day" in text
        assert "Ada showed me her new bedroom" in text
        assert "A note the worker chose to leave out" not in text
        assert draft.what_happened not in text
        assert f"Prepared by {social_worker.user.get_full_name()}" in text

    def test_a_chosen_draft_refuses_the_whole_pdf_rather_than_leave_it_out_silently(
        self, family, social_worker
    ):
        draft = record(family, social_worker, "Half-written draft", final=False)
        with pytest.raises(StoryCannotBeBuilt, match="choose the entries again"):
            render_story_pdf(family=family, entry_ids=[draft.pk], requested_by=social_worker.user)

    def test_html_typed_into_the_record_is_printed_as_text_never_run(self, family, social_worker):
        write_summary(
            family,
            social_worker,
            worries="<script>alert('x')</script> <b>not bold</b> <img src=http://example.com/a>",
        )
        text = text_of(
            render_story_pdf(family=family, entry_ids=[], requested_by=social_worker.user)
        )
        assert "<script>alert('x')</script>" in text
        assert "<b>not bold</b>" in text
        assert "<img src=http://example.com/a>" in text

    def test_each_childs_current_plan_is_explained_in_plain_english(
        self, family, child, social_worker
    ):
        family_services.child_status_start(
            family=family,
            person=child,
            kind=ChildStatus.Kind.CP_PLAN,
            start=datetime.date(2025, 4, 1),
            cp_category=ChildStatus.CPCategory.NEGLECT,
        )
        text = text_of(
            render_story_pdf(family=family, entry_ids=[], requested_by=social_worker.user)
        )
        assert "Your children's plans" in text
        assert "Ada has a child protection plan" in text
        assert "needs a plan to keep them safe" in text
        assert "The worry is about neglect" in text
        assert "This started on 1 April 2025" in text

    def test_a_plan_that_has_ended_is_not_shown_as_current(self, family, child, social_worker):
        status = family_services.child_status_start(
            family=family,
            person=child,
            kind=ChildStatus.Kind.CIN_PLAN,
            start=datetime.date(2025, 4, 1),
        )
        status.end = datetime.date(2025, 5, 1)
        status.save()
        text = text_of(
            render_story_pdf(family=family, entry_ids=[], requested_by=social_worker.user)
        )
        assert "child in need plan" not in text
        assert "None of your children has a plan at the moment" in text

    def test_it_is_a_tagged_pdf_in_british_english_with_a_real_title(self, family, social_worker):
        pdf = render_story_pdf(family=family, entry_ids=[], requested_by=social_worker.user)
        assert pdf.startswith(b"%PDF")
        reader = PdfReader(io.BytesIO(pdf))
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"].value is True
        assert root["/Lang"] == "en-GB"
        assert "/StructTreeRoot" in root
        assert reader.metadata.title == "Your family's story – The Okafor family"
        xmp = root["/Metadata"].get_object().get_data()
        assert b'pdfuaid:part="1"' in xmp  # it says it is PDF/UA-1
        assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True

    def test_its_headings_go_in_order_from_one_h1(self, family, social_worker):
        write_summary(family, social_worker, worries="Worries", plan="The plan")
        chosen = record(family, social_worker, "A visit", analysis="Things are better")
        pdf = render_story_pdf(
            family=family, entry_ids=[chosen.pk], requested_by=social_worker.user
        )
        levels = [int(tag[1]) for tag in structure_of(pdf) if tag in {"H1", "H2", "H3", "H4"}]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(after <= before + 1 for before, after in zip(levels, levels[1:], strict=False))
        assert 4 in levels  # the entry's own sections, under its heading

    def test_every_summary_section_and_status_has_words_for_a_parent(self):
        assert set(SUMMARY_HEADINGS) == set(CaseSummary.SECTIONS)
        assert set(STATUS_WORDS) == set(ChildStatus.Kind.values)


@pytest.mark.django_db(transaction=True)
class TestTheWorker:
    """Through a real Celery worker and the real Redis broker."""

    def _wait_until_finished(self, export, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            export.refresh_from_db()
            if export.is_finished:
                return export
            time.sleep(0.2)
        raise AssertionError(f"The export is still {export.status} after {timeout} seconds")

    def test_sharing_queues_a_build_that_ends_ready_with_the_pdf_in_storage(
        self, family, social_worker
    ):
        write_summary(family, social_worker, plan="Grace and Ada will see the school nurse")
        chosen = record(family, social_worker, "We planted sunflowers")
        client = client_for(social_worker)

        # The request only records it and queues it (on commit): the worker renders it.
        response = client.post(f"/families/{family.pk}/share/", {"entries": [chosen.pk]})
        export = StoryExport.objects.get()
        assert response.status_code == 302
        assert response.url == f"/families/{family.pk}/share/{export.pk}/"
        assert export.status == StoryExport.Status.QUEUED

        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
            export = self._wait_until_finished(export)

        assert export.status == StoryExport.Status.READY and export.finished is not None
        assert default_storage.exists(export.file.name)
        assert export.file.name.startswith("story-pdfs/")
        assert export.history.first().history_user == social_worker.user

        page = client.get(f"/families/{family.pk}/share/{export.pk}/")
        assert b"The PDF is ready" in page.content
        download = client.get(f"/families/{family.pk}/share/{export.pk}/download/")
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"].startswith("attachment;")
        assert download["Cache-Control"] == "private, no-store"
        text = text_of(b"".join(download.streaming_content))
        assert "Grace and Ada will see the school nurse" in text
        assert "We planted sunflowers" in text

    def test_a_request_that_can_never_succeed_fails_at_once_with_the_reason(
        self, family, social_worker
    ):
        draft = record(family, social_worker, "Half-written draft", final=False)
        # Not through the share form, which refuses drafts: a request gone wrong by the time
        # the worker reads it.
        export = StoryExport.objects.create(
            family=family, requested_by=social_worker.user, entry_ids=[draft.pk]
        )

        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
            assert build_story_pdf.delay(export.pk).get(timeout=60) == "failed"

        export.refresh_from_db()
        assert export.status == StoryExport.Status.FAILED
        assert export.error == ENTRIES_NOT_IN_STORY.format(count=1)
        assert not export.file
        page = client_for(social_worker).get(f"/families/{family.pk}/share/{export.pk}/")
        assert b"The PDF could not be made" in page.content
        assert b"choose the entries again" in page.content

    def test_when_storage_keeps_failing_it_is_retried_then_marked_failed(
        self, family, social_worker, settings, tmp_path
    ):
        # Storage that cannot be written: its folder is a file.
        blocked = tmp_path / "not-a-folder"
        blocked.write_text("")
        settings.MEDIA_ROOT = str(blocked)
        export = StoryExport.objects.create(family=family, requested_by=social_worker.user)
        retries = []

        def count_retry(sender, **kwargs):
            retries.append(kwargs["reason"])

        task_retry.connect(count_retry, sender=build_story_pdf, weak=False)
        try:
            with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
                result = build_story_pdf.delay(export.pk)
                with pytest.raises(OSError):
                    result.get(timeout=90)
        finally:
            task_retry.disconnect(count_retry, sender=build_story_pdf)

        assert len(retries) == 3  # the first try and three retries, with backoff
        export.refresh_from_db()
        assert export.status == StoryExport.Status.FAILED
        assert export.error == exports.UNEXPECTED_FAILURE

    def test_an_export_deleted_before_its_turn_is_nothing_to_do(self, family, social_worker):
        export = StoryExport.objects.create(family=family, requested_by=social_worker.user)
        export.delete()
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
            assert build_story_pdf.delay(export.pk).get(timeout=60) == "nothing to do"


class TestSharing:
    def test_the_page_lists_final_entries_none_ticked_and_no_drafts(self, family, social_worker):
        final = record(family, social_worker, "Ada read to me", significant=True)
        record(family, social_worker, "Half-written draft", final=False)
        response = client_for(social_worker).get(f"/families/{family.pk}/share/")
        assert response.status_code == 200
        assert [entry.pk for entry in response.context["entries"]] == [final.pk]
        content = response.content.decode()
        assert "Ada read to me" in content and "Half-written draft" not in content
        assert "checked" not in content

    def test_choosing_entries_records_the_request_and_queues_the_build_on_commit(
        self, family, social_worker, django_capture_on_commit_callbacks
    ):
        chosen = record(family, social_worker, "Ada read to me")
        with django_capture_on_commit_callbacks() as callbacks:
            response = client_for(social_worker).post(
                f"/families/{family.pk}/share/", {"entries": [chosen.pk]}
            )
        export = StoryExport.objects.get()
        assert response.status_code == 302
        assert (export.entry_ids, export.requested_by) == ([chosen.pk], social_worker.user)
        assert len(callbacks) == 1  # build_story_pdf.delay(export.pk), once committed

    def test_a_draft_or_another_familys_entry_is_refused_and_nothing_is_saved(
        self, family, social_worker
    ):
        draft = record(family, social_worker, "Half-written draft", final=False)
        response = client_for(social_worker).post(
            f"/families/{family.pk}/share/", {"entries": [draft.pk]}
        )
        assert response.status_code == 400
        assert escape(exports.NOT_FINAL_HERE) in response.content.decode()
        assert not StoryExport.objects.exists()

    def test_too_many_entries_are_refused(self, family, social_worker):
        with pytest.raises(ValidationError, match=exports.TOO_MANY_ENTRIES):
            exports.story_export_request(
                family=family,
                entry_ids=list(range(1, exports.MAX_ENTRIES + 2)),
                requested_by=social_worker.user,
            )

    def test_the_status_page_works_without_javascript(self, family, social_worker):
        export = exports.story_export_request(
            family=family, entry_ids=[], requested_by=social_worker.user
        )
        response = client_for(social_worker).get(f"/families/{family.pk}/share/{export.pk}/")
        content = response.content.decode()
        assert "The PDF is being made" in content
        assert f'href="/families/{family.pk}/share/{export.pk}/"' in content  # Refresh

    def test_a_pdf_that_is_not_ready_cannot_be_downloaded(self, family, social_worker):
        export = exports.story_export_request(
            family=family, entry_ids=[], requested_by=social_worker.user
        )
        response = client_for(social_worker).get(
            f"/families/{family.pk}/share/{export.pk}/download/"
        )
        assert response.status_code == 404

    def test_an_export_of_another_family_is_not_found_through_this_one(self, family, social_worker):
        second = refer(
            name="The Mensah family", child=("Kofi", "Mensah", datetime.date(2016, 1, 1))
        )
        export = exports.story_export_request(
            family=second, entry_ids=[], requested_by=social_worker.user
        )
        response = client_for(social_worker).get(f"/families/{family.pk}/share/{export.pk}/")
        assert response.status_code == 404

    def test_the_query_count_does_not_grow_with_the_story(
        self, family, social_worker, django_assert_max_num_queries
    ):
        client = client_for(social_worker)
        for n in range(3):
            record(family, social_worker, f"Visit {n}")
        with django_assert_max_num_queries(20) as few:
            client.get(f"/families/{family.pk}/share/")
        for n in range(40):
            record(family, social_worker, f"Visit {n}")
            exports.story_export_request(
                family=family, entry_ids=[], requested_by=social_worker.user
            )
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(f"/families/{family.pk}/share/")
        assert len(response.context["entries"]) == 43


class TestWhoMayShare:
    def _urls(self, family, export):
        return [
            f"/families/{family.pk}/share/",
            f"/families/{family.pk}/share/{export.pk}/",
            f"/families/{family.pk}/share/{export.pk}/download/",
        ]

    def test_a_worker_in_another_pod_gets_404_on_every_share_url(
        self, family, social_worker, outsider
    ):
        export = exports.story_export_request(
            family=family, entry_ids=[], requested_by=social_worker.user
        )
        client = client_for(outsider)
        for url in self._urls(family, export):
            assert client.get(url).status_code == 404, url
            assert client.post(url).status_code == 404, url
        assert StoryExport.objects.count() == 1

    def test_business_support_in_the_pod_get_403_they_do_not_share_case_narrative(
        self, family, social_worker, business_support
    ):
        export = exports.story_export_request(
            family=family, entry_ids=[], requested_by=social_worker.user
        )
        client = client_for(business_support)
        for url in self._urls(family, export):
            assert client.get(url).status_code == 403, url
            assert client.post(url).status_code == 403, url
        assert StoryExport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_deletes_shared_pdfs_after_the_retention_period(
    family, social_worker, settings
):
    from onestory import exports
    from onestory.tasks import expire_story_pdfs

    chosen = record(family, social_worker, "We planted sunflowers")
    export = StoryExport.objects.create(
        family=family, requested_by=social_worker.user, entry_ids=[chosen.pk]
    )
    export = exports.story_export_build(export_id=export.pk)
    assert default_storage.exists(export.file.name)
    kept = export.file.name

    assert exports.story_exports_expire() == 0, "a new PDF is kept"
    settings.PODS_STORY_PDF_RETENTION_DAYS = 0
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
        assert expire_story_pdfs.delay().get(timeout=30) == 1

    export.refresh_from_db()
    assert not export.file and not default_storage.exists(kept)
    assert export.requested_by == social_worker.user, "who shared what, and when, is still known"
