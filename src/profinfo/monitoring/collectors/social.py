"""What every social collector returns, the platform settings, and the contract's fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings

from .. import calculations as calc
from ..fetcher import FetchError


def _setting(name: str):
    return lambda: getattr(settings, name)


@dataclass(frozen=True)
class PlatformSettings:
    """Tokens and base URLs (product.md, «profinfo check»), read in profinfo.settings from
    the environment only, never the repo."""

    vk_token: str = field(default_factory=_setting("PROFINFO_VK_TOKEN"))
    vk_api_url: str = field(default_factory=_setting("PROFINFO_VK_API_URL"))
    vk_requests_per_second: float = field(
        default_factory=_setting("PROFINFO_VK_REQUESTS_PER_SECOND"))
    ok_app_key: str = field(default_factory=_setting("PROFINFO_OK_APP_KEY"))
    ok_app_secret: str = field(default_factory=_setting("PROFINFO_OK_APP_SECRET"))
    ok_api_url: str = field(default_factory=_setting("PROFINFO_OK_API_URL"))
    telegram_url: str = field(default_factory=_setting("PROFINFO_TELEGRAM_URL"))
    metrica_token: str = field(default_factory=_setting("PROFINFO_METRICA_TOKEN"))
    metrica_api_url: str = field(default_factory=_setting("PROFINFO_METRICA_API_URL"))


def missing_setting(*names: str) -> FetchError:
    listed = ", ".join(names)
    return FetchError("auth", f"Не задан ключ доступа: укажите {listed} в настройках "
                              f"(переменные окружения) и перезапустите ПрофИнфо.")


@dataclass
class SocialPage:
    network: str  # vk / ok / telegram
    url: str
    name: str = ""  # screen name or id on the platform
    title: str = ""
    page_type: str = ""  # community / channel / group
    subscribers: int | None = None
    posts: list[calc.Post] = field(default_factory=list)  # newest first, as many as fetched
    posts_note: str = ""  # why posts are missing or incomplete
    error: FetchError | None = None


def figures(page: SocialPage, today: dt.date) -> dict:
    """The social part of the `profinfo check --json` contract."""
    engagement = calc.engagement(page.posts, page.subscribers)
    last = calc.last_publication(page.posts)
    has_posts = page.error is None and not page.posts_note
    return {
        "name": page.name or None, "title": page.title or None,
        "page_type": page.page_type or None, "subscribers": page.subscribers,
        "posts": [_post(p) for p in calc.newest(page.posts)],
        "engagement": engagement.value, "engagement_note": engagement.note or None,
        "err": calc.err(page.posts, page.subscribers) if page.network == "telegram" else None,
        "posts_per_week": calc.posts_per_week(page.posts, today) if has_posts or page.posts
        else None,
        "publications_30d": calc.posts_between(page.posts, today - dt.timedelta(days=29),
                                               today) if has_posts or page.posts else None,
        "last_publication": last.isoformat() if last else None,
        "days_since_last": calc.days_since(last, today),
        "posts_note": page.posts_note or None,
    }


def _post(post: calc.Post) -> dict:
    return {"id": post.id, "date": post.date.isoformat(), "likes": post.likes,
            "comments": post.comments, "reposts": post.reposts, "views": post.views,
            "pinned": post.pinned}
