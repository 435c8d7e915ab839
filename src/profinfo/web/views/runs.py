"""Collection runs in the web UI: start one for your subtree, watch it, read its errors."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from profinfo.monitoring import runs as run_services
from profinfo.monitoring.checks import CHECKED_NETWORKS
from profinfo.monitoring.models import CollectionRun, RunItem
from profinfo.organizations.models import Organization
from profinfo.registry.models import Kind

from .access import editable_resource, member_required, readable_org, scope

KINDS = [("", "сайты и страницы в соцсетях"), ("site", "только сайты"),
         ("social", "только страницы в соцсетях")]


def visible_runs(request):
    return run_services.runs_visible(scope(request))


@member_required
def run_list(request):
    user_scope = scope(request)
    editable = Organization.objects.filter(path__in=user_scope.write_paths) \
        if not user_scope.is_superuser else Organization.get_root_nodes()
    return render(request, "web/runs.html", {
        "nav": "runs", "runs": visible_runs(request).select_related(
            "started_by", "organization")[:100],
        "kinds": KINDS, "start_orgs": list(editable[:50]),
        "broker": bool(settings.CELERY_BROKER_URL)})


@member_required
@require_POST
def run_start(request):
    user_scope = scope(request)
    if not user_scope.can_write_anything:
        raise PermissionDenied("Запускать проверки могут администраторы и редакторы.")
    org = _target(request, user_scope)
    kind = request.POST.get("kind", "")
    if kind not in dict(KINDS):
        kind = ""
    filters = run_services.RunFilters(org_id=org.pk if org else None, kind=kind)
    try:
        run = run_services.run_start(
            filters=filters, user=request.user, trigger="web",
            readable=user_scope.editable("organization__"),
            distributed=bool(settings.CELERY_BROKER_URL), limited=True)
    except run_services.RunRefused as refused:
        messages.error(request, str(refused))
        return redirect("run-list")
    if run.total == 0:
        run_services.run_close(run, CollectionRun.Status.DONE)
        messages.warning(request, "Проверять нечего: у отобранных ресурсов нет адресов.")
    else:
        run_services.run_launch(run)
        messages.success(request, f"Проверка запущена: ресурсов — {run.total}.")
    return redirect("run-detail", pk=run.pk)


def _target(request, user_scope) -> Organization | None:
    org_id = request.POST.get("org", "").strip()
    if org_id:
        if not org_id.isdigit():
            raise Http404("Организация не найдена.")
        org = readable_org(request, int(org_id))
        if not user_scope.can_edit(org):
            raise PermissionDenied("Запускать проверку можно только для своих организаций.")
        return org
    if user_scope.is_superuser:
        return None
    roots = list(Organization.objects.filter(path__in=user_scope.write_paths)[:2])
    if len(roots) != 1:
        raise PermissionDenied("Выберите организацию, для которой запустить проверку.")
    return roots[0]


@member_required
def run_detail(request, pk):
    run = get_object_or_404(visible_runs(request).select_related("started_by", "organization"),
                            pk=pk)
    tally = run_services.counts(run)
    errors = (RunItem.objects.filter(run=run, status=RunItem.Status.FAILED)
              .filter(scope(request).readable("resource__organization__"))
              .select_related("resource", "resource__organization").order_by("error_code",
                                                                            "pk")[:500])
    return render(request, "web/run_detail.html", {
        "nav": "runs", "run": run, "pending": tally[RunItem.Status.PENDING]
        + tally[RunItem.Status.WORKING], "done": tally[RunItem.Status.DONE],
        "failed": tally[RunItem.Status.FAILED], "errors": errors,
        "skipped": [(reason, run_services.SKIP_REASONS.get(reason, reason), n)
                    for reason, n in run.skipped.items()],
        "skipped_total": sum(run.skipped.values()),
        "running": run.status == CollectionRun.Status.RUNNING})


@member_required
@require_POST
def check_now(request, pk):
    """«Проверить сейчас» on a resource's page: a run of that one resource in its own process;
    the page says «проверяется» and refreshes itself until the result is there."""
    resource = editable_resource(request, pk)
    if not resource.url or not (resource.kind == Kind.SITE or (
            resource.kind == Kind.SOCIAL and resource.network in CHECKED_NETWORKS)):
        raise Http404("Проверить сейчас можно сайт или страницу ВКонтакте, Одноклассников и "
                      "Telegram с указанным адресом.")
    try:
        run, started = run_services.resource_check_start(resource=resource, user=request.user)
    except run_services.RunRefused as refused:
        messages.error(request, str(refused))
        return redirect("resource-detail", pk=resource.pk)
    if started:
        run_services.run_launch(run)
    else:
        messages.info(request, "Проверка этого ресурса уже идёт: результат появится здесь.")
    return redirect("resource-detail", pk=resource.pk)
