from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The pages composed from several apps: each role's home page, the family page and the
    family lists, the navigation. It may import any app; no app imports it (DESIGN §3)."""

    name = "home"
    verbose_name = "Home pages"
