"""Who may see and change what: every other app scopes its queries through a Scope.

A role granted on an organization covers its whole subtree. Because the tree is a
materialized path, "inside the subtree" is a path prefix test, both in Python and in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from .models import Membership, Organization, Role, subtree_q

READ_ROLES = {Role.ADMIN, Role.EDITOR, Role.OBSERVER, Role.EXPERT}
WRITE_ROLES = {Role.ADMIN, Role.EDITOR}


def _outermost(paths: set[str]) -> list[str]:
    """Drop paths that lie inside another path of the set."""
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


@dataclass(frozen=True)
class Scope:
    is_superuser: bool = False
    read_paths: tuple[str, ...] = ()
    write_paths: tuple[str, ...] = ()
    admin_paths: tuple[str, ...] = ()
    roles: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def for_user(cls, user) -> Scope:
        if user is None or not user.is_authenticated:
            return cls()
        if user.is_superuser:
            return cls(is_superuser=True, roles=frozenset({Role.ADMIN}))
        cached = getattr(user, "_profinfo_scope", None)
        if cached is not None:
            return cached
        rows = list(
            Membership.objects.filter(user=user).values_list("organization__path", "role")
        )
        scope = cls(
            read_paths=tuple(_outermost({p for p, r in rows if r in READ_ROLES})),
            write_paths=tuple(_outermost({p for p, r in rows if r in WRITE_ROLES})),
            admin_paths=tuple(_outermost({p for p, r in rows if r == Role.ADMIN})),
            roles=frozenset(r for _, r in rows),
        )
        user._profinfo_scope = scope
        return scope

    @property
    def cache_key(self) -> str:
        return "all" if self.is_superuser else ",".join(self.read_paths)

    # --- predicates -----------------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return self.is_superuser or bool(self.read_paths)

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or bool(self.admin_paths)

    @property
    def is_global_admin(self) -> bool:
        """An administrator of a whole tree (its root): accounts, the methodology, locks."""
        return self.is_superuser or any(len(p) == Organization.steplen
                                        for p in self.admin_paths)

    @property
    def can_write_anything(self) -> bool:
        return self.is_superuser or bool(self.write_paths)

    def can_read(self, org: Organization) -> bool:
        return self.is_superuser or _inside(org.path, self.read_paths)

    def can_read_path(self, path: str) -> bool:
        return self.is_superuser or _inside(path, self.read_paths)

    def can_edit(self, org: Organization) -> bool:
        return self.is_superuser or _inside(org.path, self.write_paths)

    def can_administer(self, org: Organization) -> bool:
        return self.is_superuser or _inside(org.path, self.admin_paths)

    # --- query filters --------------------------------------------------------------------
    def readable(self, prefix: str = "") -> Q:
        return self._q(self.read_paths, prefix)

    def editable(self, prefix: str = "") -> Q:
        return self._q(self.write_paths, prefix)

    def administrable(self, prefix: str = "") -> Q:
        return self._q(self.admin_paths, prefix)

    def _q(self, paths: tuple[str, ...], prefix: str) -> Q:
        if self.is_superuser:
            return Q()
        if not paths:
            return Q(pk__in=[])
        q = Q()
        for path in paths:
            q |= subtree_q(path, prefix)
        return q


def _inside(path: str, roots: tuple[str, ...]) -> bool:
    return any(path.startswith(root) for root in roots)


def scope_of(user) -> Scope:
    return Scope.for_user(user)
