"""The periods a report can be asked for: the default that shows the viewer's data, and the
presets a period picker offers (this year, last year, a quarter, the contest's year, all data).

A first look never lands on an empty year: the default is the calendar year of the newest
figure the viewer can read (up to today), the current year only when there are no figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Min
from django.utils import timezone

from profinfo.caching import cached
from profinfo.monitoring.models import LatestValue, Observation
from profinfo.organizations.scoping import Scope


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str  # «2022 год», «весь период данных (2018–2022)»…
    why: str = ""  # for a default: why it was taken

    @property
    def text(self) -> str:
        return f"{self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"


def newest_data_day(scope: Scope) -> dt.date | None:
    """The last day described by a figure of a resource the viewer can read."""
    return cached(f"periods:newest:{scope.cache_key}", lambda: LatestValue.objects.filter(
        scope.readable("resource__organization__")).aggregate(day=Max("period_end"))["day"])


def first_data_day() -> dt.date | None:
    """The first day described by any figure in the registry."""
    return cached("periods:first", lambda: Observation.objects.aggregate(
        day=Min("period_start"))["day"])


def year_period(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), max(today, dt.date(year, 1, 1)))


def default_period(scope: Scope, today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    newest = newest_data_day(scope)
    if newest is None:
        start, end = year_period(today.year, today)
        return Period(start, end, f"{today.year} год", "данных пока нет: взят текущий год")
    year = min(newest, today).year
    start, end = year_period(year, today)
    why = ("текущий год" if year == today.year
           else "последний год, за который есть данные")
    return Period(start, end, f"{year} год", why)


def _quarter(day: dt.date) -> tuple[dt.date, dt.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    following = dt.date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def presets(scope: Scope, today: dt.date | None = None) -> list[Period]:
    """What a period picker offers, each a link; the same period is not offered twice."""
    from profinfo.contest.models import Contest

    today = today or timezone.localdate()
    found = [Period(*year_period(today.year, today), "этот год"),
             Period(*year_period(today.year - 1, today), "прошлый год"),
             Period(_quarter(today)[0], today, "этот квартал")]  # up to today, as the year
    previous_quarter = _quarter(_quarter(today)[0] - dt.timedelta(days=1))
    found.append(Period(*previous_quarter, "прошлый квартал"))
    newest = newest_data_day(scope)
    if newest is not None and newest.year < today.year - 1:
        found.append(Period(*year_period(newest.year, today),
                            f"{newest.year} год (последние данные)"))
    contest = Contest.objects.order_by("-year").only("year", "period_start", "period_end",
                                                    "is_example").first()
    if contest is not None:
        found.append(Period(contest.period_start, contest.period_end,
                            f"смотр-конкурс {contest.year}"
                            + (" (пример)" if contest.is_example else "")))
    first = first_data_day()
    if first is not None and newest is not None and first <= newest:
        found.append(Period(first, min(newest, today), "весь период данных"))
    unique: dict[tuple, Period] = {}
    for period in found:
        unique.setdefault((period.start, period.end), period)
    return list(unique.values())
