"""Celery tasks of distributed runs. Each worker checks a chunk of a run's items through the
same code as an in-process run; leases and the per-run constraint keep results single."""

from __future__ import annotations

import asyncio

from django.conf import settings

from profinfo.celery import app

from . import runs
from .models import CollectionRun, RunItem


def enqueue(run: CollectionRun, item_ids: list[int] | None = None) -> int:
    """Send the run's pending items (or these) to the workers in chunks."""
    if item_ids is None:
        item_ids = list(RunItem.objects.filter(run=run, status=RunItem.Status.PENDING)
                        .order_by("pk").values_list("pk", flat=True))
    chunk = settings.PROFINFO_RUN_CHUNK
    for start in range(0, len(item_ids), chunk):
        collect_items.delay(run.pk, item_ids[start:start + chunk])
    return len(item_ids)


@app.task(name="profinfo.monitoring.tasks.collect_items", acks_late=True,
             reject_on_worker_lost=True)
def collect_items(run_id: int, item_ids: list[int]) -> dict:
    from .collect import execute

    run = CollectionRun.objects.filter(pk=run_id).first()
    if run is None:
        return {"done": 0, "failed": 0}
    progress = asyncio.run(execute(run, only_ids=item_ids,
                                   concurrency=settings.PROFINFO_RUN_CONCURRENCY))
    runs.run_finish_if_complete(run)
    return {"done": progress.done, "failed": progress.failed}


def watch(run: CollectionRun) -> int:
    """Give a killed worker's items to the others; close the run when nothing is left."""
    expired = runs.requeue_expired(run)
    if expired:
        enqueue(run, expired)
    runs.run_finish_if_complete(run)
    return len(expired)


@app.task(name="profinfo.monitoring.tasks.watchdog")
def watchdog() -> int:
    return sum(watch(run) for run in CollectionRun.objects.filter(
        status=CollectionRun.Status.RUNNING, distributed=True))


@app.task(name="profinfo.monitoring.tasks.scheduled_run")
def scheduled_run(filters: dict) -> int:
    run = runs.run_start(filters=runs.RunFilters.from_json(filters), trigger="schedule",
                         distributed=True)
    enqueue(run)
    return run.pk


@app.task(name="profinfo.monitoring.tasks.scheduled_command")
def scheduled_command(command: str) -> None:
    """A registered app's daily command (schedule.COMMANDS); nothing else is run."""
    from django.core.management import call_command

    from .schedule import COMMANDS

    if command not in {registered for _, _, registered in COMMANDS.values()}:
        raise ValueError(f"команда «{command}» не зарегистрирована в расписании")
    call_command(command)
