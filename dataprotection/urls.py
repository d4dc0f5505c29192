from django.urls import path

from dataprotection import views, views_sar

urlpatterns = [
    path("", views.retention_review, name="retention_review"),
    path("review/<int:item_id>/", views.review_item, name="review_item"),
    path("holds/", views.legal_holds, name="legal_holds"),
    path("holds/<int:hold_id>/release/", views.legal_hold_release, name="legal_hold_release"),
    path("destroyed/", views.destruction_stubs, name="destruction_stubs"),
    path("destroyed/<int:stub_id>/", views.destruction_stub, name="destruction_stub"),
    path("rules/", views.retention_rules, name="retention_rules"),
    path("requests/", views_sar.sar_list, name="sar_list"),
    path("requests/new/", views_sar.sar_new, name="sar_new"),
    path("requests/disclosures/", views_sar.disclosure_log, name="disclosure_log"),
    path("requests/<int:sar_id>/", views_sar.sar_detail, name="sar_detail"),
    path("requests/<int:sar_id>/identity/", views_sar.sar_identity, name="sar_identity"),
    path("requests/<int:sar_id>/extend/", views_sar.sar_extend, name="sar_extend"),
    path("requests/<int:sar_id>/gather/", views_sar.sar_gather, name="sar_gather"),
    path("requests/<int:sar_id>/records/<int:record_id>/", views_sar.sar_item, name="sar_item"),
    path(
        "requests/<int:sar_id>/redactions/<int:redaction_id>/remove/",
        views_sar.redaction_remove,
        name="redaction_remove",
    ),
    path("requests/<int:sar_id>/sign-off/", views_sar.sar_sign_off, name="sar_sign_off"),
    path("requests/<int:sar_id>/bundle/", views_sar.sar_bundle, name="sar_bundle"),
    path("requests/<int:sar_id>/bundle.pdf", views_sar.sar_bundle_download, name="sar_bundle_pdf"),
    path("requests/<int:sar_id>/disclose/", views_sar.sar_disclose, name="sar_disclose"),
    path("requests/<int:sar_id>/close/", views_sar.sar_close, name="sar_close"),
]
