"""What several pages read from a request the same way: list filters and page sizes."""

from __future__ import annotations

from django.db.models import QuerySet

from profinfo.monitoring.selectors import STALE_STATES, stale_resources
from profinfo.organizations.models import Level
from profinfo.organizations.scoping import Scope
from profinfo.registry.models import Kind, Network, Resource
from profinfo.registry.selectors import ResourceFilters, resource_list

from .access import search_text, subtree_from

ROWS_PER_PAGE = 100  # a federation's report has 100,000 rows: the downloads hold them all
STATES = [("active", "Действующие"), ("no_address", "Без адреса"), ("archived", "В архиве"),
          ("all", "Все")]


def freshness_choices() -> list[tuple[str, str]]:
    """Short, for a filter that must fit a phone; the stale-pages page says the thresholds."""
    return [("", "любые"), *((state.value, state.label) for state in STALE_STATES)]


def _one_of(request, name: str, allowed) -> str:
    value = request.GET.get(name, "")
    return value if value in allowed else ""


def filters_from(request) -> ResourceFilters:
    return ResourceFilters(
        kind=_one_of(request, "kind", Kind.values),
        network=_one_of(request, "network", Network.values),
        level=_one_of(request, "level", Level.values),
        subtree=subtree_from(request),
        state=_one_of(request, "state", dict(STATES)) or "active",
        text=search_text(request),
    )


def freshness_from(request) -> str:
    return _one_of(request, "fresh", dict(freshness_choices()))


def listed_resources(scope: Scope, filters: ResourceFilters, fresh: str) -> QuerySet[Resource]:
    """The registry list as its filters narrow it, «не обновляются» (`fresh`) included."""
    resources = resource_list(scope, filters)
    if fresh:
        resources = resources.filter(
            pk__in=stale_resources(scope=scope, state=fresh, active_only=False).values("pk"))
    return resources
