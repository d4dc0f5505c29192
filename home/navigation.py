"""Navigation that depends on who is signed in, for the base template."""

from django.conf import settings
from django.urls import reverse

from accounts.permissions import can_user_read_security_log
from dataprotection import permissions as dataprotection_permissions
from families.permissions import can_user_break_glass, can_user_hold_families
from feedback import permissions as feedback_permissions
from feedback.permissions import can_user_oversee_complaints
from pods import permissions as pod_permissions
from pods.selectors import worker_for
from reporting import permissions as reporting_permissions


def navigation(request):
    context = {
        "service_name": settings.PODS_SERVICE_NAME,
        "council_name": settings.PODS_COUNCIL_NAME,
        "cooloff_minutes": settings.AXES_COOLOFF_MINUTES,
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    if settings.PODS_SECOND_FACTOR and not user.is_verified():
        # Between the password and the second factor: no way into the service yet.
        context["second_factor_pending"] = True
        return context
    worker = worker_for(user)
    items = [("Home", reverse("home"))]
    in_a_pod = pod_permissions.works_in_a_pod(worker)
    if can_user_hold_families(user):
        items.append(("My families", reverse("my_families")))
    if in_a_pod:
        items.append(("Pod's families", reverse("pod_families")))
    if in_a_pod or pod_permissions.is_lead_practitioner(worker):
        items.append(("Find a family", reverse("family_search")))
    if worker is not None:
        items.append(("My pod" if in_a_pod else "My team", reverse("my_pod")))
        if in_a_pod:
            items.append(("Calendar", reverse("pod_calendar")))
        items.append(("Supervision", reverse("supervision")))
        if pod_permissions.is_senior_leader(worker):
            figures = "dashboard"
        elif pod_permissions.is_pod_manager(worker):
            figures = "report_list"
        else:
            figures = "my_figures"
        items.append(("Figures", reverse(figures)))
        if pod_permissions.can_user_keep_a_rota(user):
            items.append(("Duty rota", reverse("duty_rota")))
    if feedback_permissions.can_user_see_audit_programme(user):
        items.append(("Audits", reverse("audit_list")))
    elif feedback_permissions.can_user_see_audit_results(user):
        items.append(("Audits", reverse("audit_results")))
    if reporting_permissions.can_user_build_returns(user):
        items.append(("Statutory returns", reverse("returns_index")))
    if pod_permissions.is_pod_manager(worker):
        items.append(("Data quality", reverse("data_quality")))
    if dataprotection_permissions.can_user_manage_retention(user):
        items.append(("Data protection", reverse("retention_review")))
    if can_user_oversee_complaints(user):
        items.append(("Complaints", reverse("complaint_list")))
    if feedback_permissions.can_user_see_surveys(user):
        items.append(("Surveys", reverse("survey_list")))
    if pod_permissions.can_user_see_all_teams(user):
        items.append(("All teams", reverse("all_teams")))
    if can_user_break_glass(user):
        items.append(("Open a record", reverse("break_glass")))
    if user.is_staff:
        items.append(("Administration", reverse("admin:index")))
    if can_user_read_security_log(user):
        items.append(("Security log", reverse("security_log")))
    context["navigation"] = [
        {"text": text, "href": href, "active": _is_active(request.path, href)}
        for text, href in items
    ]
    context["signed_in_worker"] = worker
    context["signed_in_role"] = worker.get_role_display() if worker else "Administrator"
    return context


def _is_active(path: str, href: str) -> bool:
    # "/families/" would also match the pod's list and search: only exact for those two.
    return path == href if href in ("/", "/families/") else path.startswith(href)
