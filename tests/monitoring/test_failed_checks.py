"""Failures are not «нет»: a resolver that cannot be asked is «нет связи», only a name that does
not exist is «Такого адреса нет», and when the home page was not read every criterion is
«не проверено» (null), never false. No test here needs the network: the resolver is replaced."""

import asyncio
import dataclasses
import json
import socket

import httpx
import pytest

from profinfo.cli import main as profinfo
from profinfo.monitoring.checks import check_site
from profinfo.monitoring.collectors import site
from profinfo.monitoring.collectors.html import parse_page
from profinfo.monitoring.collectors.site_criteria import DECIDERS, decide_all
from profinfo.monitoring.criteria import CRITERIA
from profinfo.monitoring.fetcher import NO_RESOLVER, Fetcher, FetchError, FetchSettings
from tests.hostile_server import LoopbackServer

PROBE = ("probe.example",)  # a name that always exists, when the resolver works
FAST = dict(backoff=0.01, resolver_probe=PROBE)


@pytest.fixture
def resolver(monkeypatch):
    """socket.getaddrinfo (which the event loop's resolver calls) replaced: `fail` is the
    errno every name gets, `probe_works` whether the probe names resolve; the names asked are
    listed."""
    state = {"fail": socket.EAI_AGAIN, "probe_works": False, "asked": []}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        state["asked"].append(host)
        if host in PROBE and state["probe_works"]:
            return real("127.0.0.1", port, *args, **kwargs)
        raise socket.gaierror(state["fail"], "resolver says no")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return state


def error_of(url: str, **settings) -> FetchError:
    async def run():
        async with Fetcher(FetchSettings(**{**FAST, **settings})) as fetcher:
            return await fetcher.get(url)

    with pytest.raises(FetchError) as info:
        asyncio.run(run())
    return info.value


@pytest.mark.parametrize(("errno", "probe_works", "code"), [
    (socket.EAI_NONAME, True, "dns"),  # the resolver works and says there is no such name
    (socket.EAI_NODATA, True, "dns"),  # the name exists but has no address
    (socket.EAI_NONAME, False, "connection"),  # it says so of every name: no network
    (socket.EAI_AGAIN, True, "connection"),  # the resolver could not be reached
    (socket.EAI_FAIL, True, "connection"),
    (socket.EAI_SYSTEM, True, "connection"),
])
def test_a_lookup_failure_is_dns_only_when_the_name_does_not_exist(resolver, errno,
                                                                   probe_works, code):
    resolver["fail"], resolver["probe_works"] = errno, probe_works
    error = error_of("https://example.org/", retries=0)
    assert error.code == code
    if code == "dns":
        assert error.message.startswith("Такого адреса нет")
    else:
        assert error.message == NO_RESOLVER and "Нет связи" in error.message


def test_the_probe_is_asked_once_per_fetcher(resolver):
    resolver["fail"], resolver["probe_works"] = socket.EAI_NONAME, True

    async def run():
        async with Fetcher(FetchSettings(**FAST, retries=0)) as fetcher:
            for url in ("https://a.example/", "https://b.example/"):
                with pytest.raises(FetchError):
                    await fetcher.get(url, robots=False)

    asyncio.run(run())
    assert resolver["asked"].count(PROBE[0]) == 1


def test_a_temporary_resolver_failure_is_retried(resolver):
    error = error_of("https://example.org/page", retries=2, respect_robots=False)
    assert error.code == "connection" and error.retryable
    assert resolver["asked"] == ["example.org"] * 3


def test_a_name_that_cannot_be_looked_up_for_robots_txt_is_not_looked_up_again(resolver):
    assert error_of("https://example.org/page", retries=2).code == "connection"
    assert resolver["asked"] == ["example.org"] * 3  # robots.txt and its retries, then no more


