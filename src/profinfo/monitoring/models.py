"""Observations: every measured value of a resource, append-only.

A new check or entry never overwrites an old observation; a failed check is an observation
too (ok=False, with its error code and a Russian message), so history shows every attempt.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from profinfo import formatting
from profinfo.organizations.querysets import scoped_manager
from profinfo.registry.models import Resource


class Metric(models.TextChoices):
    PUBLICATIONS = "publications", "Опубликованных материалов"
    VISITORS = "visitors", "Посетителей"
    VIEWS = "views", "Просмотров"
    SUBSCRIBERS = "subscribers", "Подписчиков"
    LAST_PUBLICATION = "last_publication", "Последняя публикация"
    ENGAGEMENT = "engagement", "Вовлечённость"
    ERR = "err", "ERR"
    POSTS_PER_WEEK = "posts_per_week", "Публикаций в неделю"
    ISSUES = "issues", "Номеров издания"
    SITE_AUDIT = "site_audit", "Критериев сайта выполнено"
    POSTS = "posts", "Последние публикации"
    CHECK = "check", "Проверка"


# Metrics a person enters by hand (a period for counts, a date for subscribers).
MANUAL_PERIOD_METRICS = (Metric.PUBLICATIONS, Metric.VISITORS, Metric.VIEWS)
MANUAL_DATE_METRICS = (Metric.SUBSCRIBERS,)


class Source(models.TextChoices):
    AUTOMATIC = "automatic", "Автоматическая проверка"
    MANUAL = "manual", "Ручной ввод"
    IMPORT = "import", "Импорт"
    PRESENTATION_2022 = "presentation_2022", "презентация 2022"


class Observation(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE,
                                 related_name="observations", verbose_name="ресурс")
    metric = models.CharField("показатель", max_length=40, choices=Metric.choices)
    value = models.FloatField("значение", null=True, blank=True)
    value_date = models.DateField("дата (значение)", null=True, blank=True)
    period_start = models.DateField("начало периода", null=True, blank=True)
    period_end = models.DateField("конец периода (или дата)")
    observed_at = models.DateTimeField("когда получено", auto_now_add=True)
    source = models.CharField("источник", max_length=30, choices=Source.choices)
    ok = models.BooleanField("успешно", default=True)
    error_code = models.CharField("код ошибки", max_length=40, blank=True)
    error_message = models.TextField("причина ошибки", blank=True)
    details = models.JSONField("подробности", default=dict, blank=True)
    note = models.CharField("примечание", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    run = models.ForeignKey("CollectionRun", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="observations", verbose_name="проверка реестра")

    objects = scoped_manager("resource__organization__")

    class Meta:
        verbose_name = "наблюдение"
        verbose_name_plural = "наблюдения"
        ordering = ["-period_end", "-observed_at"]
        indexes = [
            models.Index(fields=["resource", "metric", "-period_end"]),
            models.Index(fields=["metric", "period_end"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_start__lte=models.F("period_end")),
                name="observation_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(ok=True) | ~models.Q(error_code=""),
                name="observation_failure_has_code",
            ),
            # one result per resource and metric in a run, whatever runs or workers race
            models.UniqueConstraint(fields=["run", "resource", "metric"],
                                    condition=models.Q(run__isnull=False),
                                    name="observation_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()}: {self.display_value}"

    @property
    def display_value(self) -> str:
        if not self.ok:
            return f"ошибка: {self.error_message or self.error_code}"
        if self.value_date:
            return formatting.date(self.value_date)
        if self.metric in (Metric.ENGAGEMENT, Metric.ERR):
            return formatting.percent(self.value)
        return formatting.number(self.value)

    @property
    def period_display(self) -> str:
        if self.period_start:
            return f"{self.period_start:%d.%m.%Y} — {self.period_end:%d.%m.%Y}"
        return f"на {self.period_end:%d.%m.%Y}"


class LatestValue(models.Model):
    """The newest successful observation of each metric of each resource.

    Kept in step by the services that write observations, so that pages and reports read
    current figures (and find pages without updates) with one indexed lookup instead of an
    aggregate over the whole history.
    """

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="latest_values")
    metric = models.CharField(max_length=40, choices=Metric.choices)
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="+")
    value = models.FloatField(null=True)
    value_date = models.DateField(null=True)
    period_end = models.DateField()
    observed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "metric"], name="latest_value_unique")
        ]
        indexes = [models.Index(fields=["metric", "value_date"])]

    def __str__(self) -> str:
        return f"{self.resource_id}: {self.metric} = {self.value_date or self.value}"


class CriterionOverride(models.Model):
    """An administrator's decision on one site criterion, kept apart from what the auditor
    found: the newest one for a resource and criterion wins, older ones stay as history."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="overrides")
    code = models.CharField("критерий", max_length=40)
    present = models.BooleanField("выполнен")
    reason = models.TextField("причина")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "решение администратора по критерию"
        verbose_name_plural = "решения администратора по критериям"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["resource", "code", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.code}: {'да' if self.present else 'нет'}"


