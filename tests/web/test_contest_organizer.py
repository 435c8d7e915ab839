"""The organizer's contest pages: set-up through the forms, stages, experts by hand (a conflict
of interest refused and nothing written) and by distribution, and 403 for everyone else."""

import datetime as dt
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from profinfo.contest import services
from profinfo.contest.models import (
    Assignment,
    ConfirmingOrganization,
    ConflictRefusal,
    Contest,
    Event,
    Nomination,
    Stage,
)
from profinfo.contest.results import criterion_key
from profinfo.evaluation.models import Methodology
from profinfo.organizations.scoping import Scope
from tests.contest import conftest as contest_fixtures
from tests.factories import EDITOR, EXPERT, org, user_with

PERM, UDM, MOSCOW = "Пермская краевая", "Удмуртская республиканская", "Московская областная"

contest = contest_fixtures.contest  # the demo contest of tests/contest
organizer = contest_fixtures.organizer


def scope(user):
    user._profinfo_scope = None
    return Scope.for_user(user)


def to_stage(contest, stage, organizer):
    services.stage_set(contest, stage, scope=scope(organizer), user=organizer,
                       reason="тест")
    contest.refresh_from_db()


def submitted(contest, short_name):
    """The organization's application in the ТО nomination, filled and submitted by its
    editor (the contest must be taking applications)."""
    nomination = contest.nominations.get(level="territorial")
    editor = user_with(EDITOR, short_name, username=f"editor-{short_name}")
    application = services.application_create(nomination=nomination, organization=org(short_name),
                                              scope=scope(editor), user=editor)
    answers = {criterion_key(c): "Обложка, закреплённая запись, рубрики"
               for c in services.jury_criteria(nomination)}
    services.application_update(application, answers=answers, contact="Иванова И. И.",
                                scope=scope(editor))
    return services.application_submit(application, scope=scope(editor), user=editor)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


CONTEST_FORM = {
    "title": "Смотр-конкурс информационной работы", "year": "2030", "methodology": "",
    "period_start": "2029-01-01", "period_end": "2029-12-31",
    "applications_from": "2030-01-10", "applications_until": "2030-02-10",
    "evaluation_until": "2030-03-10", "interaction_until": "2030-04-10",
    "results_on": "2030-04-20", "advance_by_dates": "on", "publicity": "names",
    "tie_rule": "jury_then_data", "disagreement_share": "0,3",
    "commission": "Петров П. П. — председатель",
}


