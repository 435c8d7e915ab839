"""RSS/Atom feeds and sitemaps → publication dates (pure: bytes in, dates out)."""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime

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


def feed_dates(content: bytes) -> list[dt.datetime]:
    """Publication dates of the items of an RSS or Atom feed."""
    root = _root(content)
    if root is None:
        return []
    dates = []
    for element in root.iter():
        name = _local(element.tag)
        if name in ("item", "entry"):
            for child in element:
                if _local(child.tag) in ("pubdate", "published", "updated", "date"):
                    if value := parse_date(child.text):
                        dates.append(value)
                        break
    return dates


def sitemap_entries(content: bytes) -> tuple[list[dt.datetime], list[str]]:
    """(lastmod dates of pages, nested sitemap URLs of an index)."""
    root = _root(content)
    if root is None:
        return [], []
    dates, nested = [], []
    is_index = _local(root.tag) == "sitemapindex"
    for element in root:
        loc = lastmod = None
        for child in element:
            if _local(child.tag) == "loc":
                loc = (child.text or "").strip()
            elif _local(child.tag) == "lastmod":
                lastmod = parse_date(child.text)
        if is_index and loc:
            nested.append(loc)
        elif lastmod:
            dates.append(lastmod)
    return dates, nested
