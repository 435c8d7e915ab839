"""The yearly contest (смотр-конкурс): stages, nominations, applications, the jury, disputes
and the results frozen when the commission sums them up.

Scores are never computed here: evaluation scores the organizations, the contest keeps who
took part, what the jury gave, what disputes changed, and, once frozen, the results as they
were, so that nothing done later — a new observation, an override, a methodology import or an
organization moved — changes a signed protocol."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from profinfo.evaluation.models import Criterion, Methodology
from profinfo.organizations.models import Level, Organization


class Stage(models.TextChoices):
    PREPARATION = "preparation", "подготовка"
    APPLICATIONS = "applications", "приём заявок"
    EVALUATION = "evaluation", "оценка"
    INTERACTION = "interaction", "взаимодействие"
    SUMMING_UP = "summing_up", "подведение итогов"
    PUBLISHED = "published", "опубликовано"


STAGE_ORDER = [s.value for s in Stage]


class Publicity(models.TextChoices):
    NAMES = "names", "участники видят названия других организаций"
    ANONYMOUS = "anonymous", "другие участники показаны без названий"


class TieRule(models.TextChoices):
    JURY_THEN_DATA = "jury_then_data", (
        "при равенстве баллов выше тот, у кого больше баллов жюри, затем тот, у кого больше "
        "полнота данных; если и они равны — место делится")
    SHARED = "shared", "при равенстве баллов место делится"


class Contest(models.Model):
    year = models.PositiveIntegerField("год смотра", unique=True)
    title = models.CharField("название", max_length=300)
    methodology = models.ForeignKey(Methodology, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="методика")
    period_start = models.DateField("период оценки: с")
    period_end = models.DateField("период оценки: по")
    stage = models.CharField("этап", max_length=20, choices=Stage.choices,
                             default=Stage.PREPARATION)
    applications_from = models.DateField("приём заявок: с")
    applications_until = models.DateField("приём заявок: по")
    evaluation_until = models.DateField("оценка: по")
    interaction_until = models.DateField("взаимодействие: по")
    results_on = models.DateField("подведение итогов")
    advance_by_dates = models.BooleanField(
        "переходить к следующему этапу по датам", default=True,
        help_text="иначе этапы переключает организатор")
    publicity = models.CharField("видимость участников", max_length=20,
                                 choices=Publicity.choices, default=Publicity.NAMES)
    tie_rule = models.CharField("правило при равенстве баллов", max_length=30,
                                choices=TieRule.choices, default=TieRule.JURY_THEN_DATA)
    normalize_jury = models.BooleanField(
        "нормализовать оценки экспертов", default=False,
        help_text="оценка эксперта приводится к общему среднему и разбросу жюри: "
                  "μ + σ·z, где z — отклонение оценки от средней оценки этого эксперта, "
                  "делённое на разброс его оценок")
    disagreement_share = models.FloatField(
        "порог расхождения экспертов", default=0.3,
        help_text="доля баллов критерия: если оценки экспертов расходятся больше, заявка "
                  "отмечается для организатора")
    commission = models.TextField("состав комиссии", blank=True,
                                  help_text="по строке на человека: «Фамилия И. О. — роль»")
    diploma_template = models.FileField("шаблон диплома (DOCX)", upload_to="contest/templates/",
                                        blank=True, max_length=500)
    is_example = models.BooleanField("пример (демонстрационные данные)", default=False)
    frozen_at = models.DateTimeField("итоги зафиксированы", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "смотр-конкурс"
        verbose_name_plural = "смотры-конкурсы"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.title} {self.year}" + (" (пример)" if self.is_example else "")

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)

    def stage_reached(self, stage: str) -> bool:
        return self.stage_index() >= STAGE_ORDER.index(stage)


class Nomination(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="nominations")
    title = models.CharField("номинация", max_length=300)
    level = models.CharField("уровень участников", max_length=20, choices=Level.choices,
                             blank=True, help_text="пусто — любой")
    members_from = models.PositiveIntegerField("членов профсоюза от", null=True, blank=True)
    members_to = models.PositiveIntegerField("членов профсоюза до", null=True, blank=True)
    resource_kind = models.CharField(
        "вид ресурса", max_length=20, blank=True,
        help_text="пусто — вся информационная работа; иначе у участника должен быть такой "
                  "ресурс, а считаются критерии блоков номинации")
    blocks = models.CharField("блоки методики (коды через запятую)", max_length=300,
                              blank=True, help_text="пусто — все блоки")
    places = models.PositiveSmallIntegerField("призовых мест", default=3)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "номинация"
        verbose_name_plural = "номинации"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def block_codes(self) -> list[str]:
        return [c.strip() for c in self.blocks.split(",") if c.strip()]


class ConfirmingOrganization(models.Model):
    """A ТО (or any organization) whose lower organizations' applications reach the jury only
    once it has confirmed them."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="confirming")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "организация, подтверждающая заявки"
        verbose_name_plural = "организации, подтверждающие заявки"
        constraints = [models.UniqueConstraint(fields=["contest", "organization"],
                                               name="confirming_unique")]

    def __str__(self) -> str:
        return str(self.organization)


class ApplicationState(models.TextChoices):
    DRAFT = "draft", "черновик"
    SUBMITTED = "submitted", "подана"
    AWAITING = "awaiting", "ждёт подтверждения вышестоящей организации"
    WITHDRAWN = "withdrawn", "отозвана"


