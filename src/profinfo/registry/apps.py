from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "profinfo.registry"
    verbose_name = "Реестр информационных ресурсов"
