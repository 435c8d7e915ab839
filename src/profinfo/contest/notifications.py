"""The contest's letters: at most one a day per person, gathering everything new for them.

Experts hear of the applications newly assigned to them; participants (the editors and
administrators of the applicant organization, and whoever created the application) hear the
answers to their disputes and the deadlines of the next three days; organizers (the
administrators of the whole tree) hear the deadlines with what is still undone. What a letter
told is marked (notified_at; a deadline's reminder as an event of the contest), so the next
day's letter holds only what is new, and a day with nothing new sends nothing. A person
without an e-mail address gets no letter, and their assignments and answers wait for it.
Example contests (demo data) never send anything."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.utils import timezone

from profinfo.organizations.models import Membership, Role

from .links import absolute, contest_page, page
from .models import (
    Application,
    ApplicationState,
    Assignment,
    Contest,
    Dispute,
    DisputeState,
    Event,
    Stage,
)

log = logging.getLogger(__name__)

DEADLINE_DAYS = 3  # a deadline is reminded of once, when it is this many days away or nearer
APPLICANT_ROLES = (Role.EDITOR, Role.ADMIN)


@dataclass
class Letter:
    user: object
    assignments: list[Assignment] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.assignments or self.disputes or self.deadlines)


def daily_digest(today: dt.date | None = None) -> int:
    """Send the day's letters; the number sent."""
    today = today or timezone.localdate()
    letters: dict[int, Letter] = {}

    def letter(user) -> Letter:
        if user.pk not in letters:
            letters[user.pk] = Letter(user)
        return letters[user.pk]

    for assignment in _new_assignments():
        letter(assignment.expert).assignments.append(assignment)
    disputes = _answered_disputes()
    applicants = _applicants({d.application_id for d in disputes})
    for dispute in disputes:
        for user in applicants.get(dispute.application_id, ()):
            letter(user).disputes.append(dispute)
    reminders = _deadlines(today)
    for _, _, lines in reminders:
        for user, line in lines:
            letter(user).deadlines.append(line)

    sent, told_assignments, told_disputes = 0, set(), set()
    connection = get_connection()
    for one in letters.values():
        user = one.user
        if not one or not user.is_active or not user.email:
            continue
        message = EmailMessage(subject=f"ПрофИнфо, смотр-конкурс: новое на {today:%d.%m.%Y}",
                               body=_body(one), to=[user.email], connection=connection)
        try:
            message.send()
        except Exception:  # one refused address never stops the others' letters
            log.exception("Письмо о смотре-конкурсе не отправлено: %s", user.get_username())
            continue
        sent += 1
        told_assignments.update(a.pk for a in one.assignments)
        told_disputes.update(d.pk for d in one.disputes)
    now = timezone.now()
    Assignment.objects.filter(pk__in=told_assignments).update(notified_at=now)
    Dispute.objects.filter(pk__in=told_disputes).update(notified_at=now)
    for contest, action, _ in reminders:  # reminded once, whoever had an address
        Event.objects.create(contest=contest, action=action)
    return sent


# --- what is new --------------------------------------------------------------------------

def _new_assignments() -> list[Assignment]:
    return list(Assignment.objects.filter(
        notified_at__isnull=True, completed_at__isnull=True,
        expert__is_active=True, application__state=ApplicationState.SUBMITTED,
        contest__is_example=False, contest__frozen_at__isnull=True,
        contest__stage__in=[Stage.APPLICATIONS, Stage.EVALUATION],
    ).select_related("expert", "application__organization",
                     "application__nomination__contest").order_by("pk"))


def _answered_disputes() -> list[Dispute]:
    return list(Dispute.objects.filter(
        notified_at__isnull=True, answered_at__isnull=False,
        application__nomination__contest__is_example=False,
    ).exclude(state=DisputeState.OPEN).select_related(
        "criterion", "application__organization", "application__nomination__contest"
    ).order_by("answered_at", "pk"))


def _applicants(application_ids: set[int]) -> dict[int, list]:
    """application → the people who speak for it: editors and administrators of exactly the
    applicant organization, and whoever created the application."""
    applications = list(Application.objects.filter(pk__in=application_ids)
                        .values_list("pk", "organization_id", "created_by_id"))
    organizations = {org for _, org, _ in applications}
    by_organization = defaultdict(set)
    for org, user in Membership.objects.filter(
            organization_id__in=organizations, role__in=APPLICANT_ROLES).values_list(
            "organization_id", "user_id"):
        by_organization[org].add(user)
    wanted = {pk: by_organization[org] | ({creator} if creator else set())
              for pk, org, creator in applications}
    users = get_user_model().objects.in_bulk({u for ids in wanted.values() for u in ids})
    return {pk: [users[u] for u in sorted(ids) if u in users and users[u].is_active]
            for pk, ids in wanted.items()}


def _organizers() -> list:
    user_model = get_user_model()
    root_admins = Membership.objects.filter(role=Role.ADMIN, organization__depth=1)
    return list(user_model.objects.filter(
        Q(is_superuser=True) | Q(pk__in=root_admins.values("user_id")), is_active=True
    ).order_by("pk"))


# --- deadlines ----------------------------------------------------------------------------

STAGE_ENDS = {  # the contest's date → (what ends then, the stages in which it is still ahead)
    "applications_until": ("приём заявок", (Stage.PREPARATION, Stage.APPLICATIONS)),
    "evaluation_until": ("оценка заявок", (Stage.APPLICATIONS, Stage.EVALUATION)),
    "interaction_until": ("взаимодействие (приём возражений)",
                          (Stage.EVALUATION, Stage.INTERACTION)),
}


