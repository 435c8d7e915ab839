"""Reads of the registry that feed pages, exports and reports; scoped once, here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from profinfo.organizations.models import Organization, subtree_q
from profinfo.organizations.scoping import Scope

from .models import Kind, Network, Resource


@dataclass
class ResourceFilters:
    kind: str = ""
    network: str = ""
    level: str = ""
    subtree: Organization | None = None
    state: str = "active"  # active | no_address | archived | all
    text: str = ""


# Sites and pages that cannot be checked or reached: no address in the registry.
NO_ADDRESS = Q(kind__in=[Kind.SITE, Kind.SOCIAL], url="")


def resources_visible(scope: Scope) -> QuerySet[Resource]:
    return Resource.objects.visible_to(scope)


def of_kind(qs: QuerySet[Resource], *, kind: str = "", network: str = ""
            ) -> QuerySet[Resource]:
    """Resources narrowed to a kind and a social network, where they are given."""
    if kind:
        qs = qs.filter(kind=kind)
    if network:
        qs = qs.filter(network=network)
    return qs


def resource_list(scope: Scope, filters: ResourceFilters) -> QuerySet[Resource]:
    qs = of_kind(resources_visible(scope).select_related("organization"), kind=filters.kind,
                 network=filters.network)
    if filters.level:
        qs = qs.filter(organization__level=filters.level)
    if filters.subtree is not None:
        qs = qs.filter(subtree_q(filters.subtree.path, "organization__"))
    if filters.state == "active":
        qs = qs.filter(is_active=True)
    elif filters.state == "archived":
        qs = qs.filter(is_active=False)
    elif filters.state == "no_address":  # sites and pages the checks cannot reach
        qs = qs.filter(NO_ADDRESS, is_active=True)
    if filters.text:
        for word in filters.text.casefold().split()[:8]:
            qs = qs.filter(search_text__contains=word)
    return qs.order_by("organization__path", "kind", "title")


def public_resources() -> QuerySet[Resource]:
    return (Resource.objects.filter(is_public=True, is_active=True,
                                    organization__is_active=True)
            .select_related("organization").order_by("organization__path", "kind", "title"))


def counts_by_kind(scope: Scope) -> list[tuple[str, int]]:
    rows = dict(resources_visible(scope).filter(is_active=True).order_by()
                .values_list("kind").annotate(n=Count("id")))
    return [(label, rows.get(value, 0)) for value, label in Kind.choices]


def counts_by_network(scope: Scope) -> list[tuple[str, int]]:
    rows = dict(resources_visible(scope).filter(is_active=True, kind=Kind.SOCIAL).order_by()
                .values_list("network").annotate(n=Count("id")))
    return [(label, rows[value]) for value, label in Network.choices if rows.get(value)]


def resources_of(org: Organization) -> QuerySet[Resource]:
    return org.resources.order_by("kind", "title")


class _Children:
    """Children of one node for a Paginator: the count is the node's own numchild, and
    resource counts are added for the page shown only (one grouped query)."""

    def __init__(self, org: Organization):
        self.org = org
        self.qs = (Organization.get_children(org).order_by("name")
                   .only("id", "name", "short_name", "level", "numchild", "is_active"))

    def count(self) -> int:
        return self.org.numchild

    def __len__(self) -> int:
        return self.org.numchild

    def __getitem__(self, index):
        page = list(self.qs[index])
        counts = dict(Resource.objects.filter(organization__in=page).order_by()
                      .values_list("organization").annotate(n=Count("id")))
        for child in page:
            child.resource_count = counts.get(child.pk, 0)
        return page


def children_with_counts(org: Organization, scope: Scope) -> _Children:
    """A readable organization's children are all readable: scope is a subtree."""
    if not scope.can_read(org):
        raise PermissionError(org.pk)
    return _Children(org)
