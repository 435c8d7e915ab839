"""Reads of the contest that feed its pages: the scope is applied here, once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from profinfo import formatting
from profinfo.evaluation.models import Criterion
from profinfo.evaluation.scoring import worth
from profinfo.monitoring.models import Metric
from profinfo.monitoring.selectors import sites_criteria
from profinfo.organizations.models import LEVEL_NAMES, Membership, Organization, Role
from profinfo.organizations.scoping import Scope
from profinfo.registry.models import Kind, Resource

from .models import (
    Application,
    ApplicationState,
    Assignment,
    Attachment,
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
from .results import (
    contest_criteria,
    criterion_key,
    jury_points,
    nomination_criteria,
    standings,
    wins,
)
from .services import jury_criteria

# --- participant pages (web/views/contest_participant.py) -------------------------------------

def participant_contest(year: int) -> Contest | None:
    return Contest.objects.select_related("methodology").filter(year=year).first()


def applications_open(contest: Contest, today: dt.date | None = None) -> bool:
    """The stage and the dates both let applications be made and changed (as the services
    check them), for a page to show its forms only when they can succeed."""
    today = today or timezone.localdate()
    return (contest.stage == Stage.APPLICATIONS
            and contest.applications_from <= today <= contest.applications_until)


def participant_application(contest: Contest, pk: int) -> Application | None:
    return (Application.objects.select_related("organization", "nomination",
                                               "nomination__contest", "confirmed_by")
            .filter(pk=pk, nomination__contest=contest).first())


def application_readable(application: Application, scope: Scope, user) -> bool:
    """Those who can read the organization, the organizers, the experts assigned to it."""
    if scope.can_read(application.organization) or scope.is_global_admin:
        return True
    return bool(user is not None and user.is_authenticated and Assignment.objects.filter(
        application=application, expert=user).exists())


def participant_attachment(contest: Contest, pk: int) -> Attachment | None:
    return (Attachment.objects.select_related("application", "application__organization")
            .filter(pk=pk, application__nomination__contest=contest).first())


def participant_dispute(contest: Contest, pk: int) -> Dispute | None:
    return (Dispute.objects.select_related("application", "application__organization")
            .filter(pk=pk, application__nomination__contest=contest).first())


def applications_in_scope(contest: Contest, scope: Scope) -> QuerySet[Application]:
    """The contest's applications of organizations the user may edit."""
    return (Application.objects.filter(nomination__contest=contest)
            .filter(scope.editable("organization__"))
            .select_related("organization", "nomination").order_by("nomination__order", "pk"))


def organization_applications(organization: Organization) -> list[Application]:
    """Every application of one organization, newest contest first; `results_visible` says
    whether its contest has reached «взаимодействие» (the standing page has scores)."""
    applications = list(Application.objects.filter(organization=organization)
                        .select_related("nomination", "nomination__contest")
                        .order_by("-nomination__contest__year", "nomination__order", "pk"))
    for application in applications:
        application.results_visible = application.nomination.contest.stage_reached(
            Stage.INTERACTION)
    return applications


def contests_taking_applications(today: dt.date | None = None) -> list[Contest]:
    return [c for c in Contest.objects.filter(stage=Stage.APPLICATIONS)
            if applications_open(c, today)]


def final_snapshot(contest: Contest) -> Snapshot | None:
    return contest.snapshots.filter(kind=SnapshotKind.FINAL, superseded=False).first()


@dataclass
class Row:
    """One participant of a nomination as its results page shows it."""

    application_id: int
    organization_id: int
    organization_name: str
    place: int
    total: float
    maximum: float
    criteria: dict = field(default_factory=dict)  # criterion key → points or None
    blocks: list = field(default_factory=list)  # [title, points, maximum]
    result_id: int | None = None  # the frozen Result (its diploma), once frozen
    winner: bool = False


@dataclass
class NominationResults:
    rows: list[Row]  # best first, every participant of the nomination
    final: bool  # from the final snapshot (else computed now)
    taken: dt.datetime | None = None


