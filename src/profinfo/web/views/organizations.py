from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from profinfo.contest import selectors as contest_selectors
from profinfo.monitoring.selectors import latest_values
from profinfo.organizations import selectors
from profinfo.organizations.models import Level, Organization, Person
from profinfo.organizations.services import (
    default_level_for_child,
    organization_create,
    organization_move,
    organization_update,
    person_save,
)
from profinfo.registry.selectors import children_with_counts, resources_of

from ..forms import MoveOrganizationForm, OrganizationForm, PersonForm
from ..history import history_rows
from .access import (
    NOT_YOURS,
    editable_org,
    form_page,
    member_required,
    readable_org,
    scope,
    search_text,
)

TREE_CHILDREN = 300  # more are listed, page by page, on the organization's own page


@member_required
def org_tree(request):
    user_scope = scope(request)
    text = search_text(request)
    level = request.GET.get("level", "")
    context = {"nav": "orgs", "q": text, "level": level, "levels": Level.choices}
    if text or level:
        found = selectors.organization_search(user_scope, text=text, level=level,
                                              include_archived=bool(request.GET.get("archived")))
        page = Paginator(found, 50).get_page(request.GET.get("page"))
        context.update(page=page, found_count=page.paginator.count)
    else:
        roots = list(selectors.roots_for(user_scope))
        context["tree"] = [(root, children_with_counts(root, user_scope)[0:TREE_CHILDREN])
                           for root in roots]
    return render(request, "web/org_tree.html", context)


@member_required
def org_detail(request, pk):
    org = readable_org(request, pk)
    user_scope = scope(request)
    resources = list(resources_of(org))
    latest = latest_values([r.pk for r in resources])
    for resource in resources:
        resource.latest = sorted(latest.get(resource.pk, {}).values(), key=lambda o: o.metric)
    children = children_with_counts(org, user_scope)
    return render(request, "web/org_detail.html", {
        "nav": "orgs", "org": org, "ancestors": selectors.ancestors(org),
        "children": Paginator(children, 50).get_page(request.GET.get("page")),
        "people": org.people.all(), "resources": resources,
        "can_edit": user_scope.can_edit(org), "history": history_rows(org),
        "contest_applications": contest_selectors.organization_applications(org),
        "contests_open": (contest_selectors.contests_taking_applications()
                          if user_scope.can_edit(org) else []),
    })


@member_required
def org_create(request, parent_pk):
    parent = editable_org(request, parent_pk)
    form = OrganizationForm(request.POST or None,
                            initial={"level": default_level_for_child(parent),
                                     "region": parent.region})
    if request.method == "POST" and form.is_valid():
        org = organization_create(parent=parent, **form.cleaned_data)
        messages.success(request, f"Организация «{org}» добавлена.")
        return redirect("org-detail", pk=org.pk)
    return form_page(request, form, nav="orgs", title=f"Новая организация в «{parent}»",
                     back=parent)


@member_required
def org_edit(request, pk):
    org = editable_org(request, pk)
    form = OrganizationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        organization_update(org=org, **form.cleaned_data)
        messages.success(request, "Изменения сохранены.")
        return redirect("org-detail", pk=org.pk)
    return form_page(request, form, nav="orgs", title=f"Изменить: {org}", back=org)


@member_required
def person_edit(request, org_pk, pk=None):
    org = editable_org(request, org_pk)
    person = get_object_or_404(Person, pk=pk, organization=org) if pk else Person(organization=org)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        person_save(person=form.save(commit=False))
        messages.success(request, "Сведения об ответственном сохранены.")
        return redirect("org-detail", pk=org.pk)
    title = f"Ответственный: {person.full_name}" if pk else f"Новый ответственный в «{org}»"
    return form_page(request, form, nav="orgs", title=title, back=org)


@member_required
def org_move(request, pk):
    org = editable_org(request, pk)
    form = MoveOrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = _find_organization(form.cleaned_data["new_parent"])
        user_scope = scope(request)
        if target is None or not user_scope.can_read(target):
            form.add_error("new_parent", "Такая организация не найдена.")
        elif not user_scope.can_edit(target):
            form.add_error("new_parent", NOT_YOURS)
        else:
            try:
                organization_move(org=org, new_parent=target)
            except ValueError as exc:
                form.add_error("new_parent", str(exc))
            else:
                messages.success(request, f"Организация перенесена в «{target}».")
                return redirect("org-detail", pk=org.pk)
    return form_page(request, form, nav="orgs", title=f"Перенести: {org}", back=org,
                     subtitle="Организация переносится вместе со всеми подразделениями и "
                              "ресурсами; перенос сохраняется в истории изменений.")


def _find_organization(text: str):
    text = text.strip().lstrip("№").strip()
    if text.isdigit():
        return Organization.objects.filter(pk=int(text)).first()
    return selectors.organization_by_name(text)
