from django.urls import path

from accounts import views, views_security_log

urlpatterns = [
    path("", views.account, name="account"),
    path("second-factor/", views.second_factor_verify, name="second_factor"),
    path("second-factor/backup/", views.second_factor_backup, name="second_factor_backup"),
    path("second-factor/set-up/", views.second_factor_set_up, name="second_factor_set_up"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
    path("backup-codes/new/", views.backup_codes_new, name="backup_codes_new"),
    path("sessions/<int:session_id>/end/", views.session_end, name="session_end"),
    path("password/", views.password_change, name="password_change"),
    path("confirm/", views.reauthenticate, name="reauthenticate"),
    path("security-log/", views_security_log.security_log, name="security_log"),
    path(
        "security-log/export/", views_security_log.security_log_export, name="security_log_export"
    ),
]
