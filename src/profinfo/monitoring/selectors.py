"""Reads of observations for pages and reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from django.conf import settings
from django.db.models import (
    CharField,
    Count,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.utils import timezone

from profinfo.organizations.models import subtree_q
from profinfo.organizations.scoping import Scope
from profinfo.registry.models import Kind, Resource

from . import calculations as calc
from .criteria import CRITERIA
from .models import (
    CriterionOverride,
    LatestValue,
    Metric,
    Observation,
    Publication,
    PublicationCoverage,
    Source,
)

CHART_METRICS = (Metric.SUBSCRIBERS, Metric.PUBLICATIONS, Metric.VISITORS, Metric.VIEWS,
                 Metric.ENGAGEMENT, Metric.ERR)
PERCENT_METRICS = (Metric.ENGAGEMENT, Metric.ERR)  # kept as fractions, drawn in percent


def resource_history(resource: Resource, limit: int = 500) -> QuerySet[Observation]:
    return resource.observations.select_related("created_by").order_by(
        "-period_end", "-observed_at")[:limit]


def chart_series(resource: Resource) -> dict[str, list[tuple[dt.date, float]]]:
    """Per metric, the values in date order (the last observation of a date wins)."""
    series: dict[str, dict[dt.date, float]] = defaultdict(dict)
    rows = (resource.observations.filter(ok=True, metric__in=CHART_METRICS, value__isnull=False)
            .order_by("period_end", "observed_at")
            .values_list("metric", "period_end", "value"))
    for metric, day, value in rows:
        series[metric][day] = value * 100 if metric in PERCENT_METRICS else value
    return {m: sorted(points.items()) for m, points in series.items()}


def latest_values(resource_ids: list[int]) -> dict[int, dict[str, Observation]]:
    """The newest successful observation of each metric for each resource."""
    result: dict[int, dict[str, Observation]] = defaultdict(dict)
    rows = (LatestValue.objects.filter(resource_id__in=resource_ids)
            .select_related("observation"))
    for row in rows:
        result[row.resource_id][row.metric] = row.observation
    return result


STALE_STATES = (calc.Staleness.STALE, calc.Staleness.ABANDONED)


def stale_threshold(state: str) -> int:
    """Days without a publication after which a site or page is in `state`."""
    if state == calc.Staleness.ABANDONED:
        return settings.PROFINFO_ABANDONED_DAYS
    return settings.PROFINFO_STALE_DAYS


def stale_state_choices() -> list[tuple[str, str]]:
    """The states a list can be narrowed to, with their thresholds, for filters."""
    return [(state.value, f"{state.label} (нет публикаций больше {stale_threshold(state)} дн.)")
            for state in STALE_STATES]


def stale_resources(*, scope: Scope, state: str = calc.Staleness.STALE,
                    as_of: dt.date | None = None, subtree=None, kind: str = "",
                    active_only: bool = True) -> QuerySet[Resource]:
    """Sites and social pages (active ones unless `active_only` is off) whose last
    publication is more than the state's threshold before `as_of` (the abandoned are stale
    too), oldest first, each with `last_publication`.

    Without `as_of`: by the current figures, today. With it: by what was observed up to that
    day, as a report of a past period must show it."""
    qs = Resource.objects.visible_to(scope).filter(
        kind__in=[kind] if kind else [Kind.SITE, Kind.SOCIAL])
    if active_only:
        qs = qs.filter(is_active=True)
    if subtree is not None:
        qs = qs.filter(subtree_q(subtree.path, "organization__"))
    days = dt.timedelta(days=stale_threshold(state))
    if as_of is None:
        qs = (qs.filter(latest_values__metric=Metric.LAST_PUBLICATION,
                        latest_values__value_date__lt=timezone.localdate() - days)
              .annotate(last_publication=F("latest_values__value_date")))
    else:
        qs = (qs.filter(observations__metric=Metric.LAST_PUBLICATION, observations__ok=True,
                        observations__period_end__lte=as_of)
              .annotate(last_publication=Max("observations__value_date"))
              .filter(last_publication__lt=as_of - days))
    return qs.select_related("organization").order_by("last_publication", "pk")


@dataclass
class Freshness:
    last_publication: dt.date | None
    days_since: int | None
    state: calc.Staleness


def freshness(resource: Resource, today: dt.date | None = None) -> Freshness:
    """Whether a site or page is kept up: by its last known publication."""
    today = today or dt.date.today()
    row = resource.latest_values.filter(metric=Metric.LAST_PUBLICATION).first()
    last = row.value_date if row else None
    return Freshness(last, calc.days_since(last, today), calc.staleness(
        last, today, stale_days=settings.PROFINFO_STALE_DAYS,
        abandoned_days=settings.PROFINFO_ABANDONED_DAYS))


@dataclass
class SocialSummary:
    snapshot: Observation | None  # the newest successful check with its posts
    failure: Observation | None  # the newest failed check, if newer than the snapshot


def social_summary(resource: Resource) -> SocialSummary:
    snapshot = (resource.observations.filter(metric=Metric.POSTS, ok=True)
                .order_by("-observed_at", "-pk").first())
    failure = (resource.observations.filter(metric=Metric.CHECK, ok=False)
               .order_by("-observed_at", "-pk").first())
    if failure and snapshot and failure.observed_at < snapshot.observed_at:
        failure = None
    return SocialSummary(snapshot, failure)


@dataclass
class TrafficSummary:
    visitors: Observation | None  # the newest figures loaded from Яндекс.Метрика
    views: Observation | None
    failure: Observation | None  # the newest failed request, if newer than the figures


# a failed request to Яндекс.Метрика is a site's failure too, but not a failed audit
METRICA_FAILURE = Q(metric=Metric.CHECK, details__has_key="counter")


def traffic_summary(resource: Resource) -> TrafficSummary:
    def newest(**filters):
        return (resource.observations.filter(source=Source.AUTOMATIC, **filters)
                .order_by("-observed_at", "-pk").first())

    visitors, views = newest(metric=Metric.VISITORS), newest(metric=Metric.VIEWS)
    failure = newest(metric=Metric.CHECK, ok=False, details__has_key="counter")
    if failure and visitors and failure.observed_at < visitors.observed_at:
        failure = None
    return TrafficSummary(visitors, views, failure)


@dataclass
class CriterionRow:
    code: str
    label: str
    found: bool | None  # what the auditor found; None: never audited
    evidence: str | None
    override: object = None  # CriterionOverride

    @property
    def present(self) -> bool | None:
        return self.override.present if self.override is not None else self.found


def site_audit(resource: Resource
               ) -> tuple[Observation | None, list[CriterionRow], Observation | None]:
    """The latest audit of a site (a failure, if the newest attempt failed), each criterion's
    effective result, and the latest audit that read the site, which those results come
    from: a failure decides nothing, so it never turns a criterion into «нет»."""
    audit = (resource.observations.filter(metric=Metric.SITE_AUDIT, ok=True)
             .order_by("-period_end", "-observed_at").first())
    failure = (resource.observations.filter(metric=Metric.CHECK, ok=False)
               .exclude(METRICA_FAILURE).order_by("-observed_at").first())
    if failure and audit and failure.observed_at < audit.observed_at:
        failure = None
    overrides = {}
    for override in resource.overrides.select_related("created_by"):
        overrides.setdefault(override.code, override)  # the newest first
    rows = _criterion_rows(audit.details if audit else None, overrides)
    return (failure or audit), rows, audit


def _criterion_rows(details: dict | None, overrides: dict) -> list[CriterionRow]:
    criteria = (details or {}).get("criteria", {})
    return [CriterionRow(code, label, criteria[code]["present"] if code in criteria else None,
                         criteria.get(code, {}).get("evidence"), overrides.get(code))
            for code, label in CRITERIA.items()]


def sites_criteria(site_ids: list[int]) -> dict[int, list[CriterionRow]]:
    """site → its criteria as `site_audit` gives them (by the latest audit that read the
    site, a decision winning), for a few sites at once in two queries."""
    details = dict(LatestValue.objects.filter(resource_id__in=site_ids,
                                              metric=Metric.SITE_AUDIT)
                   .values_list("resource_id", "observation__details"))
    overrides: dict[int, dict] = {pk: {} for pk in site_ids}
    for override in CriterionOverride.objects.filter(resource_id__in=site_ids):
        overrides[override.resource_id].setdefault(override.code, override)  # the newest
    return {pk: _criterion_rows(details.get(pk), overrides[pk]) for pk in site_ids}


@dataclass
class AuditHistoryRow:
    observation: Observation
    met: int | None  # criteria found; None for a failed audit
    gained: list[str]  # labels of criteria found now and not the previous time
    lost: list[str]
    unchecked: int = 0  # criteria the audit could not check (or that it did not know yet)


def site_audit_history(resource: Resource, limit: int = 30) -> list[AuditHistoryRow]:
    """Past audits, newest first, each with what changed since the audit before it."""
    audits = list(resource.observations
                  .filter(metric__in=[Metric.SITE_AUDIT, Metric.CHECK])
                  .exclude(METRICA_FAILURE).order_by("-observed_at", "-pk")[:limit + 1])
    rows = []
    for index, observation in enumerate(audits[:limit]):
        if not observation.ok:
            rows.append(AuditHistoryRow(observation, None, [], []))
            continue
        now = _found(observation)
        before = next((_found(o) for o in audits[index + 1:] if o.ok), None) or {}
        # a change is «да» against «нет»: a criterion one of them did not check did not change
        gained = [CRITERIA[c] for c in CRITERIA if now.get(c) is True and before.get(c) is False]
        lost = [CRITERIA[c] for c in CRITERIA if before.get(c) is True and now.get(c) is False]
        rows.append(AuditHistoryRow(observation, sum(v is True for v in now.values()),
                                    gained, lost, sum(now.get(c) is None for c in CRITERIA)))
    return rows


def _found(observation: Observation) -> dict[str, bool | None]:
    """criterion → found (True), not found (False) or not checked (None)."""
    criteria = (observation.details or {}).get("criteria", {})
    return {code: finding.get("present") for code, finding in criteria.items()}


# --- figures over a period (what reports and scores read) ---------------------------------

def _ids(resources):
    """A subquery for a queryset (never a huge IN list), a list as it is."""
    return resources.values("pk") if hasattr(resources, "values") else resources


# Publications found by automatic checks are counted item by item (`publications_counted`);
# their 30-day figures are snapshots for the charts and are never summed.
NOT_SUMMED = Q(metric=Metric.PUBLICATIONS, source=Source.AUTOMATIC)


def period_sums(resource_ids, metrics, start: dt.date, end: dt.date) -> dict:
    """(resource, metric) → the sum over non-overlapping observations inside the period."""
    rows = (Observation.objects.filter(resource_id__in=_ids(resource_ids), metric__in=metrics,
                                       ok=True, value__isnull=False,
                                       period_start__gte=start, period_end__lte=end)
            .exclude(NOT_SUMMED)
            .values_list("resource_id", "metric", Cast("period_start", CharField()),
                         Cast("period_end", CharField()), "value"))
    by_key: dict[tuple, list] = defaultdict(list)
    for resource_id, metric, first, last, value in rows.iterator(chunk_size=5000):
        by_key[(resource_id, metric)].append((first, last, value))  # ISO dates sort as text
    return {key: _without_overlaps(spans) for key, spans in by_key.items()}


def _without_overlaps(spans: list[tuple[str, str, float]]) -> float:
    """The sum of the figures, where some overlap (a yearly import and monthly entries)
    the longest that do not overlap."""
    spans.sort()
    if all(before[1] < after[0] for before, after in pairwise(spans)):
        return sum(value for _, _, value in spans)  # the usual case: one after another
    taken: list[tuple[str, str]] = []
    total = 0.0
    for first, last, value in sorted(spans, key=lambda s: (
            dt.date.fromisoformat(s[0]) - dt.date.fromisoformat(s[1]), s[0])):
        if any(first <= t_last and t_first <= last for t_first, t_last in taken):
            continue  # overlaps a longer observation already counted
        taken.append((first, last))
        total += value
    return total


@dataclass(frozen=True)
class PublicationCount:
    """A resource's publications in a period.

    Counted item by item (`covered_from` set): the distinct publications checks saw dated in
    the period. Checks know a resource's publications from `covered_from` on (the oldest date
    any of them listed); when that is after the period's start the count is of the part from
    that day only (`partial`), and the part before is unknown. Entered by hand or imported:
    the sum of the figures of the period (`covered_from` None). A period no check reaches and
    nobody entered has no count at all («нет данных»), never 0."""

    value: float
    covered_from: dt.date | None = None
    partial: bool = False
    covered_until: dt.date | None = None  # the last check's day, when the period goes past it

    @property
    def note(self) -> str:
        if not self.partial:
            return ""
        until = f" по {self.covered_until:%d.%m.%Y}" if self.covered_until else ""
        return f"публикации известны только с {self.covered_from:%d.%m.%Y}{until}"


def publications_counted(resource_ids, start: dt.date, end: dt.date
                         ) -> dict[int, PublicationCount]:
    """resource → its distinct publications dated in the period, for resources whose
    checks' coverage reaches into it (from the oldest date seen to the last check); one
    query, the database counts. After the last check nothing is known: a period past it is
    partial, one wholly after it has no count."""
    in_period = (Publication.objects.filter(resource=OuterRef("resource"),
                                            published_on__gte=start, published_on__lte=end)
                 .order_by().values("resource").annotate(n=Count("pk")).values("n"))
    rows = (PublicationCoverage.objects
            .filter(resource_id__in=_ids(resource_ids), covered_from__lte=end,
                    checked_until__gte=start)
            .annotate(n=Coalesce(Subquery(in_period), 0))
            .values_list("resource_id", "covered_from", "checked_until", "n"))
    return {resource_id: PublicationCount(n, first, first > start or last < end,
                                          last if last < end else None)
            for resource_id, first, last, n in rows.iterator(chunk_size=5000)}


def publications_in_period(resource_ids, start: dt.date, end: dt.date
                           ) -> dict[int, PublicationCount]:
    """resource → its publications in the period, as reports and ratings read them: counted
    item by item where checks cover the whole period; else the figures entered by hand or
    imported for it, if any; else the count of the part the checks cover. Resources with
    none of these are absent (нет данных)."""
    result = {resource_id: PublicationCount(value) for (resource_id, _), value in
              period_sums(resource_ids, [Metric.PUBLICATIONS], start, end).items()}
    for resource_id, counted in publications_counted(resource_ids, start, end).items():
        if not counted.partial or resource_id not in result:
            result[resource_id] = counted
    return result


@dataclass(frozen=True)
class PublicationsKnown:
    count: int
    covered_from: dt.date | None
    newest: dt.date | None


def publications_known(resource: Resource) -> PublicationsKnown | None:
    """What the checks have seen of a resource's publications, one by one: how many, and
    from which day they are known (before it the checks say nothing). None: never seen."""
    coverage = PublicationCoverage.objects.filter(resource=resource).first()
    if coverage is None:
        return None
    seen = Publication.objects.filter(resource=resource).aggregate(n=Count("pk"),
                                                                   newest=Max("published_on"))
    return PublicationsKnown(seen["n"], coverage.covered_from, seen["newest"])


@dataclass(frozen=True)
class Latest:
    value: float | None
    note: str
    day: dt.date  # the end of the period the figure describes


def newest_in_period(resource_ids, metric, start: dt.date | None, end: dt.date):
    """The newest observation of `metric` per resource inside the period (from the first,
    when `start` is None): one query, the database picks the row, not Python over the
    whole history. While no current figure is dated after the period, the current figures
    are those rows; otherwise a window function finds them."""
    current = LatestValue.objects.filter(metric=metric)
    if not current.filter(period_end__gt=end).exists():
        current = current.filter(resource_id__in=_ids(resource_ids))
        if start is not None:
            current = current.filter(period_end__gte=start)
        return Observation.objects.filter(pk__in=current.values("observation_id"))
    found = Observation.objects.filter(resource_id__in=_ids(resource_ids), metric=metric,
                                       ok=True, period_end__lte=end)
    if start is not None:
        found = found.filter(period_end__gte=start)
    return (found.annotate(newest=Window(RowNumber(), partition_by=[F("resource_id")],
                                         order_by=[F("period_end").desc(),
                                                   F("observed_at").desc(), F("pk").desc()]))
            .filter(newest=1))


def latest_in_period(resource_ids, metric, start: dt.date, end: dt.date) -> dict:
    """resource → its newest figure of `metric` dated inside the period."""
    rows = newest_in_period(resource_ids, metric, start, end).values_list(
        "resource_id", "value", "note", "period_end")
    return {resource_id: Latest(value, note, day) for resource_id, value, note, day in rows}


def effective_criteria(sites, until: dt.date | None = None) -> dict[int, dict[str, bool]]:
    """site → criterion → whether it is met (see `audited_criteria`)."""
    return {site: found for site, (_, found) in audited_criteria(sites, until).items()}


def audited_criteria(sites, until: dt.date | None = None
                     ) -> dict[int, tuple[dt.date | None, dict[str, bool]]]:
    """site → (the day of its audit, criterion → whether it is met): by the site's latest
    audit, an administrator's decision winning whenever it was taken (the jury of a year's
    contest corrects the auditor after the year). With `until`, by the newest audit dated up
    to that day (the database picks it). A criterion no audit answered is absent, and so is
    one the audit could not check (null: «не проверено», never «нет»); a site only an
    administrator decided on has no day. `sites` is a queryset or a list of ids."""
    ids = _ids(sites)
    overrides = CriterionOverride.objects.filter(resource_id__in=ids)
    audits = newest_in_period(ids, Metric.SITE_AUDIT, None, until or dt.date.max).values_list(
        "resource_id", "period_end", "details")
    result: dict[int, tuple[dt.date | None, dict[str, bool]]] = {}
    for resource_id, day, details in audits.iterator(chunk_size=2000):
        found = (details or {}).get("criteria", {})
        result[resource_id] = (day, {code: bool(v["present"]) for code, v in found.items()
                                     if v.get("present") is not None})  # null: not checked
    for resource_id, code, present in (overrides.order_by("created_at", "id")
                                       .values_list("resource_id", "code", "present")):
        result.setdefault(resource_id, (None, {}))[1][code] = present  # the newest wins
    return result


@dataclass(frozen=True)
class MatrixSite:
    pk: int
    organization_id: int
    organization: str  # its short name, else its name
    title: str
    url: str


def criteria_matrix(scope: Scope, subtree=None, until: dt.date | None = None):
    """Sites in scope × the 11 criteria: each cell the effective result (None = no audit),
    now or, with `until`, by the audits up to that day. Rows are plain values: a whole
    federation has a hundred thousand sites."""
    from profinfo.organizations.models import subtree_q

    sites = Resource.objects.visible_to(scope).filter(kind=Kind.SITE,
                                    is_active=True)
    if subtree is not None:
        sites = sites.filter(subtree_q(subtree.path, "organization__"))
    effective = effective_criteria(sites, until)
    rows = [(MatrixSite(pk, org, short or name, title, url),
             [effective.get(pk, {}).get(code) for code in CRITERIA])
            for pk, org, short, name, title, url in sites.order_by(
                "organization__path", "title").values_list(
                "pk", "organization_id", "organization__short_name", "organization__name",
                "title", "url").iterator(chunk_size=5000)]
    return list(CRITERIA.items()), rows
