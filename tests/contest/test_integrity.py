"""While a contest runs, a participant never decides its own criteria: its administrators are
refused an override, the organizers and the experts assigned to it may (with a reason)."""

import pytest
from django.urls import reverse

from profinfo.contest import services
from profinfo.contest.models import Stage
from profinfo.contest.results import criterion_key
from profinfo.monitoring.models import CriterionOverride
from profinfo.organizations.scoping import Scope
from tests.factories import ADMIN, EDITOR, EXPERT, org, register, user_with

PERM = "Пермская краевая"
REFUSAL = "Организация участвует в смотре-конкурсе"


def scope(user):
    user._profinfo_scope = None
    return Scope.for_user(user)


@pytest.fixture
def perm_site(demo):
    return register("https://perm-profsoyuz.example/", PERM)


@pytest.fixture
def running(contest, organizer, perm_site):
    """Пермская краевая has applied and is assessed by one expert; the contest in «оценка»."""
    services.stage_set(contest, Stage.APPLICATIONS, scope=scope(organizer), user=organizer)
    nomination = contest.nominations.get(level="territorial")
    editor = user_with(EDITOR, PERM, username="perm-editor")
    application = services.application_create(nomination=nomination, organization=org(PERM),
                                               scope=scope(editor), user=editor)
    services.application_update(
        application, contact="", scope=scope(editor),
        answers={criterion_key(c): "есть" for c in services.jury_criteria(nomination)})
    services.application_submit(application, scope=scope(editor), user=editor)
    expert = user_with(EXPERT, "Московская областная", username="expert-moscow")
    services.assignment_add(application, expert, scope=scope(organizer), user=organizer)
    services.stage_set(contest, Stage.EVALUATION, scope=scope(organizer), user=organizer)
    return expert


def override(client, user, resource, reason="Баннер ведёт на чужой сайт", **extra):
    client.force_login(user)
    return client.post(reverse("criterion-override", args=[resource.pk]),
                       {"code": "fnpr_link", "present": "0", "reason": reason, **extra})


def test_own_administrator_is_refused_during_the_contest(running, perm_site, client):
    own_admin = user_with(ADMIN, PERM, username="perm-admin")
    response = override(client, own_admin, perm_site)
    assert response.status_code == 403
    assert REFUSAL in response.content.decode()
    assert not CriterionOverride.objects.exists()


def test_organizer_and_assigned_expert_may_override(running, perm_site, organizer, client):
    assert override(client, organizer, perm_site).status_code == 302
    # the expert holds no right over Пермская краевая: the assignment is what lets them
    response = override(client, running, perm_site, reason="Ссылки на fnpr.ru нет",
                        next="/contest/2021/jury/")
    assert response.status_code == 302 and response.url == "/contest/2021/jury/"
    decisions = list(CriterionOverride.objects.order_by("pk").values_list(
        "created_by__username", "reason"))
    assert decisions == [("organizer", "Баннер ведёт на чужой сайт"),
                         ("expert-moscow", "Ссылки на fnpr.ru нет")]
    # a reason is still required of the expert
    override(client, running, perm_site, reason=" ")
    assert CriterionOverride.objects.count() == 2


def test_expert_not_assigned_sees_nothing(running, perm_site, client):
    stranger = user_with(EXPERT, "Тульская областная", username="expert-tula")
    assert override(client, stranger, perm_site).status_code == 404
    assert not CriterionOverride.objects.exists()


def test_administrator_of_an_organization_not_taking_part_decides(running, client):
    udmurt_site = register("https://udm-profsoyuz.example/", "Удмуртская республиканская")
    admin = user_with(ADMIN, "Удмуртская республиканская", username="udm-admin")
    assert override(client, admin, udmurt_site).status_code == 302
    assert CriterionOverride.objects.get().created_by == admin


def test_own_administrator_decides_again_once_results_are_frozen(running, contest, organizer,
                                                                 perm_site, client):
    for stage in (Stage.INTERACTION, Stage.SUMMING_UP):
        services.stage_set(contest, stage, scope=scope(organizer), user=organizer)
    contest.refresh_from_db()
    assert contest.is_frozen
    own_admin = user_with(ADMIN, PERM, username="perm-admin")
    assert override(client, own_admin, perm_site).status_code == 302
    assert CriterionOverride.objects.get().created_by == own_admin
    # and the expert's right ended with the contest
    assert override(client, running, perm_site).status_code == 404


def test_the_pages_offer_the_decision_only_to_those_who_may_take_it(running, perm_site,
                                                                      client):
    own_admin = user_with(ADMIN, PERM, username="perm-admin-page")
    client.force_login(own_admin)
    page = client.get(reverse("resource-detail", args=[perm_site.pk])).content.decode()
    assert REFUSAL in page
    assert reverse("criterion-override", args=[perm_site.pk]) not in page
    client.force_login(running)
    assignment = running.contest_assignments.get()
    scoring = client.get(reverse("contest-jury-score", args=[2021, assignment.pk]))
    sites_url = reverse("contest-jury-sites", args=[2021, assignment.pk])
    assert sites_url in scoring.content.decode()
    page = client.get(sites_url).content.decode()
    assert reverse("criterion-override", args=[perm_site.pk]) in page
    assert "Итог проверки и решения жюри" in page and perm_site.url in page
    # the decision goes back to the same page
    response = override(client, running, perm_site, next=sites_url + "#site-criteria")
    assert response.status_code == 302 and response.url == sites_url + "#site-criteria"
    assert "Баннер ведёт на чужой сайт" in client.get(sites_url).content.decode()
    # another expert's assignment is not theirs to read
    stranger = user_with(EXPERT, "Тульская областная", username="expert-tula-page")
    client.force_login(stranger)
    assert client.get(sites_url).status_code == 404
