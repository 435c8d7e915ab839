import signal
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from profinfo.monitoring import schedule

LABELS = {"social": "страницы в соцсетях", "sites": "сайты"}


class Command(BaseCommand):
    help = ("Запускать проверки по расписанию (PROFINFO_SCHEDULE_SOCIAL, "
            "PROFINFO_SCHEDULE_SITES) без Celery: оставьте работать в фоне.")

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="показать расписание и выйти")

    def handle(self, *args, **options):
        try:
            jobs = schedule.jobs()
        except schedule.ScheduleError as exc:
            raise CommandError(f"Ошибка в расписании: {exc}") from exc
        if not jobs:
            raise CommandError("Расписание пусто: задайте PROFINFO_SCHEDULE_SOCIAL или "
                               "PROFINFO_SCHEDULE_SITES (например «0 2 * * *»).")
        upcoming = {name: schedule.next_time(cron, schedule.now())
                    for name, (cron, _) in jobs.items()}
        for name, moment in upcoming.items():
            self.stdout.write(f"{LABELS[name].capitalize()}: следующая проверка "
                              f"{moment:%d.%m.%Y %H:%M}")
        if options["list"]:
            return
        stopping = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.append(True))
        while not stopping:
            name = min(upcoming, key=upcoming.get)
            wait = (upcoming[name] - schedule.now()).total_seconds()
            if wait > 0:
                time.sleep(min(wait, 30))
                continue
            cron, filters = jobs[name]
            self.stdout.write(f"Запуск по расписанию: {LABELS[name]}")
            call_command("collect", "--no-progress", "--kind", filters["kind"],
                         stdout=self.stdout)
            upcoming[name] = schedule.next_time(cron, schedule.now())
