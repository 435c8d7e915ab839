"""Every write of the contest, each checked against the stage and the user's rights first: a
refused action raises ContestRefused with a Russian sentence and writes nothing."""

from __future__ import annotations

import datetime as dt
import heapq
import logging
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from profinfo import bulk
from profinfo.evaluation.models import Criterion, CriterionSource
from profinfo.monitoring.models import Observation
from profinfo.organizations.models import Membership, Organization, Role
from profinfo.organizations.scoping import Scope
from profinfo.registry.models import Resource

from .models import (
    STAGE_ORDER,
    Application,
    ApplicationState,
    Assignment,
    Attachment,
    ConfirmingOrganization,
    ConflictRefusal,
    Contest,
    Dispute,
    DisputeState,
    Event,
    Mark,
    Nomination,
    Result,
    Snapshot,
    SnapshotKind,
    Stage,
)
from .results import contest_criteria, criterion_key, standings

log = logging.getLogger(__name__)

ATTACHMENT_TYPES = {  # extension → the bytes such a file starts with
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",),
}
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENTS_PER_APPLICATION = 20
ANSWER_MAX_CHARS = 5000
COMMENT_MAX_CHARS = 5000


class ContestRefused(ValidationError):
    """An action the stage, the dates or the user's rights do not allow."""


def _refuse(message: str):
    raise ContestRefused(message)


def _today() -> dt.date:
    return timezone.localdate()


# --- who may do what --------------------------------------------------------------------------

def is_organizer(scope: Scope) -> bool:
    return scope.is_global_admin


def is_expert(scope: Scope) -> bool:
    return scope.is_superuser or Role.EXPERT in scope.roles


def expert_organizations(user) -> list[Organization]:
    return list(Organization.objects.filter(memberships__user=user).distinct())


def conflict_of_interest(user, organization: Organization) -> str:
    """Why the user may not judge the organization (their own, one above or below it), or
    an empty string."""
    for own in expert_organizations(user):
        if own.pk == organization.pk:
            return f"эксперт состоит в организации «{own.display_name}»"
        if organization.path.startswith(own.path):
            return (f"организация входит в «{own.display_name}», где состоит эксперт")
        if own.path.startswith(organization.path):
            return (f"эксперт состоит в «{own.display_name}», входящей в эту организацию")
    return ""


def override_refusal(scope: Scope, organization: Organization) -> str:
    """Why the user may not override a criterion of the organization during a contest it
    takes part in (only the organizers and its experts may then), or an empty string."""
    if is_organizer(scope):
        return ""
    running = Application.objects.filter(
        organization=organization, state=ApplicationState.SUBMITTED,
        nomination__contest__frozen_at__isnull=True,
        nomination__contest__stage__in=[Stage.APPLICATIONS, Stage.EVALUATION,
                                        Stage.INTERACTION, Stage.SUMMING_UP])
    if not running.exists():
        return ""
    return ("Организация участвует в смотре-конкурсе: пока он идёт, решения по её критериям "
            "принимают только организаторы и жюри.")


def expert_may_override(user, organization: Organization) -> bool:
    """An expert assigned to one of the organization's applications, while its contest is
    not frozen."""
    return Assignment.objects.filter(
        expert=user, application__organization=organization,
        contest__frozen_at__isnull=True).exists()


# --- set-up -----------------------------------------------------------------------------------

def _require_organizer(scope: Scope) -> None:
    if not is_organizer(scope):
        _refuse("Смотр-конкурс настраивают администраторы ЦК.")


def contest_save(contest: Contest, *, scope: Scope, user) -> Contest:
    _require_organizer(scope)
    if contest.is_frozen:
        _refuse("Итоги смотра зафиксированы: изменить его нельзя, пока он не открыт заново.")
    dates = [contest.applications_from, contest.applications_until, contest.evaluation_until,
             contest.interaction_until, contest.results_on]
    if any(later < earlier for earlier, later in zip(dates, dates[1:], strict=False)):
        _refuse("Даты этапов должны идти по порядку: приём заявок, оценка, взаимодействие, "
                "подведение итогов.")
    if contest.period_end < contest.period_start:
        _refuse("Период оценки заканчивается раньше, чем начинается.")
    with transaction.atomic():
        contest.full_clean()
        contest.save()
        methodology = contest.methodology
        if not methodology.frozen:  # the contest's methodology stays as the contest began
            methodology.frozen = True
            methodology.save(update_fields=["frozen"])
    return contest


