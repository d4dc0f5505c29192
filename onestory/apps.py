from django.apps import AppConfig


class OnestoryConfig(AppConfig):
    name = "onestory"
    verbose_name = "One Story"
