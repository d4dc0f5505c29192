"""URLs served only when PODS_BENCH=1 (config/urls.py): the bare view every page is set beside."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path


@login_not_required
def bare(request):
    """No database, no template: what the middleware stack alone costs."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bare/", bare, name="bench_bare")]
