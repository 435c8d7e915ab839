"""Scope checks shared by every view: read outside the scope is 404, write is 403."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from profinfo.organizations.models import Organization
from profinfo.organizations.scoping import Scope, scope_of
from profinfo.registry.models import Resource

NOT_YOURS = "Эта организация не входит в вашу зону ответственности: изменить её данные нельзя."


def readable_org(request, pk: int) -> Organization:
    org = get_object_or_404(Organization, pk=pk)
    if not scope_of(request.user).can_read(org):
        raise Http404("Организация не найдена.")
    return org


def subtree_from(request) -> Organization | None:
    """The organization of `?org=` whose subtree a page is narrowed to (None: no filter);
    404 for a bad number or an organization the reader may not see."""
    org_id = request.GET.get("org", "").strip()
    if not org_id:
        return None
    if not org_id.isdigit():
        raise Http404("Организация не найдена.")
    return readable_org(request, int(org_id))


def editable_org(request, pk: int) -> Organization:
    org = readable_org(request, pk)
    if not scope_of(request.user).can_edit(org):
        raise PermissionDenied(NOT_YOURS)
    return org


def readable_resource(request, pk: int) -> Resource:
    resource = get_object_or_404(Resource.objects.select_related("organization"), pk=pk)
    if not scope_of(request.user).can_read(resource.organization):
        raise Http404("Ресурс не найден.")
    return resource


def editable_resource(request, pk: int) -> Resource:
    resource = readable_resource(request, pk)
    if not scope_of(request.user).can_edit(resource.organization):
        raise PermissionDenied(NOT_YOURS)
    return resource


SEARCH_MAX_CHARS = 200


def search_text(request) -> str:
    """What was typed into a search box, cut to a length any database can match quickly."""
    return request.GET.get("q", "").strip()[:SEARCH_MAX_CHARS]


def form_page(request, form, *, nav: str, title: str, **context):
    """The one page every form is shown on: its title, where «back» leads, the fields."""
    return render(request, "web/form.html", {"nav": nav, "form": form, "title": title,
                                             **context})


def scope(request) -> Scope:
    return scope_of(request.user)


def member_required(view):
    """Logged in and holding at least one role (a bare account sees nothing)."""

    @functools.wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not scope_of(request.user).is_authenticated:
            raise PermissionDenied(
                "У вашей учётной записи пока нет роли ни в одной организации. "
                "Обратитесь к администратору."
            )
        return view(request, *args, **kwargs)

    return wrapper
