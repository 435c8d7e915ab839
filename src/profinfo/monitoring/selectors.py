"""Reads of observations for pages and reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import F, OuterRef, QuerySet, Subquery

from profinfo.organizations.scoping import Scope
from profinfo.registry.models import Kind, Resource

from .models import LatestValue, Metric, Observation

CHART_METRICS = (Metric.SUBSCRIBERS, Metric.PUBLICATIONS, Metric.VISITORS, Metric.VIEWS)


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
        series[metric][day] = value
    return {m: sorted(points.items()) for m, points in series.items()}


def latest_values(resource_ids: list[int]) -> dict[int, dict[str, Observation]]:
    """The newest successful observation of each metric for each resource."""
    result: dict[int, dict[str, Observation]] = defaultdict(dict)
    rows = (LatestValue.objects.filter(resource_id__in=resource_ids)
            .select_related("observation"))
    for row in rows:
        result[row.resource_id][row.metric] = row.observation
    return result


def last_publication_subquery():
    return Subquery(
        Observation.objects.filter(resource=OuterRef("pk"), metric=Metric.LAST_PUBLICATION,
                                   ok=True)
        .order_by("-value_date").values("value_date")[:1]
    )


def stale_pages(scope: Scope, *, today: dt.date | None = None,
                days: int | None = None) -> QuerySet[Resource]:
    """Sites and social pages whose last known publication is older than the threshold."""
    today = today or dt.date.today()
    days = settings.PROFINFO_STALE_DAYS if days is None else days
    return (Resource.objects.filter(scope.readable("organization__"), is_active=True,
                                    kind__in=[Kind.SITE, Kind.SOCIAL],
                                    latest_values__metric=Metric.LAST_PUBLICATION,
                                    latest_values__value_date__lt=today - dt.timedelta(days=days))
            .annotate(last_publication=F("latest_values__value_date"))
            .select_related("organization")
            .order_by("last_publication", "pk"))
