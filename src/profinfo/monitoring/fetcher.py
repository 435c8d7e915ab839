"""The one place that talks to the network. Every collector fetches through a Fetcher.

It owns what makes fetching safe and polite: connect/read/total timeouts, a size cap read as
a stream (so a gzip bomb stops at the cap), bounded redirects followed by hand, retries with
backoff for transient failures only, per-host politeness, robots.txt (protego), a clear
User-Agent, and the SSRF guard: every host is resolved first, every address is checked, and
the connection is pinned to the checked address (so DNS cannot change its answer between
the check and the connection), again at every redirect. Failures are FetchError with one of
the codes of the `profinfo check` contract and a Russian message.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from protego import Protego

MESSAGES = {
    "timeout": "Сайт не ответил вовремя.",
    "dns": "Такого адреса нет: имя сайта не найдено (DNS).",
    "connection": "Не удалось соединиться с сайтом или соединение оборвалось.",
    "http_status": "Сайт ответил ошибкой.",
    "too_large": "Страница слишком большая: проверка прервана.",
    "private_address": "Адрес ведёт во внутреннюю сеть: такие адреса не проверяются.",
    "robots": "Владелец сайта запретил автоматический обход этой страницы (robots.txt).",
    "parse": "Ответ сайта не удалось разобрать.",
    "not_found": "Страница не найдена: проверьте адрес.",
    "private": "Страница закрыта: её содержимое недоступно без входа.",
    "rate_limited": "Сервис ограничил частоту запросов: проверка будет повторена позже.",
    "auth": "Сервис не принял ключ доступа.",
}
NO_RESOLVER = ("Нет связи: адрес сайта не удалось узнать, служба имён (DNS) не отвечает. "
               "Проверьте подключение к интернету.")
# What a person reads in a list of failures instead of the code (the message says more).
LABELS = {
    "timeout": "нет ответа вовремя",
    "dns": "адрес не найден",
    "connection": "нет соединения",
    "http_status": "сайт ответил ошибкой",
    "too_large": "слишком большая страница",
    "private_address": "внутренний адрес",
    "robots": "обход запрещён владельцем",
    "parse": "ответ не удалось разобрать",
    "not_found": "страница не найдена",
    "private": "страница закрыта",
    "rate_limited": "ограничение частоты запросов",
    "auth": "ключ доступа не принят",
}


def error_label(code: str) -> str:
    """The failure's kind in Russian; an unknown code is named as such, never shown bare."""
    return LABELS.get(code, f"другая ошибка ({code})" if code else "ошибка")


RETRY_STATUSES = {429, 502, 503, 504}
# getaddrinfo's answers that say the name has no address: the resolver worked and said no
# (any other error — EAI_AGAIN, EAI_FAIL, EAI_SYSTEM — is a resolver that could not be asked)
NAME_NOT_FOUND = {getattr(socket, name) for name in ("EAI_NONAME", "EAI_NODATA",
                                                      "EAI_ADDRFAMILY") if hasattr(socket, name)}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
DEFAULT_USER_AGENT = (
    "ProfInfo/0.1 (monitoring of trade union information resources; "
    "+https://rosprofprom.ru/)"
)


class FetchError(Exception):
    def __init__(self, code: str, message: str = "", *, url: str = "",
                 retryable: bool = False):
        self.code = code
        self.message = message or MESSAGES.get(code, "Ошибка при загрузке.")
        self.url = url
        self.retryable = retryable  # a transient failure: worth another try
        super().__init__(f"{code}: {self.message} ({url})")


def _private_allowed() -> bool:
    from django.conf import settings

    return settings.PROFINFO_ALLOW_PRIVATE_ADDRESSES


@dataclass(frozen=True)
class FetchSettings:
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 0.5
    max_retry_after: float = 10.0
    concurrency: int = 50
    per_host_concurrency: int = 2
    per_host_interval: float = 0.0
    user_agent: str = DEFAULT_USER_AGENT
    respect_robots: bool = True
    allow_private: bool = field(
        default_factory=_private_allowed)
    allowed_networks: tuple[str, ...] = ()  # exceptions to the guard, e.g. a test server
    # names that always exist: when the resolver says a site's name does not, it is asked
    # (once per fetcher) about these too; if it knows none of them, it is the network that
    # is missing, not the site (a resolver without upstream answers «no such name» to all)
    resolver_probe: tuple[str, ...] = ("ya.ru", "fnpr.ru")


