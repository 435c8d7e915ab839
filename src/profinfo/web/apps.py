from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "profinfo.web"
    verbose_name = "Веб-интерфейс"

    def ready(self):
        from profinfo.caching import connect_signals

        connect_signals()
