from django.urls import path

from dataprotection import views

urlpatterns = [
    path("", views.retention_review, name="retention_review"),
    path("review/<int:item_id>/", views.review_item, name="review_item"),
    path("holds/", views.legal_holds, name="legal_holds"),
    path("holds/<int:hold_id>/release/", views.legal_hold_release, name="legal_hold_release"),
    path("destroyed/", views.destruction_stubs, name="destruction_stubs"),
    path("destroyed/<int:stub_id>/", views.destruction_stub, name="destruction_stub"),
    path("rules/", views.retention_rules, name="retention_rules"),
]
