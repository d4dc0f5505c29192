from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import SignInForm
from accounts.views import SignInView
from config.views import healthz
from feedback import urls_audits, urls_complaints, urls_compliments, urls_surveys
from scheduling import urls as scheduling_urls
from scheduling import urls_calls, urls_letters
from supervision.urls import family_urlpatterns as family_supervision_urls

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(
        "sign-in/",
        SignInView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/digest/", include("home.urls_digest")),
    path("account/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("home.urls")),
    path("cover/", include("home.urls_cover")),
    path("families/", include("families.urls")),
    path("families/", include("onestory.urls")),
    path("families/", include("onestory.urls_planning")),
    path("families/", include(scheduling_urls.family_urlpatterns)),
    path("families/", include(urls_letters.family_urlpatterns)),
    path("families/", include(urls_calls.family_urlpatterns)),
    path("families/", include(family_supervision_urls)),
    path("scheduling/", include(scheduling_urls.urlpatterns)),
    path("scheduling/letters/", include(urls_letters.urlpatterns)),
    path("scheduling/calls/", include(urls_calls.urlpatterns)),
    path("supervision/", include("supervision.urls")),
    path("families/", include(urls_complaints.family_urlpatterns)),
    path("families/", include(urls_compliments.family_urlpatterns)),
    path("families/", include(urls_audits.family_urlpatterns)),
    path("families/", include(urls_surveys.family_urlpatterns)),
    path("feedback/complaints/", include(urls_complaints.urlpatterns)),
    path("feedback/compliments/", include(urls_compliments.urlpatterns)),
    path("feedback/surveys/", include(urls_surveys.urlpatterns)),
    path("feedback/audits/", include(urls_audits.urlpatterns)),
    path("survey/", include(urls_surveys.public_urlpatterns)),
    path("reports/", include("reporting.urls")),
    path("data-protection/", include("dataprotection.urls")),
    path("", include("pods.urls")),
]

# make bench only (PODS_BENCH=1): the bare view the benchmarked pages are set beside.
if settings.PODS_BENCH:
    urlpatterns.insert(0, path("bench/", include("bench.urls")))
