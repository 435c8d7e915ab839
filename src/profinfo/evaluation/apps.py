from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "profinfo.evaluation"
    verbose_name = "Оценка"
