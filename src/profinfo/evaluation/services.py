"""Writes of evaluation: the stored score tables kept current after collection runs."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from profinfo.organizations.models import Organization

from .defaults import methodology_for
from .scoring import from_stored_tables, previous_period, stored_scores

log = logging.getLogger(__name__)


def contest_year(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The period ratings are looked at by default: the current year of the contest."""
    today = today or timezone.localdate()
    return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)


def score_tables_refresh(**_signal) -> None:
    """After a run, the current year's scores of the whole federation are computed in the
    run's process, so that the first look at the ratings does not wait for them. A failure
    here is logged and never fails the run."""
    everyone = Organization.objects.filter(is_active=True)
    if not from_stored_tables(everyone.count()):
        return  # computed at once when asked
    start, end = contest_year()
    try:
        stored_scores(methodology_for(end.year), everyone,
                      [(start, end), previous_period(start, end)])
    except Exception:  # noqa: BLE001 — the run itself has succeeded
        log.exception("Баллы организаций после проверки не пересчитаны")
