"""Rendering a site's home page in Chromium (Playwright), for the pages that need a browser.

Optional (`pip install 'profinfo[render]'` and Debian's `chromium`; browsers are never
downloaded). One browser per run, started on the first page that needs it, a few pages at
a time (a semaphore). The browser never touches the network itself: every request it makes
is answered through the run's Fetcher (the SSRF guard with its address pinning, size cap,
robots.txt, timeouts), and only for the checked site's own host; every other request is
refused, and a proxy that answers nothing catches what interception does not see
(WebSockets, prefetches). What comes out is plain data: the rendered HTML and each
screen's measurements (collectors/layout.py judges them).

Modes (`PROFINFO_RENDER`): `auto` renders only pages built by scripts, `always` every
site, `never` none.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .collectors.html import same_site
from .collectors.layout import DESKTOP, PHONE, Measurement, judge_layouts
from .collectors.site_criteria import Finding
from .fetcher import Fetcher, FetchError

MODES = ("auto", "always", "never")
DEFAULT_CHROMIUM = "/usr/bin/chromium"
NO_BROWSER = "не найден браузер Chromium (установите пакет chromium и profinfo[render])"
MESSAGES = {  # reason → the sentence after «рендеринг: не выполнен — »
    "no_browser": NO_BROWSER,
    "off": "отключён настройкой PROFINFO_RENDER=never",
    "not_needed": "страница не строится скриптом (вёрстку в браузере проверит --render или "
                  "PROFINFO_RENDER=always)",
    "launch": "не удалось запустить браузер Chromium",
    "timeout": "страница не отрисовалась вовремя",
    "failed": "браузер не смог открыть страницу",
}
DONE = "рендеринг: выполнен в Chromium (экраны 1366×900 и 390×844)"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-sync", "--disable-extensions",
               "--disable-features=Translate,MediaRouter,OptimizationHints",
               "--host-resolver-rules=MAP * ~NOTFOUND",  # no name is ever resolved by it
               "--force-webrtc-ip-handling-policy=disable_non_proxied_udp"]
# WebRTC sends UDP (STUN/TURN) past the route handler and the proxy: a page could probe any
# address with it. Page scripts never see it.
NO_WEBRTC = """for (const name of ['RTCPeerConnection', 'webkitRTCPeerConnection', 'RTCDataChannel',
    'RTCRtpSender', 'RTCRtpReceiver', 'RTCIceCandidate', 'RTCSessionDescription',
    'RTCIceTransport', 'RTCDtlsTransport', 'RTCSctpTransport']) {
  try { Object.defineProperty(window, name, {value: undefined, writable: false,
                                             configurable: false}); } catch (e) {}
}"""
MAX_REQUESTS = 150  # per rendering of one page at both screens
SETTLE = 2.0  # seconds at most, after `load`, for scripts to build the page
QUIET = 0.15  # seconds with no request in flight: the page is built
NOT_LOADED = {"image", "media", "font"}  # the layout is measured on text and boxes
UNZOOMED_WIDTH = 980  # a phone lays a page without a viewport tag out this wide, then shrinks it
# Whether the page asks a phone to lay it out at the phone's own width (as a phone reads it).
FITS_DEVICE = """() => {
  const tag = document.querySelector('meta[name=viewport]');
  return !!tag && /width\\s*=|initial-scale/i.test(tag.content || '');
}"""
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"

# What a person sees, measured in the page (see collectors/layout.py for the meaning).
MEASURE = """(scale) => {
  const doc = document.documentElement, body = document.body || doc;
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
  let text = 0, small = 0;
  const lefts = [], rights = [];
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const chars = node.textContent.replace(/\\s+/g, '').length;
    const el = node.parentElement;
    if (!chars || !el || skip.has(el.tagName)) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || parseFloat(style.opacity) === 0) continue;
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    if (rect.width < 1 || rect.height < 1) continue;
    text += chars;
    if (parseFloat(style.fontSize) * scale < 12) small += chars;
    lefts.push([rect.left + window.scrollX, chars]);
    rights.push([rect.right + window.scrollX, chars]);
  }
  const percentile = (items, share) => {
    items.sort((a, b) => a[0] - b[0]);
    let seen = 0;
    for (const [value, weight] of items) { seen += weight; if (seen >= text * share) return value; }
    return items.length ? items[items.length - 1][0] : 0;
  };
  let targets = 0, smallTargets = 0;
  const selector = 'a[href], button, input[type=submit], input[type=button], [role=button], select';
  for (const el of document.querySelectorAll(selector)) {
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (rect.width < 1 || rect.height < 1 || style.visibility === 'hidden') continue;
    const words = (node) => node && node.nodeType === 3 && node.textContent.trim().length > 2;
    if (el.tagName === 'A' && style.display === 'inline' &&
        (words(el.previousSibling) || words(el.nextSibling))) continue;  // in a sentence
    targets += 1;
    if (rect.width * scale < 24 || rect.height * scale < 24) smallTargets += 1;
  }
  return {
    page_width: Math.max(doc.scrollWidth, body.scrollWidth, window.innerWidth),
    scale: scale, text_chars: text, small_text_chars: small,
    content_width: Math.round(percentile(rights, 0.9) - percentile(lefts, 0.1)),
    targets: targets, small_targets: smallTargets,
  };
}"""


@dataclass
class RenderNote:
    """Whether the home page was rendered, and if not, why (a sentence for a person)."""

    done: bool
    reason: str | None = None  # a key of MESSAGES

    @property
    def message(self) -> str:
        return DONE if self.done else f"рендеринг: не выполнен — {MESSAGES[self.reason]}"

    def to_contract(self) -> dict:
        return {"done": self.done, "reason": self.reason, "message": self.message}


@dataclass
class Rendering:
    url: str
    html: str = ""  # the DOM after scripts ran, at the computer's screen
    measurements: dict[str, Measurement] = field(default_factory=dict)
    refused: int = 0  # requests to other hosts (or beyond the bounds) not answered
    error: str | None = None  # a reason of MESSAGES when the page could not be rendered


def chromium_path() -> str | None:
    """The browser to drive: PROFINFO_CHROMIUM or Debian's, if it is there along with
    Playwright (the `render` extra); None otherwise."""
    from django.conf import settings

    path = getattr(settings, "PROFINFO_CHROMIUM", "") or DEFAULT_CHROMIUM
    if not os.access(path, os.X_OK) or importlib.util.find_spec("playwright") is None:
        return None
    return path


class Renderer:
    """One browser for a run (or a check), pooled: `pages` tabs, each rendering one page
    at a time and reused from site to site (a tab is closed after a failure)."""

    def __init__(self, mode: str = "auto", *, executable: str | None = None, pages: int = 4,
                 timeout: float = 30.0):
        if mode not in MODES:
            raise ValueError(f"PROFINFO_RENDER: {mode!r}, ожидается одно из {MODES}")
        self.mode = mode
        self.executable = executable if executable is not None else (
            chromium_path() if mode != "never" else None)
        self.timeout = timeout
        self._pages = pages
        self._opened = 0  # tabs open, free or busy
        self._free: asyncio.Queue[_Tab] = asyncio.Queue()
        self._lock = asyncio.Lock()
        self._playwright = None
        self._browser = None
        self._sink: asyncio.AbstractServer | None = None
        self._broken = False
        self.launches = 0  # browsers started: one per run at most

    async def __aenter__(self) -> Renderer:
        return self

    async def __aexit__(self, *exc) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()
        if self._sink is not None:
            self._sink.close()

    # --- what to do ---------------------------------------------------------------------
    def refusal(self, script_only: bool) -> str | None:
        """Why this page is not rendered (a key of MESSAGES), or None to render it."""
        if self.mode == "never":
            return "off"
        if not self.executable:
            return "no_browser"
        if self._broken:
            return "launch"
        if self.mode == "auto" and not script_only:
            return "not_needed"
        return None

    # --- rendering ----------------------------------------------------------------------
    async def render(self, url: str, fetcher: Fetcher) -> Rendering:
        """The page on a computer's screen (its DOM is kept), then on a phone's."""
        result = Rendering(url)
        try:
            tab = await self._take()
        except Exception:  # noqa: BLE001 - no browser: the audit goes on without one
            result.error = "launch"
            return result
        tab.traffic = _Traffic(url, fetcher, result)
        healthy = False
        try:
            async with asyncio.timeout(self.timeout):
                await self._measure(tab.page, tab.traffic)
                healthy = True
        except TimeoutError:
            result.error = "timeout"
        except Exception:  # noqa: BLE001 - a page that breaks the browser breaks no run
            result.error = "failed"
        finally:
            tab.traffic.close()
            tab.traffic = None
            await self._give_back(tab, healthy)
        if result.error:
            result.html, result.measurements = "", {}
        return result

    async def _measure(self, page, traffic: _Traffic) -> None:
        result = traffic.result
        name, width, height = DESKTOP
        await page.set_viewport_size({"width": width, "height": height})
        response = await page.goto(traffic.site, wait_until="load",
                                    timeout=self.timeout * 1000)
        if response is None or not response.ok:
            raise RuntimeError("the page did not load")
        await traffic.settle()
        result.measurements[name] = Measurement(name, width, height,
                                                **await page.evaluate(MEASURE, 1))
        result.html = await page.content()
        # the phone: the same page, laid out as a phone lays it out (at its own width when
        # the page asks for it, else at 980 px and shrunk onto the screen)
        name, width, height = PHONE
        layout = width if await page.evaluate(FITS_DEVICE) else UNZOOMED_WIDTH
        await page.set_viewport_size({"width": layout, "height": height})
        await page.evaluate(NEXT_FRAME)
        await traffic.settle()
        figures = await page.evaluate(MEASURE, width / layout)
        figures["page_width"] = max(figures["page_width"], layout)
        result.measurements[name] = Measurement(name, width, height,
                                                **{**figures, "scale": width / layout})

    # --- the pool -----------------------------------------------------------------------
    async def _take(self) -> _Tab:
        browser = await self._started()
        if self._free.empty() and self._opened < self._pages:
            self._opened += 1
            try:
                return await _Tab.open(browser)
            except Exception:
                self._opened -= 1
                raise
        return await self._free.get()

    async def _give_back(self, tab: _Tab, healthy: bool) -> None:
        """A tab that rendered is kept for the next page (while it waits, whatever its page
        asks for is refused); one that failed is closed."""
        if healthy:
            self._free.put_nowait(tab)
            return
        self._opened -= 1
        try:
            await asyncio.wait_for(tab.context.close(), 5)
        except Exception:  # noqa: BLE001 - a broken tab is let go of whatever it says
            pass

    async def _started(self):
        async with self._lock:
            if self._browser is None:
                if self._broken:
                    raise RuntimeError("Chromium did not start")
                try:
                    from playwright.async_api import async_playwright

                    self._sink = await asyncio.start_server(_hang_up, "127.0.0.1", 0)
                    port = self._sink.sockets[0].getsockname()[1]
                    self._playwright = await async_playwright().start()
                    self.launches += 1
                    self._browser = await self._playwright.chromium.launch(
                        executable_path=self.executable, args=[
                            *LAUNCH_ARGS, f"--proxy-server=http://127.0.0.1:{port}",
                            "--proxy-bypass-list=<-loopback>"])
                except Exception:
                    self._broken = True
                    raise
            return self._browser


class _Tab:
    """A browser tab of the pool: its own context (cookies, storage) and a route handler
    that hands every request to the page being rendered in it, if any."""

    def __init__(self, context, page):
        self.context, self.page = context, page
        self.traffic: _Traffic | None = None

    @classmethod
    async def open(cls, browser) -> _Tab:
        context = await browser.new_context(
            viewport={"width": DESKTOP[1], "height": DESKTOP[2]}, service_workers="block",
            accept_downloads=False, locale="ru-RU")
        tab = cls(context, None)
        await context.add_init_script(NO_WEBRTC)  # in every frame, before the page's scripts
        await context.route("**/*", tab.answer)
        tab.page = await context.new_page()
        return tab

    async def answer(self, route) -> None:
        if self.traffic is None:  # between pages: nothing is fetched
            await _quietly(route.abort("blockedbyclient"))
            return
        await self.traffic.answer(route)


class _Traffic:
    """The browser's requests for one page: the site's own GETs answered through the
    Fetcher, each address once for both screens; anything else refused."""

    def __init__(self, site: str, fetcher: Fetcher, result: Rendering):
        self.site, self.fetcher, self.result = site, fetcher, result
        self.answers: dict[str, asyncio.Future] = {}
        self.in_flight = 0
        self.last = 0.0  # when a request was last answered

    async def answer(self, route) -> None:
        request = route.request
        url = request.url.split("#", 1)[0]
        if (request.method != "GET" or request.resource_type in NOT_LOADED
                or urlsplit(url).scheme not in ("http", "https")
                or not same_site(url, self.site) or not _same_port(url, self.site)
                or (url not in self.answers and len(self.answers) >= MAX_REQUESTS)):
            self.result.refused += 1
            await _quietly(route.abort("blockedbyclient"))
            return
        self.in_flight += 1
        try:
            if url not in self.answers:
                self.answers[url] = asyncio.ensure_future(_fetch(url, self.site, self.fetcher))
            answer = await asyncio.shield(self.answers[url])
        finally:
            self.in_flight -= 1
            self.last = asyncio.get_running_loop().time()
        if answer is None:
            await _quietly(route.abort("failed"))
            return
        status, content_type, body = answer
        await _quietly(route.fulfill(status=status, body=body, headers={
            "content-type": content_type} if content_type else {}))

    async def settle(self) -> None:
        """After `load`: until no request has been in flight for QUIET seconds (the
        scripts have built the page), at most SETTLE seconds."""
        loop = asyncio.get_running_loop()
        end = loop.time() + SETTLE
        while loop.time() < end:
            if not self.in_flight and loop.time() - self.last >= QUIET:
                return
            await asyncio.sleep(0.05)

    def close(self) -> None:
        for pending in self.answers.values():
            pending.cancel()


async def _quietly(action) -> None:
    """Answer the browser; a screen already closed (the page timed out) needs no answer."""
    try:
        await action
    except Exception:  # noqa: BLE001 - Playwright's «Target closed» and the like
        pass


WEB_PORTS = {80, 443}


def _port(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme == "https" else 80)


def _same_port(url: str, site: str) -> bool:
    """The site's own port (or the two web ports, for a site on one of them): a page's
    script may not make the checker knock on the host's other services (:22, :6379…)."""
    ports = WEB_PORTS if _port(site) in WEB_PORTS else {_port(site)}
    try:
        return _port(url) in ports
    except ValueError:  # a port that is not a number
        return False


