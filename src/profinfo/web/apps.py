from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "profinfo.web"
    verbose_name = "Веб-интерфейс"