def nomination_save(nomination: Nomination, *, scope: Scope) -> Nomination:
    _require_organizer(scope)
    if nomination.contest.stage_reached(Stage.EVALUATION):
        _refuse("Номинации меняют до начала оценки.")
    if (nomination.members_from is not None and nomination.members_to is not None
            and nomination.members_to < nomination.members_from):
        _refuse("Число членов «до» меньше, чем «от».")
    codes = set(nomination.contest.methodology.blocks.values_list("code", flat=True))
    unknown = [c for c in nomination.block_codes if c not in codes]
    if unknown:
        _refuse(f"В методике нет блоков: {', '.join(unknown)}. Есть: {', '.join(sorted(codes))}.")
    nomination.full_clean()
    nomination.save()
    return nomination


@transaction.atomic
def confirming_set(contest: Contest, organizations, *, scope: Scope) -> None:
    """The organizations that confirm their lower organizations' applications. Nothing
    changes (and nothing is refused) when the set is the same; a changed set only before
    «оценка», and never dropping one whose confirmation applications still await."""
    _require_organizer(scope)
    wanted = {o.pk: o for o in organizations}
    current = {c.organization_id: c for c in contest.confirming.select_related("organization")}
    if set(wanted) == set(current):
        return
    if contest.is_frozen or contest.stage_reached(Stage.EVALUATION):
        _refuse("Организации, подтверждающие заявки, меняют до начала оценки.")
    for pk, confirming in current.items():
        if pk in wanted:
            continue
        waiting = [a for a in Application.objects.filter(
            nomination__contest=contest, state=ApplicationState.AWAITING,
            organization__path__startswith=confirming.organization.path,
        ).select_related("organization", "nomination__contest")
            if (confirmer := confirmer_for(a)) is not None and confirmer.pk == pk]
        if waiting:
            _refuse(f"«{confirming.organization.display_name}» ещё не подтвердила заявки "
                    f"({len(waiting)}): уберите её из списка после того, как она ответит.")
    contest.confirming.exclude(organization_id__in=list(wanted)).delete()
    ConfirmingOrganization.objects.bulk_create(
        [ConfirmingOrganization(contest=contest, organization=o)
         for pk, o in wanted.items() if pk not in current])


# --- stages -----------------------------------------------------------------------------------

def stage_due(contest: Contest, today: dt.date) -> str:
    """The stage the dates say the contest is in (publication is always by hand)."""
    if today < contest.applications_from:
        return Stage.PREPARATION
    if today <= contest.applications_until:
        return Stage.APPLICATIONS
    if today <= contest.evaluation_until:
        return Stage.EVALUATION
    if today < contest.results_on or today <= contest.interaction_until:
        return Stage.INTERACTION
    return Stage.SUMMING_UP


@transaction.atomic
def stage_set(contest: Contest, stage: str, *, scope: Scope | None, user, reason: str = ""
              ) -> Contest:
    """Move the contest to a stage, by hand (scope given) or by the dates (scope None).
    Entering interaction keeps the preliminary results; entering summing-up freezes them."""
    if scope is not None:
        _require_organizer(scope)
    if stage not in STAGE_ORDER:
        _refuse("Такого этапа нет.")
    given, contest = contest, Contest.objects.select_for_update().get(pk=contest.pk)
    if stage == contest.stage:
        return contest
    going_back = STAGE_ORDER.index(stage) < contest.stage_index()
    if contest.is_frozen and stage != Stage.PUBLISHED:
        _refuse("Итоги зафиксированы: чтобы вернуться к прежним этапам, откройте смотр "
                "заново (с указанием причины).")
    if stage == Stage.PUBLISHED and not contest.is_frozen:
        _refuse("Опубликовать можно только зафиксированные итоги.")
    if going_back and not reason.strip():
        _refuse("Возврат к прежнему этапу записывается в историю: укажите причину.")
    before = contest.get_stage_display()
    contest.stage = stage
    contest._change_reason = reason
    contest.save(update_fields=["stage"])
    Event.objects.create(contest=contest, user=user, reason=reason,
                         action=f"Этап: «{before}» → «{contest.get_stage_display()}»"
                                + ("" if scope is not None else " (по датам)"))
    if stage == Stage.INTERACTION and not contest.snapshots.filter(
            kind=SnapshotKind.PRELIMINARY, superseded=False).exists():
        snapshot_take(contest, SnapshotKind.PRELIMINARY, user)
    if stage == Stage.SUMMING_UP:
        results_freeze(contest, user=user)
        contest.refresh_from_db()
    _sync(given, contest)
    return contest


