from django.urls import path

from reporting import views, views_feedback, views_returns

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("<int:report_id>/", views.report_detail, name="report_detail"),
    path("<int:report_id>/rebuild/", views.report_rebuild, name="report_rebuild"),
    path("<int:report_id>/pdf/", views.report_pdf, name="report_pdf"),
    path("<int:report_id>/pdf/make/", views.report_pdf_request, name="report_pdf_request"),
    path("<int:report_id>/csv/", views.report_csv, name="report_csv"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/pods/<int:team_id>/", views.pod_dashboard, name="pod_dashboard"),
    path("my-figures/", views.my_figures, name="my_figures"),
    path("children/<slug:key>/<str:month>/<str:scope>/", views.children, name="kpi_children"),
    path(
        "feedback/<slug:key>/<str:month>/<str:scope>/",
        views_feedback.feedback_behind,
        name="kpi_feedback",
    ),
    path("export/<str:scope>.<str:fmt>", views.export, name="figures_export"),
    path("returns/", views_returns.returns_index, name="returns_index"),
    path("returns/<int:year>/", views_returns.return_detail, name="return_detail"),
    path("returns/<int:year>/build/", views_returns.return_build, name="return_build"),
    path("returns/<int:year>/download/", views_returns.return_download, name="return_download"),
    path("data-quality/", views_returns.data_quality, name="data_quality"),
]
