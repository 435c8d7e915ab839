"""The jury's pages: an expert sees only their own assignments, scores through the form (a
lower mark without a comment is refused and nothing is written), never reaches another
expert's assignment, and an accepted dispute changes the standings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profinfo.contest import services
from profinfo.contest.models import Assignment, Dispute, DisputeState, Mark, Stage
from profinfo.contest.results import criterion_key, standings
from tests.contest import conftest as contest_fixtures
from tests.factories import EDITOR, EXPERT, user_with
from tests.web.test_contest_organizer import (
    MOSCOW,
    PERM,
    UDM,
    messages_of,
    scope,
    submitted,
    to_stage,
)

contest = contest_fixtures.contest  # the demo contest of tests/contest
organizer = contest_fixtures.organizer


@pytest.fixture
def jury(contest, organizer):
    """Two applications; expert A assigned to Пермь, expert B to Удмуртия; «оценка»."""
    to_stage(contest, Stage.APPLICATIONS, organizer)
    perm, udm = submitted(contest, PERM), submitted(contest, UDM)
    first = user_with(EXPERT, MOSCOW, username="expert-a")
    second = user_with(EXPERT, MOSCOW, username="expert-b")
    services.assignment_add(perm, first, scope=scope(organizer), user=organizer)
    services.assignment_add(udm, second, scope=scope(organizer), user=organizer)
    to_stage(contest, Stage.EVALUATION, organizer)
    return perm, udm, first, second


def marks_data(criteria, points, comment=""):
    data = {}
    for criterion in criteria:
        data[f"points_{criterion.pk}"] = points(criterion)
        data[f"comment_{criterion.pk}"] = comment
    return data


def test_queue_shows_only_the_experts_own_assignments(contest, jury, client):
    perm, udm, first, _ = jury
    client.force_login(first)
    page = client.get(reverse("contest-jury-queue", args=[contest.year]))
    assert page.status_code == 200
    mine = Assignment.objects.get(expert=first)
    assert [row.assignment_id for _, row in page.context["rows"]] == [mine.pk]
    assert mine.application_id == perm.pk
    text = page.content.decode()
    assert f'href="{reverse("contest-jury-score", args=[contest.year, mine.pk])}"' in text
    assert perm.organization.name in text
    assert udm.organization.name not in text
    assert "ждёт оценки" in text
    assert "Назначено: <strong>1</strong>, оценено: <strong>0</strong>" in text


def test_queue_reads_a_page_in_a_fixed_number_of_queries(contest, jury, client, organizer):
    perm, udm, first, _ = jury
    client.force_login(first)
    url = reverse("contest-jury-queue", args=[contest.year])
    client.get(url)  # the session's first request does more
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    to_stage(contest, Stage.APPLICATIONS, organizer)  # back, to add applications
    for short_name in ("Свердловская областная", "Алтайская краевая", "Тульская областная"):
        services.assignment_add(submitted(contest, short_name), first,
                                scope=scope(organizer), user=organizer)
    with CaptureQueriesContext(connection) as four:
        page = client.get(url)
    assert len(page.context["rows"]) == 4
    assert len(four) == len(one)


def test_non_experts_get_403_and_another_experts_assignment_404(contest, jury, client):
    perm, udm, first, second = jury
    editor = user_with(EDITOR, PERM, username="perm-editor")
    client.force_login(editor)
    for url in (reverse("contest-jury-queue", args=[contest.year]),
                reverse("contest-jury-score", args=[contest.year, 1])):
        response = client.get(url)
        assert response.status_code == 403
        assert "для экспертов жюри" in response.content.decode()
    client.force_login(first)
    theirs = Assignment.objects.get(expert=second)
    url = reverse("contest-jury-score", args=[contest.year, theirs.pk])
    assert client.get(url).status_code == 404
    criteria = services.jury_criteria(udm.nomination)
    assert client.post(url, marks_data(criteria, lambda c: c.points)).status_code == 404
    mine = Assignment.objects.get(expert=first)
    assert client.get(reverse("contest-jury-score", args=[2099, mine.pk])).status_code == 404
    assert not Mark.objects.exists()


def test_scoring_saves_marks_and_refuses_a_lower_mark_without_a_comment(contest, jury,
                                                                       client):
    perm, _, first, _ = jury
    assignment = Assignment.objects.get(expert=first)
    criteria = services.jury_criteria(perm.nomination)
    assert criteria, "the ТО nomination has jury criteria"
    client.force_login(first)
    url = reverse("contest-jury-score", args=[contest.year, assignment.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Обложка, закреплённая запись, рубрики" in text  # the applicant's answers
    assert "Иванова И. И." in text
    assert "Данные реестра и наблюдений" in text

    lower = criteria[0]
    refused = client.post(url, marks_data(criteria, lambda c: c.points - 0.5 if c == lower
                                          else c.points))
    assert refused.status_code == 200
    assert f"«{lower.title}»: балл ниже наибольшего — напишите, почему." in \
        refused.content.decode()
    assert not Mark.objects.exists()
    assignment.refresh_from_db()
    assert assignment.completed_at is None

    off_step = client.post(url, marks_data(criteria, lambda c: 0.3, comment="мало"))
    assert "шагом 0,5" in off_step.content.decode()
    too_high = client.post(url, marks_data(criteria, lambda c: c.points + 1))
    assert f"балл от 0 до {lower.points:g}" in too_high.content.decode()
    assert not Mark.objects.exists()

    data = marks_data(criteria, lambda c: f"{c.points - 0.5:g}".replace(".", ","),
                      comment="Нет закреплённой записи")
    response = client.post(url, data, follow=True)
    assert "Оценки сохранены." in messages_of(response)
    saved = {m.criterion_id: (m.points, m.comment) for m in Mark.objects.all()}
    assert saved == {c.pk: (c.points - 0.5, "Нет закреплённой записи") for c in criteria}
    assignment.refresh_from_db()
    assert assignment.completed_at is not None
    again = response.content.decode()
    assert f'value="{criteria[0].points - 0.5:g}"' in again  # the saved marks shown again
    assert "Нет закреплённой записи" in again
    queue = client.get(reverse("contest-jury-queue", args=[contest.year])).content.decode()
    assert "оценено" in queue


def test_outside_evaluation_the_page_is_read_only(contest, jury, client, organizer):
    perm, _, first, _ = jury
    assignment = Assignment.objects.get(expert=first)
    to_stage(contest, Stage.APPLICATIONS, organizer)
    client.force_login(first)
    url = reverse("contest-jury-score", args=[contest.year, assignment.pk])
    page = client.get(url)
    text = page.content.decode()
    assert "Оценки ставят на этапе «оценка»; сейчас — «приём заявок»." in text
    assert "Сохранить оценки" not in text
    assert "disabled" in text
    criteria = services.jury_criteria(perm.nomination)
    response = client.post(url, marks_data(criteria, lambda c: c.points))
    assert response.status_code == 200
    assert "Оценки ставят на этапе «оценка»" in response.content.decode()
    assert not Mark.objects.exists()


def test_an_accepted_dispute_changes_the_standings(contest, jury, client, organizer):
    perm, udm, first, second = jury
    criteria = services.jury_criteria(perm.nomination)
    design = criteria[0]
    for application, expert in ((perm, first), (udm, second)):
        assignment = Assignment.objects.get(application=application, expert=expert)
        services.marks_save(assignment, {c.pk: (0.0, "Нет") for c in criteria}, user=expert)
    to_stage(contest, Stage.INTERACTION, organizer)
    editor = user_with(EDITOR, PERM, username="perm-editor")
    dispute = services.dispute_open(perm, design, comment="Обложка есть с марта",
                                    upload=None, scope=scope(editor), user=editor)

    def points_of_perm():
        rows = standings(contest)[perm.nomination_id]
        return next(s for s in rows if s.application_id == perm.pk).criteria[
            criterion_key(design)]

    assert points_of_perm() == 0
    url = reverse("contest-dispute-answer", args=[contest.year, dispute.pk])
    client.force_login(second)  # an expert of another application
    queue = client.get(reverse("contest-jury-queue", args=[contest.year])).content.decode()
    assert "Обложка есть с марта" not in queue
    assert client.post(url, {"decision": "accept", "points": "2", "answer": "Да"}
                       ).status_code == 404
    client.force_login(editor)
    assert client.post(url, {"decision": "accept", "points": "2", "answer": "Да"}
                       ).status_code == 403

    client.force_login(first)
    queue = client.get(reverse("contest-jury-queue", args=[contest.year])).content.decode()
    assert "Возражения участников (1)" in queue
    assert "Обложка есть с марта" in queue
    response = client.post(url, {"decision": "accept", "points": "1", "answer": ""},
                           follow=True)
    assert "Напишите ответ" in messages_of(response)
    top = design.points + 1
    response = client.post(url, {"decision": "accept", "points": f"{top:g}",
                                 "answer": "Да"}, follow=True)
    assert "Укажите новый балл от 0 до" in messages_of(response)
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.OPEN

    new_points = design.points / 2
    response = client.post(url, {"decision": "accept", "points": f"{new_points:g}",
                                 "answer": "Обложка есть, засчитано", "next": "//evil.example/"},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("contest-jury-queue", args=[contest.year])
    assert "принято: балл изменён" in messages_of(response)
    dispute.refresh_from_db()
    assert (dispute.state, dispute.points_after, dispute.answered_by) == (
        DisputeState.ACCEPTED, new_points, first)
    assert points_of_perm() == new_points * design.block.weight
    response = client.post(url, {"decision": "reject", "answer": "Нет"}, follow=True)
    assert "уже ответили" in messages_of(response)


def test_the_organizer_answers_disputes_on_the_contest_page(contest, jury, client, organizer):
    perm, *_ = jury
    to_stage(contest, Stage.INTERACTION, organizer)
    editor = user_with(EDITOR, PERM, username="perm-editor")
    design = services.jury_criteria(perm.nomination)[0]
    dispute = services.dispute_open(perm, design, comment="Не согласны", upload=None,
                                    scope=scope(editor), user=editor)
    client.force_login(organizer)
    detail = reverse("contest-detail", args=[contest.year])
    page = client.get(detail).content.decode()
    assert "Не согласны" in page
    assert reverse("contest-dispute-answer", args=[contest.year, dispute.pk]) in page
    response = client.post(reverse("contest-dispute-answer", args=[contest.year, dispute.pk]),
                           {"decision": "reject", "answer": "Обложки нет на снимке",
                            "next": detail}, follow=True)
    assert response.redirect_chain[-1][0] == detail
    assert "отклонено" in messages_of(response)
    assert Dispute.objects.get().state == DisputeState.REJECTED


def test_next_unscored_is_found_when_asked(contest, jury, client, organizer):
    perm, _, first, _ = jury
    to_stage(contest, Stage.APPLICATIONS, organizer)
    others = [submitted(contest, name) for name in ("Свердловская областная",
                                                    "Алтайская краевая")]
    for application in others:
        services.assignment_add(application, first, scope=scope(organizer), user=organizer)
    to_stage(contest, Stage.EVALUATION, organizer)
    mine = list(Assignment.objects.filter(expert=first).order_by("pk"))
    client.force_login(first)
    url = reverse("contest-jury-next", args=[contest.year])
    score = reverse("contest-jury-score", args=[contest.year, mine[0].pk])
    assert f"{url}?after={mine[0].pk}" in client.get(score).content.decode()
    # leaving the first: the next waiting one; asked plainly: the first waiting
    assert client.get(f"{url}?after={mine[0].pk}").url == reverse(
        "contest-jury-score", args=[contest.year, mine[1].pk])
    assert client.get(url).url == score
    for bad in ("x", "²", "9" * 40, "-1"):  # a bad value is ignored, never a 500
        assert client.get(url, {"after": bad}).url == score
    for assignment in mine[1:]:
        criteria = services.jury_criteria(assignment.application.nomination)
        services.marks_save(assignment, {c.pk: (c.points, "") for c in criteria},
                            user=first)
    # leaving the last one without marks: back to it, said so, never «all scored»
    last = client.get(f"{url}?after={mine[0].pk}", follow=True)
    assert last.redirect_chain[-1][0] == score
    assert "Других заявок без оценки нет: осталась только эта." in last.content.decode()
    criteria = services.jury_criteria(mine[0].application.nomination)
    services.marks_save(mine[0], {c.pk: (c.points, "") for c in criteria}, user=first)
    done = client.get(url, follow=True)
    assert done.redirect_chain[-1][0] == reverse("contest-jury-queue", args=[contest.year])
    assert "Все назначенные вам заявки оценены." in done.content.decode()