def _sync(given: Contest, fresh: Contest) -> None:
    """The caller's object sees the change too (its nominations hold it as their contest)."""
    given.stage, given.frozen_at = fresh.stage, fresh.frozen_at
    given.advance_by_dates = fresh.advance_by_dates


def stages_advance(today: dt.date | None = None) -> list[Contest]:
    """Contests moved on by their dates (run daily by the scheduler); only forward."""
    today = today or _today()
    moved = []
    for contest in Contest.objects.filter(advance_by_dates=True, frozen_at__isnull=True):
        due = stage_due(contest, today)
        if STAGE_ORDER.index(due) > contest.stage_index():
            try:
                moved.append(stage_set(contest, due, scope=None, user=None))
            except ContestRefused:
                log.exception("Смотр %s не переведён на этап %s", contest.year, due)
    return moved


@transaction.atomic
def results_freeze(contest: Contest, *, user) -> Snapshot:
    given, contest = contest, Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.is_frozen:
        _refuse("Итоги уже зафиксированы.")
    if not contest.stage_reached(Stage.SUMMING_UP):
        _refuse("Итоги фиксируют на этапе «подведение итогов».")
    open_disputes = Dispute.objects.filter(application__nomination__contest=contest,
                                           state=DisputeState.OPEN).count()
    if open_disputes:
        _refuse(f"Не рассмотрено возражений: {open_disputes}. Ответьте на них, затем "
                "фиксируйте итоги.")
    snapshot = snapshot_take(contest, SnapshotKind.FINAL, user)
    contest.frozen_at = timezone.now()
    contest._change_reason = "итоги зафиксированы"
    contest.save(update_fields=["frozen_at"])
    Event.objects.create(contest=contest, user=user, action="Итоги зафиксированы")
    _sync(given, contest)
    return snapshot


@transaction.atomic
def results_reopen(contest: Contest, *, scope: Scope, user, reason: str) -> Contest:
    """The explicit, logged act that lets a frozen contest change again."""
    _require_organizer(scope)
    if not reason.strip():
        _refuse("Открыть смотр заново можно только с указанием причины: она записывается "
                "в историю.")
    given, contest = contest, Contest.objects.select_for_update().get(pk=contest.pk)
    if not contest.is_frozen:
        _refuse("Итоги не зафиксированы: открывать нечего.")
    contest.snapshots.filter(kind=SnapshotKind.FINAL).update(superseded=True)
    contest.frozen_at = None
    contest.stage = Stage.INTERACTION
    contest.advance_by_dates = False
    contest._change_reason = reason
    contest.save(update_fields=["frozen_at", "stage", "advance_by_dates"])
    Event.objects.create(contest=contest, user=user, reason=reason,
                         action="Смотр открыт заново: итоги отменены, этап «взаимодействие»")
    _sync(given, contest)
    return contest


def snapshot_take(contest: Contest, kind: str, user) -> Snapshot:
    criteria = contest_criteria(contest)
    by_nomination = standings(contest)
    nominations = {n.pk: n.title for n in contest.nominations.all()}
    names = dict(Organization.objects.filter(pk__in=Application.objects.filter(
        nomination__contest=contest, state=ApplicationState.SUBMITTED).values("organization_id"))
                 .values_list("pk", "name"))
    snapshot = Snapshot.objects.create(
        contest=contest, kind=kind, created_by=user,
        methodology={"year": contest.methodology.year, "title": contest.methodology.title,
                     "criteria": [{"key": criterion_key(c), "title": c.title,
                                   "block": c.block.title, "points": c.points,
                                   "weight": c.block.weight, "source": c.source}
                                  for c in criteria]},
        observations=_observations_used(contest))
    # A federation's 20,000 rows of JSON: written as values (COPY on PostgreSQL), the
    # statistics of a table read by snapshot and nomination left to autovacuum.
    bulk.insert_values(Result, RESULT_COLUMNS, (
        (snapshot.pk, s.nomination_id, nominations[s.nomination_id], s.application_id,
         s.organization_id, names.get(s.organization_id, ""), s.level, s.total, s.maximum,
         s.jury_total, s.completeness, s.place, s.criteria, s.blocks)
        for rows in by_nomination.values() for s in rows), analyze=False)
    return snapshot


