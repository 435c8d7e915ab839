"""The contest's letters: one a day per person with everything new for them, nothing when
nothing is new, nothing to a person without an address; the daily command and the schedule."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from profinfo.contest import notifications, services
from profinfo.contest.models import Assignment, Contest, Dispute, Event, Stage
from profinfo.contest.results import criterion_key
from profinfo.organizations.scoping import Scope
from tests.factories import EDITOR, EXPERT, org, user_with

PERM, UDM = "Пермская краевая", "Удмуртская республиканская"
BASE = "https://profinfo.example.org"


def scope(user):
    user._profinfo_scope = None
    return Scope.for_user(user)


def with_email(user, email):
    user.email = email
    user.save(update_fields=["email"])
    return user


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.PROFINFO_BASE_URL = BASE


@pytest.fixture
def evaluation(contest, organizer):
    """Perm and Udmurtia applied; two experts (one without an address) assigned to both."""
    services.stage_set(contest, Stage.APPLICATIONS, scope=scope(organizer), user=organizer)
    nomination = contest.nominations.get(level="territorial")
    applications = {}
    for short in (PERM, UDM):
        editor = with_email(user_with(EDITOR, short, username=f"editor-{short}"),
                            f"editor-{len(applications)}@example.org")
        application = services.application_create(
            nomination=nomination, organization=org(short), scope=scope(editor), user=editor)
        services.application_update(
            application, contact="", scope=scope(editor),
            answers={criterion_key(c): "есть" for c in services.jury_criteria(nomination)})
        applications[short] = services.application_submit(application, scope=scope(editor),
                                                           user=editor)
    expert = with_email(user_with(EXPERT, "Московская областная", username="expert-a"),
                        "expert@example.org")
    silent = user_with(EXPERT, "Тульская областная", username="expert-b")  # no address
    for application in applications.values():
        for someone in (expert, silent):
            services.assignment_add(application, someone, scope=scope(organizer),
                                    user=organizer)
    services.stage_set(contest, Stage.EVALUATION, scope=scope(organizer), user=organizer)
    return applications, expert, silent


def test_an_expert_gets_one_letter_with_every_new_assignment(evaluation, mailoutbox):
    applications, expert, silent = evaluation
    today = timezone.localdate()
    assert notifications.daily_digest(today) == 1
    (letter,) = mailoutbox
    assert letter.to == ["expert@example.org"]
    for short, application in applications.items():
        assignment = application.assignments.get(expert=expert)
        assert f"«{short}»" in letter.body
        assert f"{BASE}/contest/2021/jury/{assignment.pk}/" in letter.body
    assert letter.subject == f"ПрофИнфо, смотр-конкурс: новое на {today:%d.%m.%Y}"
    told = Assignment.objects.filter(notified_at__isnull=False)
    assert set(told.values_list("expert__username", flat=True)) == {"expert-a"}
    # the expert without an address is skipped, their assignments wait for one
    assert Assignment.objects.filter(expert=silent, notified_at__isnull=True).count() == 2

    assert notifications.daily_digest(today + dt.timedelta(days=1)) == 0
    assert len(mailoutbox) == 1


def test_participants_get_answers_and_deadlines_in_one_letter(evaluation, contest, organizer,
                                                              mailoutbox):
    applications, expert, _ = evaluation
    today = timezone.localdate()
    notifications.daily_digest(today)  # the assignments' letter
    mailoutbox.clear()
    services.stage_set(contest, Stage.INTERACTION, scope=scope(organizer), user=organizer)
    perm = applications[PERM]
    colleague = with_email(user_with(EDITOR, PERM, username="perm-second"), "second@example.org")
    criteria = services.jury_criteria(perm.nomination)
    for criterion, accepted in zip(criteria, (True, False), strict=False):
        dispute = services.dispute_open(perm, criterion, comment="Не согласны", upload=None,
                                        scope=scope(colleague), user=colleague)
        services.dispute_answer(dispute, accepted=accepted, points=criterion.points
                                if accepted else None, answer=f"Ответ {criterion.code}",
                                scope=scope(organizer), user=organizer)
    Contest.objects.filter(pk=contest.pk).update(interaction_until=today + dt.timedelta(2))
    with_email(organizer, "organizer@example.org")

    assert notifications.daily_digest(today) == 4
    letters = {m.to[0]: m.body for m in mailoutbox}
    assert set(letters) == {"editor-0@example.org", "second@example.org",
                            "editor-1@example.org", "organizer@example.org"}
    for address in ("editor-0@example.org", "second@example.org"):  # Perm: both answers
        body = letters[address]
        assert "Ответ design" in body and "принято, новый балл 2" in body
        assert "Ответ evergreen" in body and "отклонено" in body
        assert "взаимодействие (приём возражений) заканчивается" in body
        assert f"{BASE}/contest/2021/applications/{perm.pk}/results/" in body
    assert "Ответ" not in letters["editor-1@example.org"]  # Udmurtia: the deadline only
    assert "через 2 дня" in letters["editor-1@example.org"]
    assert "возражений на рассмотрении: 0" in letters["organizer@example.org"]
    assert not Dispute.objects.filter(notified_at__isnull=True).exists()
    assert Event.objects.filter(action__startswith="Разосланы напоминания").count() == 1

    mailoutbox.clear()
    assert notifications.daily_digest(today + dt.timedelta(days=1)) == 0
    assert mailoutbox == []


def test_a_draft_is_reminded_before_applications_close(contest, organizer, mailoutbox):
    services.stage_set(contest, Stage.APPLICATIONS, scope=scope(organizer), user=organizer)
    editor = with_email(user_with(EDITOR, PERM, username="perm-editor"), "perm@example.org")
    application = services.application_create(
        nomination=contest.nominations.get(level="territorial"), organization=org(PERM),
        scope=scope(editor), user=editor)
    closing = contest.applications_until
    assert notifications.daily_digest(closing - dt.timedelta(days=4)) == 0  # too early
    assert notifications.daily_digest(closing - dt.timedelta(days=1)) == 1
    body = mailoutbox[0].body
    assert "приём заявок заканчивается" in body and "завтра" in body
    assert f"{BASE}/contest/2021/applications/{application.pk}/" in body
    assert notifications.daily_digest(closing) == 0


def test_daily_command_moves_stages_then_writes(contest, organizer, mailoutbox):
    Contest.objects.filter(pk=contest.pk).update(advance_by_dates=True)
    out = __import__("io").StringIO()
    call_command("contest_daily", "--date", contest.applications_from.isoformat(), stdout=out)
    contest.refresh_from_db()
    assert contest.stage == Stage.APPLICATIONS
    assert "Смотр-конкурс 2021: этап «приём заявок»" in out.getvalue()
    assert "Писем о смотре-конкурсе отправлено: 0." in out.getvalue()


def test_the_daily_job_is_in_the_schedule(settings):
    from profinfo.monitoring import schedule

    settings.PROFINFO_SCHEDULE_CONTEST = "0 7 * * *"
    assert schedule.command_jobs()["contest"][2] == "contest_daily"
    beat = schedule.beat_schedule()["contest"]
    assert beat["task"] == "profinfo.monitoring.tasks.scheduled_command"
    assert beat["args"] == ("contest_daily",)
    settings.PROFINFO_SCHEDULE_CONTEST = "off"
    assert "contest" not in schedule.beat_schedule()
