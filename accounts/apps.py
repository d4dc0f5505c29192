from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Sign-in and security"

    def ready(self):
        from accounts import receivers  # noqa: F401  (sign-in signals to the security log)
