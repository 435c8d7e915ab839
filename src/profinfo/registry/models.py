"""The single registry of information resources (Единый реестр информационных ресурсов).

One table holds every kind: the kinds share most columns (owner, title, address, public flag,
responsible person, confirmation), and the few kind-specific ones are nullable. One table keeps
subtree queries, filters and exports over 300,000 resources to one indexed scan.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from simple_history.models import HistoricalRecords

from profinfo.organizations.models import Organization
from profinfo.organizations.querysets import scoped_manager

from .normalize import InvalidUrl, normalize_url


def file_size_limit(upload) -> None:
    """A file a person attaches stays within PROFINFO_FILE_MAX_BYTES, on every form (the admin
    site's too): an upload cut off on arrival is refused here, never kept empty."""
    limit = settings.PROFINFO_FILE_MAX_BYTES
    if isinstance(upload, FieldFile) and upload._committed:
        return  # a file stored earlier, not an upload
    if upload and getattr(upload, "size", 0) > limit:
        raise ValidationError(f"Файл больше {limit // (1024 * 1024)} МБ: уменьшите его или "
                              "загрузите ссылкой.")


class Kind(models.TextChoices):
    SITE = "site", "Сайт"
    SOCIAL = "social", "Страница в соцсети"
    PRINT = "print", "Печатное издание"
    AGITATION = "agitation", "Агитационные материалы"
    SOUVENIR = "souvenir", "Полиграфическая и сувенирная продукция"
    DIGITAL = "digital", "Цифровой сервис"


class Network(models.TextChoices):
    VK = "vk", "ВКонтакте"
    OK = "ok", "Одноклассники"
    TELEGRAM_CHANNEL = "telegram_channel", "Telegram-канал"
    TELEGRAM_GROUP = "telegram_group", "Telegram-группа"
    DZEN = "dzen", "Дзен"
    RUTUBE = "rutube", "Rutube"
    YOUTUBE = "youtube", "YouTube"
    MAX = "max", "MAX"
    OTHER = "other", "Другая"


class PrintType(models.TextChoices):
    NEWSPAPER = "newspaper", "Газета"
    MAGAZINE = "magazine", "Журнал"
    BULLETIN = "bulletin", "Информационный бюллетень"
    HERALD = "herald", "Вестник"
    RUBRIC = "rubric", "Рубрика в газете предприятия"
    OTHER = "other", "Другое"


class Periodicity(models.TextChoices):
    WEEKLY = "weekly", "еженедельно"
    TWICE_MONTHLY = "twice_monthly", "2 раза в месяц"
    MONTHLY = "monthly", "ежемесячно"
    BIMONTHLY = "bimonthly", "6 раз в год (1 номер в 2 месяца)"
    QUARTERLY = "quarterly", "ежеквартально"
    SEMIANNUAL = "semiannual", "2 раза в год"
    ANNUAL = "annual", "ежегодно"
    IRREGULAR = "irregular", "нерегулярно"


ISSUES_PER_YEAR = {
    Periodicity.WEEKLY: 52, Periodicity.TWICE_MONTHLY: 24, Periodicity.MONTHLY: 12,
    Periodicity.BIMONTHLY: 6, Periodicity.QUARTERLY: 4, Periodicity.SEMIANNUAL: 2,
    Periodicity.ANNUAL: 1,
}


def expected_issues(periodicity: str, start: dt.date, end: dt.date) -> int | None:
    """How many issues an edition of this periodicity should bring out in the period (whole
    months counted), or None when its periodicity gives no number."""
    per_year = ISSUES_PER_YEAR.get(periodicity)
    if not per_year:
        return None
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return round(per_year * months / 12)


class DigitalService(models.TextChoices):
    HOTLINE = "hotline", "Горячая линия"
    LEGAL = "legal", "Правовая консультация"
    NEWSLETTER = "newsletter", "Электронная рассылка"
    CHAT = "chat", "Чат"
    MEMBERSHIP = "membership", "Электронный персонифицированный учёт членов профсоюза"
    VIDEOCONFERENCE = "videoconference", "Видеоконференцсвязь в работе выборных органов"
    DISTANCE_LEARNING = "distance_learning", "Дистанционное обучение профактива"
    PAPERLESS = "paperless", "Безбумажные технологии, CRM"
    OTHER = "other", "Другое"


# Which optional fields belong to which kind: drives forms, exports and the import check.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Kind.SITE: ("url", "cms", "metrica_id", "liveinternet"),
    Kind.SOCIAL: ("url", "network", "is_official", "is_youth_council", "is_leader_page"),
    Kind.PRINT: ("print_type", "periodicity", "quantity", "url"),
    Kind.AGITATION: ("date", "quantity", "file", "url"),
    Kind.SOUVENIR: ("date", "quantity"),
    Kind.DIGITAL: ("service_type", "url", "contact", "date"),
}
KIND_ONLY_FIELDS = {
    "cms", "metrica_id", "liveinternet", "network", "is_official", "is_youth_council",
    "is_leader_page", "print_type", "periodicity", "service_type", "contact",
    "date", "quantity", "file",
}
# The same column means different things by kind: the form shows the fitting label.
FIELD_LABELS_BY_KIND = {
    (Kind.PRINT, "quantity"): "Тираж, экз.",
    (Kind.AGITATION, "quantity"): "Тираж, экз.",
    (Kind.SOUVENIR, "quantity"): "Количество, шт.",
    (Kind.AGITATION, "date"): "Дата выпуска",
    (Kind.SOUVENIR, "date"): "Дата выпуска",
    (Kind.DIGITAL, "date"): "Работает с",
    (Kind.DIGITAL, "url"): "Адрес в интернете (если есть)",
    (Kind.PRINT, "url"): "Адрес электронной версии (если есть)",
    (Kind.AGITATION, "url"): "Адрес в интернете (если есть)",
}


