"""A contest on the demo tree, set up through the services as an organizer would."""

import datetime as dt

import pytest

from profinfo.contest.models import Contest, Nomination
from profinfo.contest.services import contest_save, nomination_save
from profinfo.evaluation.defaults import methodology_of_year
from profinfo.organizations.scoping import Scope
from tests.factories import ADMIN, user_with

YEAR = 2021


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