RESULT_COLUMNS = ["snapshot_id", "nomination_pk", "nomination_title", "application_pk",
                  "organization_pk", "organization_name", "organization_level", "total",
                  "maximum", "jury_total", "completeness", "place", "criteria", "blocks"]


def _observations_used(contest: Contest) -> dict:
    period = Observation.objects.filter(
        resource__organization_id__in=Application.objects.filter(
            nomination__contest=contest, state=ApplicationState.SUBMITTED
        ).values("organization_id"),
        period_end__gte=contest.period_start, period_end__lte=contest.period_end)
    figures = period.aggregate(first=Min("period_end"), last=Max("period_end"),
                               count=Count("pk"), newest=Max("pk"))
    return {"period": [contest.period_start.isoformat(), contest.period_end.isoformat()],
            "first": figures["first"] and figures["first"].isoformat(),
            "last": figures["last"] and figures["last"].isoformat(),
            "count": figures["count"], "newest_observation": figures["newest"],
            "taken": timezone.now().isoformat()}


# --- applications -----------------------------------------------------------------------------

def _require_applications_open(contest: Contest) -> None:
    today = _today()
    if contest.stage != Stage.APPLICATIONS:
        _refuse(f"Заявки принимаются на этапе «приём заявок»; сейчас — "
                f"«{contest.get_stage_display()}».")
    if today > contest.applications_until:
        _refuse(f"Приём заявок закончился {contest.applications_until:%d.%m.%Y}.")
    if today < contest.applications_from:
        _refuse(f"Приём заявок начнётся {contest.applications_from:%d.%m.%Y}.")


def eligibility_refusal(nomination: Nomination, organization: Organization) -> str:
    if nomination.level and organization.level != nomination.level:
        return (f"В номинации «{nomination.title}» участвуют организации уровня "
                f"«{nomination.get_level_display()}».")
    members = organization.members_count
    if nomination.members_from is not None or nomination.members_to is not None:
        if members is None:
            return ("Для этой номинации нужно число членов профсоюза: внесите его в карточку "
                    "организации.")
        if nomination.members_from is not None and members < nomination.members_from:
            return f"В номинации участвуют организации от {nomination.members_from} членов."
        if nomination.members_to is not None and members > nomination.members_to:
            return f"В номинации участвуют организации до {nomination.members_to} членов."
    if nomination.resource_kind and not Resource.objects.filter(
            organization=organization, kind=nomination.resource_kind, is_active=True).exists():
        return ("Для этой номинации в реестре организации нужен ресурс вида "
                f"«{dict(Resource._meta.get_field('kind').choices)[nomination.resource_kind]}».")
    if not organization.is_active:
        return "Организация отмечена как недействующая."
    return ""


@transaction.atomic
def application_create(*, nomination: Nomination, organization: Organization, scope: Scope,
                       user) -> Application:
    if not scope.can_edit(organization):
        _refuse("Заявку подаёт редактор или администратор этой организации.")
    _require_applications_open(nomination.contest)
    refusal = eligibility_refusal(nomination, organization)
    if refusal:
        _refuse(refusal)
    if Application.objects.filter(nomination=nomination, organization=organization).exists():
        _refuse("Заявка этой организации в номинации уже есть: откройте её.")
    application = Application(nomination=nomination, organization=organization,
                              created_by=user, prefill=prefill(nomination, organization))
    application.save()
    return application


