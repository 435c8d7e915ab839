"""Scores of organizations for a period by a year's methodology, with ranks among peers.

A criterion is met (its points, times the block's weight), not met (0) or unknown: unknown
is shown as «нет данных» and left out of the total, never counted as zero; how complete an
organization's data is, is shown beside its total.

Every criterion is decided for all organizations at once (a column); an organization's
totals are summed from the columns, and its criterion-by-criterion results, with evidence,
are written out only when someone reads them (the report card).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from profinfo.monitoring.models import CriterionOverride, Observation
from profinfo.organizations.models import Organization
from profinfo.registry.models import PrintIssue, Resource

from .models import Criterion, CriterionSource, JuryScore, Methodology, ScoreTable
from .rules import PERIOD_BOUND, RULES, Decisions, Facts, Outcome, organizations_queryset


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
class CriterionColumn:
    """One criterion decided for every organization scored."""

    criterion: Criterion
    decisions: Decisions
    worth: float  # the criterion's points times its block's weight

    def points(self, decision) -> float | None:
        met, value, _ = decision
        if met is None:
            return None
        return value if self.criterion.source == CriterionSource.JURY else self.worth * met

    def result(self, organization_id: int) -> CriterionResult:
        decision = self.decisions.by_org.get(organization_id, self.decisions.default)
        rule = RULES.get(self.criterion.rule)
        if self.criterion.source == CriterionSource.JURY or rule is None:
            outcome = Outcome(*decision)
        else:
            outcome = rule.outcome(decision)
        return CriterionResult(self.criterion, outcome, self.points(decision))


@dataclass
class OrgScore:
    organization_id: int
    level: str
    maximum: float  # the points of every criterion
    criteria: int  # how many criteria
    total: float = 0.0
    known: int = 0  # criteria with data
    measured: bool = False  # anything measured in the period (not only what the registry lists)
    rank: int | None = None
    peers: int = 0
    previous_rank: int | None = None
    columns: list[CriterionColumn] = field(default_factory=list, repr=False)  # empty if read back

    @property
    def completeness(self) -> float:
        return self.known / self.criteria if self.criteria else 0.0

    @property
    def rank_change(self) -> int | None:
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank  # positive: moved up

    @property
    def results(self) -> list[CriterionResult]:
        return [column.result(self.organization_id) for column in self.columns]

    def blocks(self) -> list[tuple[str, float, float]]:
        """(block title, points, maximum) in the methodology's order."""
        result: dict[int, list] = {}
        for r in self.results:
            block = r.criterion.block
            entry = result.setdefault(block.pk, [block.title, 0.0, 0.0])
            entry[1] += r.points or 0
            entry[2] += worth(r.criterion)
        return [tuple(v) for v in result.values()]


def score(methodology: Methodology, organizations, start: dt.date,
          end: dt.date) -> list[OrgScore]:
    """Scores with every criterion's result. `organizations`: a queryset (better for many:
    filtered by a subquery) or a list."""
    organizations = organizations_queryset(organizations)
    return _score(_criteria(methodology), organizations,
                  Facts.collect(organizations, start, end))


def worth(criterion: Criterion) -> float:
    """The most a criterion can give: its points times its block's weight."""
    return criterion.points * criterion.block.weight


def _criteria(methodology: Methodology) -> list[Criterion]:
    return list(Criterion.objects.filter(block__methodology=methodology)
                .select_related("block"))


def _score(criteria: list[Criterion], organizations, facts: Facts) -> list[OrgScore]:
    columns = _columns(criteria, organizations, facts)
    maximum = sum(column.worth for column in columns)
    scores = [OrgScore(pk, level, maximum, len(columns), columns=columns)
              for pk, level in facts.levels.items()]
    for column in columns:
        _add(scores, column)
    rank(scores)
    return scores


def _columns(criteria, organizations, facts: Facts) -> list[CriterionColumn]:
    jury = _jury(criteria, organizations)
    columns = []
    for criterion in criteria:
        if criterion.source == CriterionSource.JURY:
            decisions = jury.get(criterion.pk) or Decisions({}, _NOT_SCORED)
        elif criterion.rule in RULES:
            decisions = RULES[criterion.rule].decide(facts, criterion.threshold)
        else:
            decisions = Decisions({}, (None, None, "правило расчёта не задано"))
        columns.append(CriterionColumn(criterion, decisions, worth(criterion)))
    return columns


_NOT_SCORED = (None, None, "жюри ещё не оценило")


def _add(scores: list[OrgScore], column: CriterionColumn) -> None:
    """The column's points added to every organization's total: the hot loop of a
    federation's ratings (28 criteria × 100,000 organizations), so `CriterionColumn.points` is
    spelled out here rather than called."""
    decided, default = column.decisions.by_org, column.decisions.default
    period_bound = column.criterion.rule in PERIOD_BOUND
    jury, worth = column.criterion.source == CriterionSource.JURY, column.worth
    for s in scores:
        met, value, _ = decided.get(s.organization_id, default)
        if met is None:
            continue
        s.total += value if jury else worth * met
        s.known += 1
        if period_bound and value is not None:
            s.measured = True