def nomination_results(contest: Contest, nomination: Nomination) -> NominationResults | None:
    """The standings of ALL participants of a nomination, whoever asks: the live computation
    during «взаимодействие», the final snapshot once frozen; None before «взаимодействие»."""
    if not contest.stage_reached(Stage.INTERACTION):
        return None
    if contest.is_frozen:
        snapshot = final_snapshot(contest)
        if snapshot is not None:
            rows = [Row(r.application_pk, r.organization_pk, r.organization_name, r.place,
                        r.total, r.maximum, r.criteria, r.blocks, r.pk,
                        wins(r.place, r.total, nomination.places))
                    for r in snapshot.results.filter(nomination_pk=nomination.pk)
                    .order_by("place", "organization_name", "pk")]
            return NominationResults(rows, True, snapshot.created_at)
    live = standings(contest, nomination).get(nomination.pk, [])
    names = dict(Organization.objects.filter(pk__in=[s.organization_id for s in live])
                 .values_list("pk", "name"))
    rows = [Row(s.application_id, s.organization_id, names.get(s.organization_id, ""),
                s.place, s.total, s.maximum, s.criteria, s.blocks) for s in live]
    return NominationResults(rows, False)


def nomination_criteria_of(contest: Contest, nomination: Nomination) -> list[Criterion]:
    return nomination_criteria(nomination, contest_criteria(contest))


@dataclass
class CriterionLine:
    criterion: Criterion
    key: str
    points: float | None
    maximum: float
    met: bool | None  # full points; None: no data
    evidence: str = ""
    recommendation: str = ""
    comments: list[str] = field(default_factory=list)  # the experts', unnamed


def criterion_lines(criteria: list[Criterion], row: Row | None, evidence: dict[str, str],
                    comments: dict[str, list[str]] | None = None) -> list[CriterionLine]:
    """Per criterion of the nomination: the points, the automatic evidence or the experts'
    comments and, where the criterion is not fully met, its recommendation."""
    lines = []
    for criterion in criteria:
        key = criterion_key(criterion)
        points = row.criteria.get(key) if row else None
        top = worth(criterion)
        met = None if points is None else points >= top - 1e-9
        lines.append(CriterionLine(criterion, key, points, top, met, evidence.get(key, ""),
                                   "" if met else criterion.recommendation,
                                   (comments or {}).get(key, [])))
    return lines


def expert_comments(application: Application) -> dict[str, list[str]]:
    """criterion key → «Эксперт N: comment» for the application's marks; experts are numbered
    by assignment, never named, so a participant reads what was missing but not who said it."""
    number: dict[int, int] = {}
    result: dict[str, list[str]] = {}
    for assignment_id, block, code, comment in Mark.objects.filter(
            assignment__application=application).order_by("assignment_id", "criterion__order"
                                                          ).values_list(
            "assignment_id", "criterion__block__code", "criterion__code", "comment"):
        number.setdefault(assignment_id, len(number) + 1)
        if comment.strip():
            result.setdefault(f"{block}/{code}", []).append(
                f"Эксперт {number[assignment_id]}: {comment.strip()}")
    return result


def application_disputes(application: Application) -> list[Dispute]:
    """The application's disputes, newest first; `answered_as` says who answered by role
    («эксперт жюри» or «организатор смотра»): a participant does not learn an expert's name."""
    disputes = list(application.disputes.select_related("criterion", "created_by")
                    .order_by("-created_at", "-pk"))
    experts = set(application.assignments.values_list("expert_id", flat=True))
    for dispute in disputes:
        dispute.answered_as = ("" if dispute.answered_by_id is None else "эксперт жюри"
                               if dispute.answered_by_id in experts else "организатор смотра")
    return disputes


@dataclass
class PublicNomination:
    pk: int
    title: str
    places: int
    rows: list[Result]

    @property
    def winners(self) -> list[Result]:
        return [r for r in self.rows if wins(r.place, r.total, self.places)]