def test_organizer_sets_up_a_contest_and_a_nomination_through_the_forms(organizer, client):
    client.force_login(organizer)
    page = client.get(reverse("contest-create"))
    assert page.status_code == 200
    assert "Новый смотр-конкурс" in page.content.decode()
    data = {**CONTEST_FORM, "confirming": [org(PERM).pk]}
    response = client.post(reverse("contest-create"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == reverse("contest-detail", args=[2030])
    contest = Contest.objects.get(year=2030)
    assert contest.methodology.year == 2030  # the year's methodology made for it
    assert contest.methodology.frozen
    assert contest.disagreement_share == pytest.approx(0.3)
    assert list(ConfirmingOrganization.objects.filter(contest=contest)
                .values_list("organization__short_name", flat=True)) == [PERM]

    page = client.get(reverse("nomination-create", args=[2030]))
    assert page.status_code == 200
    assert "Сайт" in page.content.decode()  # the methodology's blocks offered
    response = client.post(reverse("nomination-create", args=[2030]), {
        "title": "Лучший сайт ТО", "level": "territorial", "members_from": "1000",
        "members_to": "", "resource_kind": "site", "blocks": ["sites"], "places": "3",
        "order": "1"})
    assert response.status_code == 302
    nomination = Nomination.objects.get(contest=contest)
    assert (nomination.level, nomination.resource_kind, nomination.blocks,
            nomination.members_from) == ("territorial", "site", "sites", 1000)

    detail = client.get(reverse("contest-detail", args=[2030])).content.decode()
    assert "Лучший сайт ТО" in detail
    assert "от 1\u00a0000 членов профсоюза" in detail
    assert "в реестре должен быть ресурс вида «Сайт»" in detail
    assert "при равенстве баллов выше тот, у кого больше баллов жюри" in detail
    assert 'aria-current="step">1. подготовка' in detail


def test_a_refused_contest_form_writes_nothing(organizer, client):
    client.force_login(organizer)
    methodologies = Methodology.objects.count()
    late = {**CONTEST_FORM, "evaluation_until": "2030-01-01"}  # before applications close
    response = client.post(reverse("contest-create"), late)
    assert response.status_code == 200
    assert "Даты этапов должны идти по порядку" in response.content.decode()
    assert not Contest.objects.filter(year=2030).exists()
    assert Methodology.objects.count() == methodologies  # the copy was undone too

    not_docx = SimpleUploadedFile("diploma.pdf", b"%PDF-1.4 diploma")
    response = client.post(reverse("contest-create"), {**CONTEST_FORM,
                                                       "diploma_template": not_docx})
    assert response.status_code == 200
    assert "Шаблон диплома — документ Word в формате DOCX." in response.content.decode()
    fake_docx = SimpleUploadedFile("diploma.docx", b"this is not a zip")
    response = client.post(reverse("contest-create"), {**CONTEST_FORM,
                                                       "diploma_template": fake_docx})
    assert "Файл не похож на DOCX" in response.content.decode()
    assert not Contest.objects.filter(year=2030).exists()


def test_nomination_changes_are_refused_once_evaluation_began(contest, organizer, client):
    to_stage(contest, Stage.EVALUATION, organizer)
    client.force_login(organizer)
    nomination = contest.nominations.first()
    response = client.post(reverse("nomination-edit", args=[contest.year, nomination.pk]), {
        "title": "Другое название", "level": "", "resource_kind": "", "places": "3",
        "order": "0"})
    assert response.status_code == 200
    assert "Номинации меняют до начала оценки." in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.title != "Другое название"


@pytest.mark.parametrize("role", [EDITOR, EXPERT])
def test_other_roles_get_403_on_the_organizer_pages(contest, client, role):
    user = user_with(role, PERM, username="someone")
    client.force_login(user)
    year = contest.year
    for name, args in [("contest-create", []), ("contest-edit", [year]),
                       ("contest-applications", [year]), ("contest-jury-progress", [year]),
                       ("nomination-create", [year]), ("contest-assign", [year, 1])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 403, name
        assert "для организаторов смотра-конкурса" in response.content.decode()
    for name in ("contest-stage", "contest-reopen", "contest-distribute"):
        response = client.post(reverse(name, args=[year]), {"stage": "applications",
                                                            "reason": "x"})
        assert response.status_code == 403, name
    contest.refresh_from_db()
    assert contest.stage == Stage.PREPARATION
    # every member reads the list and the contest's page, without the organizer's controls
    listing = client.get(reverse("contest-list")).content.decode()
    assert "Смотр-конкурс на лучшую организацию информационной работы" in listing
    assert reverse("contest-create") not in listing
    detail = client.get(reverse("contest-detail", args=[year]))
    assert detail.status_code == 200
    assert reverse("contest-stage", args=[year]) not in detail.content.decode()
    assert client.get(reverse("contest-detail", args=[1999])).status_code == 404


def test_the_list_offers_each_role_its_way_in(contest, organizer, client):
    to_stage(contest, Stage.APPLICATIONS, organizer)
    contest.is_example = True
    contest.save()
    editor = user_with(EDITOR, PERM, username="perm-editor")
    client.force_login(editor)
    listing = client.get(reverse("contest-list")).content.decode()
    assert "Подать заявку" in listing
    assert "пример" in listing
    assert "Мои заявки на оценку" not in listing
    expert = user_with(EXPERT, MOSCOW, username="moscow-expert")
    client.force_login(expert)
    listing = client.get(reverse("contest-list")).content.decode()
    assert reverse("contest-jury-queue", args=[contest.year]) in listing
    assert "Подать заявку" not in listing


def test_stage_moves_by_post_and_going_back_needs_a_reason(contest, organizer, client):
    client.force_login(organizer)
    url = reverse("contest-stage", args=[contest.year])
    response = client.post(url, {"stage": "applications", "reason": ""}, follow=True)
    contest.refresh_from_db()
    assert contest.stage == Stage.APPLICATIONS
    assert "Смотр-конкурс на этапе «приём заявок»." in messages_of(response)
    event = Event.objects.get(contest=contest)
    assert event.action == "Этап: «подготовка» → «приём заявок»"
    assert event.user == organizer

    response = client.post(url, {"stage": "preparation", "reason": "  "}, follow=True)
    assert "укажите причину" in messages_of(response)
    contest.refresh_from_db()
    assert contest.stage == Stage.APPLICATIONS
    assert Event.objects.filter(contest=contest).count() == 1

    response = client.post(url, {"stage": "nonsense"}, follow=True)
    assert "Выберите значение из списка." in messages_of(response)
    page = client.get(reverse("contest-detail", args=[contest.year])).content.decode()
    assert "Перейти к этапу «оценка»" in page
    assert "подготовка» → «приём заявок" in page  # the event log


def test_assigning_an_expert_by_hand_refuses_a_conflict_of_interest(contest, organizer,
                                                                    client):
    to_stage(contest, Stage.APPLICATIONS, organizer)
    application = submitted(contest, PERM)
    own = user_with(EXPERT, PERM, username="perm-expert")
    outsider = user_with(EXPERT, MOSCOW, username="moscow-expert")
    editor = user_with(EDITOR, MOSCOW, username="moscow-editor")
    client.force_login(organizer)
    url = reverse("contest-assign", args=[contest.year, application.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "moscow-expert" in page.content.decode()
    response = client.post(url, {"expert": own.pk}, follow=True)
    text = messages_of(response)
    assert "конфликт интересов" in text
    assert "эксперт состоит в организации «Пермская краевая»" in text
    assert not Assignment.objects.exists()
    assert ConflictRefusal.objects.filter(expert=own).count() == 1  # kept for the organizer
    listing = client.get(reverse("contest-applications", args=[contest.year])).content.decode()
    assert "эксперт состоит в организации" in listing

    response = client.post(url, {"expert": editor.pk}, follow=True)  # not an expert
    assert "Выберите эксперта из списка" in messages_of(response)
    response = client.post(url, {"expert": "999999"}, follow=True)
    assert not Assignment.objects.exists()

    other_year = reverse("contest-assign", args=[2099, application.pk])
    assert client.post(other_year, {"expert": outsider.pk}).status_code == 404
    response = client.post(url, {"expert": outsider.pk}, follow=True)
    assert "назначен" in messages_of(response)
    assert list(Assignment.objects.values_list("application_id", "expert_id")) == [
        (application.pk, outsider.pk)]
    listing = client.get(reverse("contest-applications", args=[contest.year])).content.decode()
    assert "0 из 1" in listing


def test_distribution_spreads_applications_evenly(contest, organizer, client):
    to_stage(contest, Stage.APPLICATIONS, organizer)
    applicants = [PERM, UDM, "Свердловская областная", "Алтайская краевая",
                  "Тульская областная", "Ивановская областная", "Курганская областная"]
    for short_name in applicants:
        submitted(contest, short_name)
    experts = [user_with(EXPERT, MOSCOW, username=f"expert-{i}") for i in range(3)]
    own = user_with(EXPERT, PERM, username="perm-expert")
    client.force_login(organizer)
    response = client.post(reverse("contest-distribute", args=[contest.year]),
                           {"per_application": "2"}, follow=True)
    assert "Назначений сделано: 14." in messages_of(response)
    loads = Counter(Assignment.objects.values_list("expert_id", flat=True))
    assert sum(loads.values()) == 14
    assert set(loads) <= {e.pk for e in [*experts, own]}
    assert max(loads.values()) - min(loads[e.pk] for e in [*experts, own]) <= 1
    assert not Assignment.objects.filter(expert=own, application__organization=org(PERM))
    per_application = Counter(Assignment.objects.values_list("application_id", flat=True))
    assert set(per_application.values()) == {2}

    response = client.post(reverse("contest-distribute", args=[contest.year]),
                           {"per_application": "4"}, follow=True)
    text = messages_of(response)
    assert "Назначений сделано: 13." in text  # 2 more for six, 1 for Пермь (own excluded)
    assert "Не хватило экспертов без конфликта интересов для заявок: 1." in text
    assert "«Пермская краевая» (Лучшая территориальная организация): экспертов без " \
           "конфликта интересов 3 из 4" in text

    response = client.post(reverse("contest-distribute", args=[contest.year]),
                           {"per_application": "0"}, follow=True)
    assert "от 1 до 10" in messages_of(response)

    progress = client.get(reverse("contest-jury-progress", args=[contest.year]))
    assert progress.status_code == 200
    rows = {line.name: line for line in progress.context["experts"]}
    assert [(rows[name].assigned, rows[name].remaining) for name in
            ("expert-0", "expert-1", "expert-2", "perm-expert")] == [(7, 7)] * 3 + [(6, 6)]
    (ttl,) = progress.context["nominations"][:1]
    assert (ttl.submitted, ttl.with_experts, ttl.scored) == (7, 7, 0)


def test_applications_page_filters_and_pages(contest, organizer, client):
    to_stage(contest, Stage.APPLICATIONS, organizer)
    submitted(contest, PERM)
    submitted(contest, UDM)
    client.force_login(organizer)
    url = reverse("contest-applications", args=[contest.year])
    page = client.get(url, {"q": "перм"})
    names = [a.organization.short_name for a in page.context["page"]]
    assert names == [PERM]
    page = client.get(url, {"state": "draft"})
    assert page.context["page"].paginator.count == 0
    other = contest.nominations.exclude(level="territorial").first()
    page = client.get(url, {"nomination": other.pk})
    assert page.context["page"].paginator.count == 0
    page = client.get(url, {"nomination": "garbage", "state": "garbage", "page": "x"})
    assert page.context["page"].paginator.count == 2


def test_reopening_a_frozen_contest_needs_a_reason(contest, organizer, client):
    to_stage(contest, Stage.SUMMING_UP, organizer)
    assert contest.is_frozen
    client.force_login(organizer)
    detail = client.get(reverse("contest-detail", args=[contest.year])).content.decode()
    assert "итоги зафиксированы" in detail
    assert "Открыть смотр заново" in detail and "Опубликовать итоги" in detail
    assert "Перейти к этапу" not in detail
    url = reverse("contest-reopen", args=[contest.year])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "указанием причины" in messages_of(response)
    contest.refresh_from_db()
    assert contest.is_frozen
    response = client.post(url, {"reason": "Пересчёт после жалобы"}, follow=True)
    contest.refresh_from_db()
    assert not contest.is_frozen and contest.stage == Stage.INTERACTION
    assert Event.objects.filter(contest=contest, reason="Пересчёт после жалобы").exists()


def test_contest_edit_keeps_the_dates_and_the_confirmers(contest, organizer, client):
    client.force_login(organizer)
    url = reverse("contest-edit", args=[contest.year])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields
            if name not in ("diploma_template", "confirming")}
    data = {k: ("on" if v is True else "" if v in (None, False) else v)
            for k, v in data.items()}
    for key, value in list(data.items()):
        if isinstance(value, dt.date):
            data[key] = value.isoformat()
    data.update(title="Новое название", confirming=[org(UDM).pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    contest.refresh_from_db()
    assert contest.title == "Новое название"
    assert contest.confirming.get().organization == org(UDM)


def test_the_organizer_sees_each_experts_marks_of_an_application(contest, organizer, client):
    to_stage(contest, Stage.APPLICATIONS, organizer)
    application = submitted(contest, PERM)
    strict, generous = (user_with(EXPERT, MOSCOW, username=name)
                        for name in ("strict", "generous"))
    for expert in (strict, generous):
        services.assignment_add(application, expert, scope=scope(organizer), user=organizer)
    to_stage(contest, Stage.EVALUATION, organizer)
    criteria = services.jury_criteria(application.nomination)
    services.marks_save(application.assignments.get(expert=strict),
                        {c.pk: (0.0, "Не видно рубрик") for c in criteria}, user=strict)
    services.marks_save(application.assignments.get(expert=generous),
                        {c.pk: (c.points, "") for c in criteria}, user=generous)
    client.force_login(organizer)
    page = client.get(reverse("contest-assign", args=[contest.year, application.pk]))
    text = page.content.decode()
    assert [(e.name, [m.points for _, m in e.marks]) for e in page.context["jury"]] == [
        ("strict", [0.0] * len(criteria)), ("generous", [c.points for c in criteria])]
    assert "Не видно рубрик" in text
    assert "Оценки экспертов расходятся больше порога" in text
    assert "Экспертов назначают до конца этапа «оценка»." not in text  # still «оценка»
    listing = client.get(reverse("contest-applications", args=[contest.year]))
    (row,) = listing.context["page"]
    assert (row.experts_count, row.scored_count) == (2, 2)
    assert row.disagreement == [c.title for c in criteria]
    progress = client.get(reverse("contest-jury-progress", args=[contest.year]))
    assert [a.pk for a, _ in progress.context["disagreements"]] == [application.pk]
    assert progress.context["nominations"][0].scored == 1


def test_the_admin_shows_the_contest_to_organizers_and_keeps_results_read_only(
        contest, organizer, client):
    to_stage(contest, Stage.SUMMING_UP, organizer)  # a final snapshot and events
    client.force_login(organizer)
    for model in ("contest", "nomination", "application", "assignment", "mark", "dispute",
                  "conflictrefusal", "snapshot", "result", "event"):
        assert client.get(reverse(f"admin:contest_{model}_changelist")).status_code == 200
    assert client.get(reverse("admin:contest_contest_change",
                              args=[contest.pk])).status_code == 200
    assert client.get(reverse("admin:contest_contest_history",
                              args=[contest.pk])).status_code == 200
    event = Event.objects.filter(contest=contest).first()
    assert client.get(reverse("admin:contest_event_add")).status_code == 403
    assert client.post(reverse("admin:contest_event_delete", args=[event.pk]),
                       {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()
    local_admin = user_with("admin", PERM, username="perm-admin")
    client.force_login(local_admin)
    assert client.get(reverse("admin:contest_contest_changelist")).status_code == 403
