"""Collection runs: which resources a run takes, and the records that make it resumable.

A run is a `CollectionRun` with one `RunItem` per resource. Workers (this process, or Celery
workers on other machines) claim pending items with a lease; an item's observations and its
new state are written in one transaction, and the database allows one observation per run,
resource and metric — so a resource ends with exactly one result however runs and workers
race, and a killed worker's items are taken again when its lease ends.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import uuid
from collections import Counter
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from profinfo.organizations.models import Organization, subtree_q
from profinfo.registry.models import Kind, Network, Resource
from profinfo.registry.selectors import NO_ADDRESS, of_kind

from .checks import CHECKED_NETWORKS
from .models import CollectionRun, Observation, RunItem, Source
from .services import validate_traffic_period
from .signals import run_finished

INSERT_BATCH = 2000


@dataclass
class RunFilters:
    org_id: int | None = None  # the organization and its subdivisions
    kind: str = ""  # site | social
    network: str = ""
    stale_days: int | None = None  # only resources not checked for this many days
    never_checked: bool = False
    resource_id: int | None = None  # «Проверить сейчас»: one resource
    traffic_from: str = ""  # with both dates (ISO): Яндекс.Метрика's figures of the period,
    traffic_to: str = ""  # not an audit

    @property
    def traffic_period(self) -> tuple[dt.date, dt.date] | None:
        if not (self.traffic_from and self.traffic_to):
            return None
        return dt.date.fromisoformat(self.traffic_from), dt.date.fromisoformat(self.traffic_to)

    @classmethod
    def from_json(cls, data: dict) -> RunFilters:
        return cls(**{k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__})

    def describe(self) -> str:
        parts = []
        if self.org_id:
            org = Organization.objects.filter(pk=self.org_id).first()
            parts.append(f"организация: {org.display_name if org else self.org_id} "
                         "и подразделения")
        if self.kind:
            parts.append({"site": "сайты", "social": "страницы в соцсетях"}.get(self.kind,
                                                                                self.kind))
        if self.network:
            parts.append(f"соцсеть: {Network(self.network).label}")
        if self.stale_days is not None:
            parts.append(f"не проверявшиеся {self.stale_days} дн.")
        if self.never_checked:
            parts.append("ни разу не проверявшиеся")
        if self.resource_id:
            resource = Resource.objects.filter(pk=self.resource_id).first()
            parts.append(f"ресурс «{resource.title if resource else self.resource_id}»")
        if period := self.traffic_period:
            parts.append(f"посещаемость за {period[0]:%d.%m.%Y} — {period[1]:%d.%m.%Y}")
        return "; ".join(parts) or "весь реестр"


CHECKABLE = Q(kind=Kind.SITE) | Q(kind=Kind.SOCIAL, network__in=CHECKED_NETWORKS)
COLLECTABLE = CHECKABLE & ~Q(url="")  # what a run checks, before the «not checked» filters


def _asked_for(filters: RunFilters, readable: Q | None) -> QuerySet[Resource]:
    """The active resources the filters name, checkable or not."""
    qs = Resource.objects.filter(is_active=True, organization__is_active=True)
    if readable is not None:
        qs = qs.filter(readable)
    if filters.org_id:
        org = Organization.objects.get(pk=filters.org_id)
        qs = qs.filter(subtree_q(org.path, "organization__"))
    if filters.resource_id:
        qs = qs.filter(pk=filters.resource_id)
    return of_kind(qs, kind=filters.kind, network=filters.network)


def _due(qs: QuerySet[Resource], filters: RunFilters) -> QuerySet[Resource]:
    checked = Observation.objects.filter(resource=OuterRef("pk"), source=Source.AUTOMATIC)
    if filters.never_checked:
        qs = qs.filter(~Exists(checked))
    if filters.stale_days is not None:
        since = timezone.now() - dt.timedelta(days=filters.stale_days)
        qs = qs.filter(~Exists(checked.filter(observed_at__gte=since)))
    return qs


def collectable(filters: RunFilters, readable: Q | None = None) -> QuerySet[Resource]:
    """Active sites and VK/OK/Telegram pages with an address, as the filters narrow them."""
    return _due(_asked_for(filters, readable).filter(COLLECTABLE), filters)


# Why a resource the filters name is not in the run, as the run's page and the console say.
SKIP_REASONS = {
    "no_address": "сайты и страницы без адреса в реестре (адрес добавляется в карточке "
                  "ресурса)",
    "not_checked_network": "страницы соцсетей, которые не проверяются автоматически (их "
                           "показатели вносятся вручную)",
    "offline": "печатные издания, агитационные материалы, продукция и цифровые сервисы "
               "(их не проверяют по адресу)",
    "checked_recently": "проверялись недавно (по условию отбора)",
    "checked_before": "уже проверялись (отобраны только ни разу не проверявшиеся)",
}


def skipped(filters: RunFilters, readable: Q | None = None, *, taken: int) -> dict[str, int]:
    """reason → how many of the resources the filters name the run leaves out (`taken`:
    how many it checks). «Без адреса» is the registry's own filter (`NO_ADDRESS`), so the
    count and the list it links to agree."""
    asked = _asked_for(filters, readable)
    online = Q(kind__in=[Kind.SITE, Kind.SOCIAL])
    counts = asked.aggregate(
        offline=Count("pk", filter=~online),
        no_address=Count("pk", filter=NO_ADDRESS),
        not_checked_network=Count("pk", filter=Q(kind=Kind.SOCIAL) & ~Q(url="")
                                  & ~Q(network__in=CHECKED_NETWORKS)),
        checkable=Count("pk", filter=COLLECTABLE))
    reason = "checked_before" if filters.never_checked else "checked_recently"
    counts[reason] = counts.pop("checkable") - taken  # left out by the «not checked» filter
    return {reason: n for reason, n in counts.items() if n}


class RunRefused(Exception):
    """A run that may not start now; the message is for the person who asked."""


def runs_alive():
    """Runs that are going on: running, with a sign of life within the lease."""
    since = timezone.now() - dt.timedelta(seconds=lease_seconds())
    return CollectionRun.objects.filter(status=CollectionRun.Status.RUNNING,
                                        heartbeat_at__gte=since)


def _hold_limits(*, user, org_id: int | None, check_now: bool) -> None:
    """Refuse a run from the web while too many are going on (RunRefused says why). Whole
    runs and «Проверить сейчас» have limits of their own and do not take each other's
    places. The rows locked here make concurrent starts of one person and of one
    organization wait for each other, so two requests cannot both take the last place."""
    if user is not None and user.pk:
        list(get_user_model().objects.select_for_update().filter(pk=user.pk))
    if org_id is not None:
        list(Organization.objects.select_for_update().filter(pk=org_id))
    busy = "Сейчас идёт слишком много проверок одновременно: попробуйте через несколько минут."
    if check_now:
        alive = runs_alive().filter(trigger=CHECK_NOW)
        limits = [(alive.filter(started_by=user), settings.PROFINFO_CHECKS_PER_PERSON,
                   "Идут уже несколько ваших проверок: дождитесь, пока они закончатся."),
                  (alive, settings.PROFINFO_CHECKS_MAX_TOTAL, busy)]
    else:
        alive = runs_alive().exclude(trigger=CHECK_NOW)
        limits = [(alive.filter(organization_id=org_id), settings.PROFINFO_RUNS_PER_ORGANIZATION,
                   "Проверка этих ресурсов уже идёт: дождитесь её окончания (страница "
                   "«Проверки»), потом запустите новую."),
                  (alive, settings.PROFINFO_RUNS_MAX_TOTAL, busy)]
    for going_on, limit, refusal in limits:
        if going_on.count() >= limit:
            raise RunRefused(refusal)


def run_start(*, filters: RunFilters, user=None, trigger: str = "console",
              readable: Q | None = None, distributed: bool = False,
              limited: bool = False) -> CollectionRun:
    """A run record and its items, streamed into the database in batches. A `limited` start
    (from the web) is refused with RunRefused while too many runs are going on."""
    with transaction.atomic():
        if limited:
            _hold_limits(user=user, org_id=filters.org_id, check_now=trigger == CHECK_NOW)
        run = CollectionRun.objects.create(
            started_by=user if user is not None and user.is_authenticated else None,
            trigger=trigger, filters=asdict(filters), filters_text=filters.describe()[:500],
            organization_id=filters.org_id,
            distributed=distributed, heartbeat_at=timezone.now())
    ids = collectable(filters, readable).order_by("pk").values_list("pk", flat=True)
    slow = slow_resources()
    batch, total = [], 0
    for resource_id in ids.iterator(chunk_size=INSERT_BATCH):
        batch.append(RunItem(run=run, resource_id=resource_id,
                             priority=1 if resource_id in slow else 0))
        if len(batch) >= INSERT_BATCH:
            RunItem.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    RunItem.objects.bulk_create(batch)
    total += len(batch)
    run.total, run.skipped = total, skipped(filters, readable, taken=total)
    CollectionRun.objects.filter(pk=run.pk).update(total=total, skipped=run.skipped)
    return run


def runs_visible(scope) -> QuerySet[CollectionRun]:
    """Runs a person may look at: of the whole registry, or of organizations they read."""
    return CollectionRun.objects.filter(Q(organization__isnull=True)
                                        | scope.readable("organization__"))


def run_launch(run: CollectionRun) -> None:
    """Run it in its own process, so that the request that started it returns at once and
    the run outlives it; its output goes to the data folder's logs."""
    log_dir = settings.DATA_DIR / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "profinfo.cli", "collect", "--run", str(run.pk),
               "--no-progress"]
    if run.distributed:
        command.append("--distributed")
    with open(log_dir / f"run-{run.pk}.log", "ab") as log:
        subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, start_new_session=True)


