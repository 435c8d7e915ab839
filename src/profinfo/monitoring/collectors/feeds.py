"""RSS/Atom feeds and sitemaps → publications (pure: bytes in, items out).

Each item has a key that names it on its site whichever audit reads it: the feed's guid (or
Atom id), else its link normalized (scheme, `www.`, host case, fragment and a trailing slash
do not matter), else its date and title; a sitemap entry is its normalized address.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from lxml import etree

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def _root(content: bytes):
    try:
        return etree.fromstring(content, PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def parse_date(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    text = text.strip()
    try:
        value = parsedate_to_datetime(text)  # RSS: RFC 822
    except (TypeError, ValueError, IndexError):
        value = None
    if value is None:
        try:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))  # Atom, sitemap
        except ValueError:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


KEY_LENGTH = 500
TITLE_LENGTH = 500
TEXT_LENGTH = 1000
DATE_TAGS = ("pubdate", "published", "updated", "date")
TAGS = re.compile(r"<[^<>]*>")  # stops at the next «<»: linear on «<<<<…»
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class FeedItem:
    """One publication a feed or sitemap lists: its key on the site, when, what."""

    key: str
    date: dt.datetime
    title: str = ""
    text: str = ""


def normalize_link(url: str) -> str:
    """An address as a key: `https://www.Site.ru/news/1/#top` → `site.ru/news/1`."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{port}{path}{query}"[:KEY_LENGTH] if host else url.strip()[:KEY_LENGTH]


def _plain(text: str | None, limit: int) -> str:
    """Text without markup (feeds often carry HTML in descriptions), spaces collapsed."""
    return SPACES.sub(" ", TAGS.sub(" ", (text or "")[:limit * 8])).strip()[:limit]


def _feed_item(element) -> FeedItem | None:
    fields: dict[str, str] = {}
    for child in element:
        name = _local(child.tag)
        value = child.get("href") if name == "link" and child.get("href") else child.text
        if value and name not in fields:
            fields[name] = value
    date = next((d for tag in DATE_TAGS if (d := parse_date(fields.get(tag)))), None)
    if date is None:
        return None  # an undated item cannot be counted in any period
    title = _plain(fields.get("title"), TITLE_LENGTH)
    text = _plain(fields.get("description") or fields.get("summary") or fields.get("content")
                  or fields.get("encoded"), TEXT_LENGTH)
    guid = (fields.get("guid") or fields.get("id") or "").strip()
    link = (fields.get("link") or "").strip()
    key = _as_key(guid) or _as_key(link) or f"{date.isoformat()} {title}"[:KEY_LENGTH]
    return FeedItem(key, date, title, text)


def _as_key(text: str) -> str:
    """A guid or link as a key: an address normalized, anything else as it is."""
    if text.startswith(("http://", "https://")):
        return normalize_link(text)
    return text[:KEY_LENGTH]


def feed_items(content: bytes) -> list[FeedItem]:
    """The dated items of an RSS or Atom feed, each once (by key), in the feed's order."""
    root = _root(content)
    if root is None:
        return []
    found: dict[str, FeedItem] = {}
    for element in root.iter():
        if _local(element.tag) in ("item", "entry") and (item := _feed_item(element)):
            found.setdefault(item.key, item)
    return list(found.values())


def feed_dates(content: bytes) -> list[dt.datetime]:
    """Publication dates of the items of an RSS or Atom feed."""
    return [item.date for item in feed_items(content)]


def sitemap_pages(content: bytes) -> tuple[list[FeedItem], list[str]]:
    """(pages with a lastmod, each once by address; nested sitemap URLs of an index)."""
    root = _root(content)
    if root is None:
        return [], []
    pages: dict[str, FeedItem] = {}
    nested = []
    is_index = _local(root.tag) == "sitemapindex"
    for element in root:
        loc, lastmod = "", None
        for child in element:
            if _local(child.tag) == "loc":
                loc = (child.text or "").strip()
            elif _local(child.tag) == "lastmod":
                lastmod = parse_date(child.text)
        if is_index and loc:
            nested.append(loc)
        elif lastmod:
            key = normalize_link(loc) if loc else lastmod.isoformat()
            pages.setdefault(key, FeedItem(key, lastmod))
    return list(pages.values()), nested


def sitemap_entries(content: bytes) -> tuple[list[dt.datetime], list[str]]:
    """(lastmod dates of pages, nested sitemap URLs of an index)."""
    pages, nested = sitemap_pages(content)
    return [page.date for page in pages], nested