def _jury(criteria, organizations) -> dict[int, Decisions]:
    """criterion → the jury's latest points per organization, capped by the criterion's."""
    by_pk = {c.pk: c for c in criteria if c.source == CriterionSource.JURY}
    columns: dict[int, Decisions] = {}
    for given in JuryScore.objects.filter(
            criterion__in=list(by_pk), organization__in=organizations.values("pk")
    ).order_by("created_at", "pk"):
        criterion = by_pk[given.criterion_id]
        points = min(given.points, criterion.points) * criterion.block.weight
        column = columns.setdefault(criterion.pk, Decisions({}, _NOT_SCORED))
        column.by_org[given.organization_id] = (given.points > 0, points,
                                                given.comment or "оценка жюри")
    return columns


def rank(scores: list[OrgScore]) -> None:
    """Ranks among peers (ТО among ТО, ППО among ППО); equal totals share a rank."""
    by_level: dict[str, list[OrgScore]] = {}
    for s in scores:
        by_level.setdefault(s.level, []).append(s)
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
    """Totals and ranks, with each rank's change since the previous period (a rank then
    built only on what the registry lists, with no figures measured, says nothing about a
    change). Many organizations are read from the stored tables of the whole federation."""
    organizations = organizations_queryset(organizations)
    periods = [(start, end), previous_period(start, end)]
    if from_stored_tables(organizations.count()):
        current, before = stored_scores(methodology, organizations, periods)
    else:
        facts = Facts.collect(organizations, start, end)
        criteria = _criteria(methodology)
        current = _score(criteria, organizations, facts)
        before = _score(criteria, organizations, facts.for_period(*periods[1]))
    previous = {s.organization_id: s for s in before}
    for s in current:
        old = previous.get(s.organization_id)
        if old is not None and old.measured:
            s.previous_rank = old.rank
    return current


# --- stored tables for whole federations ---------------------------------------------------

COMPUTE_DIRECTLY_UP_TO = 3000  # organizations; more are read from a stored table


def from_stored_tables(organizations: int) -> bool:
    """Whether the scores of this many organizations are read from the stored tables."""
    return organizations > COMPUTE_DIRECTLY_UP_TO


def stored_scores(methodology, organizations, periods) -> list[list[OrgScore]]:
    """Each period's scores of the chosen organizations, ranked among themselves, from the
    table of every active organization (an organization's points do not depend on who else
    is rated), computed first where it is missing or older than its inputs. A table of the
    same criteria computed less than PROFINFO_SCORES_MAX_AGE seconds ago is taken as it is:
    in a federation something is edited every minute, and each edit must not make the next
    reader wait for a hundred thousand organizations."""
    criteria = _criteria(methodology)
    inputs = inputs_fingerprint(criteria)
    recent = timezone.now() - dt.timedelta(seconds=settings.PROFINFO_SCORES_MAX_AGE)
    tables = {(t.start, t.end): t for t in ScoreTable.objects.filter(
        Q(inputs=inputs) | Q(inputs__startswith=inputs[:SAME_CRITERIA],
                             computed_at__gte=recent),
        methodology=methodology, start__in=[p[0] for p in periods],
        end__in=[p[1] for p in periods])}
    missing = [p for p in periods if p not in tables]
    if missing:
        everyone = Organization.objects.filter(is_active=True)
        facts = Facts.collect(everyone, *missing[0])
        for period in missing:
            if period != missing[0]:
                facts = facts.for_period(*period)
            rows = [[s.organization_id, s.total, s.known, s.measured]
                    for s in _score(criteria, everyone, facts)]
            tables[period], _ = ScoreTable.objects.update_or_create(
                methodology=methodology, start=period[0], end=period[1],
                defaults={"inputs": inputs, "rows": rows})
    levels = dict(organizations.values_list("pk", "level"))
    maximum = sum(worth(c) for c in criteria)
    result = []
    for period in periods:
        scores = [OrgScore(pk, levels[pk], maximum, len(criteria), total, known, measured)
                  for pk, total, known, measured in tables[period].rows if pk in levels]
        rank(scores)
        result.append(scores)
    return result


SAME_CRITERIA = 16  # the fingerprint's first characters: the criteria; the rest: the data


def inputs_fingerprint(criteria: list[Criterion]) -> str:
    """What scores are computed from, summed up cheaply: the methodology's criteria, and
    for the data the newest row of every table involved (observations are only added;
    organizations, resources, issues and jury scores keep an edit history) with the count
    of the overrides, whose rows may be deleted."""
    stamps = [Observation.objects.aggregate(m=Max("pk"))["m"]]
    for history in (Organization.history, Resource.history, PrintIssue.history,
                    JuryScore.history):
        stamps.append(history.aggregate(m=Max("history_id"))["m"])
    stamps.append(CriterionOverride.objects.aggregate(m=Max("pk"), n=Count("pk")))
    methodology = [(c.pk, c.points, c.block.weight, c.source, c.rule, c.threshold)
                   for c in criteria]
    return _digest(methodology)[:SAME_CRITERIA] + _digest(stamps)[:48]


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, default=str).encode()).hexdigest()


