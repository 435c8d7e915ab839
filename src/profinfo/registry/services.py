"""Writes to the registry: keyword-only, validated, one transaction each, audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from profinfo.organizations.models import Organization
from profinfo.organizations.scoping import Scope

from .models import PrintIssue, Resource

DUPLICATE_URL = "Этот адрес уже есть в реестре (ресурс № {pk}). Один ресурс — одна запись."
DUPLICATE_URL_ELSEWHERE = ("Этот адрес уже есть в реестре у другой организации. Один ресурс — "
                           "одна запись; если ресурс перешёл к вам, обратитесь к администратору.")


def check_url_unique(resource: Resource, *, scope: Scope | None = None) -> None:
    """A clash is named only to someone who may read the resource it clashes with."""
    if not resource.url_key:
        return
    clash = (Resource.objects.filter(url_key=resource.url_key).exclude(pk=resource.pk)
             .values_list("pk", "organization__path").first())
    if clash:
        pk, path = clash
        visible = scope is None or scope.can_read_path(path)
        raise ValidationError({"url": DUPLICATE_URL.format(pk=pk) if visible
                               else DUPLICATE_URL_ELSEWHERE})


def _validate_and_save(resource: Resource, scope: Scope | None = None) -> Resource:
    resource.full_clean(validate_unique=False, validate_constraints=False)
    check_url_unique(resource, scope=scope)
    try:
        with transaction.atomic():
            resource.save()
    except IntegrityError as exc:  # a concurrent insert of the same address
        raise ValidationError({"url": "Этот адрес уже есть в реестре."}) from exc
    return resource


@transaction.atomic
def resource_create(*, organization: Organization, kind: str, title: str = "", **fields
                    ) -> Resource:
    resource = Resource(organization=organization, kind=kind, title=title, **fields)
    return _validate_and_save(resource)


def resource_save(*, resource: Resource, scope: Scope | None = None) -> Resource:
    """Validate and save a resource built by a form; `scope` is the reader of the errors."""
    with transaction.atomic():
        return _validate_and_save(resource, scope)


@transaction.atomic
def print_issue_add(*, resource: Resource, date, number: str = "", file=None,
                    circulation: int | None = None) -> PrintIssue:
    return PrintIssue.objects.create(resource=resource, date=date, number=number,
                                     file=file or "", circulation=circulation)


def site_facts_fill(*, resource: Resource, cms: str, metrica_id: str | None,
                    liveinternet: bool) -> list[str]:
    """Fill the site's CMS and counters from what an audit found.

    A person's entry wins: a field already filled is never overwritten (a counter may be
    installed through a tag manager the auditor cannot see). Returns Russian notes about
    disagreements, for the audit's record.
    """
    notes, changed = [], []
    if cms and not resource.cms:
        resource.cms = cms
        changed.append("cms")
    if metrica_id:
        if not resource.metrica_id:
            resource.metrica_id = metrica_id
            changed.append("metrica_id")
        elif resource.metrica_id != metrica_id:
            notes.append(f"На сайте найден счётчик Метрики {metrica_id}, в реестре указан "
                         f"{resource.metrica_id}: оставлен указанный в реестре.")
    if liveinternet and not resource.liveinternet:
        resource.liveinternet = True
        changed.append("liveinternet")
    if changed:
        resource._change_reason = "заполнено автоматической проверкой сайта"
        resource.save(update_fields=[*changed, "updated_at"])
    return notes
