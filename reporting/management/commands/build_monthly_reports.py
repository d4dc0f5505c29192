"""Backfill monthly reports: ``manage.py build_monthly_reports --from 2023-01 --to 2025-12``.

Asks for the authority's and every pod's report of each month, as beat does on the 1st: the
Celery workers build them. ``--missing`` asks for any of the last 36 months not built yet.
``--here`` builds them in this process instead, one after another (no worker needed).
Running it twice leaves one report per month and scope."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reporting import reports
from reporting.kpis import Period
from reporting.models import MonthlyReport


class Command(BaseCommand):
    help = "Build the monthly reports of a range of months, for the authority and every pod."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="first month, YYYY-MM")
        parser.add_argument("--to", dest="last", help="last month, YYYY-MM")
        parser.add_argument(
            "--missing",
            action="store_true",
            help="instead of a range: any of the last 36 months missing a report, as the "
            "nightly catch-up does (make run asks for these after seeding the demo)",
        )
        parser.add_argument(
            "--here", action="store_true", help="build in this process, not in the workers"
        )

    def handle(self, *args, first, last, here, missing, **options):
        if missing:
            asked = reports.request_missing()
            self.stdout.write(f"{asked} missing monthly reports queued for the workers.")
            return
        if not (first and last):
            raise CommandError("Give --from and --to (YYYY-MM), or --missing")
        try:
            start, end = Period.parse(first), Period.parse(last)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if end < start:
            raise CommandError(f"--to {end} is before --from {start}")
        period, asked = start, 0
        while period <= end:
            try:
                for team in reports.scopes_for_month(period):
                    report = reports.report_request(period=period, team=team, queue=not here)
                    asked += 1
                    if here:
                        reports.report_build(report.pk)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            period = period.next()
        built = MonthlyReport.objects.filter(
            period__range=(start.start, end.start), status=MonthlyReport.Status.READY
        ).count()
        where = "built here" if here else "queued for the workers"
        self.stdout.write(f"{asked} reports from {start} to {end} {where}; {built} ready now.")