CHECK_NOW = "check-now"  # the trigger of a one-resource run


def resource_check_running(resource: Resource) -> CollectionRun | None:
    """The «Проверить сейчас» of this resource going on now, if there is one (a whole run
    that also holds it is not: the page would wait for hours)."""
    return (runs_alive().filter(trigger=CHECK_NOW, items__resource=resource,
                                items__status__in=[RunItem.Status.PENDING,
                                                   RunItem.Status.WORKING])
            .order_by("-pk").first())


def resource_check_start(*, resource: Resource, user,
                         traffic: tuple[dt.date, dt.date] | None = None
                         ) -> tuple[CollectionRun, bool]:
    """«Проверить сейчас»: a run of this one resource, which the page follows; no request
    waits on the network. With `traffic`, the run asks Яндекс.Метрика for that period
    instead of auditing the site. A check of it already going on is returned instead of a
    second (then the flag says it was not started now); a resource the runs do not take
    (archived, without an address) is refused."""
    if traffic is not None:
        validate_traffic_period(start=traffic[0], end=traffic[1])
    with transaction.atomic():
        list(Resource.objects.select_for_update().filter(pk=resource.pk))  # one check at once
        if (running := resource_check_running(resource)) is not None:
            return running, False
        if not collectable(RunFilters(resource_id=resource.pk)).exists():
            raise RunRefused("Проверять нечего: ресурс в архиве, без адреса или его "
                             "организация не действует.")
        # the run belongs to the resource's organization: only its readers see it
        filters = RunFilters(org_id=resource.organization_id, resource_id=resource.pk)
        if traffic is not None:
            filters.traffic_from, filters.traffic_to = (day.isoformat() for day in traffic)
        return run_start(filters=filters, user=user, trigger=CHECK_NOW, limited=True), True


