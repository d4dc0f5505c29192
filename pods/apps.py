from django.apps import AppConfig


class PodsConfig(AppConfig):
    name = "pods"
    verbose_name = "Organisation"