def prefill(nomination: Nomination, organization: Organization) -> dict:
    """What the registry and the period's observations say, for the анкета and the jury."""
    from profinfo.evaluation.scoring import score
    from profinfo.monitoring.selectors import latest_values

    contest = nomination.contest
    resources = Resource.objects.filter(organization=organization, is_active=True)
    if nomination.resource_kind:  # before the cap: 200 resources of other kinds hid these
        resources = resources.filter(kind=nomination.resource_kind)
    resources = list(resources.order_by("kind", "title")[:200])
    latest = latest_values([r.pk for r in resources])
    rows = []
    for r in resources:
        figures = {metric: (o.value if o.value is not None else
                            (o.value_date.isoformat() if o.value_date else None))
                   for metric, o in latest.get(r.pk, {}).items()}
        rows.append({"id": r.pk, "kind": r.get_kind_display(), "title": r.title,
                     "url": r.url, "figures": figures})
    org_score = score(contest.methodology, [organization], contest.period_start,
                      contest.period_end)[0]
    codes = nomination.block_codes
    audit = [{"key": criterion_key(r.criterion), "title": r.criterion.title,
              "met": r.outcome.met, "points": r.points, "evidence": r.outcome.evidence}
             for r in org_score.results
             if r.criterion.source == CriterionSource.AUTO
             and (not codes or r.criterion.block.code in codes)]
    return {"organization": organization.name, "level": organization.get_level_display(),
            "members": organization.members_count, "resources": rows, "criteria": audit,
            "taken": timezone.now().isoformat()}


def _require_applicant(application: Application, scope: Scope) -> None:
    if not scope.can_edit(application.organization):
        _refuse("Заявку меняет редактор или администратор этой организации.")


def application_update(application: Application, *, answers: dict, contact: str,
                       scope: Scope) -> Application:
    _require_applicant(application, scope)
    _require_applications_open(application.nomination.contest)
    if application.state not in (ApplicationState.DRAFT, ApplicationState.WITHDRAWN):
        _refuse("Поданную заявку менять нельзя: отзовите её, исправьте и подайте снова.")
    allowed = {criterion_key(c) for c in jury_criteria(application.nomination)}
    application.answers = {key: str(text)[:ANSWER_MAX_CHARS]
                           for key, text in answers.items() if key in allowed}
    application.contact = contact[:300]
    application.prefill = prefill(application.nomination, application.organization)
    application.save()
    return application


def jury_criteria(nomination: Nomination) -> list[Criterion]:
    """The criteria the jury scores in a nomination (its blocks; all blocks when it names
    none), in the methodology's order."""
    criteria = Criterion.objects.filter(block__methodology=nomination.contest.methodology_id,
                                        source=CriterionSource.JURY)
    if nomination.block_codes:
        criteria = criteria.filter(block__code__in=nomination.block_codes)
    return list(criteria.select_related("block").order_by("block__order", "order", "pk"))


def confirmer_for(application: Application) -> Organization | None:
    """The nearest organization above the applicant that confirms its lower ones' applications."""
    org = application.organization
    above = [c.organization for c in application.nomination.contest.confirming
             .select_related("organization")
             if org.path.startswith(c.organization.path) and c.organization.path != org.path]
    return max(above, key=lambda o: len(o.path), default=None)


@transaction.atomic
def application_submit(application: Application, *, scope: Scope, user) -> Application:
    _require_applicant(application, scope)
    _require_applications_open(application.nomination.contest)
    if application.state not in (ApplicationState.DRAFT, ApplicationState.WITHDRAWN):
        _refuse("Заявка уже подана.")
    missing = [c.title for c in jury_criteria(application.nomination)
               if not str(application.answers.get(criterion_key(c), "")).strip()]
    if missing:
        _refuse("Заполните в анкете: " + "; ".join(f"«{t}»" for t in missing) + ".")
    confirmer = confirmer_for(application)
    application.state = ApplicationState.AWAITING if confirmer else ApplicationState.SUBMITTED
    application.submitted_at = timezone.now()
    application.confirmed_by, application.confirmed_at = None, None
    application.save()
    return application


