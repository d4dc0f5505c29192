from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import SignInForm
from accounts.views import SignInView
from config.views import healthz
from supervision.urls import family_urlpatterns as family_supervision_urls

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(
        "sign-in/",
        SignInView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("families/", include("families.urls")),
    path("families/", include("onestory.urls")),
    path("families/", include("onestory.urls_planning")),
    path("families/", include(family_supervision_urls)),
    path("supervision/", include("supervision.urls")),
    path("reports/", include("reporting.urls")),
    path("", include("pods.urls")),
]

# make bench only (PODS_BENCH=1): the bare view the benchmarked pages are set beside.
if settings.PODS_BENCH:
    urlpatterns.insert(0, path("bench/", include("bench.urls")))
