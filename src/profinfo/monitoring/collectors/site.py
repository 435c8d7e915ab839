"""The site audit: the home page and up to 8 inner pages chosen for the criteria.

`collect(url, fetcher)` fetches; everything it decides is done by the pure functions of
html, site_criteria, feeds and counters, so tests can run them on saved pages.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from ..criteria import CRITERIA
from ..decoding import decode_html
from ..fetcher import Fetcher, FetchError
from ..rendering import Renderer, RenderNote, apply_rendering, render_home
from . import counters, feeds
from .html import PageFacts, parse_page, same_site
from .site_criteria import NOT_CHECKED, Finding, decide_all

MAX_INNER_PAGES = 8
PAGE_WORDS = [  # what the criteria need, best first
    (3, r"руководств|президиум|пленум|профком|комитет|выборн|коллегиальн|состав"),
    (3, r"постановлени|решени"),
    (3, r"первичн|членск|структур|территориальн|организации профсоюза"),
    (3, r"в помощь|профактив|методическ"),
    (3, r"задать вопрос|вопрос юрист|обратная связь|приемная|вопрос-ответ"),
    (2, r"документ"),
    (1, r"о нас|об организации|о профсоюзе|контакт"),
]
SKIP = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|jpe?g|png|gif|mp4|mp3)$", re.I)


@dataclass
class SiteAudit:
    url: str
    final_url: str = ""
    status: int | None = None
    https: bool = False
    response_time: float | None = None
    pages: list[str] = field(default_factory=list)
    criteria: dict[str, Finding] = field(default_factory=dict)
    metrica_id: str | None = None
    liveinternet: bool = False
    cms: str = ""
    feeds: list[str] = field(default_factory=list)
    sitemap: str | None = None
    last_publication: dt.date | None = None
    publications_30d: int | None = None
    publication_dates: list[dt.date] = field(default_factory=list)  # newest first
    # every publication the feed or sitemaps listed, each once by key (feeds.FeedItem)
    publication_items: list[feeds.FeedItem] = field(default_factory=list)
    publication_source: str = ""  # feed | sitemap
    period: tuple[dt.date, dt.date] | None = None
    publications_in_period: int | None = None
    script_only: bool = False
    rendering: RenderNote | None = None  # whether a browser built the page (with a renderer)
    error: FetchError | None = None


def choose_pages(home: PageFacts, limit: int = MAX_INNER_PAGES) -> list[str]:
    scored: dict[str, float] = {}
    for position, link in enumerate(home.links):
        url = link.url.split("#", 1)[0]
        if not url.startswith(("http://", "https://")) or not same_site(url, home.url):
            continue
        if SKIP.search(urlsplit(url).path) or url.rstrip("/") == home.url.rstrip("/"):
            continue
        text = link.text.casefold().replace("ё", "е")
        score = sum(weight for weight, words in PAGE_WORDS if re.search(words, text))
        if score:
            score += 0.5 if link.in_menu else 0
            score -= position / 10_000  # earlier links first among equals
            scored[url] = max(scored.get(url, 0), score)
    return sorted(scored, key=scored.get, reverse=True)[:limit]


MAX_KEPT_DATES = 2000


def publication_days(dates: list[dt.datetime], today: dt.date) -> list[dt.date]:
    """Publication days up to today, newest first (feeds and sitemaps may hold future or
    broken dates; those are not publications yet)."""
    return sorted((d.date() for d in dates if d.date() <= today), reverse=True)[:MAX_KEPT_DATES]


def publications_kept(items: list[feeds.FeedItem], today: dt.date,
                      limit: int = MAX_KEPT_DATES) -> list[feeds.FeedItem]:
    """The items to keep from one audit: dated up to today, newest first, at most `limit`
    (a sitemap of a big site lists tens of thousands of pages; the newest matter)."""
    return sorted((item for item in items if item.date.date() <= today),
                  key=lambda item: (item.date, item.key), reverse=True)[:limit]


def publication_stats(dates: list[dt.datetime], today: dt.date
                      ) -> tuple[dt.date | None, int | None]:
    days = publication_days(dates, today)
    if not days:
        return None, None
    return days[0], sum(1 for d in days if (today - d).days < 30)


def publications_between(days: list[dt.date], start: dt.date, end: dt.date) -> int | None:
    """Publications from start to end inclusive; None when the site gives no dates at all."""
    if not days:
        return None
    return sum(1 for d in days if start <= d <= end)


async def collect(url: str, fetcher: Fetcher, *, today: dt.date | None = None,
                  period: tuple[dt.date, dt.date] | None = None,
                  renderer: Renderer | None = None) -> SiteAudit:
    today = today or dt.date.today()
    audit = SiteAudit(url=url, period=period)
    try:
        response = await fetcher.get(url)
    except FetchError as error:
        audit.error = error
        return audit
    audit.final_url, audit.status = response.final_url, response.status
    audit.https, audit.response_time = response.https, response.elapsed
    if response.status >= 400:
        audit.error = FetchError("http_status", f"Сайт ответил ошибкой {response.status}.",
                                 url=url)
        return audit
    html, _ = decode_html(response.content, response.content_type)
    home = parse_page(html, response.final_url)
    audit.metrica_id = counters.metrica_id(html)
    audit.liveinternet = counters.has_liveinternet(html)
    audit.cms = counters.cms(html, home.generator)
    audit.feeds = home.feeds
    audit.script_only = home.looks_script_only()
    rendered = await render_home(renderer, audit, fetcher)
    if rendered is not None:  # the criteria are read on the page as the browser built it
        home = parse_page(rendered.html, response.final_url)
    # inner pages and publication dates at once; the fetcher's per-host limit keeps it polite
    *inner, dates = await asyncio.gather(
        *(_inner_page(url, fetcher) for url in choose_pages(home)),
        _publication_dates(response.final_url, home, fetcher, audit))
    pages = [home, *(page for page in inner if page is not None)]
    audit.pages = [p.url for p in pages]
    audit.criteria = decide_all(pages)
    apply_rendering(audit, rendered)  # the layouts as measured, where a browser ran
    audit.publication_dates = publication_days(dates, today)
    audit.last_publication, audit.publications_30d = publication_stats(dates, today)
    if period:
        audit.publications_in_period = publications_between(audit.publication_dates, *period)
    return audit


async def _inner_page(url: str, fetcher: Fetcher) -> PageFacts | None:
    try:
        page = await fetcher.get(url)
    except FetchError:
        return None  # one unreadable inner page does not stop the audit
    if page.status >= 400 or "html" not in page.content_type.lower():
        return None
    return parse_page(decode_html(page.content, page.content_type)[0], page.final_url)


async def _publication_dates(home_url: str, home: PageFacts, fetcher: Fetcher,
                             audit: SiteAudit) -> list[dt.datetime]:
    """The dates of the site's publications; the items themselves go to the audit
    (`publication_items`, `publication_source`): a feed's if it has dated items, else the
    sitemaps' pages, each page once however many sitemaps list it."""
    for feed in home.feeds[:2]:
        try:
            response = await fetcher.get(feed)
        except FetchError:
            continue
        if response.status == 200 and (items := feeds.feed_items(response.content)):
            audit.publication_items, audit.publication_source = items, "feed"
            return [item.date for item in items]
    sitemaps = [urljoin(home_url, "/sitemap.xml")]
    pages: dict[str, feeds.FeedItem] = {}
    seen = 0
    while sitemaps and seen < 5:
        location = sitemaps.pop(0)
        seen += 1
        try:
            response = await fetcher.get(location, max_bytes=20 * 1024 * 1024)
        except FetchError:
            continue
        if response.status != 200:
            continue
        audit.sitemap = audit.sitemap or location
        found, nested = feeds.sitemap_pages(response.content)
        for page in found:
            pages.setdefault(page.key, page)
        sitemaps.extend(urljoin(location, loc) for loc in nested[:10])
    if pages:
        audit.publication_items, audit.publication_source = list(pages.values()), "sitemap"
    return [page.date for page in pages.values()]


def audit_to_contract(audit: SiteAudit) -> dict:
    """The site part of the `profinfo check --json` contract."""
    return {
        "final_url": audit.final_url or None, "status": audit.status, "https": audit.https,
        # a criterion the audit did not decide (the home page was not read) is null, not false
        "criteria": {code: {"present": audit.criteria.get(code, NOT_CHECKED).present,
                            "evidence": audit.criteria.get(code, NOT_CHECKED).evidence}
                     for code in CRITERIA},
        "counters": {"yandex_metrica": audit.metrica_id, "liveinternet": audit.liveinternet},
        "feeds": audit.feeds, "sitemap": audit.sitemap,
        **({"rendering": audit.rendering.to_contract()} if audit.rendering else {}),
        "last_publication": audit.last_publication.isoformat()
        if audit.last_publication else None,
        "publications_30d": audit.publications_30d,
        **({"period": {"from": audit.period[0].isoformat(), "to": audit.period[1].isoformat(),
                       "publications": audit.publications_in_period}} if audit.period else {}),
    }