class Application(models.Model):
    """An organization's анкета in one nomination."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE,
                                   related_name="applications")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    state = models.CharField("состояние", max_length=20, choices=ApplicationState.choices,
                             default=ApplicationState.DRAFT)
    prefill = models.JSONField("данные реестра и наблюдений", default=dict, blank=True)
    answers = models.JSONField("ответы анкеты", default=dict, blank=True)
    contact = models.CharField("контактное лицо", max_length=300, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "заявка"
        verbose_name_plural = "заявки"
        ordering = ["nomination__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["nomination", "organization"],
                                               name="application_unique")]
        indexes = [models.Index(fields=["nomination", "state"])]

    def __str__(self) -> str:
        return f"{self.organization} — {self.nomination}"

    @property
    def is_participant(self) -> bool:
        return self.state == ApplicationState.SUBMITTED


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="attachments")
    title = models.CharField("что это", max_length=300)
    file = models.FileField("файл", upload_to="contest/%Y/", max_length=500)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "приложение к заявке"
        verbose_name_plural = "приложения к заявкам"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """An expert asked to score one application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="assignments")
    # The application's contest, kept here so that an expert's queue in a contest is read
    # from one index (the queue is the jury's most opened page), never joined through the
    # applications. Set on save from the application; those who bulk-insert set it.
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+",
                                editable=False)
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="contest_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "назначение эксперта"
        verbose_name_plural = "назначения экспертов"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["application", "expert"],
                                               name="assignment_unique")]
        indexes = [models.Index(fields=["expert", "contest", "completed_at", "id"],
                                name="assignment_queue_idx")]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application}"

    def save(self, *args, **kwargs):
        if self.contest_id is None:
            self.contest_id = (Nomination.objects.filter(pk=self.application.nomination_id)
                               .values_list("contest_id", flat=True).get())
        super().save(*args, **kwargs)


class ConflictRefusal(models.Model):
    """An assignment refused for a conflict of interest: kept for the organizer to see."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    reason = models.CharField("причина", max_length=500)
    refused_for = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "отказ в назначении (конфликт интересов)"
        verbose_name_plural = "отказы в назначении (конфликт интересов)"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.expert}: {self.reason}"


class Mark(models.Model):
    """One expert's points for one jury criterion of one application."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="marks")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.FloatField("баллы")
    comment = models.TextField("комментарий", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "оценка эксперта"
        verbose_name_plural = "оценки экспертов"
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"],
                                               name="mark_unique")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points:g}"


class DisputeState(models.TextChoices):
    OPEN = "open", "на рассмотрении"
    ACCEPTED = "accepted", "принято"
    REJECTED = "rejected", "отклонено"


class Dispute(models.Model):
    """A participant's objection to the score of one criterion, and the answer."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="disputes")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField("суть возражения")
    file = models.FileField("подтверждающий файл", upload_to="contest/disputes/%Y/",
                            blank=True, max_length=500)
    points_before = models.FloatField("баллы до рассмотрения", null=True, blank=True)
    state = models.CharField("решение", max_length=20, choices=DisputeState.choices,
                             default=DisputeState.OPEN)
    points_after = models.FloatField("баллы после рассмотрения", null=True, blank=True)
    answer = models.TextField("ответ", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "возражение"
        verbose_name_plural = "возражения"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application}: {self.criterion}"


class SnapshotKind(models.TextChoices):
    PRELIMINARY = "preliminary", "предварительные"
    FINAL = "final", "итоговые"


class Snapshot(models.Model):
    """The results as they stood: preliminary when interaction begins, final when frozen.
    A final snapshot is what the protocol, the diplomas and the public page read."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="snapshots")
    kind = models.CharField(max_length=20, choices=SnapshotKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    methodology = models.JSONField(default=dict)  # year, title, criteria as they were
    observations = models.JSONField(default=dict)  # period and the dates of data used
    superseded = models.BooleanField(default=False)  # re-opened after this was taken

    class Meta:
        verbose_name = "зафиксированные результаты"
        verbose_name_plural = "зафиксированные результаты"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.contest}: {self.get_kind_display()}"


class Result(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="results")
    nomination_pk = models.PositiveBigIntegerField()
    nomination_title = models.CharField(max_length=300)
    application_pk = models.PositiveBigIntegerField()
    organization_pk = models.PositiveBigIntegerField()
    organization_name = models.CharField(max_length=500)
    organization_level = models.CharField(max_length=20)
    total = models.FloatField()
    maximum = models.FloatField()
    jury_total = models.FloatField()
    completeness = models.FloatField()
    place = models.PositiveIntegerField()
    criteria = models.JSONField(default=dict)  # criterion code → points or None
    blocks = models.JSONField(default=list)  # [title, points, maximum]

    class Meta:
        ordering = ["nomination_pk", "place", "organization_name"]
        indexes = [models.Index(fields=["snapshot", "nomination_pk", "place"])]

    def __str__(self) -> str:
        return f"{self.organization_name}: {self.place}"


class Event(models.Model):
    """What the organizers did to the contest as a whole: stage moves, freezing, re-opening."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=300)
    reason = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "событие смотра"
        verbose_name_plural = "события смотра"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.action
