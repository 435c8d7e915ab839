"""`profinfo contest …`: the contest's export for an auditor, its protocol and diplomas, and the
daily move of contests to the stage their dates say."""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import CommandError

from profinfo.cli import ProfinfoCommand, date_argument
from profinfo.contest import documents, exchange, services
from profinfo.contest.models import Contest


class Command(ProfinfoCommand):
    help = ("Смотр-конкурс: export — данные для проверки (JSON или XLSX), protocol — протокол "
            "комиссии (DOCX), diplomas — дипломы победителей (ZIP из DOCX или PDF), advance — "
            "перевести смотры на этапы по датам.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ДЕЙСТВИЕ",
                                        title="действия")
        export = actions.add_parser(
            "export", help="данные смотра для проверки: заявки, оценки, возражения, итоги, "
                           "критерии")
        export.add_argument("--year", type=int, required=True, help="год смотра")
        export.add_argument("--format", default="json", choices=["json", "xlsx"],
                            help="формат (по умолчанию json)")
        export.add_argument("-o", "--output", help="файл (JSON по умолчанию — в консоль)")

        protocol = actions.add_parser("protocol", help="протокол заседания конкурсной комиссии")
        protocol.add_argument("--year", type=int, required=True, help="год смотра")
        protocol.add_argument("-o", "--output", required=True, help="файл .docx")

        diplomas = actions.add_parser("diplomas", help="дипломы победителей в одном архиве")
        diplomas.add_argument("--year", type=int, required=True, help="год смотра")
        diplomas.add_argument("--format", default="docx", choices=["docx", "pdf"],
                              help="формат дипломов в архиве (по умолчанию docx)")
        diplomas.add_argument("-o", "--output", required=True, help="файл .zip")

        advance = actions.add_parser(
            "advance", help="перевести смотры на этап, который наступил по датам")
        advance.add_argument("--date", type=date_argument, metavar="ГГГГ-ММ-ДД",
                             help="считать сегодняшним этот день (по умолчанию — сегодня)")

    def handle(self, *args, action, **options):
        if action == "advance":
            return self._advance(options.get("date"))
        contest = _contest(options["year"])
        output = options.get("output")
        try:
            if action == "export":
                fmt = options["format"]
                if fmt == "json":
                    data = json.dumps(exchange.export(contest), ensure_ascii=False,
                                      indent=2).encode("utf-8")
                elif not output:
                    raise CommandError("Формат xlsx — файл: укажите -o ИМЯ.xlsx")
                else:
                    data = exchange.export_xlsx(contest)
            elif action == "protocol":
                data = documents.protocol_docx(contest)
            else:
                data = documents.diplomas_zip(contest, options["format"])
        except documents.DocumentError as refused:
            raise CommandError(refused.message) from refused
        if not output:
            self.stdout.write(data.decode("utf-8"))
            return
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CommandError(f"Не удалось записать файл {output}: {error.strerror}.") \
                from error
        self.stdout.write(f"Сохранено: {output}")

    def _advance(self, day: dt.date | None) -> None:
        moved = services.stages_advance(day)
        if not moved:
            self.stdout.write("Ни один смотр не перешёл на следующий этап.")
        for contest in moved:
            self.stdout.write(f"Смотр {contest.year} года «{contest.title}»: этап "
                              f"«{contest.get_stage_display()}».")


def _contest(year: int) -> Contest:
    contest = Contest.objects.filter(year=year).first()
    if contest is None:
        known = ", ".join(str(y) for y in Contest.objects.values_list("year", flat=True))
        raise CommandError(f"Смотра {year} года нет." + (f" Есть: {known}." if known else ""))
    return contest
