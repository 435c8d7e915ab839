from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "profinfo.monitoring"
    verbose_name = "Мониторинг"