def public_results(contest: Contest) -> tuple[Snapshot | None, list[PublicNomination]]:
    """The published contest's final results by nomination (the snapshot's titles and
    names, as they were when frozen)."""
    snapshot = final_snapshot(contest)
    if snapshot is None:
        return None, []
    places = {n.pk: n.places for n in contest.nominations.all()}
    order = {pk: index for index, pk in enumerate(places)}
    grouped: dict[int, PublicNomination] = {}
    for result in snapshot.results.order_by("nomination_pk", "place", "organization_name",
                                            "pk"):
        grouped.setdefault(result.nomination_pk, PublicNomination(
            result.nomination_pk, result.nomination_title,
            places.get(result.nomination_pk, 3), [])).rows.append(result)
    return snapshot, sorted(grouped.values(), key=lambda n: (order.get(n.pk, len(order)), n.pk))


# --- organizer and jury pages (web/views/contest_organizer.py, contest_jury.py) ---------------

def contests_listed() -> QuerySet[Contest]:
    return Contest.objects.annotate(nominations_count=Count("nominations")).order_by("-year")


@dataclass
class StageStep:
    value: str
    label: str
    dates: str
    current: bool
    passed: bool


def stage_line(contest: Contest) -> list[StageStep]:
    """подготовка → … → опубликовано, each with its dates, the current one marked."""
    day = formatting.date
    dates = {
        Stage.PREPARATION: f"до {day(contest.applications_from)}",
        Stage.APPLICATIONS: f"{day(contest.applications_from)} — "
                            f"{day(contest.applications_until)}",
        Stage.EVALUATION: f"до {day(contest.evaluation_until)}",
        Stage.INTERACTION: f"до {day(contest.interaction_until)}",
        Stage.SUMMING_UP: day(contest.results_on),
        Stage.PUBLISHED: "по решению организаторов",
    }
    current = contest.stage_index()
    return [StageStep(stage.value, stage.label, dates[stage], index == current,
                      index < current) for index, stage in enumerate(Stage)]