async def _fetch(url: str, site: str, fetcher: Fetcher) -> tuple | None:
    try:
        response = await fetcher.get(url)
    except FetchError:
        return None
    if not same_site(response.final_url, site):  # redirected elsewhere: not followed
        return None
    return response.status, response.content_type, response.content


async def _hang_up(reader, writer) -> None:
    """The browser's proxy: whatever reaches it (it escaped interception) gets nothing."""
    writer.close()


async def render_home(renderer: Renderer | None, audit, fetcher: Fetcher
                      ) -> Rendering | None:
    """Render the audited site's home page when the renderer's mode asks for it; the note
    of what happened goes to the audit (`audit.rendering`). Without a renderer (a test
    calling the auditor directly) nothing is noted."""
    if renderer is None:
        return None
    reason = renderer.refusal(audit.script_only)
    if reason is None:
        rendering = await renderer.render(audit.final_url, fetcher)
        reason = rendering.error
        if reason is None:
            audit.rendering = RenderNote(True)
            return rendering
    audit.rendering = RenderNote(False, reason)
    return None


def renderer_from_settings(mode: str | None = None) -> Renderer:
    """The run's (or a check's) renderer: PROFINFO_RENDER unless `mode` says otherwise."""
    from django.conf import settings

    return Renderer(mode or settings.PROFINFO_RENDER,
                    pages=settings.PROFINFO_RENDER_PAGES)


def apply_rendering(audit, rendered: Rendering | None) -> None:
    """The layout criteria of an audit as measured in the browser; without a rendering,
    «Вёрстка для смартфона» keeps the viewport rule and «для компьютера» stays unchecked."""
    if rendered is None:
        return
    # the viewport rule as decided on the page the browser built (collect reads the criteria
    # there when it rendered, so a tag a script adds counts)
    static_phone = audit.criteria.get("mobile_layout") or Finding(None)
    audit.criteria.update(judge_layouts(rendered.url, rendered.measurements, static_phone))
