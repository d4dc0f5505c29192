"""Backfill monthly reports: ``manage.py build_monthly_reports --from 2023-01 --to 2025-12``.

Asks for the figures of each month for the authority and every pod, as beat does on the 1st:
one Celery task computes them all. ``--missing`` asks for any of the last 36 months not built
yet. ``--here`` computes them in this process instead (no worker needed): every month and
scope together, in seconds. Running it twice leaves one report per month and scope. PDFs are
rendered when someone asks for one, or overnight."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reporting import reports
from reporting.kpis import Period
from reporting.models import MonthlyReport


class Command(BaseCommand):
    help = "Build the monthly figures of a range of months, for the authority and every pod."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="first month, YYYY-MM")
        parser.add_argument("--to", dest="last", help="last month, YYYY-MM")
        parser.add_argument(
            "--missing",
            action="store_true",
            help="instead of a range: any of the last 36 months missing a report, as the "
            "nightly catch-up does (make run computes these --here after seeding the demo)",
        )
        parser.add_argument(
            "--here", action="store_true", help="build in this process, not in the workers"
        )

    def handle(self, *args, first, last, here, missing, **options):
        if missing:
            months = reports.missing_months()
        elif not (first and last):
            raise CommandError("Give --from and --to (YYYY-MM), or --missing")
        else:
            try:
                start, end = Period.parse(first), Period.parse(last)
            except ValueError as error:
                raise CommandError(str(error)) from None
            if end < start:
                raise CommandError(f"--to {end} is before --from {start}")
            months = Period.span(start, end)
        started = time.perf_counter()
        try:
            asked = reports.months_request(months, queue=not here)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if not months:
            self.stdout.write("No month is missing a report.")
            return
        if here:
            reports.months_build(months)
        built = MonthlyReport.objects.filter(
            period__in=[period.start for period in months], status=MonthlyReport.Status.READY
        ).count()
        where = "built here" if here else "queued for the workers"
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{asked} reports of {len(months)} months from {months[0]} to {months[-1]} {where} "
            f"in {seconds:.1f} s; {built} ready now."
        )
