"""The subject access bundle as a PDF: a covering page, then every gathered record family by
family with each redacted passage cut out of the text before the template sees it (so the PDF
holds nothing of it: no hidden layer, no box drawn over words still there). Rendered by
WeasyPrint as a tagged PDF (PDF/UA-1), in the Celery worker only."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from dataprotection.models import Redaction, SarItem, SubjectAccessRequest
from dataprotection.sar import redacted

TEMPLATE = "dataprotection/pdf/bundle.html"


def bundle_context(sar: SubjectAccessRequest) -> dict:
    items = list(sar.items.prefetch_related("redactions").order_by("order"))
    reasons: Counter = Counter()
    families: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        text, cut = redacted(item.text, item.redactions.all())
        reasons.update(reason for _, _, reason in cut)
        families[item.family_reference].append(
            {"kind": SarItem.Kind(item.kind).label, "title": item.title, "date": item.date,
             "text": text}
        )  # fmt: skip
    return {
        "sar": sar,
        "subject_name": sar.subject.full_name if sar.subject else "",
        "families": [{"reference": ref, "items": rows} for ref, rows in families.items()],
        "count": len(items),
        "reasons": [
            {"label": Redaction.Reason(reason).label, "count": count}
            for reason, count in sorted(reasons.items())
        ],
        "council_name": settings.PODS_COUNCIL_NAME,
        "prepared_on": timezone.localdate(),
    }


def render_bundle(sar: SubjectAccessRequest) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(TEMPLATE, bundle_context(sar))
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=()))
    return document.write_pdf(pdf_variant="pdf/ua-1")
