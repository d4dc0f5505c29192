"""After a bulk load: fresh planner statistics for the tables an app has just filled.

The demo builders write hundreds of thousands of rows at once, often inside one transaction
(seed_demo's, or a test module's fixture). Rows not yet committed are invisible to
autovacuum, so without an ANALYZE the planner plans from empty tables and can choose a plan
that takes minutes instead of milliseconds (a nested loop over 100,000 chronology entries:
that is what made whole test runs time out). ANALYZE inside the transaction samples the
transaction's own rows, and is undone with them if it rolls back."""

from __future__ import annotations

from django.apps import apps
from django.db import connection


def refresh_planner_statistics(*app_labels: str) -> None:
    tables = sorted(
        {
            model._meta.db_table
            for label in app_labels
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )
    if not tables:
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
