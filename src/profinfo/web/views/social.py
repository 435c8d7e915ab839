"""Site traffic from Яндекс.Метрика for a period, and the pages without care."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from profinfo.monitoring import runs as run_services
from profinfo.monitoring.calculations import Staleness
from profinfo.monitoring.selectors import stale_resources
from profinfo.registry.models import Kind
from profinfo.reports import render as files
from profinfo.reports.queries import stale_now

from ..downloads import attachment
from ..forms import FreshnessFilterForm, TrafficPeriodForm
from .access import editable_resource, member_required, scope, subtree_from


@member_required
@require_POST
def traffic(request, pk):
    resource = editable_resource(request, pk)
    if resource.kind != Kind.SITE or not resource.metrica_id:
        raise Http404("Посещаемость загружается для сайта с указанным счётчиком Метрики.")
    form = TrafficPeriodForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for field in form.errors.values() for e in field])
        period = form.cleaned_data["start"], form.cleaned_data["end"]
        run, started = run_services.resource_check_start(resource=resource, user=request.user,
                                                         traffic=period)
    except ValidationError as invalid:
        messages.error(request, f"Посещаемость не загружена: {' '.join(invalid.messages)}")
    except run_services.RunRefused as refused:
        messages.error(request, str(refused))
    else:
        if started:
            run_services.run_launch(run)
        else:
            messages.info(request, "Проверка этого сайта уже идёт: загрузите посещаемость, "
                                   "когда она закончится.")
    return redirect("resource-detail", pk=resource.pk)


@member_required
def stale_report(request):
    form = FreshnessFilterForm(request.GET or None, initial={"state": Staleness.ABANDONED})
    state, kind = Staleness.ABANDONED, ""
    if form.is_valid():
        state = form.cleaned_data["state"] or Staleness.ABANDONED
        kind = form.cleaned_data["kind"]
    subtree = subtree_from(request)
    if request.GET.get("format") == "xlsx":
        report = stale_now(scope(request), state, subtree, kind)
        return attachment(files.to_xlsx(report), "profinfo-stale-pages", "xlsx")
    today = timezone.localdate()
    rows = [(r, (today - r.last_publication).days)
            for r in stale_resources(scope=scope(request), state=state, subtree=subtree,
                                     kind=kind)[:5000]]
    return render(request, "web/stale_report.html", {
        "nav": "reports", "form": form, "rows": rows, "state": state, "subtree": subtree})