def nomination_terms(nomination: Nomination, block_titles: dict[str, str]) -> str:
    """Who may take part in a nomination and what is scored, in words."""
    parts = [f"участвуют {LEVEL_NAMES.get(nomination.level, nomination.level)}"
             if nomination.level else "участвуют организации любого уровня"]
    low, high = nomination.members_from, nomination.members_to
    if low is not None and high is not None:
        parts.append(f"от {formatting.number(low)} до {formatting.number(high)} членов "
                     "профсоюза")
    elif low is not None:
        parts.append(f"от {formatting.number(low)} членов профсоюза")
    elif high is not None:
        parts.append(f"до {formatting.number(high)} членов профсоюза")
    if nomination.resource_kind:
        kind = dict(Kind.choices).get(nomination.resource_kind, nomination.resource_kind)
        parts.append(f"в реестре должен быть ресурс вида «{kind}»")
    codes = nomination.block_codes
    if codes:
        parts.append("оцениваются блоки: " + ", ".join(
            f"«{block_titles.get(code, code)}»" for code in codes))
    else:
        parts.append("оценивается вся информационная работа (все блоки методики)")
    parts.append(f"призовых мест: {nomination.places}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def nominations_described(contest: Contest) -> list[tuple[Nomination, str]]:
    titles = dict(contest.methodology.blocks.values_list("code", "title"))
    return [(n, nomination_terms(n, titles)) for n in contest.nominations.all()]


def contest_events(contest: Contest, limit: int = 50) -> list[Event]:
    return list(contest.events.select_related("user")[:limit])


def experts() -> QuerySet:
    """Active users holding the «Эксперт (жюри)» role anywhere."""
    return (get_user_model().objects.filter(is_active=True, memberships__role=Role.EXPERT)
            .distinct().order_by("last_name", "first_name", "username"))


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


@dataclass
class ExpertLine:
    user: object
    name: str
    organizations: str
    assigned: int = 0
    scored: int = 0
    has_role: bool = True  # False: holds assignments, no longer the «Эксперт (жюри)» role

    @property
    def remaining(self) -> int:
        return self.assigned - self.scored


def expert_lines(contest: Contest) -> list[ExpertLine]:
    """Every expert (and anyone who holds an assignment of the contest): their organizations,
    how many applications they were given and scored. Three queries whatever the jury's size."""
    load = {row["expert"]: row for row in Assignment.objects.filter(
        contest=contest).values("expert").annotate(
        assigned=Count("pk"), scored=Count("pk", filter=Q(completed_at__isnull=False)))}
    with_role = set(experts().values_list("pk", flat=True))
    users = list(get_user_model().objects.filter(
        Q(pk__in=experts().values("pk")) | Q(pk__in=Assignment.objects.filter(
            contest=contest).values("expert")))
        .order_by("last_name", "first_name", "username"))
    where: dict[int, set[str]] = {}
    for user_id, name in Membership.objects.filter(
            user__in=[u.pk for u in users]).values_list("user_id", "organization__short_name"):
        where.setdefault(user_id, set()).add(name)
    lines = []
    for user in users:
        row = load.get(user.pk, {})
        places = ", ".join(sorted(where.get(user.pk, ())))
        lines.append(ExpertLine(user, person_name(user), places, row.get("assigned", 0),
                                row.get("scored", 0), user.pk in with_role))
    return lines


def organizer_applications(contest: Contest, *, nomination: Nomination | None = None,
                           state: str = "", text: str = "") -> QuerySet[Application]:
    """Every application of the contest, filtered, with how many experts it has and how many
    of them scored it (annotated, so a page of them is one query)."""
    qs = Application.objects.filter(nomination__contest=contest)
    if nomination is not None:
        qs = qs.filter(nomination=nomination)
    if state:
        qs = qs.filter(state=state)
    if text:
        qs = qs.filter(organization__search_text__contains=text.casefold())
    return (qs.select_related("organization", "nomination")
            .annotate(experts_count=Count("assignments"),
                      scored_count=Count("assignments",
                                         filter=Q(assignments__completed_at__isnull=False)))
            .order_by("nomination__order", "nomination_id", "organization__name", "pk"))


def assignments_by_application(application_ids: list[int]) -> dict[int, list[Assignment]]:
    found: dict[int, list[Assignment]] = {pk: [] for pk in application_ids}
    for assignment in (Assignment.objects.filter(application_id__in=application_ids)
                       .select_related("expert").order_by("pk")):
        found[assignment.application_id].append(assignment)
    return found


def conflict_refusals(contest: Contest) -> QuerySet[ConflictRefusal]:
    return (ConflictRefusal.objects.filter(application__nomination__contest=contest)
            .select_related("expert", "refused_for", "application__organization",
                            "application__nomination"))


def disagreements_of(contest: Contest) -> dict[int, list[str]]:
    """application id → titles of the criteria where its experts differ past the threshold."""
    criteria = contest_criteria(contest)
    titles = {criterion_key(c): c.title for c in criteria}
    return {pk: [titles.get(key, key) for key in keys]
            for pk, keys in jury_points(contest, criteria).disagreements.items()}


def disagreement_lines(flags: dict[int, list[str]], limit: int = 200
                       ) -> list[tuple[Application, list[str]]]:
    """The applications of disagreements_of (the first `limit`), with what they differ on."""
    ids = sorted(flags)[:limit]
    found = Application.objects.filter(pk__in=ids).select_related("organization",
                                                                  "nomination")
    return [(a, flags[a.pk]) for a in sorted(found, key=lambda a: (a.nomination.order,
                                                                    a.nomination_id,
                                                                    a.organization.name))]


@dataclass
class ExpertMarks:
    assignment: Assignment
    name: str
    marks: list[tuple[Criterion, Mark | None]]


def application_jury(application: Application) -> list[ExpertMarks]:
    """The experts of one application and each one's marks per jury criterion."""
    criteria = jury_criteria(application.nomination)
    marks = {(m.assignment_id, m.criterion_id): m
             for m in Mark.objects.filter(assignment__application=application)}
    return [ExpertMarks(a, person_name(a.expert),
                        [(c, marks.get((a.pk, c.pk))) for c in criteria])
            for a in application.assignments.select_related("expert").order_by("pk")]


@dataclass
class JurySummary:
    submitted: int
    awaiting: int
    drafts: int
    without_experts: int
    assignments: int
    scored: int
    experts: int

    @property
    def remaining(self) -> int:
        return self.assignments - self.scored


def jury_summary(contest: Contest) -> JurySummary:
    applications = Application.objects.filter(nomination__contest=contest)
    states = applications.aggregate(
        submitted=Count("pk", filter=Q(state=ApplicationState.SUBMITTED)),
        awaiting=Count("pk", filter=Q(state=ApplicationState.AWAITING)),
        drafts=Count("pk", filter=Q(state=ApplicationState.DRAFT)))
    jury = Assignment.objects.filter(contest=contest).aggregate(
        total=Count("pk"), scored=Count("pk", filter=Q(completed_at__isnull=False)),
        experts=Count("expert", distinct=True))
    without = applications.filter(state=ApplicationState.SUBMITTED).exclude(
        Exists(Assignment.objects.filter(application=OuterRef("pk")))).count()
    return JurySummary(states["submitted"], states["awaiting"], states["drafts"], without,
                       jury["total"], jury["scored"], jury["experts"])


@dataclass
class NominationProgress:
    nomination: Nomination
    submitted: int = 0
    with_experts: int = 0
    scored: int = 0  # every expert of the application has scored it


def nomination_progress(contest: Contest) -> list[NominationProgress]:
    given = Assignment.objects.filter(application=OuterRef("pk"))
    unscored = given.filter(completed_at__isnull=True)
    counts = {row["nomination"]: row for row in Application.objects.filter(
        nomination__contest=contest, state=ApplicationState.SUBMITTED).values(
        "nomination").annotate(submitted=Count("pk"),
                               with_experts=Count("pk", filter=Exists(given)),
                               scored=Count("pk", filter=Exists(given) & ~Exists(unscored)))
        .order_by()}
    lines = []
    for nomination in contest.nominations.all():
        row = counts.get(nomination.pk, {})
        lines.append(NominationProgress(nomination, row.get("submitted", 0),
                                        row.get("with_experts", 0), row.get("scored", 0)))
    return lines


def expert_queue(contest: Contest, user) -> QuerySet[Assignment]:
    """The expert's own assignments in the contest, the unscored first (the index on
    expert, completed_at, id serves it)."""
    return (Assignment.objects.filter(expert=user, contest=contest)
            .select_related("application__organization", "application__nomination")
            .only("completed_at", "application__state", "application__organization__name",
                  "application__nomination__title")  # not the анкета's kilobytes of JSON
            .order_by(F("completed_at").asc(nulls_first=True), "pk"))


@dataclass(frozen=True)
class QueueRow:
    """One line of an expert's queue, as plain values: the queue is the page an expert
    opens most (hundreds of applications each)."""

    assignment_id: int
    organization: str
    nomination: str
    scored_on: str  # «дд.мм.гггг», empty while not scored
    withdrawn: bool


def expert_queue_values(contest: Contest, user) -> QuerySet:
    return expert_queue(contest, user).values_list(
        "pk", "application__organization__name", "application__nomination__title",
        "completed_at", "application__state")


def queue_rows(values) -> list[QueueRow]:
    return [QueueRow(pk, organization, nomination,
                     formatting.date(timezone.localtime(completed).date()) if completed else "",
                     state != ApplicationState.SUBMITTED)
            for pk, organization, nomination, completed, state in values]


def expert_counts(contest: Contest, user) -> dict[str, int]:
    return Assignment.objects.filter(
        expert=user, contest=contest).aggregate(
        assigned=Count("pk"), scored=Count("pk", filter=Q(completed_at__isnull=False)))


def expert_assignment(year: int, user, pk: int) -> Assignment | None:
    """One of the expert's own assignments in the contest of the year, with its contest
    (one query); None for anyone else's or another year's."""
    assignment = (Assignment.objects.select_related("contest", "application__organization",
                                                    "application__nomination")
                  .filter(pk=pk, expert=user, contest__year=year).first())
    if assignment is not None:
        assignment.application.nomination.contest = assignment.contest
    return assignment


def next_unscored(contest: Contest, user, leaving: int | None = None) -> int | None:
    """The id of the expert's first assignment waiting for marks, other than the one being
    left."""
    waiting = Assignment.objects.filter(expert=user, contest=contest,
                                        completed_at__isnull=True,
                                        application__state=ApplicationState.SUBMITTED)
    if leaving is not None:
        waiting = waiting.exclude(pk=leaving)
    return waiting.order_by("pk").values_list("pk", flat=True).first()


def assignment_marks(assignment: Assignment) -> dict[int, Mark]:
    """criterion id → the mark the expert gave."""
    return {m.criterion_id: m for m in assignment.marks.all()}


def application_attachments(application: Application) -> list[Attachment]:
    return list(application.attachments.order_by("pk"))


def open_disputes(contest: Contest, *, expert=None) -> QuerySet[Dispute]:
    """Disputes awaiting an answer: all of the contest's, or those on the expert's
    applications."""
    qs = Dispute.objects.filter(application__nomination__contest=contest,
                                state=DisputeState.OPEN)
    if expert is not None:
        qs = qs.filter(application__assignments__expert=expert)
    return (qs.select_related("application__organization", "application__nomination",
                              "criterion__block", "created_by")
            .order_by("created_at", "pk"))


def dispute_for_answer(contest: Contest, pk: int) -> Dispute | None:
    return (Dispute.objects.select_related("application__organization",
                                           "application__nomination__contest",
                                           "criterion__block")
            .filter(pk=pk, application__nomination__contest=contest).first())


@dataclass
class PrefillResource:
    kind: str
    title: str
    url: str
    figures: list[tuple[str, str]]


@dataclass
class PrefillCriterion:
    title: str
    met: bool | None
    points: float | None
    evidence: str


PREFILL_HIDDEN = {Metric.POSTS, Metric.CHECK}


def _figure(metric: str, value) -> str:
    if value is None or value == "":
        return formatting.MISSING
    if metric in (Metric.ENGAGEMENT, Metric.ERR):
        return formatting.percent(value)
    if isinstance(value, str):
        try:
            return formatting.date(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return formatting.number(value)


def prefill_view(prefill: dict) -> tuple[list[PrefillResource], list[PrefillCriterion]]:
    """The application's data from the registry and observations, as a person reads it."""
    labels = dict(Metric.choices)
    resources = [PrefillResource(
        row.get("kind", ""), row.get("title", ""), row.get("url", "") or "",
        [(labels.get(metric, metric), _figure(metric, value))
         for metric, value in sorted((row.get("figures") or {}).items())
         if metric not in PREFILL_HIDDEN])
        for row in prefill.get("resources", [])]
    criteria = [PrefillCriterion(row.get("title", ""), row.get("met"), row.get("points"),
                                 row.get("evidence") or "")
                for row in prefill.get("criteria", [])]
    return resources, criteria


JURY_SITES_SHOWN = 5


def site_criteria_of(organization: Organization) -> list[tuple]:
    """The organization's sites with each site criterion as the check and any decision left
    it, for the jury to confirm or correct (three queries however many sites)."""
    sites = list(Resource.objects.filter(organization=organization, kind=Kind.SITE,
                                         is_active=True)
                 .only("pk", "title", "url").order_by("pk")[:JURY_SITES_SHOWN])
    rows = sites_criteria([site.pk for site in sites])
    return [(site, rows[site.pk]) for site in sites]
