"""The contest's standings: evaluation's scores of the participants, the jury's marks in place
of its criteria, accepted disputes in place of what they changed, places by the tie rule.

Pure of writes: services freeze what this computes into snapshots."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min

from profinfo.evaluation.models import Criterion, CriterionSource
from profinfo.evaluation.scoring import score, worth
from profinfo.organizations.models import Organization

from .models import (
    Application,
    ApplicationState,
    Contest,
    Dispute,
    DisputeState,
    Mark,
    Nomination,
    TieRule,
)

PRECISION = 6  # totals are compared rounded: a mean of marks is a float

TIE_RULE_TEXT = {rule.value: rule.label for rule in TieRule}
NORMALIZATION_TEXT = (
    "Нормализация оценок экспертов: оценка x эксперта e по критерию c приводится к виду "
    "μc + σc·z, где z = (x − me,c) / se,c; me,c и se,c — среднее и стандартное отклонение "
    "оценок этого эксперта по критерию, μc и σc — среднее и стандартное отклонение всех "
    "оценок жюри по критерию (в долях баллов критерия). Результат ограничен отрезком от 0 "
    "до баллов критерия. Оценки эксперта, у которого по критерию меньше трёх оценок или все "
    "они одинаковы, не нормализуются.")
MIN_MARKS_TO_NORMALIZE = 3
PRIZE_RULE_TEXT = ("Призовое место (и диплом) получает участник, чьё место не ниже числа "
                   "призовых мест номинации и у кого больше 0 баллов.")


def wins(place: int, total: float, places: int) -> bool:
    """A prize place: within the nomination's prize places, and earned with some points
    (a participant with none, whose data may simply be missing, gets no diploma)."""
    return place <= places and round(total, PRECISION) > 0


@dataclass
class Standing:
    application_id: int
    organization_id: int
    nomination_id: int
    level: str
    total: float = 0.0
    maximum: float = 0.0
    jury_total: float = 0.0
    known: int = 0
    count: int = 0
    criteria: dict[str, float | None] = field(default_factory=dict)  # code → points
    blocks: list[list] = field(default_factory=list)  # [title, points, maximum]
    disagreements: list[str] = field(default_factory=list)  # criteria codes
    place: int | None = None
    participants: int = 0

    @property
    def completeness(self) -> float:
        return self.known / self.count if self.count else 0.0

    def key(self, rule: str) -> tuple:
        total = -round(self.total, PRECISION)
        if rule == TieRule.SHARED:
            return (total,)
        return (total, -round(self.jury_total, PRECISION), -round(self.completeness,
                                                                  PRECISION))


def criterion_key(criterion: Criterion) -> str:
    """How a criterion is named in results and exports: block code / criterion code."""
    return f"{criterion.block.code}/{criterion.code}"


def nomination_criteria(nomination: Nomination, criteria: list[Criterion]) -> list[Criterion]:
    codes = nomination.block_codes
    return [c for c in criteria if not codes or c.block.code in codes]


def contest_criteria(contest: Contest) -> list[Criterion]:
    return list(Criterion.objects.filter(block__methodology=contest.methodology_id)
                .select_related("block").order_by("block__order", "order", "pk"))


def participants(contest: Contest, nomination: Nomination | None = None):
    applications = Application.objects.filter(nomination__contest=contest,
                                              state=ApplicationState.SUBMITTED)
    if nomination is not None:
        applications = applications.filter(nomination=nomination)
    return applications


def standings(contest: Contest, nomination: Nomination | None = None
              ) -> dict[int, list[Standing]]:
    """nomination id → its participants' standings, best first, with places."""
    criteria = contest_criteria(contest)
    nominations = {n.pk: n for n in contest.nominations.all()}
    applications = list(participants(contest, nomination).values_list(
        "pk", "organization_id", "nomination_id"))
    organizations = Organization.objects.filter(pk__in=participants(contest, nomination)
                                                .values("organization_id"))
    scored = {s.organization_id: s for s in score(contest.methodology, organizations,
                                                  contest.period_start, contest.period_end)}
    columns = next((s.columns for s in scored.values()), [])
    plans = {pk: _Plan(nomination_criteria(n, criteria), columns)
             for pk, n in nominations.items()}
    jury = jury_points(contest, criteria)
    adjusted = accepted_disputes(contest)
    result: dict[int, list[Standing]] = {pk: [] for pk in nominations}
    for application_id, organization_id, nomination_id in applications:
        org_score = scored.get(organization_id)
        if org_score is not None:
            standing = plans[nomination_id].standing(
                application_id, organization_id, nomination_id, org_score.level,
                jury.means, adjusted)
            standing.disagreements = jury.disagreements.get(application_id, [])
            result[nomination_id].append(standing)
    for standings_of_one in result.values():
        place(standings_of_one, contest.tie_rule)
    return result