@dataclass
class Response:
    url: str
    final_url: str
    status: int
    headers: httpx.Headers
    content: bytes
    elapsed: float
    redirects: list[str] = field(default_factory=list)

    @property
    def https(self) -> bool:
        return self.final_url.startswith("https://")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


# Ranges Python's ipaddress still calls global that lead inside a network or tunnel to an
# address inside one (6to4 and NAT64 embed an IPv4 address: 2002:7f00:1:: is 127.0.0.1).
NEVER_FETCHED = tuple(ipaddress.ip_network(n) for n in (
    "192.0.0.0/24",  # IETF protocol assignments
    "192.88.99.0/24",  # 6to4 relay anycast
    "2002::/16",  # 6to4
    "2001::/32",  # Teredo
    "64:ff9b::/96", "64:ff9b:1::/48",  # NAT64
    "::/96",  # IPv4-compatible IPv6
    "fec0::/10",  # site-local
    "100::/64",  # discard-only
))


class AddressGuard:
    """Refuses loopback, private, link-local (cloud metadata), multicast, reserved and
    tunnelling addresses, unless the settings allow them."""

    def __init__(self, settings: FetchSettings):
        self.allow_all = settings.allow_private
        self.allowed = [ipaddress.ip_network(n, strict=False) for n in settings.allowed_networks]

    def permits(self, address: str) -> bool:
        ip = ipaddress.ip_address(address)
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if self.allow_all or any(ip in network for network in self.allowed):
            return True
        if any(ip in network for network in NEVER_FETCHED if network.version == ip.version):
            return False
        return ip.is_global and not (ip.is_multicast or ip.is_reserved)


