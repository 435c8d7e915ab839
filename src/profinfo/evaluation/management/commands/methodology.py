from pathlib import Path

from django.core.management.base import CommandError

from profinfo.cli import ProfinfoCommand
from profinfo.evaluation.defaults import methodology_for, methodology_of_year
from profinfo.evaluation.exchange import MethodologyImportError, export_xlsx, import_xlsx


class Command(ProfinfoCommand):
    help = "Методика оценки: выгрузить в Excel или загрузить отредактированную как версию года."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "import", "create"],
                            help="create — методика года как копия последней (без файла)")
        parser.add_argument("file", nargs="?", help="файл .xlsx")
        parser.add_argument("--year", type=int, required=True, help="год смотра")

    def handle(self, *args, action, file, year, **options):
        if action == "create":
            methodology = methodology_of_year(year)
            self.stdout.write(f"Методика {methodology.year} года: {methodology}")
            return
        if not file:
            raise CommandError("Укажите файл .xlsx.")
        if action == "export":
            Path(file).write_bytes(export_xlsx(methodology_for(year)))
            self.stdout.write(f"Методика {year} года выгружена: {file}")
            return
        try:
            methodology = import_xlsx(Path(file).read_bytes(), year=year)
        except FileNotFoundError as exc:
            raise CommandError(f"Файла {file} нет.") from exc
        except MethodologyImportError as exc:
            raise CommandError("Методика не загружена:\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(f"Загружена {methodology}: критериев "
                          f"{sum(b.criteria.count() for b in methodology.blocks.all())}")
