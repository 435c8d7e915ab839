"""Querysets narrowed to what a person may see, change or administer (organizations.Scope).

Every model that belongs to an organization gets `.visible_to(scope)`, `.editable_by(scope)`
and `.administered_by(scope)`, so the scope filter is written once, here, not by hand in each
query. `organization_lookup` is the way from the model to its organization's path prefix.
"""

from __future__ import annotations

from django.db import models
from treebeard.mp_tree import MP_NodeManager, MP_NodeQuerySet


class ScopedQuerySet(models.QuerySet):
    organization_lookup = "organization__"

    def visible_to(self, scope):
        return self.filter(scope.readable(self.organization_lookup))

    def editable_by(self, scope):
        return self.filter(scope.editable(self.organization_lookup))

    def administered_by(self, scope):
        return self.filter(scope.administrable(self.organization_lookup))


def scoped_manager(lookup: str) -> models.Manager:
    """A manager whose querysets know the way `lookup` to their organization."""
    queryset = type("ScopedQuerySet", (ScopedQuerySet,), {"organization_lookup": lookup})
    return queryset.as_manager()


class OrganizationQuerySet(ScopedQuerySet, MP_NodeQuerySet):
    organization_lookup = ""


class OrganizationManager(MP_NodeManager):
    """treebeard's manager (nodes in path order), with the scope methods."""

    def get_queryset(self):
        return OrganizationQuerySet(self.model).order_by("path")

    def visible_to(self, scope):
        return self.get_queryset().visible_to(scope)

    def editable_by(self, scope):
        return self.get_queryset().editable_by(scope)

    def administered_by(self, scope):
        return self.get_queryset().administered_by(scope)