def test_no_route_or_unreachable_network_is_a_connection_failure():
    def refuse(request):
        raise httpx.ConnectError("[Errno 101] Network is unreachable", request=request)

    async def run():
        settings = FetchSettings(allow_private=True, retries=0, respect_robots=False)
        async with Fetcher(settings, transport=httpx.MockTransport(refuse)) as fetcher:
            return await fetcher.get("http://127.0.0.1/")

    with pytest.raises(FetchError) as info:
        asyncio.run(run())
    assert info.value.code == "connection"


def test_decide_all_without_pages_checks_nothing():
    assert all(f.present is None and f.evidence is None for f in decide_all([]).values())
    read = decide_all([parse_page("<html><body>Профсоюз</body></html>", "http://x.ru/")])
    assert all(read[code].present is False for code in DECIDERS)  # read: «нет» is known


def test_an_audit_that_read_nothing_has_null_criteria_in_the_contract():
    audit = site.SiteAudit(url="https://example.org", error=FetchError("connection"))
    criteria = site.audit_to_contract(audit)["criteria"]
    assert set(criteria) == set(CRITERIA)
    assert all(c == {"present": None, "evidence": None} for c in criteria.values())


# --- the failed home page, on loopback ------------------------------------------------------

@pytest.fixture(scope="module")
def server():
    with LoopbackServer("127.0.0.4") as served:
        yield served


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]  # nothing listens there once it is closed


def checked(url: str) -> dict:
    settings = FetchSettings(allow_private=True, backoff=0.01, retries=1)
    return asyncio.run(check_site(url, typed_scheme=True, settings=settings))


def assert_nothing_decided(result: dict) -> None:
    assert result["ok"] is False
    assert set(result["criteria"]) == set(CRITERIA)
    assert all(c == {"present": None, "evidence": None} for c in result["criteria"].values())


def test_home_page_with_http_500_decides_no_criterion(server):
    result = checked(server.base + "/status?code=500")
    assert result["error"]["code"] == "http_status" and result["status"] == 500
    assert_nothing_decided(result)


def test_refused_connection_decides_no_criterion():
    result = checked(f"http://127.0.0.4:{free_port('127.0.0.4')}/")
    assert result["error"]["code"] == "connection" and result["status"] is None
    assert_nothing_decided(result)


# --- `profinfo check` with no network -------------------------------------------------------

@pytest.fixture
def offline(resolver, monkeypatch):
    """No network: the resolver answers nothing at all (EAI_AGAIN), the default probe names
    included; the command's fetcher as it is, but without waits between retries."""
    original = Fetcher.__init__

    def without_waits(self, settings=None, **kwargs):
        original(self, dataclasses.replace(settings or FetchSettings(), backoff=0.0), **kwargs)

    monkeypatch.setattr(Fetcher, "__init__", without_waits)
    return resolver


def run_check(capsys, *args) -> str:
    profinfo(["check", *args])
    return capsys.readouterr().out


@pytest.mark.parametrize("errno", [socket.EAI_AGAIN, socket.EAI_NONAME])
def test_offline_check_json_says_no_connection_and_checks_no_criterion(offline, capsys, errno):
    offline["fail"] = errno  # a resolver with no upstream says «no such name» of every name
    data = json.loads(run_check(capsys, "https://example.org", "--json"))
    assert data["kind"] == "site" and data["ok"] is False
    assert data["error"] == {"code": "connection", "message": NO_RESOLVER}
    assert data["status"] is None and data["final_url"] is None
    assert_nothing_decided(data)


def test_offline_check_text_says_not_checked_and_why(offline, capsys):
    text = run_check(capsys, "https://example.org")
    assert f"Ошибка: {NO_RESOLVER}" in text
    assert "HTTP None" not in text and "None" not in text
    assert "Адрес: https://example.org/\n" in text  # no «(HTTP None)»: nothing answered
    for label in CRITERIA.values():
        assert f"[не проверено] {label}" in text
    assert "[нет]" not in text and "Такого адреса нет" not in text


def test_typed_without_scheme_the_name_is_not_looked_up_again_over_http(offline, capsys):
    data = json.loads(run_check(capsys, "example.org", "--json"))
    assert data["error"]["code"] == "connection"
    assert offline["asked"].count("example.org") == 3  # robots.txt over https, two retries
