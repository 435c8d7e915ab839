"""Scores of organizations for a period by a year's methodology, with ranks among peers.

A criterion is met (its points, times the block's weight), not met (0) or unknown: unknown
is shown as «нет данных» and left out of the total, never counted as zero; how complete an
organization's data is, is shown beside its total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from profinfo.organizations.models import Level, Organization

from .models import Criterion, JuryScore, Methodology, Source
from .rules import PERIOD_BOUND, RULES, Facts, Outcome


@dataclass
class CriterionResult:
    criterion: Criterion
    outcome: Outcome
    points: float | None  # None: no data

    @property
    def recommendation(self) -> str:
        if self.outcome.met is False:
            return self.criterion.recommendation
        if self.outcome.met is None:
            return ("Нет данных: " + (self.outcome.evidence or "внесите показатель") + ".")
        return ""


@dataclass
class OrgScore:
    organization: Organization
    results: list[CriterionResult] = field(default_factory=list)
    rank: int | None = None
    peers: int = 0
    previous_rank: int | None = None

    @property
    def total(self) -> float:
        return sum(r.points for r in self.results if r.points is not None)

    @property
    def maximum(self) -> float:
        return sum(_worth(r.criterion) for r in self.results)

    @property
    def completeness(self) -> float:
        known = sum(1 for r in self.results if r.points is not None)
        return known / len(self.results) if self.results else 0.0

    @property
    def rank_change(self) -> int | None:
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank  # positive: moved up

    def blocks(self) -> list[tuple[str, float, float]]:
        """(block title, points, maximum) in the methodology's order."""
        result: dict[int, list] = {}
        for r in self.results:
            block = r.criterion.block
            entry = result.setdefault(block.pk, [block.title, 0.0, 0.0])
            entry[1] += r.points or 0
            entry[2] += _worth(r.criterion)
        return [tuple(v) for v in result.values()]


def _worth(criterion: Criterion) -> float:
    return criterion.points * criterion.block.weight


def score(methodology: Methodology, organizations, start: dt.date,
          end: dt.date) -> list[OrgScore]:
    """`organizations`: a list or a queryset (better for many: filtered by a subquery)."""
    criteria = list(Criterion.objects.filter(block__methodology=methodology)
                    .select_related("block"))
    facts = Facts.collect(organizations, start, end)
    jury = _jury(criteria, organizations)
    organizations = list(organizations)
    scores = []
    for org in organizations:
        results = []
        for criterion in criteria:
            outcome = _outcome(criterion, facts, org.pk, jury)
            points = None if outcome.met is None else (
                outcome.value if criterion.source == Source.JURY
                else _worth(criterion) if outcome.met else 0.0)
            results.append(CriterionResult(criterion, outcome, points))
        scores.append(OrgScore(org, results))
    rank(scores)
    return scores


def _outcome(criterion: Criterion, facts: Facts, org: int, jury: dict) -> Outcome:
    if criterion.source == Source.JURY:
        given = jury.get((criterion.pk, org))
        if given is None:
            return Outcome(None, evidence="жюри ещё не оценило")
        points = min(given.points, criterion.points) * criterion.block.weight
        return Outcome(given.points > 0, points, given.comment or "оценка жюри")
    rule = RULES.get(criterion.rule)
    if rule is None:
        return Outcome(None, evidence="правило расчёта не задано")
    return rule.evaluate(facts, org, criterion.threshold)


def _jury(criteria, organizations) -> dict:
    latest = {}
    chosen = organizations.values("pk") if hasattr(organizations, "values") else organizations
    for given in JuryScore.objects.filter(
            criterion__in=[c for c in criteria if c.source == Source.JURY],
            organization__in=chosen).order_by("created_at", "pk"):
        latest[(given.criterion_id, given.organization_id)] = given
    return latest


def rank(scores: list[OrgScore]) -> None:
    """Ranks among peers (ТО among ТО, ППО among ППО); equal totals share a rank."""
    by_level: dict[str, list[OrgScore]] = {}
    for s in scores:
        by_level.setdefault(s.organization.level, []).append(s)
    for peers in by_level.values():
        peers.sort(key=lambda s: -s.total)
        previous, place = None, 0
        for index, s in enumerate(peers, start=1):
            if s.total != previous:
                place, previous = index, s.total
            s.rank, s.peers = place, len(peers)


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before (a year before a year)."""
    if (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31):
        return dt.date(start.year - (end.year - start.year + 1), 1, 1), \
            dt.date(start.year - 1, 12, 31)
    length = end - start
    return start - length - dt.timedelta(days=1), start - dt.timedelta(days=1)


def scores_with_change(methodology, organizations, start, end) -> list[OrgScore]:
    current = score(methodology, organizations, start, end)
    before = {s.organization.pk: s for s in score(methodology, organizations,
                                                  *previous_period(start, end))}
    for s in current:
        old = before.get(s.organization.pk)
        if old is not None and _measured(old):
            s.previous_rank = old.rank
    return current


def _measured(score_: OrgScore) -> bool:
    """Whether anything was measured in that period (a rank built only on what the registry
    lists, with no figures, says nothing about a change)."""
    return any(r.criterion.rule in PERIOD_BOUND and r.outcome.value is not None
               for r in score_.results)


LEVELS = [Level.CENTRAL, Level.TERRITORIAL, Level.PRIMARY, Level.OTHER]