def _deadlines(today: dt.date) -> list[tuple[Contest, str, list[tuple[object, str]]]]:
    """(contest, the event that records the reminder, [(user, line)]) for every stage end
    within DEADLINE_DAYS that has not been reminded of yet."""
    reminders = []
    contests = Contest.objects.filter(is_example=False, frozen_at__isnull=True)
    for contest in contests:
        for end, (what, stages) in STAGE_ENDS.items():
            day = getattr(contest, end)
            if contest.stage not in stages or not today <= day <= today + dt.timedelta(
                    days=DEADLINE_DAYS):
                continue
            action = f"Разосланы напоминания: {what} — до {day:%d.%m.%Y}"
            if contest.events.filter(action=action).exists():
                continue
            when = f"{what} заканчивается {day:%d.%m.%Y} ({_days_left(day, today)})"
            reminders.append((contest, action, _deadline_lines(contest, end, when)))
    return reminders


def _deadline_lines(contest: Contest, end: str, when: str) -> list[tuple[object, str]]:
    head = f"Смотр-конкурс {contest.year}: {when}."
    applications = Application.objects.filter(nomination__contest=contest).select_related(
        "organization", "nomination")
    lines = []
    if end == "applications_until":
        drafts = list(applications.filter(state=ApplicationState.DRAFT))
        people = _applicants({a.pk for a in drafts})
        for application in drafts:
            line = (f"{head} Заявка «{application.organization.display_name}» в номинации "
                    f"«{application.nomination.title}» не подана — это черновик. Подать её: "
                    f"{_application_link(application)}")
            lines += [(user, line) for user in people.get(application.pk, ())]
        submitted = applications.filter(state=ApplicationState.SUBMITTED).count()
        summary = f"подано заявок: {submitted}, черновиков: {len(drafts)}"
    elif end == "evaluation_until":
        undone = Assignment.objects.filter(
            contest=contest, completed_at__isnull=True,
            application__state=ApplicationState.SUBMITTED).select_related("expert")
        per_expert = defaultdict(int)
        experts = {}
        for assignment in undone:
            per_expert[assignment.expert_id] += 1
            experts[assignment.expert_id] = assignment.expert
        for pk, count in per_expert.items():
            if experts[pk].is_active:
                lines.append((experts[pk], f"{head} Не оценено назначенных вам заявок: "
                                           f"{count}. Ваши заявки: {_jury_link(contest)}"))
        summary = f"не оценено назначений: {sum(per_expert.values())}"
    else:
        participating = list(applications.filter(state=ApplicationState.SUBMITTED))
        people = _applicants({a.pk for a in participating})
        for application in participating:
            line = (f"{head} Возразить против оценки заявки «"
                    f"{application.organization.display_name}» («"
                    f"{application.nomination.title}») можно до этого срока: "
                    f"{_standing_link(application)}")
            lines += [(user, line) for user in people.get(application.pk, ())]
        open_disputes = Dispute.objects.filter(application__nomination__contest=contest,
                                               state=DisputeState.OPEN).count()
        summary = f"возражений на рассмотрении: {open_disputes}"
    for organizer in _organizers():
        lines.append((organizer, f"{head} Сейчас {summary}. Страница смотра: "
                                 f"{_contest_link(contest)}"))
    return lines


def _days_left(day: dt.date, today: dt.date) -> str:
    days = (day - today).days
    return {0: "сегодня", 1: "завтра"}.get(days, f"через {days} дня")


# --- the letter ---------------------------------------------------------------------------

def _body(letter: Letter) -> str:
    user = letter.user
    parts = [f"Здравствуйте, {user.get_full_name() or user.get_username()}!"]
    if letter.assignments:
        parts.append("Вам назначены заявки на оценку:\n" + "\n".join(
            f"• смотр-конкурс {a.application.nomination.contest.year}, "
            f"«{a.application.organization.display_name}», номинация "
            f"«{a.application.nomination.title}»: {_assignment_link(a)}"
            for a in letter.assignments))
    if letter.disputes:
        parts.append("Ответы на возражения:\n" + "\n".join(
            _dispute_line(d) for d in letter.disputes))
    if letter.deadlines:
        parts.append("Сроки:\n" + "\n".join(f"• {line}" for line in letter.deadlines))
    parts.append("Это письмо ПрофИнфо отправлено автоматически: раз в день, только когда "
                 "по смотру-конкурсу есть что-то новое для вас.")
    return "\n\n".join(parts) + "\n"


def _dispute_line(dispute: Dispute) -> str:
    application = dispute.application
    decision = dispute.get_state_display()
    if dispute.state == DisputeState.ACCEPTED and dispute.points_after is not None:
        decision += f", новый балл {dispute.points_after:g}"
    return (f"• смотр-конкурс {application.nomination.contest.year}, "
            f"«{application.organization.display_name}», критерий «{dispute.criterion.title}»: "
            f"{decision}. Ответ: {dispute.answer}\n  Оценки заявки: {_standing_link(application)}")


# --- links --------------------------------------------------------------------------------

def _contest_link(contest: Contest) -> str:
    return absolute(contest_page(contest.year))


def _jury_link(contest: Contest) -> str:
    year = contest.year
    return absolute(page("contest-jury-queue", [year], f"/contest/{year}/jury/"))


def _assignment_link(assignment: Assignment) -> str:
    year = assignment.application.nomination.contest.year
    return absolute(page("contest-jury-score", [year, assignment.pk],
                         f"/contest/{year}/jury/{assignment.pk}/"))


def _application_link(application: Application) -> str:
    year = application.nomination.contest.year
    return absolute(page("contest-application", [year, application.pk],
                         f"/contest/{year}/applications/{application.pk}/"))


def _standing_link(application: Application) -> str:
    year = application.nomination.contest.year
    return absolute(page("contest-standing", [year, application.pk],
                         f"/contest/{year}/applications/{application.pk}/results/"))