SLOW_FAILURES = ("timeout", "http_status", "connection")  # time bounds, retries, backoff


def slow_resources(days: int = 30) -> set[int]:
    """Resources whose recent checks failed slowly (a time bound, retries with backoff):
    started first, they finish while the rest is checked instead of holding the run's end."""
    since = timezone.now() - dt.timedelta(days=days)
    return set(Observation.objects.filter(metric="check", ok=False,
                                          error_code__in=SLOW_FAILURES,
                                          observed_at__gte=since)
               .values_list("resource_id", flat=True).distinct())


def run_to_resume() -> CollectionRun | None:
    """The newest run that did not finish (stopped, or killed while running)."""
    return (CollectionRun.objects.exclude(status=CollectionRun.Status.DONE)
            .order_by("-started_at", "-pk").first())


# --- claiming -------------------------------------------------------------------------------

def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_seconds() -> int:
    return settings.PROFINFO_RUN_LEASE_SECONDS


def claim(run: CollectionRun, limit: int, *, only_ids: list[int] | None = None
          ) -> list[RunItem]:
    """Take up to `limit` items nobody is working on (or whose worker's lease ended).
    A stopped run gives nothing: that is how workers on other machines learn of a stop."""
    if not CollectionRun.objects.filter(pk=run.pk, status=CollectionRun.Status.RUNNING).exists():
        return []
    now = timezone.now()
    free = Q(status=RunItem.Status.PENDING) | Q(status=RunItem.Status.WORKING,
                                               lease_until__lt=now)
    candidates = RunItem.objects.filter(free, run=run)
    if only_ids is not None:
        candidates = candidates.filter(pk__in=only_ids)
    ids = list(candidates.order_by("-priority", "pk").values_list("pk", flat=True)[:limit])
    if not ids:
        return []
    token = f"{worker_name()}:{uuid.uuid4().hex[:12]}"
    RunItem.objects.filter(free, pk__in=ids).update(
        status=RunItem.Status.WORKING, worker=token,
        lease_until=now + dt.timedelta(seconds=lease_seconds()))
    return list(RunItem.objects.filter(pk__in=ids, worker=token)
                .select_related("resource").order_by("-priority", "pk"))


def renew(items: list[RunItem]) -> None:
    """Extend the leases of items still being checked (a live worker keeps its items)."""
    until = timezone.now() + dt.timedelta(seconds=lease_seconds())
    for worker in {i.worker for i in items}:
        RunItem.objects.filter(pk__in=[i.pk for i in items if i.worker == worker],
                               worker=worker, status=RunItem.Status.WORKING
                               ).update(lease_until=until)


