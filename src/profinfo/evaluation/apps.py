from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "profinfo.evaluation"
    verbose_name = "Оценка"

    def ready(self):
        from profinfo.monitoring.signals import run_finished

        from .services import score_tables_refresh

        run_finished.connect(score_tables_refresh, dispatch_uid="score-tables-after-run")