class Resource(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="resources",
        verbose_name="организация",
    )
    kind = models.CharField("вид ресурса", max_length=20, choices=Kind.choices)
    title = models.CharField("название", max_length=500, blank=True)  # clean() requires it
    url = models.CharField("адрес", max_length=2000, blank=True)
    # NULL, not "", for resources without an address: NULLs never clash in the unique index.
    url_key = models.CharField(max_length=2000, null=True, blank=True, editable=False)  # noqa: DJ001

    # social pages
    network = models.CharField("соцсеть", max_length=30, choices=Network.choices, blank=True)
    is_official = models.BooleanField("официальная страница организации", default=False)
    is_youth_council = models.BooleanField("страница молодёжного совета", default=False)
    is_leader_page = models.BooleanField("личная страница руководителя", default=False)
    # sites
    cms = models.CharField("система управления сайтом (CMS)", max_length=100, blank=True)
    metrica_id = models.CharField("счётчик Яндекс.Метрики", max_length=20, blank=True)
    liveinternet = models.BooleanField("счётчик LiveInternet", default=False)
    # print editions
    print_type = models.CharField("тип издания", max_length=20, choices=PrintType.choices,
                                  blank=True)
    periodicity = models.CharField("периодичность", max_length=20, choices=Periodicity.choices,
                                   blank=True)
    # leaflets, souvenirs, services
    date = models.DateField("дата", null=True, blank=True)
    quantity = models.PositiveIntegerField("тираж / количество", null=True, blank=True)
    file = models.FileField("файл", upload_to="resources/%Y/", blank=True, max_length=500,
                            validators=[file_size_limit])
    service_type = models.CharField("вид сервиса", max_length=30,
                                    choices=DigitalService.choices, blank=True)
    contact = models.CharField("контакт (телефон, почта)", max_length=300, blank=True)

    is_public = models.BooleanField("показывать на публичной странице", default=False)
    is_active = models.BooleanField("действует", default=True)
    responsible = models.CharField("ответственный", max_length=300, blank=True)
    confirmed_at = models.DateField("данные подтверждены", null=True, blank=True)
    note = models.TextField("примечание", blank=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "url_key"])

    objects = scoped_manager("organization__")

    class Meta:
        verbose_name = "информационный ресурс"
        verbose_name_plural = "информационные ресурсы"
        ordering = ["organization__path", "kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["url_key"], name="resource_unique_url"),
            models.CheckConstraint(
                condition=~models.Q(kind="social") | ~models.Q(network=""),
                name="resource_social_has_network",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in Kind]),
                name="resource_known_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "network"]),
            models.Index(fields=["organization", "kind"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = " ".join(
            [self.title, self.url_key or "", self.responsible, self.note]
        ).casefold()
        super().save(*args, **kwargs)

    def clean(self):
        errors: dict[str, str] = {}
        self.title = " ".join((self.title or "").split())
        if self.url:
            try:
                normalized = normalize_url(self.url, network_hint=self.network)
            except InvalidUrl as exc:
                errors["url"] = str(exc)
            else:
                self.url, self.url_key = normalized.url, normalized.key
                self._check_url_fits_kind(normalized.network, errors)
        else:
            self.url_key = None
        if self.kind == Kind.SOCIAL and not self.network:
            errors.setdefault("network", "Выберите соцсеть.")
        if not self.title:
            if self.kind == Kind.SITE and self.url_key:
                self.title = self.url_key.split("/")[0]
            elif self.kind == Kind.SITE and "url" in errors:
                pass  # the title will come from the address once it is fixed
            elif self.kind == Kind.SITE:
                errors["url"] = "Укажите адрес сайта или его название."
            else:
                errors["title"] = "Укажите название ресурса."
        for name in KIND_ONLY_FIELDS - set(KIND_FIELDS.get(self.kind, ())):
            field = self._meta.get_field(name)
            setattr(self, name, field.get_default() if not field.null else None)
        if errors:
            raise ValidationError(errors)

    def _check_url_fits_kind(self, url_network: str, errors: dict) -> None:
        if self.kind == Kind.SITE and url_network:
            errors["url"] = (
                "Это адрес страницы в соцсети, а не сайта: выберите вид «Страница в соцсети»."
            )
        if self.kind != Kind.SOCIAL or not url_network:
            return
        expected = Network.TELEGRAM_CHANNEL if url_network == "telegram" else url_network
        if not self.network:
            self.network = expected
        elif url_network == "telegram":
            if self.network not in (Network.TELEGRAM_CHANNEL, Network.TELEGRAM_GROUP):
                errors["network"] = "Адрес ведёт в Telegram, а выбрана другая соцсеть."
        elif self.network != expected:
            label = Network(expected).label
            errors["network"] = f"Адрес ведёт в соцсеть «{label}», а выбрана другая."


class PrintIssue(models.Model):
    """One issue of a print edition, with its date and (optionally) its file."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="issues",
                                 verbose_name="издание")
    number = models.CharField("номер", max_length=50, blank=True)
    date = models.DateField("дата выхода")
    file = models.FileField("файл", upload_to="issues/%Y/", blank=True, max_length=500,
                            validators=[file_size_limit])
    circulation = models.PositiveIntegerField("тираж, экз.", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "номер издания"
        verbose_name_plural = "номера издания"
        ordering = ["-date"]

    def __str__(self) -> str:
        day = f"{self.date:%d.%m.%Y}"
        return f"№ {self.number} от {day}" if self.number else day
