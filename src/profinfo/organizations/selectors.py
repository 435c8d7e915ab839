"""Reads of the organization tree that feed pages, forms and reports."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import Level, Organization, subtree_q
from .scoping import Scope


def organizations_visible(scope: Scope) -> QuerySet[Organization]:
    return Organization.objects.visible_to(scope)


def organizations_editable(scope: Scope) -> QuerySet[Organization]:
    return Organization.objects.editable_by(scope)


def organization_search(
    scope: Scope, *, text: str = "", level: str = "", include_archived: bool = False
) -> QuerySet[Organization]:
    qs = organizations_visible(scope)
    if text:
        qs = qs.filter(search_text__contains=text.strip().casefold())
    if level:
        qs = qs.filter(level=level)
    if not include_archived:
        qs = qs.filter(is_active=True)
    return qs.order_by("path")


def subtree(org: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(subtree_q(org.path))


def ancestors(org: Organization) -> list[Organization]:
    step = Organization.steplen
    paths = [org.path[:i] for i in range(step, len(org.path), step)]
    return list(Organization.objects.filter(path__in=paths).order_by("depth"))


def roots_for(scope: Scope) -> QuerySet[Organization]:
    """The top organizations a user sees: the tree root for a global user, else their grants."""
    if scope.is_superuser:
        return Organization.get_root_nodes()
    q = Q(pk__in=[])
    for path in scope.read_paths:
        q |= Q(path=path)
    return Organization.objects.filter(q).order_by("path")


def level_counts(scope: Scope) -> dict[str, int]:
    rows = (
        organizations_visible(scope)
        .filter(is_active=True)
        .order_by()  # treebeard orders by path, which would split the GROUP BY
        .values("level")
        .annotate(n=Count("id"))
    )
    counts = {row["level"]: row["n"] for row in rows}
    return {label: counts.get(value, 0) for value, label in Level.choices}


def organization_by_name(name: str) -> Organization | None:
    """Find an organization by its full or short name, ignoring case and extra spaces."""
    key = " ".join(name.split()).casefold()
    if not key:
        return None
    for org in Organization.objects.filter(search_text__contains=key)[:50]:
        names = {" ".join(n.split()).casefold() for n in (org.name, org.short_name)}
        if key in names:
            return org
    return None
