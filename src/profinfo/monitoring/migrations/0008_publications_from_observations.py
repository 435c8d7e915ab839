"""Publications from what past checks kept.

A site audit kept the dates of up to 500 newest publications of its feed or sitemaps, not
their keys: each date becomes a stand-in «migrated:<day>:<n>», as many on a day as the audit
that saw the most on that day listed (overlapping audits do not add up). A later audit that
lists real publications on that day replaces as many stand-ins (services._migrated_replace).
A social check kept its ten newest posts with their ids: those become publications with their
real keys. Coverage starts at the oldest date any of them kept. The 30-day counts of automatic
checks hold no dates of their own: they stay as observations and are no longer summed.
"""

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

BATCH = 2000
CHANNELS = {"vk": "vk", "ok": "ok", "telegram_channel": "telegram",
            "telegram_group": "telegram"}


def _day(text):
    try:
        return dt.date.fromisoformat(text[:10])
    except (TypeError, ValueError):
        return None


def _moment(text):
    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class _Writer:
    def __init__(self, apps):
        self.Publication = apps.get_model("monitoring", "Publication")
        self.Coverage = apps.get_model("monitoring", "PublicationCoverage")
        self.rows = []
        self.coverage = {}  # resource → (covered_from, checked_until)

    def add(self, row, day, checked):
        self.rows.append(row)
        first, last = self.coverage.get(row.resource_id, (day, checked))
        self.coverage[row.resource_id] = (min(first, day), max(last, checked))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self):
        self.Publication.objects.bulk_create(self.rows, ignore_conflicts=True)
        self.rows = []

    def close(self):
        self.flush()
        self.Coverage.objects.bulk_create(
            [self.Coverage(resource_id=rid, covered_from=first, checked_until=last)
             for rid, (first, last) in self.coverage.items()], batch_size=BATCH)


def _site_dates(apps, writer):
    Observation = apps.get_model("monitoring", "Observation")
    audits = (Observation.objects.filter(metric="site_audit", ok=True)
              .order_by("resource_id", "observed_at", "pk")
              .values_list("resource_id", "observed_at", "period_end", "run_id", "details"))
    current, most, checked_until = None, {}, None

    def write(resource_id):
        for day, (count, channel, seen_at, run_id) in sorted(most.items()):
            for n in range(1, count + 1):
                writer.add(writer.Publication(
                    resource_id=resource_id, key=f"migrated:{day.isoformat()}:{n}",
                    channel=channel, published_on=day, first_seen_at=seen_at,
                    first_run_id=run_id), day, checked_until)

    for resource_id, seen_at, checked, run_id, details in audits.iterator(chunk_size=BATCH):
        if resource_id != current:
            if current is not None:
                write(current)
            current, most, checked_until = resource_id, {}, checked
        details = details or {}
        per_day = defaultdict(int)
        for day in filter(None, map(_day, details.get("publication_dates") or [])):
            per_day[day] += 1
        if per_day:
            checked_until = max(checked_until, checked)
        channel = "feed" if details.get("feeds") else "sitemap"
        for day, count in per_day.items():
            before = most.get(day)
            if before is None:  # the first audit that saw the day
                most[day] = (count, channel, seen_at, run_id)
            elif count > before[0]:  # overlapping audits: the most any of them saw
                most[day] = (count, *before[1:])
    if current is not None:
        write(current)


def _social_posts(apps, writer):
    Observation = apps.get_model("monitoring", "Observation")
    zone = ZoneInfo(settings.TIME_ZONE or "UTC")
    checks = (Observation.objects.filter(metric="posts", ok=True)
              .order_by("resource_id", "observed_at", "pk")
              .values_list("resource_id", "resource__network", "observed_at", "period_end",
                           "run_id", "details"))
    for resource_id, network, seen_at, checked, run_id, details in checks.iterator(
            chunk_size=BATCH):
        for post in (details or {}).get("posts") or []:
            moment = _moment(post.get("date")) if isinstance(post, dict) else None
            if moment is None or not post.get("id"):
                continue
            day = moment.astimezone(zone).date()
            writer.add(writer.Publication(
                resource_id=resource_id, key=str(post["id"])[:500],
                channel=CHANNELS.get(network, "vk"), published_on=day, published_at=moment,
                first_seen_at=seen_at, first_run_id=run_id), day, checked)


def forward(apps, schema_editor):
    writer = _Writer(apps)
    _site_dates(apps, writer)
    _social_posts(apps, writer)
    writer.close()


def backward(apps, schema_editor):
    apps.get_model("monitoring", "Publication").objects.all().delete()
    apps.get_model("monitoring", "PublicationCoverage").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [("monitoring", "0007_publications")]

    operations = [migrations.RunPython(forward, backward)]