@transaction.atomic
def application_confirm(application: Application, *, scope: Scope, user) -> Application:
    confirmer = confirmer_for(application)
    if confirmer is None or not (scope.can_edit(confirmer) or is_organizer(scope)):
        _refuse("Подтверждают заявку редакторы вышестоящей организации.")
    if application.state != ApplicationState.AWAITING:
        _refuse("Заявка не ждёт подтверждения.")
    if application.nomination.contest.stage_reached(Stage.INTERACTION):
        _refuse("Подтвердить заявку можно до конца этапа «оценка».")
    application.state = ApplicationState.SUBMITTED
    application.confirmed_by, application.confirmed_at = user, timezone.now()
    application.save()
    return application


@transaction.atomic
def application_withdraw(application: Application, *, scope: Scope, user) -> Application:
    _require_applicant(application, scope)
    if application.nomination.contest.stage != Stage.APPLICATIONS:
        _refuse("Отозвать заявку можно только на этапе «приём заявок».")
    if application.state == ApplicationState.WITHDRAWN:
        _refuse("Заявка уже отозвана.")
    application.state = ApplicationState.WITHDRAWN
    application.save()
    return application


def attachment_refusal(name: str, size: int, head: bytes) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        return "Приложите файл PDF, JPEG, PNG или DOCX."
    if size > ATTACHMENT_MAX_BYTES:
        return (f"Файл больше {ATTACHMENT_MAX_BYTES // (1024 * 1024)} МБ: уменьшите его "
                "или разделите.")
    if size == 0:
        return "Файл пустой."
    if not head.startswith(ATTACHMENT_TYPES[extension]):
        return f"Файл не похож на {extension.upper()}: его содержимое другого вида."
    return ""


@transaction.atomic
def attachment_add(application: Application, *, title: str, upload, scope: Scope,
                   user) -> Attachment:
    _require_applicant(application, scope)
    _require_applications_open(application.nomination.contest)
    if application.state not in (ApplicationState.DRAFT, ApplicationState.WITHDRAWN):
        _refuse("Приложения добавляют к черновику заявки.")
    if application.attachments.count() >= ATTACHMENTS_PER_APPLICATION:
        _refuse(f"К заявке можно приложить не больше {ATTACHMENTS_PER_APPLICATION} файлов.")
    head = upload.read(16)
    upload.seek(0)
    refusal = attachment_refusal(upload.name, upload.size, head)
    if refusal:
        _refuse(refusal)
    if not title.strip():
        _refuse("Напишите, что в файле (например: «Бюллетень, № 3, 2021»).")
    attachment = Attachment(application=application, title=title.strip()[:300],
                            size=upload.size, uploaded_by=user)
    extension = upload.name.rsplit(".", 1)[-1].lower()
    attachment.file.save(f"application-{application.pk}.{extension}", upload, save=False)
    attachment.save()
    return attachment


# --- the jury ---------------------------------------------------------------------------------

def _require_assignments_allowed(contest: Contest) -> None:
    if contest.is_frozen or contest.stage_reached(Stage.INTERACTION):
        _refuse("Экспертов назначают до конца этапа «оценка».")


def assignment_add(application: Application, expert, *, scope: Scope, user) -> Assignment:
    """Assign an expert by hand; a conflict of interest is refused and kept in the log."""
    _require_organizer(scope)
    _require_assignments_allowed(application.nomination.contest)
    if application.state != ApplicationState.SUBMITTED:
        _refuse("Экспертов назначают на поданные (и подтверждённые) заявки.")
    if not expert.is_active or not expert.memberships.filter(role=Role.EXPERT).exists():
        _refuse(f"У пользователя «{expert.get_username()}» нет роли «Эксперт (жюри)».")
    conflict = conflict_of_interest(expert, application.organization)
    if conflict:
        ConflictRefusal.objects.create(application=application, expert=expert,
                                       reason=conflict, refused_for=user)
        log.warning("Конфликт интересов: %s, заявка %s: %s", expert.get_username(),
                    application.pk, conflict)
        _refuse(f"Нельзя назначить эксперта «{_expert_name(expert)}»: {conflict} "
                "(конфликт интересов).")
    assignment, created = Assignment.objects.get_or_create(
        application=application, expert=expert, defaults={"assigned_by": user})
    if not created:
        _refuse("Этот эксперт уже назначен на заявку.")
    return assignment


def _expert_name(expert) -> str:
    return expert.get_full_name() or expert.get_username()


