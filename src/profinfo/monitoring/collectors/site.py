"""The site audit: the home page and up to 24 pages its navigation leads to.

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

MAX_PAGES = 25  # the home page and the pages its navigation leads to
NEWS_PAGES = 3  # news items read besides: share buttons often live only there
CRAWL_SECONDS = 30.0  # for the inner pages of one site, all together
INNER_PAGE_BYTES = 1024 * 1024  # a larger inner page is not parsed (judged as a document)
PAGE_WORDS = [  # what the criteria need, in the link's words or its address
    (3, r"руководств|президиум|пленум|профком|комитет|выборн|коллегиальн|состав|команд|"
        r"кто есть кто|правлени|совет|аппарат"),
    (3, r"постановлени|решени|документ|нормативн"),
    (3, r"организаци|первичн|членск|структур|территориальн|отраслев|где мы|ппо\b"),
    (3, r"в помощь|профактив|актив|методическ|библиотек|памятк|рекомендаци|школ"),
    (3, r"вопрос|обращени|приемн|обратная связь|напишите|консультаци|faq"),
    (1, r"о нас|об организации|о профсоюзе|контакт|новост"),
]
PATH_WORDS = re.compile(r"organiz|struktur|ppo|chlen|pervich|rukovod|prezidium|plenum|profkom|"
                        r"komitet|sostav|komand|team|docs|dokument|postanov|reshen|profaktiv|"
                        r"aktiv|metod|vopros|question|faq|obrash|appeal|feedback|priem|kontakt|"
                        r"contact|about|o-nas", re.I)
NEWS_PATH = re.compile(r"/(?:news|novosti|novost|article|articles|press|blog|events|n)/.+|"
                       r"/\d{4}/\d{2}/|[?&](?:id|news_id|ELEMENT_ID)=\d+|/news/?\d+", re.I)
SKIP = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z|rtf|odt|jpe?g|png|gif|webp|svg|mp4|"
                  r"mp3|avi|css|js|xml|rss)$", re.I)


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


def link_weight(text: str, address: str) -> float:
    """How much a link looks like a page the criteria need, by its words and its address."""
    words = text.casefold().replace("ё", "е")
    weight = sum(w for w, pattern in PAGE_WORDS if re.search(pattern, words))
    return weight + (1 if PATH_WORDS.search(urlsplit(address).path) else 0)


def _candidates(page: PageFacts, home_url: str, seen: set[str]):
    for position, link in enumerate(page.links):
        url = link.url.split("#", 1)[0]
        if link.goes_nowhere or not url.startswith(("http://", "https://")):
            continue
        if not same_site(url, home_url) or SKIP.search(urlsplit(url).path):
            continue
        if url.rstrip("/") in seen:
            continue
        yield position, link, url


def choose_pages(home: PageFacts, limit: int = MAX_PAGES - 1,
                 news: int = NEWS_PAGES) -> list[str]:
    """The pages to read after the home page, best first: those the menu, header and footer
    lead to and those whose words or address look like a criterion's page; then a few news
    items; then every other page the home page links to (a table layout has no menu to
    tell), while the budget lasts. What a page holds is judged after reading it."""
    seen = {home.url.rstrip("/")}
    scored: dict[str, float] = {}
    news_items: list[str] = []
    for position, link, url in _candidates(home, home.url, seen):
        weight = link_weight(link.text, url) + (2 if link.in_menu else 0)
        if not weight and NEWS_PATH.search(url):
            if url not in news_items:
                news_items.append(url)
            continue
        scored[url] = max(scored.get(url, -1.0), weight - position / 10_000)
    ranked = sorted(scored, key=scored.get, reverse=True)
    wanted = [url for url in ranked if scored[url] > 0]
    others = [url for url in ranked if scored[url] <= 0]
    news_items = [url for url in news_items if url not in scored][:news]
    chosen = wanted[:limit - len(news_items)] + news_items
    return chosen + others[:limit - len(chosen)]


def choose_deeper(pages: list[PageFacts], home_url: str, seen: set[str],
                  limit: int) -> list[str]:
    """A second step from the inner pages: links whose words or address look like a
    criterion's page (a «Документы» page leading to «Постановления президиума»)."""
    scored: dict[str, float] = {}
    for page in pages:
        for position, link, url in _candidates(page, home_url, seen):
            if weight := link_weight(link.text, url):
                scored[url] = max(scored.get(url, 0), weight - position / 10_000)
    return sorted(scored, key=scored.get, reverse=True)[:max(0, limit)]


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
    crawl, dates = await asyncio.gather(_read_site(home, fetcher),
                                        _publication_dates(response.final_url, home, fetcher,
                                                           audit))
    pages, failed, aliases = crawl
    audit.pages = [p.url for p in pages]
    audit.criteria = decide_all(pages, failed=failed, aliases=aliases)
    apply_rendering(audit, rendered)  # the layouts as measured, where a browser ran
    audit.publication_dates = publication_days(dates, today)
    audit.last_publication, audit.publications_30d = publication_stats(dates, today)
    if period:
        audit.publications_in_period = publications_between(audit.publication_dates, *period)
    return audit


async def _read_site(home: PageFacts, fetcher: Fetcher
                     ) -> tuple[list[PageFacts], set[str], dict[str, str]]:
    """The home page and what its navigation leads to, within MAX_PAGES and CRAWL_SECONDS:
    (pages read, addresses that failed, asked address → where it led)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + CRAWL_SECONDS
    pages, failed, aliases = [home], set(), {}
    seen = {home.url.rstrip("/")}
    batch = choose_pages(home)
    while batch and loop.time() < deadline:
        seen.update(url.rstrip("/") for url in batch)
        read = await _read_pages(batch, fetcher, deadline - loop.time())
        new_pages = []
        for url, page in read.items():
            if page is None:
                failed.add(url)
            else:
                new_pages.append(page)
                aliases[url] = page.url
        pages.extend(new_pages)
        # a second step only while the budget lasts (a home page with fewer links than it)
        batch = choose_deeper(new_pages, home.url, seen, MAX_PAGES - len(seen))
    return pages, failed, aliases


async def _read_pages(urls: list[str], fetcher: Fetcher, seconds: float
                      ) -> dict[str, PageFacts | None]:
    tasks = {asyncio.ensure_future(_inner_page(url, fetcher)): url for url in urls}
    done, pending = await asyncio.wait(tasks, timeout=max(0.0, seconds))
    for task in pending:  # out of time: what was not read is not judged
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return {tasks[task]: task.result() for task in done if not task.exception()}


async def _inner_page(url: str, fetcher: Fetcher) -> PageFacts | None:
    """An inner page; None when it cannot be read or answers an error (a label leading to
    it is a label with nothing behind it). A document is not a page to parse."""
    try:
        page = await fetcher.get(url, max_bytes=INNER_PAGE_BYTES)
    except FetchError as error:
        if error.code == "too_large":  # not parsed, but there is plenty behind the link
            return PageFacts(url=url, is_document=True)
        return None  # one unreadable inner page does not stop the audit
    if page.status >= 400 or not same_site(page.final_url, url):
        return None  # an error, or a redirect to another site: not this site's page
    if "html" not in page.content_type.lower():
        return PageFacts(url=page.final_url, is_document=True)
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
