"""``manage.py demo_code``: the code an authenticator app with the demo secret shows now.

The demo sign-ins (README) share one published secret, so this prints a code for any of
them. It knows no other secret, and refuses to run on a deployment."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.second_factor import DEMO_SECRET, current_code


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--next",
            action="store_true",
            help="the next period's code (a code works once; the next one is accepted too)",
        )

    def handle(self, *args, next, **options):
        if settings.PODS_HTTPS:
            raise CommandError("There are no demo sign-ins on a deployment (PODS_HTTPS is on).")
        self.stdout.write(current_code(DEMO_SECRET, steps_ahead=1 if next else 0))
