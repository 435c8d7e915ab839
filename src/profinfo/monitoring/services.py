"""Writes of observations. Observations are only ever added, never changed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, DateField, F, Value
from django.db.models.functions import Greatest, Least

from profinfo.registry.models import Resource

from .collectors import metrica
from .criteria import CRITERIA
from .models import (
    MANUAL_DATE_METRICS,
    MANUAL_PERIOD_METRICS,
    CriterionOverride,
    LatestValue,
    Metric,
    Observation,
    Publication,
    PublicationCoverage,
    Source,
)


def validate_manual_entry(*, metric: str, value, period_start: dt.date | None,
                          period_end: dt.date | None) -> None:
    errors = {}
    if metric not in MANUAL_PERIOD_METRICS + MANUAL_DATE_METRICS:
        errors["metric"] = "Этот показатель нельзя ввести вручную."
    if value is None:
        errors["value"] = "Укажите значение."
    elif value < 0:
        errors["value"] = "Значение не может быть отрицательным."
    if period_end is None:
        errors["period_end"] = "Укажите дату."
    if metric in MANUAL_PERIOD_METRICS:
        if period_start is None:
            errors["period_start"] = "Для этого показателя укажите начало периода."
        elif period_end and period_start > period_end:
            errors["period_start"] = "Начало периода позже его конца."
    if period_end and period_end > dt.date.today() + dt.timedelta(days=1):
        errors["period_end"] = "Дата в будущем: данные ещё не могли быть получены."
    if errors:
        raise ValidationError(errors)


def observation_record(*, resource: Resource, metric: str, value: float | None,
                       period_end: dt.date, period_start: dt.date | None = None,
                       source: str = Source.MANUAL, user=None, note: str = "",
                       value_date: dt.date | None = None) -> Observation:
    if metric in MANUAL_DATE_METRICS:
        period_start = None
    observation = Observation.objects.create(
        resource=resource, metric=metric, value=value, value_date=value_date,
        period_start=period_start, period_end=period_end, source=source,
        created_by=user if user and user.is_authenticated else None, note=note,
    )
    latest_values_refresh([observation])
    return observation


def observation_record_manual(*, resource: Resource, metric: str, value: float,
                              period_end: dt.date, period_start: dt.date | None = None,
                              user=None, note: str = "") -> Observation:
    validate_manual_entry(metric=metric, value=value, period_start=period_start,
                          period_end=period_end)
    return observation_record(resource=resource, metric=metric, value=value,
                              period_start=period_start, period_end=period_end,
                              source=Source.MANUAL, user=user, note=note)


def observation_record_failure(*, resource: Resource, code: str, message: str,
                               details: dict | None = None, run=None) -> Observation:
    return Observation.objects.create(
        resource=resource, metric=Metric.CHECK, ok=False, error_code=code,
        error_message=message, period_end=dt.date.today(), source=Source.AUTOMATIC,
        details=details or {}, run=run,
    )


def _newer(a, b) -> bool:
    return (a.period_end, a.observed_at, a.pk) > (b.period_end, b.observed_at, b.observation_id)


def latest_values_refresh(observations: list[Observation]) -> None:
    """Move each (resource, metric)'s current figure forward to the newest of `observations`."""
    newest: dict[tuple[int, str], Observation] = {}
    for obs in observations:
        if not obs.ok or obs.metric == Metric.CHECK:
            continue
        key = (obs.resource_id, obs.metric)
        best = newest.get(key)
        if best is None or (obs.period_end, obs.observed_at, obs.pk) > (
                best.period_end, best.observed_at, best.pk):
            newest[key] = obs
    if not newest:
        return
    resource_ids = sorted({rid for rid, _ in newest})
    stored: dict[tuple[int, str], LatestValue] = {}
    for start in range(0, len(resource_ids), 900):
        for row in LatestValue.objects.filter(resource_id__in=resource_ids[start:start + 900]):
            stored[(row.resource_id, row.metric)] = row
    creates, updates = [], []
    for key, obs in newest.items():
        row = stored.get(key)
        if row is not None and not _newer(obs, row):
            continue
        target = row or LatestValue(resource_id=obs.resource_id, metric=obs.metric)
        target.observation_id, target.value, target.value_date = obs.pk, obs.value, obs.value_date
        target.period_end, target.observed_at = obs.period_end, obs.observed_at
        (updates if row else creates).append(target)
    LatestValue.objects.bulk_create(creates, batch_size=2000)
    LatestValue.objects.bulk_update(
        updates, ["observation", "value", "value_date", "period_end", "observed_at"],
        batch_size=1000)


