"""Reads of the contest that feed its pages: the scope is applied here, once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from profinfo.evaluation.models import Criterion
from profinfo.evaluation.scoring import worth
from profinfo.organizations.models import Organization
from profinfo.organizations.scoping import Scope

from .models import (
    Application,
    Assignment,
    Attachment,
    Contest,
    Dispute,
    Nomination,
    Result,
    Snapshot,
    SnapshotKind,
    Stage,
)
from .results import contest_criteria, criterion_key, nomination_criteria, standings

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
                        r.total, r.maximum, r.criteria, r.blocks)
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


def criterion_lines(criteria: list[Criterion], row: Row | None,
                    evidence: dict[str, str]) -> list[CriterionLine]:
    """Per criterion of the nomination: the points, the automatic evidence and, where the
    criterion is not fully met, its recommendation."""
    lines = []
    for criterion in criteria:
        key = criterion_key(criterion)
        points = row.criteria.get(key) if row else None
        top = worth(criterion)
        met = None if points is None else points >= top - 1e-9
        lines.append(CriterionLine(criterion, key, points, top, met, evidence.get(key, ""),
                                   "" if met else criterion.recommendation))
    return lines


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
        return [r for r in self.rows if r.place <= self.places]


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
