import logging
import signal
import time

from django.core.management import call_command
from django.core.management.base import CommandError

from profinfo.cli import ProfinfoCommand
from profinfo.monitoring import schedule

log = logging.getLogger(__name__)
LABELS = {"social": "страницы в соцсетях", "sites": "сайты"}


class Command(ProfinfoCommand):
    help = ("Запускать проверки по расписанию (PROFINFO_SCHEDULE_SOCIAL, "
            "PROFINFO_SCHEDULE_SITES) и ежедневные дела смотра-конкурса "
            "(PROFINFO_SCHEDULE_CONTEST) без Celery: оставьте работать в фоне.")

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="показать расписание и выйти")

    def handle(self, *args, **options):
        try:
            # name → (cron, label, what its next time is, the command and its arguments)
            jobs = {name: (cron, LABELS[name], "следующая проверка",
                           ("collect", "--no-progress", "--kind", filters["kind"]))
                    for name, (cron, filters) in schedule.jobs().items()}
            jobs.update({name: (cron, label, "следующий запуск", (command,))
                         for name, (cron, label, command) in schedule.command_jobs().items()})
        except schedule.ScheduleError as exc:
            raise CommandError(f"Ошибка в расписании: {exc}") from exc
        if not jobs:
            raise CommandError("Расписание пусто: задайте PROFINFO_SCHEDULE_SOCIAL, "
                               "PROFINFO_SCHEDULE_SITES или PROFINFO_SCHEDULE_CONTEST "
                               "(например «0 2 * * *»).")
        upcoming = {name: schedule.next_time(cron, schedule.now())
                    for name, (cron, *_) in jobs.items()}
        for name, moment in upcoming.items():
            _, label, next_is, _ = jobs[name]
            self.stdout.write(f"{label[:1].upper()}{label[1:]}: {next_is} "
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
            cron, label, _, command = jobs[name]
            self.stdout.write(f"Запуск по расписанию: {label}")
            try:
                call_command(*command, stdout=self.stdout)
            except Exception:  # one failed job never stops the others: it is logged
                log.exception("Задание по расписанию «%s» завершилось ошибкой", name)
            upcoming[name] = schedule.next_time(cron, schedule.now())
