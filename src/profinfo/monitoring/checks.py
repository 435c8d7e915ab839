"""One check of one resource, as the `profinfo check` contract describes it."""

from __future__ import annotations

import asyncio
import datetime as dt

from django.utils import timezone

from profinfo.registry.models import Network
from profinfo.registry.normalize import InvalidUrl, normalize_url

from .collectors import metrica, site, social
from .collectors.ok import OkClient
from .collectors.telegram import TelegramClient
from .collectors.vk import VkClient
from .fetcher import Fetcher, FetchError, FetchSettings, is_lookup_failure
from .rendering import Renderer, renderer_from_settings

KIND_BY_NETWORK = {"vk": "vk", "ok": "ok", "telegram": "telegram"}
# the registry's networks whose pages are checked (the others are kept, not measured)
CHECKED_NETWORKS = (Network.VK, Network.OK, Network.TELEGRAM_CHANNEL, Network.TELEGRAM_GROUP)


class UsageError(ValueError):
    """The URL cannot be checked at all; the message is for the user."""


def kind_of(url: str) -> tuple[str, str]:
    """(kind, URL to fetch) for a typed URL; raises UsageError for what is not a URL."""
    try:
        normalized = normalize_url(url)
    except InvalidUrl as exc:
        raise UsageError(str(exc)) from exc
    return KIND_BY_NETWORK.get(normalized.network, "site"), normalized.url


def handle_of(url: str) -> str:
    """`https://vk.com/club123` → `club123` (the registry keeps social URLs normalized)."""
    return url.split("://", 1)[-1].split("/", 1)[1]


async def collect_social(kind: str, url: str, fetcher: Fetcher, *, today: dt.date,
                         platforms: social.PlatformSettings | None = None) -> social.SocialPage:
    clients = {"vk": VkClient, "ok": OkClient, "telegram": TelegramClient}
    client = clients[kind](fetcher, platforms)
    return await client.page(url, handle_of(url), today)


async def check_social(kind: str, url: str, *, settings: FetchSettings | None = None,
                       platforms: social.PlatformSettings | None = None,
                       today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    async with Fetcher(settings) as fetcher:
        page = await collect_social(kind, url, fetcher, today=today, platforms=platforms)
    return {"url": url, "kind": kind, "ok": page.error is None, "error": _error(page.error),
            "checked_at": timezone.now().isoformat(), **social.figures(page, today)}


async def check_site(url: str, *, typed_scheme: bool, settings: FetchSettings | None = None,
                     period=None, platforms: social.PlatformSettings | None = None,
                     render: str | None = None) -> dict:
    """`render`: a mode of rendering.MODES instead of PROFINFO_RENDER («always» for --render)."""
    platforms = platforms or social.PlatformSettings()
    traffic = None
    async with Fetcher(settings) as fetcher, renderer_from_settings(render) as renderer:
        audit = await site.collect(url, fetcher, period=period, renderer=renderer)
        if (not typed_scheme and audit.error is not None
                and audit.error.code in ("connection", "timeout")
                and not is_lookup_failure(audit.error)):  # the name is the same over http
            audit = await site.collect("http://" + url.split("://", 1)[1], fetcher,
                                       period=period, renderer=renderer)
        if period and audit.metrica_id and platforms.metrica_token:
            start = max(period[0], metrica.FIRST_DAY)
            traffic = await metrica.MetricaClient(fetcher, platforms).traffic(
                audit.metrica_id, start, period[1])
    return {
        "url": url, "kind": "site", "ok": audit.error is None,
        "error": _error(audit.error), "checked_at": timezone.now().isoformat(),
        **site.audit_to_contract(audit),
        "script_only": audit.script_only, "pages": audit.pages, "cms": audit.cms or None,
        "response_time": round(audit.response_time, 3) if audit.response_time else None,
        **({"traffic": traffic_to_contract(traffic)} if traffic else {}),
    }


def traffic_to_contract(traffic: metrica.Traffic) -> dict:
    return {"counter": traffic.counter, "from": traffic.start.isoformat(),
            "to": traffic.end.isoformat(), "visits": traffic.visits,
            "pageviews": traffic.pageviews, "users": traffic.users,
            "sampled": traffic.sampled, "error": _error(traffic.error)}


def _error(error: FetchError | None) -> dict | None:
    if error is None:
        return None
    return {"code": error.code, "message": error.message}


AUDIT_TIME_LIMIT = 90  # seconds for the whole check of one resource


def failed_result(kind: str, url: str, error: FetchError):
    """The result of a check that could not be made: an empty audit or page with its error."""
    result = site.SiteAudit(url=url) if kind == "site" else social.SocialPage(kind, url)
    result.error = FetchError(error.code, error.message, url=url)
    return result


def timed_out(kind: str, url: str):
    what = "сайта" if kind == "site" else "страницы"
    return failed_result(kind, url, FetchError(
        "timeout", f"Проверка {what} заняла слишком много времени и прервана.", url=url))


async def check_resource(kind: str, url: str, fetcher: Fetcher, *, today: dt.date,
                         platforms: social.PlatformSettings | None = None,
                         renderer: Renderer | None = None):
    """One registered site or page within AUDIT_TIME_LIMIT: a SiteAudit or a SocialPage."""
    try:
        async with asyncio.timeout(AUDIT_TIME_LIMIT):
            if kind == "site":
                return await site.collect(url, fetcher, today=today, renderer=renderer)
            return await collect_social(kind, url, fetcher, today=today, platforms=platforms)
    except TimeoutError:
        return timed_out(kind, url)


async def check_traffic(resource, start: dt.date, end: dt.date, fetcher: Fetcher, *,
                        platforms: social.PlatformSettings | None = None) -> metrica.Traffic:
    """Visitors and views of a registered site for a period, within AUDIT_TIME_LIMIT."""
    try:
        async with asyncio.timeout(AUDIT_TIME_LIMIT):
            return await metrica.MetricaClient(fetcher, platforms).traffic(
                resource.metrica_id, start, end)
    except TimeoutError:
        return metrica.Traffic(resource.metrica_id, start, end, error=FetchError(
            "timeout", "Яндекс.Метрика отвечала слишком долго: запрос прерван."))
