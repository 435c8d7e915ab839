from pathlib import Path

from django.core.management.base import CommandError

from profinfo.cli import ProfinfoCommand
from profinfo.organizations.scoping import Scope
from profinfo.spreadsheets import import_file, plan_import


class Command(ProfinfoCommand):
    help = ("Импорт таблицы (XLSX или CSV) с листами «Организации», «Ресурсы», «Показатели». "
            "Без --check файл сначала проверяется и загружается, только если ошибок нет.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="ФАЙЛ", help="таблица XLSX или CSV по шаблону «Импорт»")
        parser.add_argument("--check", action="store_true",
                            help="только проверить, ничего не записывая")

    def handle(self, *args, file, check, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {file}")
        data = path.read_bytes()
        scope = Scope(is_superuser=True)
        if check:
            plan, _ = plan_import(data, path.name, scope=scope)
        else:
            plan = import_file(data, path.name, scope=scope)
        for warning in plan.warnings:
            self.stderr.write(f"Внимание: {warning}")
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(str(error))
            if plan.error_count > len(plan.errors):
                self.stderr.write(f"… и ещё ошибок: {plan.error_count - len(plan.errors)}")
            raise CommandError(f"Ошибок: {plan.error_count}. Ничего не загружено.")
        for line in plan.summary():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(
            "Проверка пройдена, ничего не записано." if check else "Таблица загружена."))
