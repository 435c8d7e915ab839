"""Writes to the organization tree: each one a transaction, recorded in the edit history."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Level, Membership, Organization, Person, Role

EDITABLE_FIELDS = ("name", "short_name", "level", "kind", "region", "members_count", "is_active")


@transaction.atomic
def organization_create(*, parent: Organization | None, **fields) -> Organization:
    if parent is None:
        return Organization.add_root(**fields)
    parent = Organization.objects.select_for_update().get(pk=parent.pk)
    return parent.add_child(**fields)


@transaction.atomic
def organization_update(*, org: Organization, **fields) -> Organization:
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"unknown field {name}")
        setattr(org, name, value)
    org.save()
    return org


@transaction.atomic
def organization_move(*, org: Organization, new_parent: Organization) -> Organization:
    """Move an organization (with its subtree) under another; the move is kept in history."""
    if org.is_root():
        raise ValueError("Головную организацию перенести нельзя.")
    if new_parent.path.startswith(org.path):
        raise ValueError("Нельзя перенести организацию внутрь её собственной структуры.")
    org.move(new_parent, pos="last-child")
    org = Organization.objects.get(pk=org.pk)
    org._change_reason = f"Перенесена в «{new_parent.display_name}»"
    org.save()
    return org


@transaction.atomic
def person_save(*, person: Person) -> Person:
    """A person responsible for information work, checked as the model checks it."""
    person.full_clean()
    person.save()
    return person


def membership_grant(*, user, org: Organization, role: Role | str) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, organization=org, role=role)
    staff_flag_sync(user)
    return membership


def staff_flag_sync(user) -> None:
    """The admin site is open to administrators only: is_staff follows the roles held."""
    should = user.is_superuser or Membership.objects.filter(user=user, role=Role.ADMIN).exists()
    if user.is_staff != should:
        user.is_staff = should
        user.save(update_fields=["is_staff"])


def users_administered_by(scope):
    """Accounts that hold a role inside the subtree an administrator administers."""
    users = get_user_model().objects.all()
    if scope.is_superuser:
        return users
    return users.filter(pk__in=Membership.objects.filter(
        scope.administrable("organization__")).values("user_id")).order_by("username")


def default_level_for_child(parent: Organization | None) -> str:
    if parent is None:
        return Level.CENTRAL
    if parent.level == Level.CENTRAL:
        return Level.TERRITORIAL
    return Level.PRIMARY