@dataclass
class _Slot:
    """A criterion of a nomination with what adding it up needs, looked up once."""

    pk: int
    key: str
    block: int  # index into the nomination's blocks
    weight: float
    worth: float
    jury: bool
    decided: dict | None  # organization → decision (automatic criteria)
    default: tuple | None


class _Plan:
    """How one nomination's standings are added up: a federation's 20,000 applications × 30
    criteria run through this loop when results are frozen, so it reads prepared slots."""

    def __init__(self, criteria: list[Criterion], columns):
        by_pk = {c.criterion.pk: c for c in columns}
        self.blocks: list[tuple[str, float]] = []
        index: dict[int, int] = {}
        self.slots = []
        for criterion in criteria:
            block = criterion.block
            if block.pk not in index:
                index[block.pk] = len(self.blocks)
                self.blocks.append((block.title, 0.0))
            title, top = self.blocks[index[block.pk]]
            self.blocks[index[block.pk]] = (title, top + worth(criterion))
            column = by_pk.get(criterion.pk)
            jury = criterion.source == CriterionSource.JURY
            self.slots.append(_Slot(
                criterion.pk, criterion_key(criterion), index[block.pk], block.weight,
                worth(criterion), jury,
                None if jury or column is None else column.decisions.by_org,
                None if jury or column is None else column.decisions.default))
        self.maximum = sum(slot.worth for slot in self.slots)

    def standing(self, application_id, organization_id, nomination_id, level, means,
                 adjusted) -> Standing:
        blocks = [[title, 0.0, top] for title, top in self.blocks]
        points_of: dict[str, float | None] = {}
        total = jury_total = 0.0
        known = 0
        for slot in self.slots:
            given = adjusted.get((application_id, slot.pk))
            if given is not None:
                points = given * slot.weight
            elif slot.jury:
                mean = means.get((application_id, slot.pk))
                points = None if mean is None else mean * slot.weight
            elif slot.decided is None:
                points = None
            else:
                met = slot.decided.get(organization_id, slot.default)[0]
                points = None if met is None else slot.worth * met
            points_of[slot.key] = points
            if points is not None:
                known += 1
                total += points
                blocks[slot.block][1] += points
                if slot.jury:
                    jury_total += points
        return Standing(application_id, organization_id, nomination_id, level, total,
                        self.maximum, jury_total, known, len(self.slots), points_of, blocks)


def place(standings_of_one: list[Standing], rule: str) -> None:
    """Best first; equal keys share a place, the next place counts everyone above."""
    keyed = sorted(((s.key(rule), s.organization_id, s) for s in standings_of_one),
                   key=lambda item: item[:2])
    standings_of_one[:] = [s for _, _, s in keyed]
    previous, current = None, 0
    for index, (key, _, standing) in enumerate(keyed, start=1):
        if key != previous:
            current, previous = index, key
        standing.place, standing.participants = current, len(standings_of_one)


# --- the jury ---------------------------------------------------------------------------------

@dataclass
class JuryPoints:
    means: dict[tuple[int, int], float]  # (application, criterion) → points (criterion scale)
    disagreements: dict[int, list[str]]  # application → criteria keys


