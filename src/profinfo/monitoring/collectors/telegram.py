"""Telegram: the exact subscriber count from `t.me/<name>`, posts from `t.me/s/<name>`.

The preview feed shows views and emoji reactions, not likes, comments or reposts: for
engagement a post's likes are the sum of its reaction counts (product.md). Counts on the
preview are rounded («1.2K»); the exact subscriber count comes from the info card.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

import lxml.html
from lxml import etree

from .. import calculations as calc
from ..decoding import decode_html
from ..fetcher import Fetcher, FetchError
from .social import PlatformSettings, SocialPage

PAGES_MAX = 10
ABBREVIATED = re.compile(r"^\s*([\d.,]+)\s*([KMB]?)\s*$", re.I)
MULTIPLIERS = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}
EXTRA = re.compile(r"([\d\s\u00a0\u2009\u202f.,]*\d)\s*(subscribers?|members?|подписчик\w*|"
                   r"участник\w*)", re.I)
NOT_FOUND = "Канал или группа Telegram с таким именем не найдены."


def _class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def parse_count(text: str) -> int | None:
    """«777», «1.2K», «1,63K», «13.7M» → a whole number."""
    match = ABBREVIATED.match(text or "")
    if not match:
        return None
    try:
        number = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None
    return int(number * MULTIPLIERS[match.group(2).upper()])


def parse_exact(text: str) -> int | None:
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits else None


def _root(html: str):
    try:
        return lxml.html.document_fromstring(html or "<html></html>")
    except (etree.ParserError, ValueError):
        return None


def parse_info(html: str) -> tuple[str, int | None, str]:
    """The info card → (title, exact count, "channel" | "group"); raises not_found."""
    root = _root(html)
    if root is None:
        raise FetchError("parse", "Страницу Telegram не удалось разобрать.")
    extra = " ".join(e.text_content() for e in root.xpath(f"//*[{_class('tgme_page_extra')}]"))
    title = " ".join(e.text_content().strip()
                     for e in root.xpath(f"//*[{_class('tgme_page_title')}]")).strip()
    match = EXTRA.search(extra)
    if not match:
        raise FetchError("not_found", NOT_FOUND if not title else
                         "Это не канал и не группа Telegram (возможно, личная страница).")
    word = match.group(2).lower()
    kind = "channel" if word.startswith(("subscriber", "подписчик")) else "group"
    return title, parse_exact(match.group(1)), kind


def parse_feed(html: str, name: str) -> tuple[list[calc.Post], str | None]:
    """One page of `t.me/s/<name>` → (posts, the `before` id of the older page)."""
    root = _root(html)
    if root is None:
        raise FetchError("parse", "Ленту Telegram не удалось разобрать.")
    posts = []
    for message in root.xpath(f"//*[{_class('tgme_widget_message')} and @data-post]"):
        if "service_message" in (message.get("class") or ""):
            continue
        if post := _post(message):
            posts.append(post)
    before = None
    for more in root.xpath(f"//a[{_class('tme_messages_more')} and @data-before]"):
        before = more.get("data-before")
    return posts, before


def _post(message) -> calc.Post | None:
    stamp = message.xpath(f".//*[{_class('tgme_widget_message_date')}]//time/@datetime") \
        or message.xpath(".//time/@datetime")
    try:
        date = dt.datetime.fromisoformat(stamp[0])
    except (IndexError, ValueError):
        return None
    if date.tzinfo is None:
        date = date.replace(tzinfo=dt.UTC)
    views = message.xpath(f".//*[{_class('tgme_widget_message_views')}]")
    text = message.xpath(f".//*[{_class('tgme_widget_message_text')}]")
    return calc.Post(id=message.get("data-post", ""), date=date,
                     likes=sum(_reaction_counts(message)),
                     views=parse_count(views[0].text_content()) if views else None,
                     text=text[0].text_content().strip()[:calc.TEXT_KEPT] if text else "")


def _reaction_counts(message) -> list[int]:
    counts = []
    for reaction in message.xpath(f".//*[{_class('tgme_reaction')}]"):
        text = "".join(reaction.xpath("text()"))  # the number sits beside the emoji element
        if (count := parse_count(text)) is not None:
            counts.append(count)
    return counts


class TelegramClient:
    def __init__(self, fetcher: Fetcher, settings: PlatformSettings | None = None):
        self.fetcher = fetcher
        self.base = (settings or PlatformSettings()).telegram_url.rstrip("/")

    async def page(self, url: str, handle: str, today: dt.date) -> SocialPage:
        page = SocialPage("telegram", url, name=handle)
        try:
            page.title, page.subscribers, page.page_type = parse_info(
                await self._html(f"{self.base}/{handle}"))
        except FetchError as error:
            page.error = FetchError(error.code, error.message, url=url)
            return page
        if page.page_type == "group":
            page.posts_note = ("У групп Telegram нет открытой ленты: публикации и реакции не "
                               "видны без вступления в группу.")
            return page
        try:
            page.posts = await self._posts(handle, today)
        except FetchError as error:
            page.posts_note = error.message
            page.error = FetchError(error.code, error.message, url=url)
        return page

    async def _html(self, url: str) -> str:
        response = await self.fetcher.get(url)
        if response.status == 404:
            raise FetchError("not_found", NOT_FOUND, url=url)
        if response.status >= 400:
            raise FetchError("http_status", f"Telegram ответил ошибкой {response.status}.",
                             url=url)
        return decode_html(response.content, response.content_type)[0]

    async def _posts(self, handle: str, today: dt.date) -> list[calc.Post]:
        """Older pages (?before=) until 10 posts and the last 30 days are covered."""
        horizon = today - dt.timedelta(days=calc.POSTS_PER_WEEK_DAYS)
        posts: dict[str, calc.Post] = {}
        url = f"{self.base}/s/{handle}"
        for _ in range(PAGES_MAX):
            found, before = parse_feed(await self._html(url), handle)
            posts.update((p.id, p) for p in found)
            enough = len(posts) >= calc.ENGAGEMENT_POSTS and found and \
                min(p.date for p in found).date() < horizon
            if enough or not before or not found:
                break
            url = f"{self.base}/s/{handle}?before={before}"
        return calc.newest(list(posts.values()), len(posts))
