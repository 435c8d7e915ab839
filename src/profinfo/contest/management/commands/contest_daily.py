import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from profinfo.cli import ProfinfoCommand
from profinfo.contest import notifications, services


class Command(ProfinfoCommand):
    help = ("Ежедневные дела смотра-конкурса: перевести этапы по датам, затем разослать "
            "письма — не больше одного в день каждому (назначения экспертам, ответы на "
            "возражения, близкие сроки). Запускается по расписанию (PROFINFO_SCHEDULE_CONTEST).")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="какой день считать сегодняшним (ГГГГ-ММ-ДД)")
        parser.add_argument("--no-mail", action="store_true", help="только этапы, без писем")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("Дата пишется так: 2025-10-15.") from exc
        for contest in services.stages_advance(today):
            self.stdout.write(f"Смотр-конкурс {contest.year}: этап "
                              f"«{contest.get_stage_display()}» (по датам).")
        if options["no_mail"]:
            return
        sent = notifications.daily_digest(today)
        self.stdout.write(f"Писем о смотре-конкурсе отправлено: {sent}.")
