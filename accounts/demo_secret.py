"""The demo sign-ins' published authenticator secret, and the codes it gives.

Plain Python (no Django), so the benchmark's HTTP client signs in with it too."""

from base64 import b32decode

from django_otp.oath import TOTP

# Published in the README so that anyone can try the demo: never a real account's secret.
DEMO_SECRET = "PODSDEMOPODSDEMOPODSDEMOPODSDEMO"


def current_code(secret_b32: str = DEMO_SECRET, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app with this secret shows now (or ``steps_ahead`` periods
    on: a code may be used once only, and django-otp accepts the next period's too)."""
    secret = secret_b32.replace(" ", "")
    totp = TOTP(b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = totp.time + steps_ahead * totp.step
    return f"{totp.token():06d}"
