"""The example contest of the demo: 2021, carried through its whole cycle by the services.

Everything a person sees of it is marked as an example (the contest's `is_example`, its title,
the experts' names). The organizations are the seed's, the jury's marks, comments and the
disputes are invented; the standings are not: they are computed by the services from the
marks, the disputes and what the registry and the observations say, kept as the preliminary
snapshot when interaction begins and frozen into the final one, as in a real contest.

The services check today's date against the stages, so while the contest is filled its dates
all stand at today and the organizer moves the stages by hand; the real 2021 dates are put
back before the results are frozen, and every timestamp is then set to the day the stage
would have put it on. Loading is idempotent: a contest of 2021 that exists already (the
example or a real one) is left as it is."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from profinfo.evaluation.defaults import methodology_of_year
from profinfo.organizations.models import Level, Organization, Role
from profinfo.organizations.scoping import Scope
from profinfo.organizations.services import membership_grant

from . import services
from .models import (
    Application,
    Assignment,
    Contest,
    Dispute,
    Event,
    Mark,
    Nomination,
    Snapshot,
    SnapshotKind,
    Stage,
)
from .results import contest_criteria, criterion_key, nomination_criteria

YEAR = 2021
TITLE = "Пример: смотр-конкурс на лучшую организацию информационной работы"
DATES = {
    "period_start": dt.date(YEAR, 1, 1), "period_end": dt.date(YEAR, 12, 31),
    "applications_from": dt.date(YEAR, 9, 1), "applications_until": dt.date(YEAR, 10, 15),
    "evaluation_until": dt.date(YEAR, 11, 15), "interaction_until": dt.date(YEAR, 12, 1),
    "results_on": dt.date(YEAR, 12, 10),
}
TERRITORIAL = "Лучшая территориальная организация"
SITE = "Лучший сайт"

# Territorial organizations with social pages in the seed: the jury judges their pages.
# (organization, what its анкета says)
TERRITORIAL_ENTRANTS = [
    ("Свердловская областная", "Страницы ВКонтакте и в Одноклассниках с обложкой, описанием "
                               "и закреплённой записью; рубрика «Вопрос юристу»."),
    ("Башкортостанская республиканская", "Страница ВКонтакте «РОСПРОФПРОМ-Башкортостан»; "
                                         "журнал и газета «Металлист-инфо»."),
    ("Удмуртская республиканская", "Страница ВКонтакте «РОСПРОФПРОМ - Удмуртия»; вестник "
                                   "выходит ежемесячно."),
    ("Пермская краевая", "Страница ВКонтакте краевой организации; рубрика «Знай свои права»."),
]
# Territorial organizations with a site in the seed.
SITE_ENTRANTS = ["Калужская областная", "Ивановская областная", "Татарстанская республиканская"]

# (login, name, organization where the expert holds the role: none of the entrants)
EXPERTS = [("expert1", "Эксперт 1", "Московская областная"),
           ("expert2", "Эксперт 2", "Тульская областная")]

# entrant → criterion code → one (points, comment) per expert, in the order of EXPERTS
MARKS = {
    "Свердловская областная": {
        "design": [(2, "Обложка, аватар, описание и закреплённая запись на месте."),
                   (2, "Оформление единое на обеих страницах.")],
        "evergreen": [(1, "Рубрика «Вопрос юристу» полезна в любое время."),
                      (1, "Есть памятки о правах работника.")]},
    "Башкортостанская республиканская": {
        "design": [(1.5, "Нет описания сообщества."), (1, "Обложка прошлого года.")],
        "evergreen": [(1, "Закреплена памятка «Как вступить в профсоюз»."),
                      (0.5, "Полезных материалов мало: в основном новости.")]},
    "Удмуртская республиканская": {
        "design": [(1, "Нет закреплённой записи и описания."),
                   (2, "Оформление аккуратное, в цветах профсоюза.")],
        "evergreen": [(0.5, "Вечнозелёные материалы теряются среди новостей."),
                      (1, "Закреплена памятка о правах работника.")]},
    "Пермская краевая": {
        "design": [(1, "Обложка не подписана, описания нет."),
                   (1, "Аватар нечитаем на телефоне.")],
        "evergreen": [(0, "Материалов, полезных всегда, не нашлось."),
                      (0, "Только новости о прошедших событиях.")]},
}
DEFAULT_MARK = (0.5, "Оценка для примера.")  # a jury criterion the year's methodology added

# (entrant, nomination, criterion code, the objection, accepted, points after, the answer)
DISPUTES = [
    ("Калужская областная", SITE, "fnpr-link",
     "Баннер со ссылкой на сайт ФНПР есть внизу главной страницы: прилагаем снимок экрана.",
     True, 1, "Баннер найден, критерий засчитан."),
    ("Пермская краевая", TERRITORIAL, "evergreen",
     "В рубрике «Знай свои права» есть материалы, полезные всегда.",
     False, None, "В рубрике за год две записи, и обе — о прошедших событиях; оценка "
                  "остаётся прежней."),
]

ORGANIZER = Scope(is_superuser=True, roles=frozenset({Role.ADMIN}))  # the demo's organizer


D = DATES
EVALUATION_BEGINS = D["applications_until"] + dt.timedelta(days=1)
INTERACTION_BEGINS = D["evaluation_until"] + dt.timedelta(days=1)


class Timeline:
    """What was done now, each part on the day it stands for: the moment each part began is
    noted, and the edit history written during it is then put on that day, in the same
    order, so that history read as of the freezing sees the contest as it was frozen."""

    HISTORIES = [(Contest, "id"), (Nomination, "contest"), (Application, "nomination__contest"),
                 (Assignment, "contest"),
                 (Mark, "assignment__contest"),
                 (Dispute, "application__nomination__contest")]

    def __init__(self):
        self.parts: list[tuple[dt.datetime, dt.datetime]] = []  # (began, the day's moment)

    def part(self, day: dt.date, hour: int = 12) -> None:
        self.parts.append((timezone.now(), _moment(day, hour)))

    def put_history_on_its_days(self, contest: Contest) -> None:
        rows = []
        for model, lookup in self.HISTORIES:
            value = contest.pk if lookup == "id" else contest
            rows += [(when, model.history.model, pk) for pk, when in model.history.filter(
                **{lookup: value}).values_list("history_id", "history_date")]
        rows.sort(key=lambda row: (row[0], row[2]))
        seconds: dict[dt.datetime, int] = {}
        for when, history, pk in rows:
            moment = next((day for began, day in reversed(self.parts) if began <= when),
                          self.parts[0][1])
            seconds[moment] = seconds.get(moment, -1) + 1
            history.objects.filter(history_id=pk).update(
                history_date=moment + dt.timedelta(seconds=seconds[moment]))


@transaction.atomic
def load_example_contest() -> Contest:
    existing = Contest.objects.filter(year=YEAR).first()
    if existing is not None:
        return existing
    timeline = Timeline()
    timeline.part(D["applications_from"] - dt.timedelta(days=14))
    today = timezone.localdate()
    contest = services.contest_save(Contest(
        year=YEAR, title=TITLE, methodology=methodology_of_year(YEAR), is_example=True,
        advance_by_dates=False, commission="\n".join(
            f"{name} (пример) — член комиссии" for _, name, _ in EXPERTS),
        **{**DATES, **{key: today for key in DATES if not key.startswith("period")}}),
        scope=ORGANIZER, user=None)
    territorial = services.nomination_save(Nomination(
        contest=contest, title=TERRITORIAL, level=Level.TERRITORIAL, order=0), scope=ORGANIZER)
    site = services.nomination_save(Nomination(
        contest=contest, title=SITE, level=Level.TERRITORIAL, resource_kind="site",
        blocks="sites", order=1), scope=ORGANIZER)
    nominations = {TERRITORIAL: territorial, SITE: site}

    timeline.part(D["applications_from"])
    services.stage_set(contest, Stage.APPLICATIONS, scope=ORGANIZER, user=None)
    timeline.part(D["applications_until"] - dt.timedelta(days=10))
    organizations = {o.short_name: o for o in Organization.objects.filter(
        level=Level.TERRITORIAL,
        short_name__in=[n for n, _ in TERRITORIAL_ENTRANTS] + SITE_ENTRANTS)}
    applications = {}
    for name, answer in TERRITORIAL_ENTRANTS:
        applications[(name, TERRITORIAL)] = _apply(territorial, organizations[name], answer)
    for name in SITE_ENTRANTS:
        applications[(name, SITE)] = _apply(site, organizations[name], "")

    timeline.part(EVALUATION_BEGINS, 10)
    experts = [_expert(*expert) for expert in EXPERTS]
    for (_, title), application in applications.items():
        if title == TERRITORIAL:
            for expert in experts:
                services.assignment_add(application, expert, scope=ORGANIZER, user=None)
    services.stage_set(contest, Stage.EVALUATION, scope=ORGANIZER, user=None)
    timeline.part(D["evaluation_until"] - dt.timedelta(days=3))
    jury = services.jury_criteria(territorial)
    for name, _ in TERRITORIAL_ENTRANTS:
        application = applications[(name, TERRITORIAL)]
        for index, expert in enumerate(experts):
            marks = {c.pk: MARKS[name].get(c.code, [DEFAULT_MARK] * len(experts))[index]
                     for c in jury}
            services.marks_save(application.assignments.get(expert=expert), marks,
                                user=expert)

    timeline.part(INTERACTION_BEGINS)
    services.stage_set(contest, Stage.INTERACTION, scope=ORGANIZER, user=None)
    timeline.part(INTERACTION_BEGINS + dt.timedelta(days=10))
    criteria = contest_criteria(contest)
    for name, title, code, comment, accepted, points, answer in DISPUTES:
        criterion = next(c for c in nomination_criteria(nominations[title], criteria)
                         if c.code == code)
        dispute = services.dispute_open(applications[(name, title)], criterion,
                                        comment=comment, upload=None, scope=ORGANIZER,
                                        user=None)
        services.dispute_answer(dispute, accepted=accepted, points=points, answer=answer,
                                scope=ORGANIZER, user=None)

    timeline.part(D["results_on"], 11)
    for key, day in DATES.items():  # the real dates, before the results are frozen
        setattr(contest, key, day)
    services.contest_save(contest, scope=ORGANIZER, user=None)
    timeline.part(D["results_on"])
    services.stage_set(contest, Stage.SUMMING_UP, scope=ORGANIZER, user=None)
    services.stage_set(contest, Stage.PUBLISHED, scope=ORGANIZER, user=None)
    timeline.put_history_on_its_days(contest)
    _as_it_happened(contest)
    contest.refresh_from_db()
    return contest


def _apply(nomination: Nomination, organization: Organization, answer: str) -> Application:
    application = services.application_create(nomination=nomination,
                                              organization=organization, scope=ORGANIZER,
                                              user=None)
    application.answers = {criterion_key(c): answer
                           for c in services.jury_criteria(nomination)}
    application.contact = "Ответственный за информационную работу (пример)"
    application.save(update_fields=["answers", "contact"])
    return services.application_submit(application, scope=ORGANIZER, user=None)


def _expert(login: str, name: str, organization: str):
    user, created = get_user_model().objects.get_or_create(
        username=login, defaults={"first_name": name, "last_name": "(пример)"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership_grant(user=user, org=Organization.objects.get(short_name=organization,
                                                             level=Level.TERRITORIAL),
                     role=Role.EXPERT)
    return user


def _moment(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _as_it_happened(contest: Contest) -> None:
    """The rows' own timestamps on the days their parts stand for (they were taken today)."""
    Contest.objects.filter(pk=contest.pk).update(
        created_at=_moment(D["applications_from"] - dt.timedelta(days=14)),
        frozen_at=_moment(D["results_on"]))
    applications = Application.objects.filter(nomination__contest=contest).order_by("pk")
    for offset, application in enumerate(applications):
        Application.objects.filter(pk=application.pk).update(
            created_at=_moment(D["applications_from"] + dt.timedelta(days=3 + offset)),
            submitted_at=_moment(D["applications_until"] - dt.timedelta(days=10), 12 + offset))
    Assignment.objects.filter(contest=contest).update(
        assigned_at=_moment(EVALUATION_BEGINS, 10),
        notified_at=_moment(EVALUATION_BEGINS + dt.timedelta(days=1), 7),
        completed_at=_moment(D["evaluation_until"] - dt.timedelta(days=3)))
    Mark.objects.filter(assignment__contest=contest).update(
        updated_at=_moment(D["evaluation_until"] - dt.timedelta(days=3)))
    Dispute.objects.filter(application__nomination__contest=contest).update(
        created_at=_moment(INTERACTION_BEGINS + dt.timedelta(days=4)),
        answered_at=_moment(INTERACTION_BEGINS + dt.timedelta(days=10)),
        notified_at=_moment(INTERACTION_BEGINS + dt.timedelta(days=11), 7))
    for snapshot in Snapshot.objects.filter(contest=contest):
        moment = _moment(INTERACTION_BEGINS if snapshot.kind == SnapshotKind.PRELIMINARY
                         else D["results_on"])
        observations = {**snapshot.observations, "taken": moment.isoformat()}
        Snapshot.objects.filter(pk=snapshot.pk).update(created_at=moment,
                                                       observations=observations)
    days = {"«приём заявок»": D["applications_from"], "«оценка»": EVALUATION_BEGINS,
            "«взаимодействие»": INTERACTION_BEGINS, "«подведение итогов»": D["results_on"],
            "«опубликовано»": D["results_on"]}
    for event in Event.objects.filter(contest=contest):
        day = next((day for stage, day in days.items() if event.action.endswith(stage)),
                   D["results_on"])
        Event.objects.filter(pk=event.pk).update(created_at=_moment(day))
