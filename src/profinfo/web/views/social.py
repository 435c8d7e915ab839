"""Social pages and site traffic: check now, Метрика for a period, pages without care."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from profinfo.monitoring.checks import (
    CHECKED_NETWORKS,
    social_check_and_store,
    traffic_fetch_and_store,
)
from profinfo.monitoring.selectors import pages_by_freshness
from profinfo.registry.models import Kind
from profinfo.spreadsheets import FORMATS
from profinfo.tabular import Table, write_xlsx

from ..forms import FreshnessFilterForm, TrafficPeriodForm
from .access import editable_resource, member_required, scope, subtree_from


@member_required
@require_POST
def check_now(request, pk):
    resource = editable_resource(request, pk)
    if resource.kind != Kind.SOCIAL or resource.network not in CHECKED_NETWORKS:
        raise Http404("Проверить можно страницы ВКонтакте, Одноклассников и Telegram.")
    written = social_check_and_store(resource)
    failure = next((o for o in written if not o.ok), None)
    if failure is None:
        messages.success(request, "Страница проверена, показатели сохранены.")
    elif len(written) > 1:
        messages.warning(request, f"Страница проверена не полностью: {failure.error_message}")
    else:
        messages.error(request, f"Проверка не удалась: {failure.error_message}")
    return redirect("resource-detail", pk=resource.pk)


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


def last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


@member_required
def stale_report(request):
    form = FreshnessFilterForm(request.GET or None, initial={"state": "abandoned"})
    state, kind = "abandoned", ""
    if form.is_valid():
        state = form.cleaned_data["state"] or "abandoned"
        kind = form.cleaned_data["kind"]
    subtree = subtree_from(request)
    today = timezone.localdate()
    rows = [(r, (today - r.last_publication).days)
            for r in pages_by_freshness(scope(request), state, today=today, subtree=subtree,
                                        kind=kind)[:5000]]
    if request.GET.get("format") == "xlsx":
        return _stale_xlsx(rows)
    return render(request, "web/stale_report.html", {
        "nav": "reports", "form": form, "rows": rows, "state": state, "subtree": subtree})


def _stale_xlsx(rows) -> HttpResponse:
    table = Table("Без обновлений", [
        "Организация", "Уровень", "Ресурс", "Адрес", "Соцсеть", "Последняя публикация",
        "Дней без публикаций"],
        ([r.organization.display_name, r.organization.get_level_display(), r.title, r.url,
          r.get_network_display() if r.network else "сайт", r.last_publication, days]
         for r, days in rows))
    response = HttpResponse(write_xlsx([table]), content_type=FORMATS["xlsx"])
    response["Content-Disposition"] = 'attachment; filename="profinfo-stale-pages.xlsx"'
    return response
