"""The `profinfo` console command: a thin front over Django's management commands."""

import argparse
import datetime as dt
import os
import sys
import textwrap

from django.core.management.base import BaseCommand, DjangoHelpFormatter

# How each of ПрофИнфо's own commands is called, for `profinfo --help`; what it does is its
# own `help` (so the list cannot drift from the commands: a test holds them equal).
USAGE = {
    "demo": "profinfo demo",
    "serve": "profinfo serve [--host АДРЕС] [--port 8000] [--threads 8]",
    "createadmin": "profinfo createadmin ЛОГИН",
    "import": "profinfo import ФАЙЛ [--check]",
    "export": "profinfo export orgs|resources|observations --format xlsx|csv|json -o ФАЙЛ",
    "check": "profinfo check АДРЕС [--json]",
    "collect": "profinfo collect [--resume] [--org НОМЕР] [--kind site|social]",
    "scheduler": "profinfo scheduler",
    "report": "profinfo report ОТЧЁТ [--from ДАТА --to ДАТА | --year ГОД] [--org НОМЕР]",
    "methodology": "profinfo methodology export|import|create --year ГОД [ФАЙЛ.xlsx]",
    "audit_accuracy": "profinfo audit_accuracy [--part tune|heldout|all]",
    "contest": "profinfo contest export|protocol|diplomas|advance --year ГОД ...",
    "contest_daily": "profinfo contest_daily",
}
ORDER = ["demo", "serve", "createadmin", "import", "export", "check", "collect", "scheduler",
         "report", "methodology", "audit_accuracy", "contest", "contest_daily"]


def project_commands() -> dict[str, str]:
    """name → the app it belongs to, for the commands of ПрофИнфо's own apps."""
    from django.core.management import get_commands

    return {name: app for name, app in get_commands().items() if app.startswith("profinfo")}


def help_text() -> str:
    import django
    from django.core.management import load_command_class

    django.setup()
    commands = project_commands()
    names = [n for n in ORDER if n in commands] + sorted(set(commands) - set(ORDER))
    lines = ["ПрофИнфо — команды (подробно о каждой: profinfo КОМАНДА --help):"]
    for name in names:
        about = (load_command_class(commands[name], name).help or "").strip()
        lines.append(f"  {USAGE.get(name, 'profinfo ' + name)}")
        lines.extend(textwrap.wrap(about, 92, initial_indent=" " * 6,
                                   subsequent_indent=" " * 6, break_on_hyphens=False))
    lines.append("  profinfo migrate")
    lines.append("      Обновить структуру базы данных (profinfo demo делает это сам).")
    lines.append("Команды Django тоже доступны: profinfo help — их полный список.")
    return "\n".join(lines)


BASE_OPTIONS = {  # Django's options of every command, in Russian
    "--verbosity": "подробность вывода: 0 — только главное, 1 — обычно, 2 и 3 — подробнее",
    "--traceback": "при ошибке показать полный стек вызовов (для разработчиков)",
    "--version": "версия Django",
    "--settings": "модуль настроек Python (по умолчанию — profinfo.settings)",
    "--pythonpath": "папка, добавляемая к путям поиска модулей Python",
    "--no-color": "вывод без цвета",
    "--force-color": "вывод в цвете всегда",
    "--skip-checks": "не выполнять системные проверки перед командой",
}


class RussianHelpFormatter(DjangoHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "Вызов: " if prefix is None else prefix)


HIDDEN_OPTIONS = {"--version", "--settings", "--pythonpath", "--no-color", "--force-color",
                  "--skip-checks"}
# Options Django's `check` brings, which `profinfo check` keeps.
DJANGO_CHECK_OPTIONS = {
    "--tag": "выполнить только проверки с этой меткой",
    "--list-tags": "перечислить метки проверок",
    "--deploy": "проверить настройки для работы на сервере",
    "--fail-level": "с какого уровня сообщений команда завершается ошибкой (по умолчанию ERROR)",
    "--database": "проверить и базу данных с этим именем",
}


class RussianHelp:
    """For a management command: its --help in Russian throughout — the headings, -h and
    Django's own options (the rarely needed ones hidden; they still work)."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", RussianHelpFormatter)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _russify(parser)
        return parser


def _russify(parser: argparse.ArgumentParser) -> None:
    parser._positionals.title = "что указать"
    parser._optionals.title = "параметры"
    for action in parser._actions:
        long = next((o for o in action.option_strings if o.startswith("--")), "")
        if isinstance(action, argparse._HelpAction):
            action.help = "показать эту справку и выйти"
        elif isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                subparser.formatter_class = RussianHelpFormatter
                _russify(subparser)
        elif long in HIDDEN_OPTIONS:
            action.help = argparse.SUPPRESS
        elif long in BASE_OPTIONS:
            action.help = BASE_OPTIONS[long]
        elif long in DJANGO_CHECK_OPTIONS:
            action.help = DJANGO_CHECK_OPTIONS[long]


class ProfinfoCommand(RussianHelp, BaseCommand):
    """ПрофИнфо's management commands."""


def date_argument(text: str) -> dt.date:
    """An argparse type for --from/--to: a date, or a Russian sentence saying what is wrong."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"«{text}» — не дата; нужна дата вида 2024-01-31.") from None


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "profinfo.settings")
    if not argv or argv[0] in {"-h", "--help"}:
        print(help_text())
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["profinfo", *argv])


if __name__ == "__main__":
    main()
