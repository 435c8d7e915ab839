"""A contest on the demo tree, set up through the services as an organizer would."""

import datetime as dt

import pytest

from profinfo.contest import services
from profinfo.contest.models import Contest, Nomination, Stage
from profinfo.contest.results import criterion_key
from profinfo.contest.services import contest_save, nomination_save
from profinfo.evaluation.defaults import methodology_of_year
from profinfo.organizations.scoping import Scope
from tests.factories import ADMIN, EDITOR, EXPERT, org, user_with

YEAR = 2021
PERM, UDM = "Пермская краевая", "Удмуртская республиканская"


@pytest.fixture
def organizer(demo):
    return user_with(ADMIN, "РОСПРОФПРОМ", username="organizer")


@pytest.fixture
def contest(organizer):
    scope = Scope.for_user(organizer)
    contest = contest_save(Contest(
        year=YEAR, title="Смотр-конкурс на лучшую организацию информационной работы",
        methodology=methodology_of_year(YEAR), period_start=dt.date(YEAR, 1, 1),
        period_end=dt.date(YEAR, 12, 31), applications_from=dt.date(YEAR, 1, 1),
        applications_until=dt.date(2099, 1, 1), evaluation_until=dt.date(2099, 2, 1),
        interaction_until=dt.date(2099, 3, 1), results_on=dt.date(2099, 3, 2),
        advance_by_dates=False), scope=scope, user=organizer)
    nomination_save(Nomination(contest=contest, title="Лучшая территориальная организация",
                               level="territorial"), scope=scope)
    nomination_save(Nomination(contest=contest, title="Лучший сайт", resource_kind="site",
                               blocks="sites", order=1), scope=scope)
    return contest


def scope(user):
    user._profinfo_scope = None
    return Scope.for_user(user)


@pytest.fixture
def cycle(contest, organizer):
    """Two applications submitted, two experts assigned to each, the contest in «оценка»."""
    nomination = contest.nominations.get(level="territorial")
    services.stage_set(contest, Stage.APPLICATIONS, scope=scope(organizer), user=organizer)
    applications = []
    for short in (PERM, UDM):
        editor = user_with(EDITOR, short, username=f"editor-{short}")
        application = services.application_create(
            nomination=nomination, organization=org(short), scope=scope(editor), user=editor)
        answers = {criterion_key(c): "Страница ВКонтакте с обложкой и закреплённой записью"
                   for c in services.jury_criteria(nomination)}
        services.application_update(application, answers=answers, contact="Иванова",
                                    scope=scope(editor))
        applications.append(services.application_submit(application, scope=scope(editor),
                                                         user=editor))
    experts = [user_with(EXPERT, "Московская областная", username=f"expert-{i}")
               for i in range(2)]
    for application in applications:
        for expert in experts:
            services.assignment_add(application, expert, scope=scope(organizer),
                                    user=organizer)
    services.stage_set(contest, Stage.EVALUATION, scope=scope(organizer), user=organizer)
    contest.refresh_from_db()
    return nomination, applications, experts


def score_all(application, expert, points):
    assignment = application.assignments.get(expert=expert)
    marks = {c.pk: (points(c), "Обложки нет") for c in
             services.jury_criteria(application.nomination)}
    services.marks_save(assignment, marks, user=expert)