@transaction.atomic
def assignments_distribute(contest: Contest, experts: list, per_application: int, *,
                           scope: Scope, user) -> tuple[int, list[str]]:
    """Give every submitted application `per_application` experts without a conflict of
    interest, each time the least loaded of them; (assignments made, what could not be)."""
    _require_organizer(scope)
    _require_assignments_allowed(contest)
    if not 1 <= per_application <= 10:
        _refuse("Экспертов на заявку — от 1 до 10.")
    judging = set(Membership.objects.filter(user__in=[e.pk for e in experts],
                                            role=Role.EXPERT).values_list("user_id", flat=True))
    experts = {e.pk: e for e in experts if e.is_active and e.pk in judging}
    if not experts:
        _refuse("Нет ни одного пользователя с ролью «Эксперт (жюри)».")
    conflicts = _ConflictIndex(Membership.objects.filter(user__in=list(experts)).values_list(
        "user_id", "organization__path"))
    load = Counter(dict(Assignment.objects.filter(
        contest=contest, expert__in=list(experts))
        .values("expert").annotate(n=Count("pk")).values_list("expert", "n")))
    existing: dict[int, set[int]] = {}
    for application_id, expert_id in Assignment.objects.filter(
            contest=contest).values_list("application_id",
                                                                  "expert_id"):
        existing.setdefault(application_id, set()).add(expert_id)
    queue = [(load[pk], pk) for pk in experts]  # the least loaded expert on top
    heapq.heapify(queue)
    made, short = [], []
    applications = Application.objects.filter(
        nomination__contest=contest, state=ApplicationState.SUBMITTED
    ).select_related("organization", "nomination").order_by("pk")
    for application in applications.iterator(chunk_size=2000):
        taken = existing.get(application.pk, set()) & experts.keys()
        barred = taken | conflicts.of(application.organization.path)
        chosen, passed = [], []
        while queue and len(taken) + len(chosen) < per_application:
            count, pk = heapq.heappop(queue)
            (passed if pk in barred else chosen).append((count, pk))
        for count, pk in chosen:
            made.append(Assignment(application=application, contest=contest,
                                   expert=experts[pk], assigned_by=user))
            heapq.heappush(queue, (count + 1, pk))
        for item in passed:
            heapq.heappush(queue, item)
        have = len(taken) + len(chosen)
        if have < per_application:
            short.append(f"«{application.organization.display_name}» "
                         f"({application.nomination.title}): экспертов без конфликта "
                         f"интересов {have} из {per_application}")
    Assignment.objects.bulk_create(made, batch_size=2000)
    return len(made), short


class _ConflictIndex:
    """Which experts may not judge an organization, found by its path in a few dictionary
    lookups: those in it, above it (an organization on its path) or below it."""

    def __init__(self, memberships):
        step = Organization.steplen
        self.at: dict[str, set[int]] = {}
        self.within: dict[str, set[int]] = {}
        for expert_id, path in memberships:
            self.at.setdefault(path, set()).add(expert_id)
            for end in range(step, len(path) + 1, step):
                self.within.setdefault(path[:end], set()).add(expert_id)

    def of(self, path: str) -> set[int]:
        step = Organization.steplen
        barred = set(self.within.get(path, ()))  # in it or below it
        for end in range(step, len(path) + 1, step):
            barred |= self.at.get(path[:end], set())  # in an organization above it
        return barred


def _require_own_assignment(assignment: Assignment, user) -> None:
    if assignment.expert_id != user.pk:
        _refuse("Эта заявка назначена другому эксперту.")


