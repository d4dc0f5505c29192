"""The second factor (django-otp): an authenticator app (TOTP) and single-use backup codes.

Everyone sets up an authenticator app at their first sign-in: the QR code is drawn here, on
the server, as SVG (segno), so the secret goes to no outside service. Setting one up also
gives ten backup codes, each good once (django-otp's static device deletes a code as it is
used). An enrolment not confirmed within ``PODS_ENROLMENT_MINUTES`` expires: its secret has
been on a screen, so a new one is drawn."""

from __future__ import annotations

import datetime
import secrets
from base64 import b32decode, b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo_secret import DEMO_SECRET, current_code  # noqa: F401  (re-exported)

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"

CODE_NOT_RIGHT = (
    "The code is not right, or it has been used already. Enter the 6-digit code your "
    "authenticator app shows now"
)
CODE_NOT_DIGITS = "Enter the code as 6 digits, like 123456"
BACKUP_CODE_NOT_RIGHT = (
    "That backup code is not right or has been used already. Each backup code works once"
)
ENROLMENT_EXPIRED = (
    "That set-up has expired, so we have made a new one. Scan the new QR code, or type the "
    "new key, then enter the code it shows"
)


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def normalise_code(token: str) -> str:
    return "".join((token or "").split())


def throttled_message(device) -> str | None:
    """django-otp refuses codes for a growing delay after each wrong one; say so plainly."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (details or {}).get("locked_until")
    if locked_until:
        wait = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
        return f"Too many wrong codes. Wait {wait} seconds, then enter the code your app shows"
    return "Too many wrong codes. Wait a moment, then try again"


def verify_totp(user, token: str) -> TOTPDevice | None:
    """The user's authenticator app if ``token`` is one of its current codes, else None.
    Each code works once: django-otp refuses a code at or before the last one used."""
    device = confirmed_totp_device(user)
    token = normalise_code(token)
    if device is None or not token.isdigit() or len(token) != device.digits:
        return None
    return device if device.verify_token(token) else None


def verify_backup_code(user, token: str) -> StaticDevice | None:
    """The user's backup codes if ``token`` is one of them; the code is used up."""
    token = normalise_code(token).lower()
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Enrolment -------------------------------------------------------------------------------


def _enrolment_expired(device: TOTPDevice) -> bool:
    created = device.created_at or timezone.now()
    return timezone.now() - created > datetime.timedelta(minutes=settings.PODS_ENROLMENT_MINUTES)


def enrolment_device(user, *, device_id: int | None = None) -> TOTPDevice:
    """The unconfirmed authenticator this session is setting up (``device_id``, kept in the
    session), or a new one when there is none or it has expired. Each session gets its own
    secret: another session signed in with the same password never sees it."""
    device = (
        TOTPDevice.objects.filter(user=user, confirmed=False, pk=device_id).first()
        if device_id
        else None
    )
    if device is None or _enrolment_expired(device):
        for stale in TOTPDevice.objects.filter(user=user, confirmed=False):
            if _enrolment_expired(stale):
                stale.delete()
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


class EnrolmentExpired(Exception):
    pass


class AlreadyEnrolled(Exception):
    """Another session confirmed an app first: replacing it needs an administrator's reset."""


@transaction.atomic
def enrolment_confirm(*, user, device_id: int, token: str) -> list[str] | None:
    """Confirm the authenticator being set up with a code it shows. Returns the new backup
    codes (shown once), None for a wrong code; raises EnrolmentExpired when the set-up is
    too old (a new one has been made)."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False, pk=device_id)
        .first()
    )
    if device is None or _enrolment_expired(device):
        raise EnrolmentExpired
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise AlreadyEnrolled
    token = normalise_code(token)
    if not (token.isdigit() and device.verify_token(token)):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_make(user=user)


@transaction.atomic
def backup_codes_make(*, user) -> list[str]:
    """Ten new backup codes in place of any old ones, on the same device, so a session that
    signed in with a backup code stays signed in. Each is 16 characters of base32 (80 bits:
    the longest django-otp's token column holds)."""
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [_backup_code() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _backup_code() -> str:
    return b32encode(secrets.token_bytes(10)).decode().lower()


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for someone who cannot scan the QR code."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code, drawn here. segno writes only paths
    and a title from the fixed address, so the markup is safe to place in the page."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#0b0c0c", light="#ffffff", title="QR code to scan with your app"
    )
    return mark_safe(svg)  # nosec B308 B703  # SVG drawn by segno from our otpauth address


# --- The demo authority ----------------------------------------------------------------------


def demo_device_enrol(*, user) -> TOTPDevice:
    """Give a demo account an authenticator with the published demo secret."""
    TOTPDevice.objects.filter(user=user).delete()
    key = b32decode(DEMO_SECRET).hex()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, key=key, confirmed=True)
