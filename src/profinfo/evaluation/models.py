"""The methodology of the contest as data: blocks and criteria with points, versioned by year.

A year's methodology is a copy that is edited on its own; once its results are published it
is frozen, so a past year's scores stay what they were whatever the next year changes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from profinfo.organizations.models import Organization


class Methodology(models.Model):
    year = models.PositiveIntegerField("год смотра", unique=True)
    title = models.CharField("название", max_length=300)
    frozen = models.BooleanField("утверждена (изменять нельзя)", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "методика оценки"
        verbose_name_plural = "методики оценки"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Block(models.Model):
    methodology = models.ForeignKey(Methodology, on_delete=models.CASCADE,
                                    related_name="blocks")
    code = models.SlugField("код", max_length=40)
    title = models.CharField("блок", max_length=200)
    weight = models.FloatField("вес блока", default=1.0)
    order = models.PositiveSmallIntegerField("порядок", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "блок методики"
        verbose_name_plural = "блоки методики"
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["methodology", "code"],
                                               name="block_code_unique")]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.weight is not None and self.weight < 0:
            raise ValidationError({"weight": "Вес блока не может быть отрицательным."})


class CriterionSource(models.TextChoices):
    AUTO = "auto", "измеряется автоматически"
    JURY = "jury", "оценивает жюри"


class Criterion(models.Model):
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField("код", max_length=60)
    title = models.CharField("критерий", max_length=300)
    points = models.FloatField("баллы", default=1.0)
    source = models.CharField("как оценивается", max_length=10, choices=CriterionSource.choices,
                              default=CriterionSource.AUTO)
    rule = models.CharField("правило расчёта", max_length=60, blank=True,
                            help_text="для автоматических критериев: что и как измеряется")
    threshold = models.FloatField("порог", null=True, blank=True,
                                  help_text="значение, начиная с которого критерий выполнен")
    recommendation = models.TextField("рекомендация, если не выполнен", blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "критерий оценки"
        verbose_name_plural = "критерии оценки"
        ordering = ["block__order", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["block", "code"],
                                               name="criterion_code_unique")]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from .rules import RULES

        errors = {}
        if self.points is not None and self.points < 0:
            errors["points"] = "Баллы не могут быть отрицательными."
        if self.source == CriterionSource.AUTO:
            if self.rule not in RULES:
                errors["rule"] = "Выберите правило расчёта из списка: без него критерий " \
                                 "нельзя измерить автоматически."
            elif RULES[self.rule].needs_threshold and self.threshold is None:
                errors["threshold"] = "Для этого правила нужен порог."
        elif self.rule:
            errors["rule"] = "Критерий жюри не рассчитывается: очистите правило."
        if errors:
            raise ValidationError(errors)


class JuryScore(models.Model):
    """Points the jury gave an organization for a criterion it scores."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="jury")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="+")
    points = models.FloatField("баллы")
    comment = models.TextField("комментарий", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "оценка жюри"
        verbose_name_plural = "оценки жюри"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class ScoreTable(models.Model):
    """Every active organization's totals for one period by one methodology, kept so that the
    ratings of a whole federation open at once. `inputs` fingerprints what they were computed
    from; when anything changed since, the table is computed again."""

    methodology = models.ForeignKey(Methodology, on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    end = models.DateField()
    inputs = models.CharField(max_length=64)
    computed_at = models.DateTimeField(auto_now=True)
    rows = models.JSONField(default=list)  # [organization, total, criteria known, measured]

    class Meta:
        verbose_name = "рассчитанные баллы"
        verbose_name_plural = "рассчитанные баллы"
        constraints = [models.UniqueConstraint(fields=["methodology", "start", "end"],
                                               name="score_table_period_unique")]

    def __str__(self) -> str:
        return f"{self.methodology}: {self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"
