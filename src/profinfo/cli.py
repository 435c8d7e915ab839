"""The `profinfo` console command: a thin front over Django's management commands."""

import argparse
import datetime as dt
import os
import sys

HELP = """\
ПрофИнфо — команды:
  profinfo demo                   загрузить демонстрационные данные РОСПРОФПРОМ
  profinfo serve [--port 8000]    запустить веб-сервер
  profinfo import ФАЙЛ            импортировать таблицу (XLSX или CSV)
  profinfo export orgs|resources|observations --format xlsx|csv|json -o ФАЙЛ
  profinfo createadmin ЛОГИН      создать администратора
  profinfo check АДРЕС [--json]   проверить один сайт или страницу в соцсети
  profinfo collect [--resume]     проверить ресурсы реестра (продолжить прерванную проверку)
  profinfo report ОТЧЁТ ...       построить отчёт смотра (profinfo report --help)
  profinfo contest export --year ГОД --format json|xlsx [-o ФАЙЛ]
                                  данные смотра-конкурса для проверки итогов
  profinfo contest protocol --year ГОД -o ФАЙЛ.docx
                                  протокол заседания конкурсной комиссии
  profinfo contest diplomas --year ГОД --format docx|pdf -o ФАЙЛ.zip
                                  дипломы победителей
  profinfo contest advance        перевести смотры-конкурсы на этапы по датам
  profinfo contest_daily          то же и разослать письма участникам и жюри (раз в день;
                                  это делает и profinfo scheduler)
  profinfo migrate                обновить структуру базы данных
Любая команда Django тоже доступна: profinfo help — полный список.
"""


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
        print(HELP)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["profinfo", *argv])


if __name__ == "__main__":
    main()