class Fetcher:
    def __init__(self, settings: FetchSettings | None = None, *,
                 transport: httpx.AsyncBaseTransport | None = None):
        self.settings = settings or FetchSettings()
        self.guard = AddressGuard(self.settings)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._global = asyncio.Semaphore(self.settings.concurrency)
        self._per_host: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.settings.per_host_concurrency))
        self._last_start: dict[str, float] = {}
        self._next_turn: dict[str, float] = {}  # API rate limits, by key (a token's hash)
        self._robots: dict[str, Protego | FetchError | None] = {}
        self._robots_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._resolver_answers: bool | None = None  # whether the probe names resolve
        self._resolver_lock = asyncio.Lock()

    async def __aenter__(self) -> Fetcher:
        s = self.settings
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            follow_redirects=False, trust_env=False, transport=self._transport,
            headers={"User-Agent": s.user_agent, "Accept-Language": "ru,en;q=0.5"},
            limits=httpx.Limits(max_connections=s.concurrency, max_keepalive_connections=20),
        )
        return self

    async def __aexit__(self, *exc) -> None:
        if self._client is not None:
            await self._client.aclose()

    # --- public ---------------------------------------------------------------------------
    async def get(self, url: str, *, robots: bool | None = None,
                  max_bytes: int | None = None, headers: dict | None = None) -> Response:
        """GET a URL, following redirects; any HTTP status is returned, failures raise."""
        check_robots = self.settings.respect_robots if robots is None else robots
        return await self._bounded(self._follow(url, check_robots, max_bytes, headers or {}),
                                   url)

    async def _bounded(self, work, url: str):
        """Any request, redirects and retries included, within the total time bound."""
        try:
            async with asyncio.timeout(self.settings.total_timeout):
                return await work
        except TimeoutError as exc:
            raise FetchError("timeout", url=url) from exc

    async def get_json(self, url: str, *, params: dict | None = None,
                       headers: dict | None = None, form: dict | None = None
                       ) -> tuple[Response, object]:
        """An API call: no robots.txt (APIs are meant for programs), the body as JSON.
        With `form`, the call is a POST of those fields (long VK `execute` code)."""
        if params:
            url = str(httpx.URL(url, params=params))
        if form is None:
            response = await self.get(url, robots=False, headers=headers)
        else:
            response = await self._bounded(self._with_retries(url, None, headers or {}, form),
                                           url)
        try:
            return response, json.loads(response.content)
        except ValueError as exc:
            if response.status >= 400:  # an error page: the status tells what happened
                return response, None
            raise FetchError("parse", "Сервис ответил не в формате JSON.", url=url) from exc

    async def api_call(self, url: str, *, form: dict | None = None,
                       headers: dict | None = None, turn: tuple[str, float] | None = None,
                       busy: Callable[[object], bool] | None = None, busy_retries: int = 3,
                       busy_delay: float = 1.0) -> tuple[Response, object]:
        """An API call that waits its turn under the API's rate (`turn`: a key such as a
        token's hash, and calls per second, shared by every client of this fetcher) and,
        while the API answers that it is busy (`busy(payload)`), tries again with
        exponential backoff. The last answer is returned whatever it says."""
        for attempt in range(busy_retries + 1):
            if turn is not None:
                await self._take_turn(*turn)
            response, payload = await self.get_json(url, form=form, headers=headers)
            if busy is None or not busy(payload) or attempt == busy_retries:
                return response, payload
            await asyncio.sleep(busy_delay * 2 ** attempt)
        raise AssertionError("unreachable")

    async def _take_turn(self, key: str, per_second: float) -> None:
        interval = 1.0 / max(per_second, 0.1)
        now = time.monotonic()
        wait = self._next_turn.get(key, 0.0) - now
        self._next_turn[key] = max(now, self._next_turn.get(key, 0.0)) + interval
        if wait > 0:
            await asyncio.sleep(wait)

    # --- redirects, retries ---------------------------------------------------------------
    async def _follow(self, url: str, check_robots: bool, max_bytes, headers) -> Response:
        started = time.monotonic()
        redirects: list[str] = []
        current = url
        while True:
            if check_robots:
                await self._check_robots(current)
            response = await self._with_retries(current, max_bytes, headers)
            if response.status in REDIRECT_STATUSES and "location" in response.headers:
                if len(redirects) >= self.settings.max_redirects:
                    raise FetchError("http_status", "Слишком много перенаправлений: сайт "
                                     "перенаправляет по кругу.", url=url)
                redirects.append(current)
                current = urljoin(current, response.headers["location"])
                continue
            response.url, response.redirects = url, redirects
            response.elapsed = time.monotonic() - started
            return response

    async def _with_retries(self, url: str, max_bytes, headers, form=None) -> Response:
        attempt = 0
        while True:
            try:
                response = await self._once(url, max_bytes, headers, form)
            except FetchError as error:
                if not error.retryable or attempt >= self.settings.retries:
                    raise
                delay = self.settings.backoff * 2 ** attempt
            else:
                if response.status not in RETRY_STATUSES or attempt >= self.settings.retries:
                    return response
                delay = self._retry_after(response) or self.settings.backoff * 2 ** attempt
            attempt += 1
            await asyncio.sleep(delay)

    def _retry_after(self, response: Response) -> float | None:
        value = response.headers.get("retry-after", "")
        if value.isdigit():
            return min(float(value), self.settings.max_retry_after)
        return None

    # --- one request ------------------------------------------------------------------------
    async def _once(self, url: str, max_bytes, headers, form=None) -> Response:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("connection", "Адрес должен начинаться с http:// или https://.",
                             url=url)
        host = parts.hostname
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = await self._resolve(host, port, url)
        pinned = _pinned_url(parts, address)
        request_headers = {"Host": parts.netloc.rsplit("@", 1)[-1], **headers}
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        limit = max_bytes or self.settings.max_bytes
        async with self._global, self._per_host[host]:
            await self._polite_pause(host)
            assert self._client is not None, "use `async with Fetcher()`"
            try:
                request = self._client.build_request(
                    "GET" if form is None else "POST", pinned, headers=request_headers,
                    extensions=extensions, data=form)
                response = await self._client.send(request, stream=True)
                try:
                    content = await _read_capped(response, limit, url)
                finally:
                    await response.aclose()
            except httpx.ReadTimeout as exc:
                # the server took the request and stays silent: asking again rarely helps
                # and would spend the whole time bound on one page
                raise FetchError("timeout", url=url) from exc
            except httpx.TimeoutException as exc:  # connect or pool: transient
                raise FetchError("timeout", url=url, retryable=True) from exc
            except httpx.DecodingError as exc:
                raise FetchError("connection", "Сайт прислал повреждённые сжатые данные.",
                                 url=url) from exc
            except (httpx.TransportError, OSError) as exc:
                raise FetchError("connection", url=url, retryable=True) from exc
        return Response(url=url, final_url=url, status=response.status_code,
                        headers=response.headers, content=content, elapsed=0.0)

    async def _resolve(self, host: str, port: int, url: str) -> str:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM)
        except UnicodeError as exc:  # not a name at all (an empty label, a bad IDN)
            raise FetchError("dns", url=url) from exc
        except socket.gaierror as exc:
            raise await self._lookup_failure(exc, url) from exc
        addresses = [info[4][0] for info in infos]
        if not addresses:
            raise FetchError("dns", url=url)
        if not all(self.guard.permits(a) for a in addresses):
            raise FetchError("private_address", url=url)
        return addresses[0]

    async def _lookup_failure(self, error: socket.gaierror, url: str) -> FetchError:
        """«Такого адреса нет» only when the resolver answered that the name does not exist
        and knows names that do; a resolver that cannot be reached (no network, EAI_AGAIN,
        EAI_FAIL) is «нет связи», a `connection` failure."""
        if error.errno in NAME_NOT_FOUND and await self._resolver_works():
            return FetchError("dns", url=url)
        return FetchError("connection", NO_RESOLVER, url=url,
                          retryable=error.errno == socket.EAI_AGAIN)

    async def _resolver_works(self) -> bool:
        probe = self.settings.resolver_probe
        if not probe:
            return True
        async with self._resolver_lock:
            if self._resolver_answers is None:
                loop = asyncio.get_running_loop()
                answers = await asyncio.gather(
                    *(loop.getaddrinfo(name, 443, type=socket.SOCK_STREAM) for name in probe),
                    return_exceptions=True)
                self._resolver_answers = any(not isinstance(a, BaseException) for a in answers)
            return self._resolver_answers

    async def _polite_pause(self, host: str) -> None:
        interval = self.settings.per_host_interval
        if interval <= 0:
            return
        now = time.monotonic()
        wait = self._last_start.get(host, 0.0) + interval - now
        self._last_start[host] = now + max(wait, 0.0)
        if wait > 0:
            await asyncio.sleep(wait)

    # --- robots.txt -------------------------------------------------------------------------
    async def probe(self, url: str) -> None:
        """Read a site's robots.txt ahead of its check. A run probes the sites it will check
        next, so that a site that never answers is found early instead of holding the end
        of the run; the answer (or the failure) is kept for the check itself."""
        try:
            async with asyncio.timeout(self.settings.total_timeout):
                await self._robots_for(url)
        except (FetchError, TimeoutError):
            pass

    async def _check_robots(self, url: str) -> None:
        rules = await self._robots_for(url)
        if rules is not None and not rules.can_fetch(url, self.settings.user_agent):
            raise FetchError("robots", url=url)

    async def _robots_for(self, url: str) -> Protego | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        async with self._robots_locks[origin]:
            if origin not in self._robots:
                try:
                    self._robots[origin] = await self._load_robots(origin)
                except FetchError as error:
                    self._robots[origin] = error  # a silent site is not asked twice
        rules = self._robots[origin]
        if isinstance(rules, FetchError):
            raise FetchError(rules.code, rules.message, url=url) from rules.__cause__
        return rules

    async def _load_robots(self, origin: str) -> Protego | None:
        """No robots.txt, or one that cannot be read, allows everything; but a site that
        does not answer at all is reported as such at once, not asked a second time."""
        try:
            response = await self._follow(origin + "/robots.txt", False, 512 * 1024, {})
        except FetchError as error:
            if error.code in ("private_address", "timeout", "dns") or is_lookup_failure(error):
                raise
            return None
        if response.status != 200:
            return None
        try:
            return Protego.parse(response.content.decode("utf-8", errors="replace"))
        except Exception:  # a broken robots.txt is treated as none
            return None


def is_lookup_failure(error: FetchError) -> bool:
    """The site's name could not be looked up (no network or no resolver): asking again at
    another address of the same site, or for its robots.txt, cannot help."""
    return isinstance(error.__cause__, socket.gaierror)


async def _read_capped(response: httpx.Response, limit: int, url: str) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError("too_large", url=url)
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():  # decoded: the cap applies after gunzip
        size += len(chunk)
        if size > limit:
            raise FetchError("too_large", url=url)
        chunks.append(chunk)
    return b"".join(chunks)


def _pinned_url(parts, address: str) -> str:
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
