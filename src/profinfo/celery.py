"""Celery application: `celery -A profinfo worker` takes chunks of collection runs;
`celery -A profinfo beat` starts scheduled runs and watches leases of killed workers."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "profinfo.settings")

app = Celery("profinfo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["profinfo.monitoring"])


@app.on_after_configure.connect
def _schedule(sender, **kwargs):
    from profinfo.monitoring.schedule import beat_schedule

    sender.conf.beat_schedule = beat_schedule()
