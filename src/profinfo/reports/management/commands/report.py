import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import CommandError

from profinfo.cli import ProfinfoCommand, date_argument
from profinfo.organizations.models import Organization
from profinfo.organizations.scoping import Scope
from profinfo.reports import annual, periods, render
from profinfo.reports.queries import REPORTS
from profinfo.reports.tables import NeedsOrganization

NAMES = [*REPORTS, "ratings", "org-card", "annual-review"]


class Command(ProfinfoCommand):
    help = "Построить отчёт смотра по живым данным: " + ", ".join(NAMES) + "."

    def add_arguments(self, parser):
        parser.add_argument("name", help="отчёт: " + ", ".join(NAMES))
        parser.add_argument("--from", dest="start", type=date_argument, metavar="ГГГГ-ММ-ДД",
                            help="начало периода (без --from/--to и --year — последний год, "
                                 "за который есть данные)")
        parser.add_argument("--to", dest="end", type=date_argument, metavar="ГГГГ-ММ-ДД",
                            help="конец периода")
        parser.add_argument("--year", type=int, help="весь год вместо --from/--to")
        parser.add_argument("--org", type=int, help="номер организации: она и подразделения")
        parser.add_argument("--format", default="json",
                            choices=["json", "csv", "xlsx", "docx", "pptx"],
                            help="формат (по умолчанию json; xlsx, docx и pptx — в файл -o)")
        parser.add_argument("-o", "--output", help="файл (по умолчанию — в консоль)")

    def handle(self, *args, name, start, end, year, org, format, output, **options):
        if name not in NAMES:
            raise CommandError(f"Нет отчёта «{name}». Есть: {', '.join(NAMES)}.")
        everything = Scope(is_superuser=True)
        if start is None and end is None and year is None:
            chosen = periods.default_period(everything)
            start, end = chosen.start, chosen.end
            self.stderr.write(f"Период не указан: взят {chosen.label} ({chosen.text}) — "
                              f"{chosen.why}. Другой период: --from и --to или --year.")
        else:
            start, end = _period(start, end, year)
        organization = None
        if org is not None:
            organization = Organization.objects.filter(pk=org).first()
            if organization is None:
                raise CommandError(f"Организации № {org} нет.")
        if name == "annual-review":
            if format != "pptx":
                raise CommandError("Годовой обзор строится как презентация: --format pptx.")
            data = annual.annual_review(everything, start, end, organization)
        else:
            if format == "pptx":
                raise CommandError("Презентация (pptx) — только для annual-review.")
            try:
                report = annual.build(name, everything, start, end, organization)
            except NeedsOrganization as missing:
                raise CommandError(str(missing)) from missing
            data = render.WRITERS[format](report)
        if output:
            Path(output).write_bytes(data)
            self.stdout.write(f"Сохранено: {output}")
        elif format in ("json", "csv"):
            sys.stdout.write(data.decode("utf-8-sig") + ("\n" if format == "json" else ""))
        else:
            raise CommandError(f"Формат {format} — файл: укажите -o ИМЯ.{format}")


def _period(start, end, year) -> tuple[dt.date, dt.date]:
    if year is not None:
        if start or end:
            raise CommandError("Укажите либо --year, либо --from и --to.")
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if start is None or end is None:
        raise CommandError("Укажите и начало, и конец периода: --from ГГГГ-ММ-ДД --to "
                           "ГГГГ-ММ-ДД (или --year; без них берётся последний год с данными).")
    if start > end:
        raise CommandError("Начало периода (--from) позже его конца (--to).")
    return start, end
