"""Social pages and site traffic: check now, Метрика for a period, pages without care."""


from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from profinfo.monitoring.calculations import Staleness
from profinfo.monitoring.checks import (
    traffic_fetch_and_store,
)
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
    if not form.is_valid():
        errors = " ".join(e for field in form.errors.values() for e in field)
        messages.error(request, f"Посещаемость не загружена: {errors}")
        return redirect("resource-detail", pk=resource.pk)
    written = traffic_fetch_and_store(resource, form.cleaned_data["start"],
                                      form.cleaned_data["end"])
    if written and written[0].ok:
        messages.success(request, "Посещаемость из Яндекс.Метрики загружена.")
    else:
        messages.error(request, f"Посещаемость не загружена: "
                                f"{written[0].error_message if written else 'нет данных'}")
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