@transaction.atomic
def site_audit_store(*, resource: Resource, audit, run=None) -> Observation:
    """Keep one audit: its criteria and evidence, the last publication and recent count; a
    failed audit is kept as a failure with its code and reason."""
    from .collectors.site import audit_to_contract

    if audit.error is not None:
        return observation_record_failure(
            resource=resource, code=audit.error.code, message=audit.error.message,
            details={"url": audit.url, "status": audit.status}, run=run)
    from profinfo.registry.services import site_facts_fill

    today = dt.date.today()
    notes = site_facts_fill(resource=resource, cms=audit.cms, metrica_id=audit.metrica_id,
                            liveinternet=audit.liveinternet)
    seen = publications_store(resource=resource, found=site_publications(audit, today),
                              observed_on=today, run=run)
    details = {**audit_to_contract(audit), "pages": audit.pages, "cms": audit.cms,
               "script_only": audit.script_only, "response_time": audit.response_time,
               "publication_dates": [d.isoformat() for d in audit.publication_dates[:500]],
               "publications": seen, "notes": notes}
    present = sum(1 for finding in audit.criteria.values() if finding.present)
    observation = Observation.objects.create(
        resource=resource, metric=Metric.SITE_AUDIT, value=present, period_end=today,
        source=Source.AUTOMATIC, details=details, run=run)
    written = [observation]
    if audit.last_publication:
        written.append(Observation.objects.create(
            resource=resource, metric=Metric.LAST_PUBLICATION,
            value_date=audit.last_publication, period_end=today, source=Source.AUTOMATIC,
            run=run))
    if audit.publications_30d is not None:
        written.append(Observation.objects.create(
            resource=resource, metric=Metric.PUBLICATIONS, value=audit.publications_30d,
            period_start=today - dt.timedelta(days=29), period_end=today,
            source=Source.AUTOMATIC, note="по RSS или карте сайта, последние 30 дней",
            run=run))
    latest_values_refresh(written)
    return observation


# --- publications, item by item -----------------------------------------------------------

MAX_PUBLICATIONS_PER_CHECK = 2000
MIGRATED = "migrated:"  # keys of dates carried over from audits that kept no keys
TEXT_KEPT = 1000
TITLE_KEPT = 500


def site_publications(audit, today: dt.date) -> list[Publication]:
    """What a site audit's feed or sitemaps listed, as unsaved rows."""
    from .collectors.site import publications_kept

    return [Publication(key=item.key, channel=audit.publication_source,
                        published_on=item.date.date(), published_at=item.date,
                        title=item.title[:TITLE_KEPT], text=item.text[:TEXT_KEPT])
            for item in publications_kept(audit.publication_items, today)]


def social_publications(page) -> list[Publication]:
    """The posts a social check read, as unsaved rows (a post's title is its first line)."""
    from .calculations import local_day

    return [Publication(key=post.id[:500], channel=page.network,
                        published_on=local_day(post.date), published_at=post.date,
                        title=post.text.strip().split("\n", 1)[0][:200],
                        text=post.text[:TEXT_KEPT])
            for post in page.posts if post.id]


def publications_store(*, resource: Resource, found: list[Publication],
                       observed_on: dt.date, run=None) -> dict | None:
    """Keep what one check saw: each publication once per resource (a publication seen
    before keeps its first date and text), the newest `MAX_PUBLICATIONS_PER_CHECK` of them;
    the coverage moves back to the oldest date seen. Returns what the check saw, for its
    observation's details, or None when it saw nothing."""
    kept = sorted({p.key: p for p in reversed(found)}.values(),
                  key=lambda p: (p.published_on, p.key), reverse=True)
    kept = kept[:MAX_PUBLICATIONS_PER_CHECK]
    if not kept or _sitemap_after_feed(resource, kept):
        return None
    with transaction.atomic():
        for publication in kept:
            publication.resource, publication.first_run = resource, run
        Publication.objects.bulk_create(kept, ignore_conflicts=True, batch_size=500)
        oldest, newest = kept[-1].published_on, kept[0].published_on
        _coverage_extend(resource, oldest, observed_on)
        _migrated_replace(resource, oldest, newest)
    return {"channel": kept[0].channel, "oldest": oldest.isoformat(),
            "newest": newest.isoformat(), "items": len(kept)}


def _sitemap_after_feed(resource: Resource, kept: list[Publication]) -> bool:
    """A site whose feed has given its publications once is counted by its feed only: when
    the feed fails one day and the sitemap answers, the sitemap's pages (keyed by their
    address, where the feed keys by guid, and with pages that are not news) would count the
    same publications twice. That day's publications stay unknown instead."""
    return kept[0].channel == "sitemap" and Publication.objects.filter(
        resource=resource, channel="feed").exists()


def _coverage_extend(resource: Resource, oldest: dt.date, observed_on: dt.date) -> None:
    row, created = PublicationCoverage.objects.get_or_create(
        resource=resource, defaults={"covered_from": oldest, "checked_until": observed_on})
    if not created:
        PublicationCoverage.objects.filter(pk=row.pk).update(
            covered_from=Least(F("covered_from"), Value(oldest, output_field=DateField())),
            checked_until=Greatest(F("checked_until"),
                                   Value(observed_on, output_field=DateField())))


