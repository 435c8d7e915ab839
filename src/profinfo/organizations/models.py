"""The union's tree of organizations, the people responsible for information work, and roles.

The tree is a materialized path (django-treebeard's MP_Node): a subtree is one indexed
`path LIKE 'prefix%'` range scan, so scoping every query to a subtree stays fast at
100,000 nodes, and reads never need recursive SQL.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from simple_history import register
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from .querysets import OrganizationManager

PATH_LENGTH = 255  # treebeard's MP_Node.path
PATH_LAST_CHAR = "Z"  # the last character of treebeard's path alphabet 0-9A-Z


def subtree_q(path: str, prefix: str = "") -> Q:
    """The node at `path` and all below it, as an index range.

    `path LIKE 'x%'` (Django's startswith) is a full scan on SQLite; a range is a seek on
    both SQLite and PostgreSQL, since paths use only [0-9A-Z], which sort alike everywhere.
    """
    upper = path + PATH_LAST_CHAR * (PATH_LENGTH - len(path))
    return Q(**{f"{prefix}path__gte": path, f"{prefix}path__lte": upper})


class Level(models.TextChoices):
    CENTRAL = "central", "ЦК"
    TERRITORIAL = "territorial", "ТО"
    PRIMARY = "primary", "ППО"
    OTHER = "other", "Иное подразделение"


LEVEL_NAMES = dict(Level.choices)  # a level's name as people read it
LEVEL_ORDER = (Level.CENTRAL, Level.TERRITORIAL, Level.PRIMARY, Level.OTHER)  # tables' order


def level_rank(level: str) -> int:
    """Where a level stands in tables and ratings: the ЦК first, then ТО, ППО, the rest."""
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


class OrganizationKind(models.TextChoices):
    UNION = "union", "Общероссийский профсоюз"
    REPUBLICAN = "republican", "Республиканская"
    KRAI = "krai", "Краевая"
    OBLAST = "oblast", "Областная"
    CITY = "city", "Городская"
    INTERREGIONAL = "interregional", "Межрегиональная (МРО)"
    PRIMARY = "primary", "Первичная"
    OTHER = "other", "Иная"


class Organization(MP_Node):
    steplen = 4  # 36**4 children per parent; path of 255 characters allows 63 levels
    objects = OrganizationManager()

    name = models.CharField("полное название", max_length=500)
    short_name = models.CharField("краткое название", max_length=200, blank=True)
    level = models.CharField("уровень", max_length=20, choices=Level.choices)
    kind = models.CharField("вид", max_length=20, choices=OrganizationKind.choices, blank=True)
    region = models.CharField("регион", max_length=200, blank=True)
    members_count = models.PositiveIntegerField("число членов профсоюза", null=True, blank=True)
    is_active = models.BooleanField("действует", default=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "numchild", "depth"])

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        indexes = [models.Index(fields=["level", "path"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.search_text = " ".join([self.name, self.short_name, self.region]).casefold()
        super().save(*args, **kwargs)


class Person(models.Model):
    """Someone responsible for information work in an organization."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="people", verbose_name="организация"
    )
    full_name = models.CharField("ФИО", max_length=300)
    position = models.CharField("должность", max_length=300, blank=True)
    email = models.EmailField("электронная почта", blank=True)
    phone = models.CharField("телефон", max_length=50, blank=True)
    is_active = models.BooleanField("работает", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ответственный"
        verbose_name_plural = "ответственные"
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class Role(models.TextChoices):
    ADMIN = "admin", "Администратор"
    EDITOR = "editor", "Редактор"
    OBSERVER = "observer", "Наблюдатель"
    EXPERT = "expert", "Эксперт (жюри)"


class Membership(models.Model):
    """A user's role over one organization and its whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships",
        verbose_name="организация",
    )
    role = models.CharField("роль", max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "роль пользователя"
        verbose_name_plural = "роли пользователей"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organization})"


# Accounts keep an edit history too (who changed a login, its activity or name, and when);
# the password hash and the last login time stay out of it.
register(get_user_model(), app="profinfo.organizations", table_name="organizations_user_history",
         excluded_fields=["password", "last_login"])