class CollectionRun(models.Model):
    """One check of many resources: who started it, with which filters, how it went."""

    class Status(models.TextChoices):
        RUNNING = "running", "идёт"
        STOPPED = "stopped", "остановлена"
        DONE = "done", "завершена"

    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="кто запустил")
    trigger = models.CharField("как запущен", max_length=20, default="console")
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name="организация (с подразделениями)")
    filters = models.JSONField("отбор", default=dict, blank=True)
    filters_text = models.CharField("отбор (словами)", max_length=500, blank=True)
    distributed = models.BooleanField("на нескольких машинах", default=False)
    status = models.CharField("состояние", max_length=20, choices=Status.choices,
                              default=Status.RUNNING)
    started_at = models.DateTimeField("начат", auto_now_add=True)
    finished_at = models.DateTimeField("закончен", null=True, blank=True)
    heartbeat_at = models.DateTimeField("последний признак жизни", null=True, blank=True)
    total = models.PositiveIntegerField("ресурсов", default=0)
    done = models.PositiveIntegerField("проверено", default=0)
    failed = models.PositiveIntegerField("с ошибкой", default=0)
    errors_by_code = models.JSONField("ошибки по кодам", default=dict, blank=True)
    # reason → how many resources the filters named but the run leaves out (runs.SKIP_REASONS)
    skipped = models.JSONField("не вошли в проверку", default=dict, blank=True)

    class Meta:
        verbose_name = "проверка реестра"
        verbose_name_plural = "проверки реестра"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Проверка № {self.pk} от {timezone.localtime(self.started_at):%d.%m.%Y %H:%M}"

    @property
    def left(self) -> int:
        return max(self.total - self.done - self.failed, 0)

    @property
    def percent(self) -> int:
        return int(100 * (self.done + self.failed) / self.total) if self.total else 100


class RunItem(models.Model):
    """One resource of a run. Pending until a worker claims it (with a lease, so that a
    killed worker's resources are taken again); done or failed in the same transaction as
    its observations."""

    class Status(models.TextChoices):
        PENDING = "pending", "ждёт"
        WORKING = "working", "проверяется"
        DONE = "done", "проверен"
        FAILED = "failed", "ошибка"

    run = models.ForeignKey(CollectionRun, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # slow resources (they timed out last time) go first, so they do not hold the run's end
    priority = models.SmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "resource"],
                                               name="run_item_unique")]
        indexes = [models.Index(fields=["run", "status", "-priority", "id"])]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.resource_id}: {self.get_status_display()}"


class Publication(models.Model):
    """One publication an automatic check saw: a feed item, a sitemap page, a post on VK, OK
    or Telegram. Kept once per resource by its key, however many checks list it again, so a
    period's count is the number of distinct publications dated in it."""

    class Channel(models.TextChoices):
        FEED = "feed", "RSS/Atom"
        SITEMAP = "sitemap", "карта сайта"
        VK = "vk", "ВКонтакте"
        OK = "ok", "Одноклассники"
        TELEGRAM = "telegram", "Telegram"

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE,
                                 related_name="publications", verbose_name="ресурс")
    # guid or normalized address on a site, the post's id on a social page; for dates
    # carried over from audits made before publications were kept: «migrated:<day>:<n>»
    key = models.CharField("ключ", max_length=500)
    channel = models.CharField("откуда", max_length=10, choices=Channel.choices)
    published_on = models.DateField("дата публикации")
    published_at = models.DateTimeField("время публикации", null=True, blank=True)
    title = models.CharField("заголовок", max_length=500, blank=True)
    text = models.TextField("начало текста", blank=True)  # at most 1000 characters
    first_seen_at = models.DateTimeField("впервые найдена", default=timezone.now)
    first_run = models.ForeignKey("CollectionRun", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  verbose_name="впервые найдена проверкой")

    class Meta:
        verbose_name = "публикация"
        verbose_name_plural = "публикации"
        ordering = ["-published_on", "-published_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["resource", "key"],
                                               name="publication_once_per_resource")]
        indexes = [models.Index(fields=["resource", "published_on"])]

    def __str__(self) -> str:
        return f"{self.published_on:%d.%m.%Y} {self.title or self.key}"


class PublicationCoverage(models.Model):
    """How far back the automatic checks of a resource have seen its publications: the
    oldest publication date any check's source gave (each check's own oldest date is in
    its observation's details, «publications»). Before `covered_from` nothing is known:
    a period there has no count («нет данных»), not zero."""

    resource = models.OneToOneField(Resource, on_delete=models.CASCADE,
                                    related_name="publication_coverage")
    covered_from = models.DateField("публикации известны с")
    checked_until = models.DateField("последняя проверка публикаций")

    class Meta:
        verbose_name = "полнота данных о публикациях"
        verbose_name_plural = "полнота данных о публикациях"

    def __str__(self) -> str:
        return f"{self.resource_id}: с {self.covered_from:%d.%m.%Y}"
