import asyncio
import signal
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import CommandError
from tqdm import tqdm

from profinfo.cli import ProfinfoCommand
from profinfo.monitoring import runs
from profinfo.monitoring.checks import CHECKED_NETWORKS
from profinfo.monitoring.collect import Progress, execute
from profinfo.monitoring.fetcher import error_label
from profinfo.monitoring.models import CollectionRun
from profinfo.organizations.models import Organization


class Command(ProfinfoCommand):
    help = ("Проверить ресурсы реестра: сайты, страницы ВКонтакте, Одноклассников и Telegram. "
            "Прерванная проверка продолжается командой с --resume.")

    def add_arguments(self, parser):
        parser.add_argument("--org", type=int, help="номер организации: она и подразделения")
        parser.add_argument("--kind", choices=["site", "social"], help="только сайты или соцсети")
        parser.add_argument("--network", choices=[n.value for n in CHECKED_NETWORKS],
                            help="только одна соцсеть")
        parser.add_argument("--only-stale", type=int, nargs="?", const=7, metavar="ДНЕЙ",
                            dest="stale_days",
                            help="только не проверявшиеся столько дней (по умолчанию 7)")
        parser.add_argument("--never-checked", action="store_true",
                            help="только ни разу не проверявшиеся")
        parser.add_argument("--resume", action="store_true",
                            help="продолжить последнюю незаконченную проверку")
        parser.add_argument("--run", type=int, dest="run_id", help="выполнить проверку с номером")
        parser.add_argument("--distributed", action="store_true",
                            help="разослать работу Celery-исполнителям (нужен CELERY_BROKER_URL)")
        parser.add_argument("--concurrency", type=int,
                            default=settings.PROFINFO_RUN_CONCURRENCY,
                            help="сколько ресурсов проверять одновременно")
        parser.add_argument("--no-progress", action="store_true", help="без строки прогресса")

    def handle(self, *args, **options):
        if options["concurrency"] < 1:
            raise CommandError("--concurrency должно быть не меньше 1.")
        if options["distributed"] and not settings.CELERY_BROKER_URL:
            raise CommandError("Для --distributed задайте CELERY_BROKER_URL (например "
                               "redis://127.0.0.1:6379/0) и запустите исполнителей: "
                               "celery -A profinfo worker.")
        run = self._run(options)
        self.stdout.write(f"{run}: {run.filters_text}; ресурсов: {run.total}")
        if options["distributed"]:
            self._coordinate(run, options)
        else:
            self._execute(run, options)
        run.refresh_from_db()
        self.stdout.write(self._summary(run))

    # --- which run ----------------------------------------------------------------------------
    def _run(self, options) -> CollectionRun:
        if options["run_id"]:
            run = CollectionRun.objects.filter(pk=options["run_id"]).first()
            if run is None:
                raise CommandError(f"Проверки № {options['run_id']} нет.")
            return self._reopen(run)
        if options["resume"]:
            run = runs.run_to_resume()
            if run is None:
                raise CommandError("Незаконченных проверок нет: начните новую без --resume.")
            return self._reopen(run)
        if options["org"] and not Organization.objects.filter(pk=options["org"]).exists():
            raise CommandError(f"Организации № {options['org']} нет.")
        filters = runs.RunFilters(org_id=options["org"], kind=options["kind"] or "",
                                  network=options["network"] or "",
                                  stale_days=options["stale_days"],
                                  never_checked=options["never_checked"])
        if filters.network:
            filters.kind = "social"
        return runs.run_start(filters=filters, distributed=options["distributed"])

    def _reopen(self, run: CollectionRun) -> CollectionRun:
        freed = runs.release_dead_claims(run)
        if freed:
            self.stdout.write(f"Возвращено в работу после прерывания: {freed}")
        runs.run_reopen(run)
        return run

    # --- in this process --------------------------------------------------------------------
    def _execute(self, run: CollectionRun, options) -> None:
        bar = self._bar(run, options)

        def on_progress(progress: Progress):
            if bar is not None:
                bar.update(progress.finished - bar.n + bar.initial)
                bar.set_postfix_str(f"ошибок {run.failed + progress.failed}")

        async def main():
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            if threading.current_thread() is threading.main_thread():
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.add_signal_handler(sig, stop.set)
            result = await execute(run, concurrency=options["concurrency"], stop=stop,
                                   on_progress=on_progress)
            return result, stop.is_set()

        _, stopped = asyncio.run(main())
        self._end(run, bar, stopped, "Проверка остановлена; сделанное сохранено. Продолжить: "
                                     "profinfo collect --resume")
        if not stopped:
            runs.run_finish_if_complete(run)

    def _end(self, run: CollectionRun, bar, stopped: bool, message: str) -> None:
        if bar is not None:
            bar.close()
        if stopped:
            runs.run_close(run, CollectionRun.Status.STOPPED)
            self.stdout.write(message)

    def _bar(self, run: CollectionRun, options):
        if options["no_progress"] or not sys.stderr.isatty():
            return None
        return tqdm(total=run.total, initial=run.done + run.failed, unit=" рес.",
                    desc="Проверено", dynamic_ncols=True,
                    bar_format="{desc}: {n_fmt}/{total_fmt} {bar} {percentage:3.0f}% "
                               "[{elapsed}<{remaining}, {rate_fmt}] {postfix}")

    # --- on Celery workers --------------------------------------------------------------------
    def _coordinate(self, run: CollectionRun, options) -> None:
        from profinfo.monitoring.tasks import enqueue, watch

        sent = enqueue(run)
        self.stdout.write(f"Отправлено исполнителям: {sent}")
        bar = self._bar(run, options)
        stopping = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.append(True))
        while not stopping:
            watch(run)
            run.refresh_from_db()
            if bar is not None:
                bar.n = run.done + run.failed
                bar.set_postfix_str(f"ошибок {run.failed}")
                bar.refresh()
            if run.status == CollectionRun.Status.DONE:
                break
            time.sleep(1.0)
        self._end(run, bar, bool(stopping), "Проверка остановлена: исполнители закончат "
                  "начатое и не возьмут новое. Продолжить: profinfo collect --resume "
                  "--distributed")

    @staticmethod
    def _summary(run: CollectionRun) -> str:
        errors = ", ".join(f"{error_label(code)}: {n}"
                           for code, n in sorted(run.errors_by_code.items()))
        left_out = "; ".join(f"{runs.SKIP_REASONS.get(reason, reason).split(' (')[0]}: {n}"
                             for reason, n in run.skipped.items())
        return (f"{run.get_status_display().capitalize()}. Проверено: {run.done}, с ошибкой: "
                f"{run.failed}, осталось: {run.left}" + (f" ({errors})" if errors else "")
                + (f". Не вошли в проверку: {left_out}" if left_out else ""))