def jury_points(contest: Contest, criteria: list[Criterion] | None = None) -> JuryPoints:
    """The mean of the experts' marks per application and criterion (normalized per expert
    when the contest says so), and where experts differ by more than the threshold."""
    criteria = {c.pk: c for c in (criteria if criteria is not None
                                  else contest_criteria(contest))}
    if not contest.normalize_jury:
        return _jury_points_summed(contest, criteria)
    marks = defaultdict(list)  # (application, criterion) → [(expert, points)]
    for application_id, expert_id, criterion_id, points in Mark.objects.filter(
            assignment__contest=contest,
            assignment__application__state=ApplicationState.SUBMITTED).values_list(
            "assignment__application_id", "assignment__expert_id", "criterion_id", "points"):
        if criterion_id in criteria:
            top = criteria[criterion_id].points
            marks[(application_id, criterion_id)].append((expert_id, min(max(points, 0), top)))
    given = normalized(marks, criteria) if contest.normalize_jury else marks
    means, disagreements = {}, defaultdict(list)
    for key, expert_points in given.items():
        means[key] = statistics.fmean(p for _, p in expert_points)
        raw = [p for _, p in marks[key]]
        criterion = criteria[key[1]]
        if len(raw) > 1 and max(raw) - min(raw) > contest.disagreement_share * criterion.points:
            disagreements[key[0]].append(criterion_key(criterion))
    return JuryPoints(means, dict(disagreements))


def _jury_points_summed(contest: Contest, criteria: dict[int, Criterion]) -> JuryPoints:
    """The same means and flags without normalization, summed up by the database: one row
    per application and criterion instead of every mark (200,000 in a federation). Marks
    are written within 0…the criterion's points (services.marks_save), so no capping is
    needed before the mean."""
    means, disagreements = {}, defaultdict(list)
    for application_id, criterion_id, mean, low, high, count in Mark.objects.filter(
            assignment__contest=contest,
            assignment__application__state=ApplicationState.SUBMITTED,
            criterion__in=list(criteria)).values_list(
            "assignment__application_id", "criterion_id").annotate(
            mean=Avg("points"), low=Min("points"), high=Max("points"), n=Count("pk")
    ).values_list("assignment__application_id", "criterion_id", "mean", "low", "high", "n"):
        criterion = criteria[criterion_id]
        means[(application_id, criterion_id)] = mean
        if count > 1 and high - low > contest.disagreement_share * criterion.points:
            disagreements[application_id].append(criterion_key(criterion))
    return JuryPoints(means, dict(disagreements))


def normalized(marks, criteria) -> dict:
    """μ + σ·z per criterion (see NORMALIZATION_TEXT), in the criterion's points."""
    by_criterion = defaultdict(list)
    by_expert = defaultdict(list)
    for (_, criterion_id), expert_points in marks.items():
        top = criteria[criterion_id].points or 1
        for expert_id, points in expert_points:
            by_criterion[criterion_id].append(points / top)
            by_expert[(expert_id, criterion_id)].append(points / top)
    result = {}
    for key, expert_points in marks.items():
        criterion_id = key[1]
        top = criteria[criterion_id].points or 1
        everyone = by_criterion[criterion_id]
        mu = statistics.fmean(everyone)
        sigma = statistics.pstdev(everyone)
        changed = []
        for expert_id, points in expert_points:
            own = by_expert[(expert_id, criterion_id)]
            spread = statistics.pstdev(own) if len(own) >= MIN_MARKS_TO_NORMALIZE else 0
            if spread == 0:
                changed.append((expert_id, points))
                continue
            z = (points / top - statistics.fmean(own)) / spread
            changed.append((expert_id, min(max(mu + sigma * z, 0.0), 1.0) * top))
        result[key] = changed
    return result


def accepted_disputes(contest: Contest) -> dict[tuple[int, int], float]:
    """(application, criterion) → the points an accepted dispute set (the latest answer)."""
    return {(a, c): p for a, c, p in Dispute.objects.filter(
        application__nomination__contest=contest, state=DisputeState.ACCEPTED,
        points_after__isnull=False).order_by("answered_at", "pk").values_list(
        "application_id", "criterion_id", "points_after")}
