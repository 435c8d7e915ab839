import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from profinfo.organizations.models import Organization, subtree_q
from profinfo.organizations.scoping import Scope
from profinfo.spreadsheets import DATASETS, FORMATS, export

ALIASES = {"orgs": "orgs", "organizations": "orgs", "resources": "resources",
           "observations": "observations", "stats": "observations"}


class Command(BaseCommand):
    help = "Выгрузка организаций, ресурсов или показателей в XLSX, CSV или JSON."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=sorted(ALIASES))
        parser.add_argument("--format", default="xlsx", choices=sorted(FORMATS))
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
        if key == "resources" and "subtree" in filters:
            from profinfo.registry.exchange import ResourcesDataset
            from profinfo.registry.models import Resource
            from profinfo.tabular import Table, write_csv, write_json, write_xlsx

            qs = Resource.objects.filter(
                subtree_q(filters["subtree"].path, "organization__")).order_by(
                "organization__path", "kind", "title")
            table = Table(ResourcesDataset.title, ResourcesDataset.headers(),
                          ResourcesDataset().export_rows(Scope(is_superuser=True), queryset=qs))
            body = {"xlsx": write_xlsx, "csv": write_csv, "json": write_json}[format](
                [table] if format == "xlsx" else table)
        else:
            body = export(key, format, scope=Scope(is_superuser=True), **filters)
        if output:
            Path(output).write_bytes(body)
            self.stdout.write(f"Записано: {output}")
        else:
            sys.stdout.buffer.write(body)
