"""Infrastructure endpoints that sit outside the apps."""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@login_not_required
@never_cache
def healthz(request):
    """200 only when PostgreSQL and Redis both answer: what a load balancer needs to know."""
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        problems.append("database")
    try:
        cache.set("healthz", "ok", timeout=10)  # a real round trip through the public API
    except Exception:  # noqa: BLE001
        problems.append("redis")
    if problems:
        return HttpResponse(
            "unavailable: " + ", ".join(problems), status=503, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")
