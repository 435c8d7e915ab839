import sys
from pathlib import Path

from django.core.management.base import CommandError

from profinfo.cli import ProfinfoCommand
from profinfo.organizations.models import Organization
from profinfo.organizations.scoping import Scope
from profinfo.spreadsheets import DATASETS, EXPORT_FORMATS, export

ALIASES = {"orgs": "orgs", "organizations": "orgs", "resources": "resources",
           "observations": "observations", "stats": "observations"}


class Command(ProfinfoCommand):
    help = "Выгрузка организаций, ресурсов или показателей в XLSX, CSV или JSON."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=sorted(ALIASES),
                            help="что выгрузить: организации, ресурсы или показатели")
        parser.add_argument("--format", default="xlsx", choices=EXPORT_FORMATS,
                            help="формат файла (по умолчанию xlsx)")
        parser.add_argument("-o", "--output", help="файл; без него — в стандартный вывод")
        parser.add_argument("--org", type=int, help="номер организации: только её структура")

    def handle(self, *args, what, format, output, org, **options):
        filters = {}
        if org is not None:
            subtree = Organization.objects.filter(pk=org).first()
            if subtree is None:
                raise CommandError(f"Организации № {org} нет.")
            filters["subtree"] = subtree
        key = ALIASES[what]
        if key not in DATASETS:
            raise CommandError(f"Неизвестная выгрузка: {what}")
        body = export(key, format, scope=Scope(is_superuser=True), **filters)
        if output:
            Path(output).write_bytes(body)
            self.stdout.write(f"Записано: {output}")
        else:
            sys.stdout.buffer.write(body)
