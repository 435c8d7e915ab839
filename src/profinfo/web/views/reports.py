"""Reports of the annual review as web pages: filters, sorting, a chart, downloads."""


from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from profinfo.reports import annual, periods, ratings
from profinfo.reports import render as files
from profinfo.reports.queries import SOURCES
from profinfo.reports.tables import NeedsOrganization, period_text

from ..downloads import attachment
from ..forms import ReportPeriodForm
from .access import member_required, scope, subtree_from
from .params import ROWS_PER_PAGE


def _filters(request):
    """The period form, the period asked for (the viewer's default when none was), the
    organization, and the picker's presets and automatic choice for the page."""
    default = periods.default_period(scope(request))
    start, end = default.start, default.end
    form = ReportPeriodForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        if start > end:  # one end given, the other from the default
            form.add_error("start" if form.cleaned_data["start"] else "end",
                           f"Начало периода ({start:%d.%m.%Y}) позже его конца "
                           f"({end:%d.%m.%Y}): укажите обе даты.")
    org = subtree_from(request)
    chosen = not (request.GET.get("start") or request.GET.get("end"))
    picker = {"presets": _preset_links(request, start, end),
              "automatic": default if chosen else None}
    return form, start, end, org, picker


def _preset_links(request, start, end) -> list[tuple[str, str, bool]]:
    """(label, query string, whether it is the period shown) per preset."""
    links = []
    for period in periods.presets(scope(request)):
        query = request.GET.copy()
        for name in ("page", "format", "start", "end"):
            query.pop(name, None)
        query["start"], query["end"] = period.start.isoformat(), period.end.isoformat()
        links.append((period.label, query.urlencode(),
                      (period.start, period.end) == (start, end)))
    return links


@member_required
def report_page(request, name):
    titles = annual.all_titles()
    if name not in titles:
        raise Http404("Такого отчёта нет.")
    form, start, end, org, picker = _filters(request)
    try:
        report = annual.build(name, scope(request), start, end, org) if form.is_valid() \
            or not request.GET else None
    except NeedsOrganization as missing:
        raise Http404(str(missing)) from missing
    if report is None:
        return render(request, "web/report.html", {"nav": "reports", "form": form,
                                                   "title": titles[name], "report": None,
                                                   **picker})
    sort = request.GET.get("sort", "")
    if sort.isdigit() and int(sort) < len(report.columns):
        report = report.sorted_by(int(sort), request.GET.get("dir") == "desc")
    fmt = request.GET.get("format", "")
    if fmt in files.WRITERS:
        return attachment(files.WRITERS[fmt](report), f"profinfo-{name}", fmt)
    descending = request.GET.get("dir") == "desc"
    headers = [(i, c, "desc" if sort == str(i) and not descending else "")
               for i, c in enumerate(report.columns)]
    contest = ratings.frozen_contest(scope(request), end.year) if name == "ratings" else None
    return render(request, "web/report.html", {
        "contest": contest, "contest_title": contest and ratings.contest_title(contest),
        "contest_path": contest and ratings.contest_path(contest),
        "nav": "reports", "form": form, "title": report.title, "report": report,
        "page": Paginator(report.rows, ROWS_PER_PAGE).get_page(request.GET.get("page")),
        "period": period_text(report.period), "org": org, "bars": _bars(report),
        "chart_title": report.columns[report.chart.value_columns[0]].title
        if report.chart else "", "headers": headers, **picker,
        "source": SOURCES.get(name, ""), "can_import": scope(request).can_write_anything})


def _bars(report) -> list[tuple[str, float, str]]:
    """The chart as bars: (label, width in percent, value as read)."""
    chart = report.chart
    if chart is None or not report.rows:
        return []
    index = chart.value_columns[0]
    rows = [r for r in report.rows if r[index] is not None][:chart.limit]
    top = max((r[index] for r in rows), default=0) or 1
    kind = report.columns[index].kind
    return [(str(r[chart.label_column]), f"{100 * r[index] / top:.1f}",
             files.display(r[index], kind)) for r in rows]


@member_required
def annual_review(request):
    form, start, end, org, picker = _filters(request)
    if request.GET.get("format") == "pptx" and form.is_valid():
        data = annual.annual_review(scope(request), start, end, org)
        return attachment(data, f"profinfo-annual-review-{start:%Y%m%d}-{end:%Y%m%d}", "pptx")
    return render(request, "web/annual_review.html", {"nav": "reports", "form": form,
                                                      "org": org, **picker})


@member_required
def methodology_xlsx(request):
    from profinfo.evaluation.defaults import methodology_for
    from profinfo.evaluation.exchange import export_xlsx

    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 \
        else timezone.localdate().year
    return attachment(export_xlsx(methodology_for(year)), f"profinfo-methodology-{year}", "xlsx")
