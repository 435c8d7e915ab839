"""Executing a run: claim items, check them concurrently, write results in batches.

Fetching runs in one asyncio loop through one shared Fetcher (its global and per-host
limits and the VK client's per-token pace apply to the whole run); database work runs in
one helper thread (Django connections belong to threads), so fetching goes on while a batch
is written. Sites claimed a little ahead of their turn get their robots.txt read early, so a
site that never answers is found at the start rather than holding the end of the run.
Memory stays bounded: at most `LOOK_AHEAD × concurrency` resources are held at once.
Sites that need a browser (PROFINFO_RENDER) share one Chromium, a few pages at a time.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.db import connections
from django.utils import timezone

from . import runs
from .checks import (
    AUDIT_TIME_LIMIT,
    check_resource,
    check_traffic,
    failed_result,
    handle_of,
    kind_of,
    timed_out,
)
from .collectors import social
from .collectors.vk import EXECUTE_CALLS, VkClient
from .fetcher import Fetcher, FetchError, FetchSettings
from .models import CollectionRun, RunItem
from .rendering import Renderer, renderer_from_settings

WRITE_BATCH = 100
LOOK_AHEAD = 10  # × concurrency: sites claimed and probed before their turn


@dataclass
class Progress:
    done: int = 0
    failed: int = 0

    @property
    def finished(self) -> int:
        return self.done + self.failed


async def execute(run: CollectionRun, *, concurrency: int = 50,
                  fetch_settings: FetchSettings | None = None,
                  platforms: social.PlatformSettings | None = None,
                  stop: asyncio.Event | None = None, only_ids: list[int] | None = None,
                  on_progress: Callable[[Progress], None] | None = None) -> Progress:
    """Check the run's free items (or `only_ids` of them) until none is left or `stop`."""
    stop = stop or asyncio.Event()
    platforms = platforms or social.PlatformSettings()
    settings = fetch_settings or FetchSettings(concurrency=max(concurrency, 10))
    progress = Progress()
    claim = sync_to_async(runs.claim, thread_sensitive=True)
    record = sync_to_async(runs.record, thread_sensitive=True)
    today = await sync_to_async(timezone.localdate, thread_sensitive=True)()
    traffic = runs.RunFilters.from_json(run.filters).traffic_period  # Метрика, not an audit
    held: dict[int, RunItem] = {}  # claimed and not yet written
    written: asyncio.Queue[list[runs.Outcome] | None] = asyncio.Queue(maxsize=4)

    async def writer():
        """Writes batches while fetching goes on; the queue's bound keeps memory bounded."""
        while (batch := await written.get()) is not None:
            done, failed = await record(run, batch)
            progress.done += done
            progress.failed += failed
            for outcome in batch:
                held.pop(outcome.item.pk, None)
            if on_progress:
                on_progress(progress)

    async def keep_leases():
        renew = sync_to_async(runs.renew, thread_sensitive=True)
        while True:
            await asyncio.sleep(max(runs.lease_seconds() / 3, 0.5))
            if held:
                await renew(list(held.values()))

    writing = asyncio.create_task(writer())
    leases = asyncio.create_task(keep_leases())

    async def send(batch) -> None:
        """Hand a batch to the writer; if the writer failed, its error surfaces here."""
        putting = asyncio.ensure_future(written.put(batch))
        await asyncio.wait({putting, writing}, return_when=asyncio.FIRST_COMPLETED)
        if not putting.done():
            putting.cancel()
            leases.cancel()
            writing.result()  # raises the database error that stopped the writer
    batch_size = max(1, min(WRITE_BATCH, concurrency))
    outcomes: list[runs.Outcome] = []
    ahead: collections.deque[RunItem] = collections.deque()  # claimed, probed, not started
    # one browser for the whole run, started only if a site needs it (PROFINFO_RENDER)
    async with Fetcher(settings) as fetcher, renderer_from_settings() as renderer:
        vk = VkClient(fetcher, platforms)
        tasks: set[asyncio.Task] = set()
        probes: set[asyncio.Task] = set()
        more = True
        while True:
            if more and not stop.is_set() and len(ahead) < LOOK_AHEAD * concurrency:
                items = await claim(run, concurrency, only_ids=only_ids)
                more = bool(items)
                held.update((item.pk, item) for item in items)
                ahead.extend(items)
                for item in items:
                    if _kind(item)[0] == "site" and traffic is None:
                        probe = asyncio.create_task(fetcher.probe(item.resource.url))
                        probes.add(probe)
                        probe.add_done_callback(probes.discard)
            while ahead and len(tasks) < 2 * concurrency and not stop.is_set():
                starting = [ahead.popleft() for _ in range(min(concurrency, len(ahead)))]
                for job in _jobs(starting, fetcher, vk, platforms, today, traffic, renderer):
                    tasks.add(asyncio.create_task(job))
            if not tasks and not (more and not stop.is_set()):
                break
            if not tasks:
                continue
            finished, tasks = await asyncio.wait(tasks, timeout=1.0,
                                                 return_when=asyncio.FIRST_COMPLETED)
            for task in finished:
                outcomes.extend(task.result())
            if stop.is_set() and tasks:
                await _finish_or_cancel(tasks, outcomes)
                tasks = set()
            if len(outcomes) >= batch_size or (outcomes and not tasks):
                await send(outcomes)
                outcomes = []
        if outcomes:
            await send(outcomes)
        await send(None)
        await writing
        for probe in list(probes):
            probe.cancel()
    leases.cancel()
    if held:  # stopped: what was claimed and not checked goes back
        await sync_to_async(runs.release, thread_sensitive=True)(list(held.values()))
    # the helper thread's connection is not needed any more (and would keep the database busy)
    await sync_to_async(connections.close_all, thread_sensitive=True)()
    return progress


