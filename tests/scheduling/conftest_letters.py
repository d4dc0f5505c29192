"""Fixtures for letters, invitations and email: the Oak Pod family with an address, the
people around it, an initial conference next week with its invitation list, and a real
SMTP server (config/mail.py) keeping each message as an .eml file in the test's folder.

Imported by the letters, invitations, mail and digest test modules only."""

import datetime

import pytest
from django.utils import timezone

from families import services as family_services
from families.models import FamilyMember
from scheduling.models import Appointment, Invitation
from tests.scheduling.conftest import at

CHILD_NAMES = ("Ada", "Okafor")  # the child of tests/families' family: never in an email


@pytest.fixture
def media_root(settings, tmp_path):
    """Each test's PDFs in its own folder, through the same default storage the app uses."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def mail_server(settings, tmp_path):
    """The real SMTP path: Django's SMTP backend to a local aiosmtpd server on a free port,
    which writes each message it receives to ``mail_server.folder``."""
    from config.mail import MailServer

    server = MailServer(tmp_path / "mail")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    with server:
        yield server


@pytest.fixture
def housed_family(family):
    """The family, with the address its letters go to."""
    family.address = "12 Acacia Road\nBrightwater"
    family.postcode = "bw1 2ab"
    family.save()
    return family


@pytest.fixture
def mother(housed_family):
    return housed_family.members.get(relationship=FamilyMember.Relationship.MOTHER)


@pytest.fixture
def health_visitor(housed_family, social_worker):
    return family_services.professional_add(
        family=housed_family,
        added_by=social_worker.user,
        name="Priya Shah",
        agency="Brightwater Health Visiting",
        role="Health visitor",
        email="priya.shah@health.example",
    )


@pytest.fixture
def teacher_without_email(housed_family, social_worker):
    return family_services.professional_add(
        family=housed_family,
        added_by=social_worker.user,
        name="Tom Reed",
        agency="Oakfield Primary School",
        role="Designated safeguarding lead",
    )


@pytest.fixture
def conference(housed_family, child, pod, social_worker, reviewing_officer, business_support):
    """An initial child protection conference at 10am next week, chaired by the reviewing
    officer, with nobody invited yet."""
    today = timezone.localdate()
    day = today + datetime.timedelta(days=7 - today.weekday() + 1)  # Tuesday next week
    appointment = Appointment.objects.create(
        family=housed_family,
        team=pod,
        kind=Appointment.Kind.ICPC,
        start=at(day, 10),
        end=at(day, 11, 30),
        place="Brightwater Civic Centre, Room 4",
        worker=social_worker,
        chair=reviewing_officer,
        booked_by=business_support.user,
    )
    appointment.children.add(child)
    return appointment


def invite(appointment, **who) -> Invitation:
    return Invitation.objects.create(appointment=appointment, **who)


@pytest.fixture
def invited(conference, mother, health_visitor, social_worker):
    """The mother, the health visitor and the social worker invited, none sent yet."""
    return [
        invite(conference, member=mother),
        invite(conference, professional=health_visitor),
        invite(conference, worker=social_worker),
    ]
