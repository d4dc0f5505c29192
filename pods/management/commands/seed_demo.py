"""Build the demo authority: ``manage.py seed_demo [--seed N] [--scale X] [--if-empty]``.

Each app that has demo data adds a ``build(rng=, today=, scale=)`` function to DEMO_BUILDERS,
in the order they depend on one another. The same seed and day give the same authority."""

import datetime
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from pods.models import Team

DEMO_BUILDERS = [
    "pods.demo.build",
    "pods.demo_sign_in.build",
    "families.demo.build",
    "onestory.demo.build",
    "scheduling.demo.build",
    "reporting.demo.returns.build",
    "supervision.demo.build",
    "feedback.demo.complaints.build",
    "feedback.demo.audits.build",
    "feedback.demo.surveys.build",
    "dataprotection.demo.build",
]
DEFAULT_SEED = 2015  # the year the pods began
REFUSED_ON_A_DEPLOYMENT = (
    "seed_demo is for development: the demo authority has a superuser whose password is in the "
    "README, and PODS_HTTPS is on, so this is a deployment. Create its first administrator "
    "with manage.py createsuperuser instead."
)


class Command(BaseCommand):
    help = "Build the demo authority (organisation, and later families and records) from a seed."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1 is a city-sized service; 10 is the benchmark",
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="the day the history runs up to (default: today), as YYYY-MM-DD",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database has teams already"
        )

    def handle(self, *args, seed, scale, today, if_empty, **options):
        if settings.PODS_HTTPS:
            raise CommandError(REFUSED_ON_A_DEPLOYMENT)
        if Team.objects.exists():
            if if_empty:
                self.stdout.write("The database already has an authority; not seeding.")
                return
            raise CommandError(
                "The database already has teams. Seed an empty database "
                "(python -m config.embedded stop, then remove .data/<instance>), or use --if-empty."
            )
        if scale <= 0:
            raise CommandError("--scale must be above 0")
        today = today or timezone.localdate()
        rng = random.Random(seed)
        with transaction.atomic():
            for dotted_path in DEMO_BUILDERS:
                started = time.monotonic()
                counts = import_string(dotted_path)(rng=rng, today=today, scale=scale)
                summary = ", ".join(f"{value} {name}" for name, value in counts.items())
                self.stdout.write(f"{dotted_path}: {summary} ({time.monotonic() - started:.1f}s)")
        self.stdout.write(self.style.SUCCESS("Demo authority ready."))
