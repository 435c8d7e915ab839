from django.apps import AppConfig


class ContestConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "profinfo.contest"
    verbose_name = "Смотр-конкурс"