def _migrated_replace(resource: Resource, oldest: dt.date, newest: dt.date) -> None:
    """Dates carried over from old audits stand for publications whose keys were not kept:
    where a check now lists real ones on the same day, they replace as many stand-ins, so a
    publication is not counted once by its date and again by its key."""
    days = (Publication.objects.filter(resource=resource, published_on__gte=oldest,
                                       published_on__lte=newest))
    stand_ins: dict[dt.date, list[int]] = defaultdict(list)
    for pk, day in days.filter(key__startswith=MIGRATED).values_list("pk", "published_on"):
        stand_ins[day].append(pk)
    if not stand_ins:
        return
    real = dict(days.exclude(key__startswith=MIGRATED).values_list("published_on")
                .order_by().annotate(n=Count("pk")))
    replaced = [pk for day, pks in stand_ins.items() for pk in sorted(pks)[:real.get(day, 0)]]
    Publication.objects.filter(pk__in=replaced).delete()


def criterion_override(*, resource: Resource, code: str, present: bool, reason: str,
                       user) -> CriterionOverride:
    if code not in CRITERIA:
        raise ValidationError({"code": "Неизвестный критерий."})
    if not reason.strip():
        raise ValidationError({"reason": "Укажите причину: она сохраняется вместе с решением."})
    return CriterionOverride.objects.create(resource=resource, code=code, present=present,
                                            reason=reason.strip(), created_by=user)


@transaction.atomic
def social_page_store(*, resource: Resource, page, today: dt.date,
                      run=None) -> list[Observation]:
    """Keep one check of a social page: each figure as its own observation, the newest
    posts with their reactions as a snapshot, and a failure with its code. What was obtained
    before a failure (subscribers of a page whose wall is closed) is kept too."""
    from .collectors.social import figures

    data = figures(page, today)
    written: list[Observation] = []

    def add(metric, value=None, *, value_date=None, start=None, details=None, note=""):
        written.append(Observation.objects.create(
            resource=resource, metric=metric, value=value, value_date=value_date,
            period_start=start, period_end=today, source=Source.AUTOMATIC,
            details=details or {}, note=note, run=run))

    if data["subscribers"] is not None:
        add(Metric.SUBSCRIBERS, data["subscribers"])
    if data["posts_per_week"] is not None:
        add(Metric.PUBLICATIONS, data["publications_30d"], start=today - dt.timedelta(days=29),
            note="по публикациям на странице, последние 30 дней")
        add(Metric.POSTS_PER_WEEK, data["posts_per_week"], start=today - dt.timedelta(days=29))
    if data["last_publication"]:
        add(Metric.LAST_PUBLICATION, value_date=dt.date.fromisoformat(data["last_publication"]))
    if data["engagement"] is not None:
        add(Metric.ENGAGEMENT, data["engagement"], note=data["engagement_note"] or "",
            details={"posts_used": len(data["posts"])})
    if data["err"] is not None:
        add(Metric.ERR, data["err"])
    seen = publications_store(resource=resource, found=social_publications(page),
                              observed_on=today, run=run)
    if data["posts"] or data["subscribers"] is not None:
        add(Metric.POSTS, len(data["posts"]), details={**data, "publications": seen})
    latest_values_refresh(written)
    if page.error is not None:
        written.append(observation_record_failure(
            resource=resource, code=page.error.code, message=page.error.message,
            details={"url": page.url}, run=run))
    return written


def validate_traffic_period(*, start: dt.date, end: dt.date) -> None:
    """A period Яндекс.Метрика can answer for; errors by field, for the page's form."""
    errors = {}
    if start > end:
        errors["start"] = "Начало периода позже его конца."
    if end > dt.date.today():
        errors["end"] = "Конец периода в будущем: за него ещё нет данных."
    if start < metrica.FIRST_DAY:
        errors["start"] = "Яндекс.Метрика хранит данные только с 2008 года."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def site_traffic_store(*, resource: Resource, traffic, run=None) -> list[Observation]:
    """Visitors (users) and views (pageviews) of a period from Яндекс.Метрика."""
    if traffic.error is not None:
        return [observation_record_failure(
            resource=resource, code=traffic.error.code, message=traffic.error.message,
            details={"counter": traffic.counter, "from": traffic.start.isoformat(),
                     "to": traffic.end.isoformat()}, run=run)]
    note = f"Яндекс.Метрика, счётчик {traffic.counter}" + (
        " (по выборке)" if traffic.sampled else "")
    written = [Observation.objects.create(
        resource=resource, metric=metric, value=value, period_start=traffic.start,
        period_end=traffic.end, source=Source.AUTOMATIC, note=note,
        details={"visits": traffic.visits}, run=run)
        for metric, value in ((Metric.VISITORS, traffic.users),
                              (Metric.VIEWS, traffic.pageviews)) if value is not None]
    latest_values_refresh(written)
    return written
