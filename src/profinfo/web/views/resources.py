from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from profinfo.caching import cached
from profinfo.contest.services import override_refusal
from profinfo.monitoring import calculations as calc
from profinfo.monitoring.checks import CHECKED_NETWORKS
from profinfo.monitoring.models import Metric
from profinfo.monitoring.runs import resource_check_running
from profinfo.monitoring.selectors import (
    PERCENT_METRICS,
    chart_series,
    freshness,
    publications_known,
    resource_history,
    site_audit,
    site_audit_history,
    social_summary,
    traffic_summary,
)
from profinfo.monitoring.services import observation_record_manual
from profinfo.organizations.models import Level
from profinfo.organizations.selectors import ancestors, organizations_editable
from profinfo.registry.models import Kind, Network, Resource
from profinfo.registry.services import print_issue_add, resource_save

from ..forms import ManualObservationForm, PrintIssueForm, ResourceForm, add_service_errors
from ..history import history_rows
from .access import (
    editable_org,
    editable_resource,
    form_page,
    member_required,
    readable_resource,
    scope,
    search_text,
)
from .params import STATES, filters_from, freshness_choices, freshness_from, listed_resources


@member_required
def resource_list_view(request):
    user_scope = scope(request)
    filters, fresh = filters_from(request), freshness_from(request)
    paginator = Paginator(listed_resources(user_scope, filters, fresh), 50)
    # Counting a subtree's resources is most of the query time: count once per change.
    query = request.GET.copy()
    query.pop("page", None)
    paginator.count = cached(f"resource-count:{user_scope.cache_key}:{query.urlencode()}",
                             paginator.object_list.count)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "web/resource_list.html", {
        "nav": "resources", "page": page, "filters": filters,
        "fresh": fresh, "kinds": Kind.choices, "networks": Network.choices,
        "levels": Level.choices, "states": STATES, "freshness_choices": freshness_choices(),
    })


@member_required
def resource_detail(request, pk):
    resource = readable_resource(request, pk)
    user_scope = scope(request)
    blocked = (override_refusal(user_scope, resource.organization)
               if user_scope.can_administer(resource.organization) else "")
    charts = [(Metric(m).label + (", %" if m in PERCENT_METRICS else ""), points)
              for m, points in chart_series(resource).items()
              if len(points) > 1]  # one point is better read in the table below
    return render(request, "web/resource_detail.html", {
        "nav": "resources", "resource": resource, "org": resource.organization,
        "ancestors": ancestors(resource.organization),
        "observations": resource_history(resource), "charts": charts,
        "issues": resource.issues.all()[:100] if resource.kind == Kind.PRINT else [],
        "can_edit": scope(request).can_edit(resource.organization),
        "can_administer": user_scope.can_administer(resource.organization),
        "can_override": user_scope.can_administer(resource.organization) and not blocked,
        "override_blocked": blocked,
        "history": history_rows(resource),
        **_site_audit_context(resource),
        **_social_context(resource),
    })


def _social_context(resource) -> dict:
    if resource.kind not in (Kind.SITE, Kind.SOCIAL):
        return {}
    context = {"freshness": freshness(resource, timezone.localdate()),
               "publications_known": publications_known(resource),
               "social_networks": CHECKED_NETWORKS,
               "checking": resource_check_running(resource)}
    if resource.kind == Kind.SOCIAL:
        context["social"] = social_summary(resource)
        context["is_telegram"] = resource.network.startswith("telegram")
    else:
        context["traffic_period"] = calc.last_month(timezone.localdate())
        context["traffic"] = traffic_summary(resource)
    return context


def _site_audit_context(resource) -> dict:
    if resource.kind != Kind.SITE:
        return {}
    audit, criteria, read = site_audit(resource)
    return {"audit": audit, "criteria": criteria, "audit_read": read,
            "audit_history": site_audit_history(resource)}


@member_required
def resource_create(request, org_pk=None):
    if org_pk is None:
        return _choose_organization(request)
    org = editable_org(request, org_pk)
    kind = request.GET.get("kind") or request.POST.get("kind")
    if kind not in Kind.values:
        return render(request, "web/resource_kind.html", {"nav": "resources", "org": org,
                                                           "kinds": Kind.choices})
    form = ResourceForm(request.POST or None, request.FILES or None, kind=kind,
                        instance=Resource(organization=org, kind=kind))
    if request.method == "POST" and form.is_valid():
        resource = _save(request, form)
        if resource:
            messages.success(request, f"Ресурс «{resource}» добавлен в реестр.")
            return redirect("resource-detail", pk=resource.pk)
    return form_page(request, form, nav="resources", title=f"{Kind(kind).label}: новый ресурс",
                     subtitle=str(org), back=org, hidden={"kind": kind}, multipart=True)


@member_required
def resource_edit(request, pk):
    resource = editable_resource(request, pk)
    form = ResourceForm(request.POST or None, request.FILES or None, kind=resource.kind,
                        instance=resource)
    if request.method == "POST" and form.is_valid():
        if _save(request, form):
            messages.success(request, "Изменения сохранены.")
            return redirect("resource-detail", pk=resource.pk)
    return form_page(request, form, nav="resources", title=f"Изменить: {resource}",
                     subtitle=str(resource.organization), back_resource=resource,
                     multipart=True)


def _save(request, form):
    resource = form.save(commit=False)
    try:
        return resource_save(resource=resource, scope=scope(request))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def _choose_organization(request):
    text = search_text(request).casefold()
    orgs = organizations_editable(scope(request)).filter(is_active=True).order_by("path")
    if text:
        orgs = orgs.filter(search_text__contains=text)
    return render(request, "web/resource_choose_org.html", {
        "nav": "resources", "orgs": orgs[:100], "q": search_text(request),
    })


@member_required
def observation_create(request, pk):
    resource = editable_resource(request, pk)
    form = ManualObservationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            observation_record_manual(
                resource=resource, metric=data["metric"], value=data["value"],
                period_start=data["period_start"], period_end=data["period_end"],
                user=request.user, note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Показатель записан.")
            return redirect("resource-detail", pk=resource.pk)
    return form_page(request, form, nav="resources", title=f"Ввести показатель: {resource}",
                     back_resource=resource)


@member_required
def print_issue_create(request, pk):
    resource = editable_resource(request, pk)
    if resource.kind != Kind.PRINT:
        raise Http404("Номера есть только у печатных изданий.")
    form = PrintIssueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        print_issue_add(resource=resource, **form.cleaned_data)
        messages.success(request, "Номер издания добавлен.")
        return redirect("resource-detail", pk=resource.pk)
    return form_page(request, form, nav="resources", title=f"Новый номер: {resource}",
                     back_resource=resource, multipart=True)


@member_required
def resource_file(request, pk):
    resource = readable_resource(request, pk)
    return _file_response(resource.file)


@member_required
def print_issue_file(request, pk, issue_pk):
    resource = readable_resource(request, pk)
    issue = resource.issues.filter(pk=issue_pk).first()
    return _file_response(issue.file if issue else None)


def _file_response(file_field):
    if not file_field:
        raise Http404("Файл не найден.")
    try:
        handle = file_field.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Файл не найден.") from exc
    return FileResponse(handle, as_attachment=True, filename=file_field.name.rsplit("/", 1)[-1])
