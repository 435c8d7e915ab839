"""The union's figures for social pages, each defined once (product.md, «Social pages»).

Pure functions over posts and counts. Undefined is `None`, never zero: a page with no known
subscribers has no engagement, a page with no known posts has no last publication.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

ENGAGEMENT_POSTS = 10
POSTS_PER_WEEK_DAYS = 30
TEXT_KEPT = 1000


@dataclass(frozen=True)
class Post:
    id: str
    date: dt.datetime
    likes: int = 0
    comments: int = 0
    reposts: int = 0
    views: int | None = None
    pinned: bool = False
    text: str = ""  # the first TEXT_KEPT characters, kept with the publication

    @property
    def reactions(self) -> int:
        return self.likes + self.comments + self.reposts


def distinct(posts: list[Post]) -> list[Post]:
    """Each post once, in the order first seen: a wall read page by page while new posts
    arrive shows a post again at the top of the next page (ids carry the owner on VK)."""
    seen: dict[str, Post] = {}
    for post in posts:
        seen.setdefault(post.id, post)
    return list(seen.values())


def newest(posts: list[Post], count: int = ENGAGEMENT_POSTS) -> list[Post]:
    """The newest posts by date; a pinned old post is not promoted."""
    return sorted(posts, key=lambda p: (p.date, p.id), reverse=True)[:count]


@dataclass(frozen=True)
class Engagement:
    value: float | None  # a fraction: 0.0123 is shown as 1,23 %
    posts_used: int
    note: str = ""


def engagement(posts: list[Post], subscribers: int | None) -> Engagement:
    """The seed's formula: the average of likes + comments + reposts over the last 10
    publications, divided by the number of subscribers."""
    used = newest(posts)
    if not subscribers or subscribers < 0:
        return Engagement(None, len(used), "число подписчиков неизвестно или равно нулю")
    if not used:
        return Engagement(None, 0, "нет публикаций")
    average = sum(p.reactions for p in used) / len(used)
    note = "" if len(used) == ENGAGEMENT_POSTS else \
        f"по {len(used)} публикациям из {ENGAGEMENT_POSTS}: больше на странице нет"
    return Engagement(average / subscribers, len(used), note)


def err(posts: list[Post], subscribers: int | None) -> float | None:
    """Telegram's ERR: average views of the last 10 posts divided by subscribers."""
    viewed = [p.views for p in newest(posts) if p.views is not None]
    if not subscribers or subscribers < 0 or not viewed:
        return None
    return sum(viewed) / len(viewed) / subscribers


def posts_between(posts: list[Post], start: dt.date, end: dt.date) -> int:
    return sum(1 for p in posts if start <= local_day(p.date) <= end)


def posts_per_week(posts: list[Post], today: dt.date,
                   days: int = POSTS_PER_WEEK_DAYS) -> float:
    """Posts per week over the last `days` days (today included)."""
    start = today - dt.timedelta(days=days - 1)
    return round(posts_between(posts, start, today) * 7 / days, 2)


def last_publication(posts: list[Post]) -> dt.date | None:
    top = newest(posts, 1)
    return local_day(top[0].date) if top else None


def days_since(day: dt.date | None, today: dt.date) -> int | None:
    return None if day is None else max((today - day).days, 0)


class Staleness(enum.StrEnum):
    FRESH = "fresh"
    STALE = "stale"
    ABANDONED = "abandoned"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return STALENESS_LABELS[self]


STALENESS_LABELS = {
    Staleness.FRESH: "обновляется",
    Staleness.STALE: "не обновляется",
    Staleness.ABANDONED: "без сопровождения и развития",
    Staleness.UNKNOWN: "дата последней публикации неизвестна",
}


def staleness(last: dt.date | None, today: dt.date, *, stale_days: int,
              abandoned_days: int) -> Staleness:
    """Не обновляется after `stale_days` days with no publication, без сопровождения и
    развития after `abandoned_days` (product.md, «Staleness»)."""
    if last is None:
        return Staleness.UNKNOWN
    age = (today - last).days
    if age > abandoned_days:
        return Staleness.ABANDONED
    if age > stale_days:
        return Staleness.STALE
    return Staleness.FRESH


def local_day(moment: dt.datetime) -> dt.date:
    """The calendar day of a post where the union works (Moscow time unless set)."""
    if moment.tzinfo is None:
        return moment.date()
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(_time_zone())).date()


def _time_zone() -> str:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        return settings.TIME_ZONE or "UTC"
    except ImproperlyConfigured:  # used outside Django (benchmarks, scripts)
        return "UTC"


def last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month before `today`'s: the period a traffic check asks for first."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end
