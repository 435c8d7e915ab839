"""The contest's documents as downloads: the protocol, the diplomas (all in one archive, or one)
and the export for an auditor.

Who may download: the organizers always; once the results are published, everyone (even without
an account) the protocol and the diplomas; before that, one diploma also the readers of the
winning organization. The export stays with the organizers. Documents exist only for frozen
results («Итоги ещё не зафиксированы» otherwise); the export of a running contest is live."""

from __future__ import annotations

import json

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path

from profinfo.contest import documents, exchange, services
from profinfo.contest.models import Contest, Result, Stage
from profinfo.contest.results import wins
from profinfo.organizations.models import Organization

from ..downloads import attachment
from .access import scope

NOT_FROZEN = "Итоги ещё не зафиксированы."
DIPLOMA_FORMATS = ("docx", "pdf")


def _export_json(contest: Contest) -> bytes:
    return json.dumps(exchange.export(contest), ensure_ascii=False, indent=2).encode("utf-8")


EXPORT_FORMATS = {  # format → the export as that file's bytes
    "json": _export_json,
    "xlsx": exchange.export_xlsx,
    "csv": exchange.export_csv,
}


def _contest(year: int) -> Contest:
    contest = Contest.objects.filter(year=year).first()
    if contest is None:
        raise Http404(f"Смотра {year} года нет.")
    return contest


def _frozen(contest: Contest):
    try:
        return documents.frozen_snapshot(contest)
    except documents.NotFrozen:
        raise Http404(NOT_FROZEN) from None


def _is_organizer(request) -> bool:
    return services.is_organizer(scope(request))


def _published_or_organizer(request, contest: Contest) -> None:
    if contest.stage != Stage.PUBLISHED and not _is_organizer(request):
        raise Http404(f"Итоги смотра {contest.year} года ещё не опубликованы.")


def _made(make, *args, name: str, fmt: str) -> HttpResponse:
    """The file, or the Russian reason it cannot be made (no font for PDF, a broken
    template) as a plain page."""
    try:
        body = make(*args)
    except documents.DocumentError as refused:
        return HttpResponse(refused.message, status=503,
                            content_type="text/plain; charset=utf-8")
    return attachment(body, name, fmt)


def protocol(request, year: int):
    contest = _contest(year)
    _published_or_organizer(request, contest)
    _frozen(contest)
    return _made(documents.protocol_docx, contest, name=f"contest-{year}-protocol",
                 fmt="docx")


def diplomas(request, year: int):
    fmt = request.GET.get("format", "docx")
    if fmt not in DIPLOMA_FORMATS:
        raise Http404("Дипломы скачиваются в формате docx или pdf.")
    contest = _contest(year)
    _published_or_organizer(request, contest)
    _frozen(contest)
    return _made(documents.diplomas_zip, contest, fmt, name=f"contest-{year}-diplomas-{fmt}",
                 fmt="zip")


def diploma(request, year: int, result_pk: int, fmt: str):
    if fmt not in DIPLOMA_FORMATS:
        raise Http404("Диплом скачивается в формате docx или pdf.")
    contest = _contest(year)
    snapshot = _frozen(contest)
    result = Result.objects.filter(pk=result_pk, snapshot=snapshot).first()
    places = dict(contest.nominations.values_list("pk", "places"))
    if result is None or not wins(result.place, result.total,
                                  places.get(result.nomination_pk, 3)):
        raise Http404("Такого диплома нет: дипломы выдаются за призовые места.")
    if not (contest.stage == Stage.PUBLISHED or _is_organizer(request)
            or _reads_winner(request, result)):
        if not request.user.is_authenticated:
            raise Http404(f"Итоги смотра {year} года ещё не опубликованы.")
        raise PermissionDenied("До публикации итогов диплом скачивают организаторы смотра и "
                               "сама организация-победитель.")
    make = documents.diploma_pdf if fmt == "pdf" else documents.diploma_docx
    return _made(make, result, name=f"contest-{year}-diploma-{result.pk}", fmt=fmt)


def _reads_winner(request, result: Result) -> bool:
    organization = Organization.objects.filter(pk=result.organization_pk).only("path").first()
    return organization is not None and scope(request).can_read_path(organization.path)


def export(request, year: int, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise Http404("Данные смотра выгружаются в JSON, XLSX или CSV.")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _is_organizer(request):
        raise PermissionDenied("Данные смотра для проверки выгружают организаторы смотра "
                               "(администраторы ЦК).")
    contest = _contest(year)
    return attachment(EXPORT_FORMATS[fmt](contest), f"contest-{year}-export", fmt)


urls = [
    path("contest/<int:year>/protocol.docx", protocol, name="contest-protocol"),
    path("contest/<int:year>/diplomas.zip", diplomas, name="contest-diplomas"),
    path("contest/<int:year>/diplomas/<int:result_pk>.<str:fmt>", diploma,
         name="contest-diploma"),
    path("contest/<int:year>/export.<str:fmt>", export, name="contest-export"),
]
