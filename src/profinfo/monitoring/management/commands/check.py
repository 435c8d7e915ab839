import asyncio
import datetime as dt
import json
import sys

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as SystemCheckCommand

from profinfo import formatting
from profinfo.cli import RussianHelp, date_argument
from profinfo.formatting import CRITERION_MARKS, MISSING
from profinfo.monitoring.checks import UsageError, check_site, check_social, kind_of


class Command(RussianHelp, SystemCheckCommand):
    """Django's `check` (every option of it: --deploy, --tag, --fail-level…) when given no
    address; with one address, the check of that resource (the `profinfo check` contract)."""

    help = ("Проверить один ресурс по адресу и напечатать результат. Код выхода 0 — проверка "
            "выполнена (даже если сайт ответил ошибкой). Без адреса — проверка настроек Django "
            "(например, profinfo check --deploy).")

    def add_arguments(self, parser):
        super().add_arguments(parser)  # app labels, --tag, --deploy, --fail-level, --database
        targets = next(a for a in parser._actions if a.dest == "args")
        targets.metavar = "АДРЕС"
        targets.help = ("адрес сайта или страницы ВКонтакте, Одноклассников, Telegram (без "
                        "адреса — проверка настроек Django)")
        parser.add_argument("--json", action="store_true", help="вывод в формате JSON")
        parser.add_argument("--from", dest="date_from", type=date_argument, metavar="ГГГГ-ММ-ДД",
                            help="начало периода для подсчёта публикаций")
        parser.add_argument("--to", dest="date_to", type=date_argument, metavar="ГГГГ-ММ-ДД",
                            help="конец периода (по умолчанию сегодня)")
        parser.add_argument("--render", action="store_true",
                            help="открыть главную страницу сайта в браузере Chromium и проверить "
                                 "вёрстку для компьютера и смартфона (нужны пакет chromium и "
                                 "profinfo[render])")

    def handle(self, *targets, json: bool = False, date_from=None, date_to=None,
               render: bool = False, **options):
        addresses = [t for t in targets if _is_address(t)]
        if not addresses:
            if json or date_from or date_to or render:
                raise CommandError("--json, --from, --to и --render задаются вместе с адресом "
                                   "ресурса.")
            return super().handle(*targets, **options)
        if len(targets) != 1:
            raise CommandError("Укажите один адрес ресурса.")
        self._check_resource(targets[0], json, date_from, date_to, render)

    def _check_resource(self, url: str, json: bool, date_from, date_to,
                        render: bool = False) -> None:
        try:
            kind, target = kind_of(url)
        except UsageError as exc:
            raise CommandError(f"Неверный адрес: {exc}") from exc
        if kind != "site":
            if date_from or date_to:
                raise CommandError("Период (--from, --to) задаётся только для сайтов.")
            if render:
                raise CommandError("--render задаётся только для сайтов.")
            result = asyncio.run(check_social(kind, target))
            if json:
                sys.stdout.write(_dumps(result) + "\n")
            else:
                self._print_social(result)
            return
        period = None
        if date_from or date_to:
            period = (date_from or dt.date.min, date_to or dt.date.today())
            if period[0] > period[1]:
                raise CommandError("Начало периода (--from) позже его конца (--to).")
        result = asyncio.run(check_site(target, typed_scheme="://" in url, period=period,
                                        render="always" if render else None))
        if json:
            sys.stdout.write(_dumps(result) + "\n")
        else:
            self._print(result)

    def _print(self, result):
        from profinfo.monitoring.criteria import CRITERIA

        if result["error"]:
            self.stdout.write(f"Ошибка: {result['error']['message']}")
        # the status only when the site answered: a failure has none, its sentence says why
        status = f" (HTTP {result['status']})" if result["status"] is not None else ""
        self.stdout.write(f"Адрес: {result['final_url'] or result['url']}{status}")
        for code, label in CRITERIA.items():
            finding = result["criteria"][code]
            mark = CRITERION_MARKS[finding["present"]]
            self.stdout.write(f"  [{mark}] {label}" + (f": {finding['evidence']}"
                                                        if finding["evidence"] else ""))
        if rendering := result.get("rendering"):
            self.stdout.write(rendering["message"])
        self.stdout.write(f"Последняя публикация: {result['last_publication'] or MISSING}; "
                          f"за 30 дней: {_count(result['publications_30d'])}")
        if period := result.get("period"):
            start = "…" if period["from"] == dt.date.min.isoformat() else period["from"]
            self.stdout.write(f"Публикаций с {start} по {period['to']}: "
                              f"{_count(period['publications'])}")


    def _print_social(self, result):
        if result["error"]:
            self.stdout.write(f"Ошибка: {result['error']['message']}")
        self.stdout.write(f"Страница: {result['title'] or result['url']}")
        self.stdout.write(f"Подписчиков: {number(result['subscribers'])}")
        self.stdout.write(f"Вовлечённость: {percent(result['engagement'])}"
                          + (f" ({result['engagement_note']})" if result["engagement_note"]
                             else ""))
        if result["kind"] == "telegram":
            self.stdout.write(f"ERR: {percent(result['err'])}")
        self.stdout.write(f"Публикаций в неделю (за 30 дней): "
                          f"{number(result['posts_per_week'])}")
        self.stdout.write(f"Последняя публикация: {result['last_publication'] or MISSING}"
                          + (f", {result['days_since_last']} дн. назад"
                             if result["days_since_last"] is not None else ""))
        if result["posts_note"]:
            self.stdout.write(result["posts_note"])
        for post in result["posts"]:
            pinned = " (закреплена)" if post["pinned"] else ""
            self.stdout.write(f"  {post['date'][:16].replace('T', ' ')}  "
                              f"лайки {post['likes']}, комментарии {post['comments']}, "
                              f"репосты {post['reposts']}, просмотры "
                              f"{number(post['views'])}{pinned}")


def number(value) -> str:
    return formatting.plain(formatting.number(value))


def percent(value) -> str:
    return formatting.plain(formatting.percent(value))


def _count(value) -> str:
    return f"{MISSING} (нет RSS и карты сайта с датами)" if value is None else str(value)


def _is_address(text: str) -> bool:
    """An app label is a bare identifier; anything with a dot, a slash or an @ is an address."""
    return any(mark in text for mark in "./@:")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