async def _finish_or_cancel(tasks: set[asyncio.Task], outcomes: list, grace: float = 15.0):
    """On a stop: let checks in flight end (they are bounded), then give up on the rest."""
    finished, pending = await asyncio.wait(tasks, timeout=grace)
    for task in finished:
        if not task.cancelled() and task.exception() is None:
            outcomes.extend(task.result())
    for task in pending:
        task.cancel()


def _jobs(items: list[RunItem], fetcher: Fetcher, vk: VkClient,
          platforms: social.PlatformSettings, today: dt.date, traffic=None,
          renderer: Renderer | None = None):
    vk_items = []
    for item in items:
        kind, url = _kind(item)
        if traffic is not None:
            yield _traffic(item, traffic, fetcher, platforms, today)
        elif kind == "vk":
            vk_items.append((item, url))
        else:
            yield _one(item, kind, url, fetcher, platforms, today, renderer)
    for start in range(0, len(vk_items), EXECUTE_CALLS):
        yield _vk_batch(vk_items[start:start + EXECUTE_CALLS], vk, today)


def _kind(item: RunItem) -> tuple[str, str]:
    """(kind, the URL to fetch); an address the normalizer refuses is tried as a site."""
    try:
        return kind_of(item.resource.url)
    except ValueError:
        return "site", item.resource.url


async def _one(item: RunItem, kind: str, url: str, fetcher: Fetcher,
               platforms: social.PlatformSettings, today: dt.date,
               renderer: Renderer | None = None) -> list[runs.Outcome]:
    try:
        result = await check_resource(kind, url, fetcher, today=today, platforms=platforms,
                                      renderer=renderer)
    except FetchError as error:
        result = failed_result(kind, url, error)
    except Exception as error:  # noqa: BLE001 - one broken page never stops a run
        result = failed_result(kind, url, FetchError(
            "parse", f"Ответ не удалось разобрать ({type(error).__name__}).", url=url))
    return [runs.Outcome(item, "site" if kind == "site" else "social", result, today)]


async def _traffic(item: RunItem, period, fetcher: Fetcher, platforms: social.PlatformSettings,
                   today: dt.date) -> list[runs.Outcome]:
    result = await check_traffic(item.resource, *period, fetcher, platforms=platforms)
    return [runs.Outcome(item, "traffic", result, today)]


async def _vk_batch(batch: list[tuple[RunItem, str]], vk: VkClient,
                    today: dt.date) -> list[runs.Outcome]:
    targets = [(url, handle_of(url)) for _, url in batch]
    try:
        async with asyncio.timeout(AUDIT_TIME_LIMIT):
            pages = await vk.pages(targets, today)
    except TimeoutError:
        pages = [timed_out("vk", url) for url, _ in targets]
    except FetchError as error:
        pages = [failed_result("vk", url, error) for url, _ in targets]
    return [runs.Outcome(item, "social", page, today)
            for (item, _), page in zip(batch, pages, strict=True)]
