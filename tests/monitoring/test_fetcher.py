import asyncio
import time

import pytest

from profinfo.monitoring.fetcher import Fetcher, FetchError, FetchSettings
from tests.hostile_server import LoopbackServer

SITE, OTHER = "127.0.0.2", "127.0.0.3"


@pytest.fixture(scope="module")
def site():
    with LoopbackServer(SITE) as server:
        yield server


@pytest.fixture(scope="module")
def other():
    with LoopbackServer(OTHER) as server:
        yield server


def fetch(url, *, guard: float | None = None, **settings):
    """One GET; with `guard`, the test's own bound: a fetcher that outlives it fails the test
    with TimeoutError instead of answering with its own error."""
    settings.setdefault("allowed_networks", (f"{SITE}/32", f"{OTHER}/32"))
    settings.setdefault("backoff", 0.01)

    async def run():
        async with Fetcher(FetchSettings(**settings)) as fetcher:
            return await asyncio.wait_for(fetcher.get(url), guard)

    return asyncio.run(run())


def error_of(url, **settings) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch(url, **settings)
    assert info.value.message and info.value.message[0].isupper()
    return info.value


def test_plain_page(site):
    response = fetch(site.base + "/ok")
    assert response.status == 200 and "Профсоюз" in response.content.decode()
    assert response.final_url == site.base + "/ok" and not response.https
    path, headers = site.requests[-1]
    assert "ProfInfo" in headers["User-Agent"]
    assert headers["Host"] == site.base.removeprefix("http://")


def test_redirect_followed_to_another_host(site, other):
    response = fetch(f"{site.base}/redirect?to={other.base}/ok")
    assert response.final_url == other.base + "/ok"
    assert response.redirects == [f"{site.base}/redirect?to={other.base}/ok"]


@pytest.mark.parametrize("target", ["http://127.0.0.1:9/", "http://169.254.169.254/latest/",
                                    "http://localhost/", "http://[::1]/",
                                    "http://2130706433/", "http://10.0.0.1/"])
def test_redirect_into_private_network_is_refused(site, target):
    error = error_of(f"{site.base}/redirect?to={target}")
    assert error.code == "private_address"


def test_guard_on_refuses_loopback(site):
    assert error_of(site.base + "/ok", allowed_networks=()).code == "private_address"


def test_guard_can_be_lifted_for_tests(site):
    assert fetch(site.base + "/ok", allowed_networks=(), allow_private=True).status == 200


def test_endless_redirects(site):
    error = error_of(site.base + "/redirect-loop")
    assert error.code == "http_status" and "перенаправ" in error.message


def test_fifty_megabytes_stop_at_the_cap(site):
    error = error_of(site.base + "/big", max_bytes=1024 * 1024)
    assert error.code == "too_large"
    for _ in range(200):  # the server notices the client has gone when its buffers fill
        if "/big" in site.sent:
            break
        time.sleep(0.05)
    assert site.sent["/big"] < 50 * 1024 * 1024  # the fetcher left, it did not read it all


def test_declared_size_refused_before_reading(site):
    assert error_of(site.base + "/big-declared").code == "too_large"


def test_gzip_bomb_stops_at_the_cap(site):
    error = error_of(site.base + "/gzip-bomb", max_bytes=2 * 1024 * 1024)
    assert error.code == "too_large"


def test_server_that_never_answers_ends_within_the_bound(site):
    error = error_of(site.base + "/hang", read_timeout=0.5, total_timeout=2, retries=1,
                     guard=10)  # the server would hang for 30 s
    assert error.code == "timeout"


def test_a_silent_server_is_not_asked_twice(site):
    before = len(site.requests)
    error = error_of(site.base + "/hang", read_timeout=0.5, total_timeout=5, retries=2,
                     guard=10)
    assert error.code == "timeout"
    assert [p for p, _ in site.requests[before:]].count("/hang") == 1


def test_reset_connection(site):
    assert error_of(site.base + "/reset", retries=1).code == "connection"


def test_nothing_listening(site):
    assert error_of("http://127.0.0.2:9/", retries=0).code == "connection"


def test_unknown_host():
    # the resolver is known to work (it knows «localhost»): its «no such name» is believed
    assert error_of("http://no-such-host.invalid/", retries=0,
                    resolver_probe=("localhost",)).code == "dns"


def test_transient_errors_are_retried(site):
    site.flaky_calls = 0
    assert fetch(site.base + "/flaky?fail=2", retries=2).content == b"finally"
    site.flaky_calls = 0
    assert fetch(site.base + "/flaky?fail=5", retries=2).status == 503


def test_client_errors_are_not_retried(site):
    before = len(site.requests)
    assert fetch(site.base + "/status?code=404", retries=3).status == 404
    assert [p for p, _ in site.requests[before:]] == ["/robots.txt", "/status"]


def test_robots_txt_is_respected(site):
    assert error_of(site.base + "/private").code == "robots"
    assert fetch(site.base + "/private", respect_robots=False).status == 200


def test_per_host_politeness(site):
    async def run():
        settings = FetchSettings(allowed_networks=(f"{SITE}/32",), per_host_interval=0.2,
                                 respect_robots=False)
        async with Fetcher(settings) as fetcher:
            started = time.monotonic()
            await asyncio.gather(*(fetcher.get(site.base + "/ok") for _ in range(4)))
            return time.monotonic() - started

    assert asyncio.run(run()) >= 0.6


def test_api_calls_share_a_tokens_pace_and_retry_while_busy():
    """The fetcher owns an API's pace (per key, whatever client calls) and its busy retries."""
    import httpx

    seen: list[float] = []

    def answer(request):
        seen.append(time.monotonic())
        busy = len(seen) == 1  # the first call is refused as «too many requests»
        return httpx.Response(200, json={"error": 6} if busy else {"response": len(seen)})

    async def run():
        settings = FetchSettings(allow_private=True)
        async with Fetcher(settings, transport=httpx.MockTransport(answer)) as fetcher:
            calls = [fetcher.api_call("http://127.0.0.1/method/x", form={}, turn=("token", 10),
                                      busy=lambda p: "error" in p, busy_delay=0.01)
                     for _ in range(3)]
            return await asyncio.gather(*calls)

    answers = asyncio.run(run())
    assert sorted(payload["response"] for _, payload in answers) == [2, 3, 4]
    gaps = [b - a for a, b in zip(seen, seen[1:], strict=False)]
    assert len(seen) == 4 and all(gap >= 0.09 for gap in gaps)  # 10 calls a second at most


def test_every_error_code_has_words_and_an_unknown_one_is_named():
    from profinfo.monitoring.fetcher import LABELS, MESSAGES, error_label

    assert set(MESSAGES) == set(LABELS)
    assert error_label("dns") == "адрес не найден"
    assert error_label("private_address") == "внутренний адрес"
    assert error_label("new_kind") == "другая ошибка (new_kind)"