def release(items: list[RunItem]) -> None:
    """Give unfinished items back (a clean stop), so a resume takes them at once."""
    RunItem.objects.filter(pk__in=[i.pk for i in items], status=RunItem.Status.WORKING,
                           worker__in={i.worker for i in items}).update(
        status=RunItem.Status.PENDING, worker="", lease_until=None)


def release_dead_claims(run: CollectionRun) -> int:
    """Items held by a process of this machine that no longer exists (killed): free now."""
    host = socket.gethostname()
    freed = 0
    workers = (RunItem.objects.filter(run=run, status=RunItem.Status.WORKING,
                                      worker__startswith=host + ":")
               .values_list("worker", flat=True).distinct())
    for worker in list(workers):
        pid = worker.split(":")[1]
        if pid.isdigit() and not _alive(int(pid)):
            freed += RunItem.objects.filter(run=run, worker=worker,
                                            status=RunItem.Status.WORKING).update(
                status=RunItem.Status.PENDING, worker="", lease_until=None)
    return freed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- recording ------------------------------------------------------------------------------

@dataclass
class Outcome:
    item: RunItem
    kind: str  # site | social | traffic
    result: object  # SiteAudit | SocialPage
    today: dt.date

    @property
    def error(self):
        return getattr(self.result, "error", None)


def record(run: CollectionRun, outcomes: list[Outcome]) -> tuple[int, int]:
    """Write a batch: each item's observations and its state in one savepoint. An item that
    another worker finished first is skipped (the constraint refuses the second result)."""
    from .services import site_audit_store, site_traffic_store, social_page_store

    done = failed = 0
    now = timezone.now()
    with transaction.atomic():
        for outcome in outcomes:
            item = outcome.item
            try:
                with transaction.atomic():
                    taken = RunItem.objects.filter(
                        pk=item.pk, worker=item.worker, status=RunItem.Status.WORKING
                    ).update(status=RunItem.Status.FAILED if outcome.error else
                             RunItem.Status.DONE, finished_at=now,
                             error_code=outcome.error.code if outcome.error else "",
                             error_message=outcome.error.message if outcome.error else "")
                    if not taken:
                        continue  # the lease ended and someone else has it now
                    if outcome.kind == "traffic":
                        site_traffic_store(resource=item.resource, traffic=outcome.result,
                                           run=run)
                    elif outcome.kind == "site":
                        site_audit_store(resource=item.resource, audit=outcome.result, run=run)
                    else:
                        social_page_store(resource=item.resource, page=outcome.result,
                                          today=outcome.today, run=run)
            except IntegrityError:
                continue
            if outcome.error:
                failed += 1
            else:
                done += 1
        CollectionRun.objects.filter(pk=run.pk).update(
            done=F("done") + done, failed=F("failed") + failed, heartbeat_at=now)
    return done, failed


def requeue_expired(run: CollectionRun) -> list[int]:
    """Items whose worker's lease ended: pending again (returns their ids)."""
    expired = list(RunItem.objects.filter(run=run, status=RunItem.Status.WORKING,
                                          lease_until__lt=timezone.now())
                   .values_list("pk", flat=True))
    RunItem.objects.filter(pk__in=expired, status=RunItem.Status.WORKING,
                           lease_until__lt=timezone.now()).update(
        status=RunItem.Status.PENDING, worker="", lease_until=None)
    return expired


def counts(run: CollectionRun) -> Counter:
    rows = (RunItem.objects.filter(run=run).values("status").order_by()
            .annotate(n=Count("pk")))
    return Counter({row["status"]: row["n"] for row in rows})


def run_finish_if_complete(run: CollectionRun) -> bool:
    tally = counts(run)
    if tally[RunItem.Status.PENDING] or tally[RunItem.Status.WORKING]:
        return False
    run_close(run, CollectionRun.Status.DONE)
    return True


def run_close(run: CollectionRun, status: str) -> None:
    tally = counts(run)
    errors = dict(RunItem.objects.filter(run=run, status=RunItem.Status.FAILED)
                  .values_list("error_code").order_by().annotate(n=Count("pk")))
    CollectionRun.objects.filter(pk=run.pk).update(
        status=status, done=tally[RunItem.Status.DONE], failed=tally[RunItem.Status.FAILED],
        errors_by_code=errors, heartbeat_at=timezone.now(),
        finished_at=timezone.now() if status == CollectionRun.Status.DONE else None)
    run.refresh_from_db()
    if status == CollectionRun.Status.DONE:
        run_finished.send(sender=CollectionRun, run=run)


def run_reopen(run: CollectionRun) -> None:
    CollectionRun.objects.filter(pk=run.pk).update(status=CollectionRun.Status.RUNNING,
                                                   heartbeat_at=timezone.now())
    run.refresh_from_db()
