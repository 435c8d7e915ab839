from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "profinfo.reports"
    verbose_name = "Отчёты"
