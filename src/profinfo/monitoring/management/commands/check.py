import asyncio
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from profinfo.monitoring.checks import UsageError, check_site, kind_of


class Command(BaseCommand):
    help = ("Проверить один ресурс по адресу и напечатать результат. "
            "Код выхода 0 — проверка выполнена (даже если сайт ответил ошибкой).")

    def add_arguments(self, parser):
        parser.add_argument("url", nargs="?",
                            help="адрес ресурса; без него — проверка настроек Django")
        parser.add_argument("--json", action="store_true", help="вывод в формате JSON")

    def handle(self, *args, url, json: bool, **options):
        if url is None:  # this command replaces Django's own `check`: keep it reachable
            from django.core.management.commands.check import Command as SystemCheck

            return SystemCheck().run_from_argv(["profinfo", "check"])
        try:
            kind, target = kind_of(url)
        except UsageError as exc:
            raise CommandError(f"Неверный адрес: {exc}") from exc
        if kind != "site":
            raise CommandError("Проверка страниц ВКонтакте, Одноклассников и Telegram пока не "
                               "подключена: сейчас проверяются сайты.")
        result = asyncio.run(check_site(target, typed_scheme="://" in url))
        if json:
            sys.stdout.write(_dumps(result) + "\n")
        else:
            self._print(result)

    def _print(self, result):
        from profinfo.monitoring.collectors.site_criteria import CRITERIA

        if result["error"]:
            self.stdout.write(f"Ошибка: {result['error']['message']}")
        self.stdout.write(f"Адрес: {result['final_url'] or result['url']} "
                          f"(HTTP {result['status']})")
        for code, label in CRITERIA.items():
            finding = result["criteria"][code]
            mark = "да " if finding["present"] else "нет"
            self.stdout.write(f"  [{mark}] {label}" + (f": {finding['evidence']}"
                                                        if finding["evidence"] else ""))


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