@transaction.atomic
def marks_save(assignment: Assignment, marks: dict[int, tuple[float, str]], *, user
               ) -> list[Mark]:
    """criterion id → (points, comment). Every jury criterion of the nomination must be
    scored; a comment is required when the points are below the criterion's."""
    _require_own_assignment(assignment, user)
    contest = assignment.application.nomination.contest
    if contest.stage != Stage.EVALUATION:
        _refuse(f"Оценки ставят на этапе «оценка»; сейчас — «{contest.get_stage_display()}».")
    if assignment.application.state != ApplicationState.SUBMITTED:
        _refuse("Заявка отозвана: оценивать её не нужно.")
    criteria = {c.pk: c for c in jury_criteria(assignment.application.nomination)}
    errors = []
    for pk, criterion in criteria.items():
        if pk not in marks:
            errors.append(f"«{criterion.title}»: поставьте балл.")
            continue
        points, comment = marks[pk]
        if not 0 <= points <= criterion.points:
            errors.append(f"«{criterion.title}»: балл от 0 до {criterion.points:g}.")
        elif points < criterion.points and not comment.strip():
            errors.append(f"«{criterion.title}»: балл ниже наибольшего — напишите, почему.")
    if set(marks) - set(criteria):
        errors.append("Среди оценок есть критерий, которого нет в этой номинации.")
    if errors:
        _refuse(" ".join(errors))
    saved = []
    for pk, (points, comment) in marks.items():
        mark, _ = Mark.objects.update_or_create(
            assignment=assignment, criterion_id=pk,
            defaults={"points": points, "comment": comment.strip()[:COMMENT_MAX_CHARS]})
        saved.append(mark)
    assignment.completed_at = timezone.now()
    assignment.save(update_fields=["completed_at"])
    return saved


# --- interaction ------------------------------------------------------------------------------

@transaction.atomic
def dispute_open(application: Application, criterion: Criterion, *, comment: str, upload,
                 scope: Scope, user) -> Dispute:
    _require_applicant(application, scope)
    contest = application.nomination.contest
    if contest.stage != Stage.INTERACTION or contest.is_frozen:
        _refuse("Оспорить оценку можно только на этапе «взаимодействие».")
    if application.state != ApplicationState.SUBMITTED:
        _refuse("Оспаривают оценки поданных заявок.")
    from .results import nomination_criteria

    if criterion not in nomination_criteria(application.nomination,
                                            contest_criteria(contest)):
        _refuse("Этого критерия нет в номинации.")
    if not comment.strip():
        _refuse("Напишите, с чем вы не согласны и почему.")
    if application.disputes.filter(criterion=criterion, state=DisputeState.OPEN).exists():
        _refuse("По этому критерию уже есть возражение на рассмотрении.")
    if upload is not None:
        head = upload.read(16)
        upload.seek(0)
        refusal = attachment_refusal(upload.name, upload.size, head)
        if refusal:
            _refuse(refusal)
    current = standings(contest, application.nomination).get(application.nomination_id, [])
    mine = next((s for s in current if s.application_id == application.pk), None)
    dispute = Dispute(application=application, criterion=criterion,
                      comment=comment.strip()[:COMMENT_MAX_CHARS], created_by=user,
                      points_before=mine.criteria.get(criterion_key(criterion)) if mine
                      else None)
    if upload is not None:
        extension = upload.name.rsplit(".", 1)[-1].lower()
        dispute.file.save(f"dispute-{application.pk}.{extension}", upload, save=False)
    dispute.save()
    return dispute


def may_answer(dispute: Dispute, scope: Scope, user) -> bool:
    return is_organizer(scope) or Assignment.objects.filter(
        application=dispute.application, expert=user).exists()


@transaction.atomic
def dispute_answer(dispute: Dispute, *, accepted: bool, points: float | None, answer: str,
                   scope: Scope, user) -> Dispute:
    if not may_answer(dispute, scope, user):
        _refuse("На возражение отвечают организаторы и эксперты этой заявки.")
    contest = dispute.application.nomination.contest
    if contest.is_frozen or contest.stage not in (Stage.INTERACTION, Stage.SUMMING_UP):
        _refuse("На возражения отвечают на этапе «взаимодействие».")
    if dispute.state != DisputeState.OPEN:
        _refuse("На это возражение уже ответили.")
    if not answer.strip():
        _refuse("Напишите ответ: участник увидит его вместе с решением.")
    if accepted:
        top = dispute.criterion.points
        if points is None or not 0 <= points <= top:
            _refuse(f"Укажите новый балл от 0 до {top:g}.")
        dispute.points_after = points
    dispute.state = DisputeState.ACCEPTED if accepted else DisputeState.REJECTED
    dispute.answer = answer.strip()[:COMMENT_MAX_CHARS]
    dispute.answered_by, dispute.answered_at = user, timezone.now()
    dispute._change_reason = dispute.answer
    dispute.save()
    return dispute
