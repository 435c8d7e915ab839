"""VK, OK, Telegram and Метрика collectors against local servers with recorded responses,
and the union's figures computed from them."""

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from profinfo.monitoring import calculations as calc
from profinfo.monitoring.checks import check_social
from profinfo.monitoring.collectors import metrica, ok, social, telegram, vk
from profinfo.monitoring.fetcher import Fetcher, FetchSettings
from tests.platform_server import (
    METRICA_TOKEN,
    OK_KEY,
    OK_SECRET,
    VK_TOKEN,
    FakeMetrica,
    FakeOk,
    FakeTelegram,
    FakeVk,
    fixture,
)

TODAY = dt.date(2024, 5, 20)
FAST = FetchSettings(allow_private=True, backoff=0.01)


@pytest.fixture(scope="module")
def servers():
    with FakeVk() as vk_server, FakeOk() as ok_server, FakeTelegram() as tg_server, \
            FakeMetrica() as metrica_server:
        yield {"vk": vk_server, "ok": ok_server, "telegram": tg_server,
               "metrica": metrica_server}


@pytest.fixture
def platforms(servers):
    for server in servers.values():
        server.calls.clear()
    servers["vk"].too_many, servers["vk"].execute_broken, servers["vk"].arrived = 0, False, 0
    servers["ok"].flood, servers["metrica"].quota_exceeded = False, False
    return social.PlatformSettings(
        vk_token=VK_TOKEN, vk_api_url=servers["vk"].url + "/method",
        vk_requests_per_second=1000, ok_app_key=OK_KEY, ok_app_secret=OK_SECRET,
        ok_api_url=servers["ok"].url + "/fb.do", telegram_url=servers["telegram"].url,
        metrica_token=METRICA_TOKEN, metrica_api_url=servers["metrica"].url)


def check(kind, url, platforms):
    return asyncio.run(check_social(kind, url, settings=FAST, platforms=platforms, today=TODAY))


def run(coroutine_factory):
    async def main():
        async with Fetcher(FAST) as fetcher:
            return await coroutine_factory(fetcher)

    return asyncio.run(main())


# --- the figures ---------------------------------------------------------------------------

def post(day: str, likes=0, comments=0, reposts=0, views=None, pinned=False, id=None):
    date = dt.datetime.fromisoformat(day + "T09:00:00+00:00")
    return calc.Post(id or day, date, likes, comments, reposts, views, pinned)


def test_engagement_is_the_seeds_formula_over_the_ten_newest():
    posts = [post(f"2024-05-{d:02d}", likes=d, comments=1, reposts=1) for d in range(1, 13)]
    posts.append(post("2020-01-01", likes=10_000, pinned=True))  # pinned and old: not promoted
    result = calc.engagement(posts, subscribers=200)
    # the ten newest are days 3..12: likes 75 + comments 10 + reposts 10 = 95, average 9.5
    assert result.value == pytest.approx(9.5 / 200) and result.posts_used == 10
    assert result.note == ""


def test_engagement_edge_cases():
    few = [post("2024-05-01", likes=4), post("2024-05-02", likes=2)]
    assert calc.engagement(few, 100).value == pytest.approx(0.03)
    assert "по 2 публикациям" in calc.engagement(few, 100).note
    assert calc.engagement(few, 0).value is None
    assert calc.engagement(few, None).value is None
    assert calc.engagement([], 100).value is None and calc.engagement([], 100).note


def test_err_posts_per_week_and_last_publication():
    posts = [post("2024-05-19", views=300), post("2024-05-01", views=100),
             post("2024-04-21"), post("2024-04-20", views=None)]
    assert calc.err(posts, 1000) == pytest.approx(0.2)
    assert calc.err(posts[2:], 1000) is None and calc.err(posts, 0) is None
    assert calc.posts_per_week(posts, TODAY) == pytest.approx(round(3 * 7 / 30, 2))
    assert calc.posts_per_week([], TODAY) == 0
    assert calc.last_publication(posts) == dt.date(2024, 5, 19)
    assert calc.last_publication([]) is None
    assert calc.days_since(dt.date(2024, 5, 19), TODAY) == 1
    assert calc.days_since(None, TODAY) is None


def test_a_post_late_in_the_evening_in_moscow_counts_on_moscows_day(settings):
    settings.TIME_ZONE = "Europe/Moscow"
    late = calc.Post("1", dt.datetime(2024, 5, 19, 22, 30, tzinfo=dt.UTC))  # 01:30 on the 20th
    assert calc.last_publication([late]) == dt.date(2024, 5, 20)


def test_staleness_thresholds():
    def state(days_ago):
        last = None if days_ago is None else TODAY - dt.timedelta(days=days_ago)
        return calc.staleness(last, TODAY, stale_days=30, abandoned_days=90)

    assert state(0) == state(30) == calc.Staleness.FRESH
    assert state(31) == state(90) == calc.Staleness.STALE
    assert state(91) == calc.Staleness.ABANDONED
    assert state(None) == calc.Staleness.UNKNOWN
    assert calc.Staleness.ABANDONED.label == "без сопровождения и развития"


@pytest.mark.parametrize("text, number", [("777", 777), ("1.2K", 1200), ("1,63K", 1630),
                                          ("13.7M", 13_700_000), ("2K", 2000),
                                          ("0.1K", 100), ("", None), ("много", None)])
def test_telegram_counts_are_read_as_numbers(text, number):
    assert telegram.parse_count(text) == number


# --- ВКонтакте -----------------------------------------------------------------------------

def test_vk_page_figures(platforms):
    result = check("vk", "https://vk.com/profsoyuz_x", platforms)
    assert result["ok"] and result["error"] is None
    assert result["subscribers"] == 4321 and result["title"].startswith("Профсоюз")
    assert len(result["posts"]) == 10
    assert [p["id"] for p in result["posts"]][:2] == ["-12345678_211", "-12345678_210"]
    assert not any(p["pinned"] for p in result["posts"])  # the old pinned post is not in
    assert result["engagement"] == pytest.approx(58 / 4321)  # (13+23+…+103)/10 = 58
    assert result["posts_per_week"] == pytest.approx(1.87)  # 8 posts in 30 days
    assert result["last_publication"] == "2024-05-19" and result["days_since_last"] == 1
    assert result["err"] is None


def test_vk_legacy_shape_and_fewer_than_ten_posts(platforms):
    result = check("vk", "https://vk.com/club222", platforms)
    assert result["subscribers"] == 150 and len(result["posts"]) == 3
    assert result["engagement"] == pytest.approx((6 + 4 + 0) / 3 / 150)
    assert "по 3 публикациям" in result["engagement_note"]


def test_vk_group_shapes_parse_alike():
    new = vk.parse_groups(fixture("vk_groups_getById_5199.json"))
    legacy = vk.parse_groups(fixture("vk_groups_getById_legacy.json"))
    assert new[0]["members_count"] == 4321 and legacy[0]["members_count"] == 150
    with pytest.raises(vk.FetchError) as error:
        vk.parse_groups({"response": "?"})
    assert error.value.code == "parse"


@pytest.mark.parametrize("url, setup, code, words", [
    ("https://vk.com/nosuchgroup", None, "not_found", "не найдено"),
    ("https://vk.com/bannedpage", None, "not_found", "удалена или заблокирована"),
    ("https://vk.com/dailylimit", None, "rate_limited", "суточный лимит"),
    ("https://vk.com/club333", None, "not_found", "удалено"),
    ("https://vk.com/closedwall", {"id": 444}, "private", "закрыта"),
    ("https://vk.com/privatepage", {"id": 555}, "private", "только участникам"),
])
def test_vk_errors_map_to_codes(servers, platforms, url, setup, code, words):
    if setup:
        name = url.rsplit("/", 1)[-1]
        servers["vk"].extra_groups[name] = {"id": setup["id"], "name": "Закрытая группа",
                                            "screen_name": name, "is_closed": 1,
                                            "members_count": 77}
    result = check("vk", url, platforms)
    assert result["ok"] is False and result["error"]["code"] == code
    assert words in result["error"]["message"]
    if setup:  # subscribers are still known when only the wall is closed
        assert result["subscribers"] == 77 and result["posts"] == []
        assert result["posts_per_week"] is None and result["engagement"] is None


def test_vk_bad_token_and_missing_token(platforms):
    bad = check("vk", "https://vk.com/profsoyuz_x",
                social.PlatformSettings(**{**platforms.__dict__, "vk_token": "wrong"}))
    assert bad["error"]["code"] == "auth" and "PROFINFO_VK_TOKEN" in bad["error"]["message"]
    missing = check("vk", "https://vk.com/profsoyuz_x",
                    social.PlatformSettings(**{**platforms.__dict__, "vk_token": ""}))
    assert missing["error"]["code"] == "auth"
    assert "укажите PROFINFO_VK_TOKEN" in missing["error"]["message"]


def test_vk_error_6_is_retried_with_backoff(servers, platforms):
    servers["vk"].too_many = 2
    client_result = run(lambda f: vk.VkClient(f, platforms, retry_delay=0.01).page(
        "https://vk.com/profsoyuz_x", "profsoyuz_x", TODAY))
    assert client_result.error is None and client_result.subscribers == 4321
    servers["vk"].too_many = 100
    given_up = run(lambda f: vk.VkClient(f, platforms, retry_delay=0.01).page(
        "https://vk.com/profsoyuz_x", "profsoyuz_x", TODAY))
    assert given_up.error.code == "rate_limited"
    assert len(servers["vk"].calls) == 4 + 4  # 2 refusals, getById, wall; then 4 tries


def test_vk_wall_is_read_on_while_posts_are_inside_the_last_30_days(servers, platforms):
    servers["vk"].extra_groups["busy_union"] = {"id": 666, "name": "Активная",
                                                "screen_name": "busy_union",
                                                "members_count": 1000}
    result = check("vk", "https://vk.com/busy_union", platforms)
    offsets = [params.get("offset") for path, params in servers["vk"].calls
               if path.endswith("wall.get")]
    assert offsets == [None, "100"]  # 200 posts reach back 33 days: the third page is not read
    # every 4 hours from 2024-05-19 12:00 Moscow time back to 2024-04-21 00:00: 684 hours,
    # 172 posts in the 30 days
    assert result["posts_per_week"] == pytest.approx(round(172 * 7 / 30, 2))
    assert len(result["posts"]) == 10


def test_a_post_read_twice_counts_once_and_the_newest_ten_are_right(servers, platforms):
    """A recorded wall read while a post arrived holds one post twice (312…301, 309 again
    after itself): each post once, the ten newest are 312…303, engagement over them."""
    items = fixture("vk_wall_repeated_item.json")["response"]["items"]
    assert len(items) == 13 and len({(i["owner_id"], i["id"]) for i in items}) == 12
    total, posts = vk.parse_wall(fixture("vk_wall_repeated_item.json")["response"])
    assert total == 13 and len(posts) == 12 and posts[0].text == "Новость 312"
    servers["vk"].extra_groups["repeated_union"] = {"id": 77777, "name": "Повтор",
                                                    "screen_name": "repeated_union",
                                                    "members_count": 1000}
    result = check("vk", "https://vk.com/repeated_union", platforms)
    assert [p["id"] for p in result["posts"]] == [f"-77777_{n}" for n in range(312, 302, -1)]
    # likes 10…100, one comment and one repost each: (550 + 10 + 10) / 10 = 57
    assert result["engagement"] == pytest.approx(57 / 1000)
    assert result["publications_30d"] == 12


def test_a_post_published_between_two_wall_pages_is_kept_once(servers, platforms):
    servers["vk"].extra_groups["busy_union"] = {"id": 666, "name": "Активная",
                                                "screen_name": "busy_union",
                                                "members_count": 1000}
    servers["vk"].arrived = 1  # the second page starts with the first page's last post
    page = run(lambda f: vk.VkClient(f, platforms).page("https://vk.com/busy_union",
                                                        "busy_union", TODAY))
    ids = [p.id for p in page.posts]
    assert len(ids) == 199 and len(set(ids)) == 199


def test_vk_many_pages_are_batched_through_execute(servers, platforms):
    targets = [("https://vk.com/profsoyuz_x", "profsoyuz_x"), ("https://vk.com/club222", "club222"),
               ("https://vk.com/closedwall", "closedwall"), ("https://vk.com/nosuch", "nosuch")]
    servers["vk"].extra_groups["closedwall"] = {"id": 444, "name": "Закрытая",
                                                "screen_name": "closedwall", "members_count": 5}
    pages = run(lambda f: vk.VkClient(f, platforms).pages(targets, TODAY))
    methods = [path.rsplit("/", 1)[-1] for path, _ in servers["vk"].calls]
    assert methods.count("execute") == 1 and "wall.get" in methods  # the failed one alone
    by_name = {p.name: p for p in pages}
    assert by_name["profsoyuz_x"].subscribers == 4321 and len(by_name["profsoyuz_x"].posts) == 12
    assert len(by_name["club222"].posts) == 3
    assert by_name["closedwall"].error.code == "private"
    assert by_name["nosuch"].error.code == "not_found"

    servers["vk"].calls.clear()
    servers["vk"].execute_broken = True
    again = run(lambda f: vk.VkClient(f, platforms).pages(targets[:2], TODAY))
    methods = [path.rsplit("/", 1)[-1] for path, _ in servers["vk"].calls]
    assert methods.count("wall.get") == 2  # fell back to plain calls
    assert [len(p.posts) for p in again] == [12, 3]


# --- Одноклассники -------------------------------------------------------------------------

def test_ok_signature_is_the_documented_one():
    params = {"application_key": "CBA", "fields": "members_count", "format": "json",
              "method": "group.getInfo", "uids": "1"}
    import hashlib

    expected = hashlib.md5(b"application_key=CBAfields=members_countformat=json"
                           b"method=group.getInfouids=1secret").hexdigest()
    assert ok.signature(params, "secret") == expected
    assert ok.signature({**params, "sig": "x", "access_token": "y"}, "secret") == expected


def test_ok_group_in_both_shapes(platforms):
    first = check("ok", "https://ok.ru/group/53038939046008", platforms)
    assert first["ok"] and first["subscribers"] == 2750 and len(first["posts"]) == 4
    assert first["engagement"] == pytest.approx((16 + 10 + 25 + 6) / 4 / 2750)
    assert first["posts_per_week"] == pytest.approx(0.7)
    assert first["last_publication"] == "2024-05-18"
    second = check("ok", "https://ok.ru/group/53038939046009", platforms)
    assert second["subscribers"] == 310
    by_name = check("ok", "https://ok.ru/rosprofprom", platforms)
    assert by_name["subscribers"] == 2750


@pytest.mark.parametrize("url, change, code, words", [
    ("https://ok.ru/group/53038939046008", {"ok_app_secret": "wrong"}, "auth",
     "PROFINFO_OK_APP_SECRET"),
    ("https://ok.ru/group/53038939046008", {"ok_app_key": ""}, "auth", "PROFINFO_OK_APP_KEY"),
    ("https://ok.ru/group/999", {}, "not_found", "не найдена"),
    ("https://ok.ru/nosuchname", {}, "not_found", "не найдена"),
    ("https://ok.ru/group/1", {}, "auth", "GROUP_CONTENT"),
    ("https://ok.ru/profile/123", {}, "not_found", "личная страница"),
])
def test_ok_errors_map_to_codes(platforms, url, change, code, words):
    result = check("ok", url, social.PlatformSettings(**{**platforms.__dict__, **change}))
    assert result["ok"] is False and result["error"]["code"] == code
    assert words in result["error"]["message"]


def test_ok_flood_control(servers, platforms):
    servers["ok"].flood = True
    result = check("ok", "https://ok.ru/group/53038939046008", platforms)
    assert result["error"]["code"] == "rate_limited"


# --- Telegram ------------------------------------------------------------------------------

def test_telegram_channel(servers, platforms):
    result = check("telegram", "https://t.me/profsoyuz_tg", platforms)
    assert result["ok"] and result["page_type"] == "channel"
    assert result["subscribers"] == 12345  # exact, not the preview's «12.3K»
    assert [p["id"] for p in result["posts"]][:3] == [
        "profsoyuz_tg/100", "profsoyuz_tg/99", "profsoyuz_tg/98"]
    assert len(result["posts"]) == 10 and "profsoyuz_tg/88" not in str(result["posts"])
    views = {p["id"]: p["views"] for p in result["posts"]}
    assert views["profsoyuz_tg/96"] == 1200 and views["profsoyuz_tg/97"] == 1630
    likes = {p["id"]: p["likes"] for p in result["posts"]}
    assert likes["profsoyuz_tg/98"] == 1100 and likes["profsoyuz_tg/96"] == 25
    assert result["engagement"] == pytest.approx(1178 / 10 / 12345)
    assert result["err"] == pytest.approx(11677 / 10 / 12345)
    assert result["posts_per_week"] == pytest.approx(1.63)
    pages = [params.get("before") for path, params in servers["telegram"].calls
             if path.startswith("/s/")]
    assert pages == [None, "95"]  # followed ?before= once: 12 posts, older than 30 days


def test_telegram_group_and_missing_name(platforms):
    group = check("telegram", "https://t.me/profgroup_chat", platforms)
    assert group["ok"] and group["page_type"] == "group" and group["subscribers"] == 1234
    assert group["posts"] == [] and group["engagement"] is None and group["posts_note"]
    missing = check("telegram", "https://t.me/nosuchchannel", platforms)
    assert missing["ok"] is False and missing["error"]["code"] == "not_found"


# --- Яндекс.Метрика ------------------------------------------------------------------------

def traffic(platforms, counter="44147844"):
    return run(lambda f: metrica.MetricaClient(f, platforms).traffic(
        counter, dt.date(2024, 1, 1), dt.date(2024, 1, 31)))


def test_metrica_totals(servers, platforms):
    result = traffic(platforms)
    assert (result.visits, result.pageviews, result.users) == (1204, 3312, 815)
    path, params = servers["metrica"].calls[-1]
    assert params["metrics"] == "ym:s:visits,ym:s:pageviews,ym:s:users"
    assert (params["date1"], params["date2"]) == ("2024-01-01", "2024-01-31")


def test_metrica_errors(servers, platforms):
    assert traffic(social.PlatformSettings(**{**platforms.__dict__, "metrica_token": "x"})
                   ).error.code == "auth"
    missing = traffic(social.PlatformSettings(**{**platforms.__dict__, "metrica_token": ""}))
    assert "PROFINFO_METRICA_TOKEN" in missing.error.message
    assert traffic(platforms, counter="1").error.code == "auth"  # no access to that counter
    assert traffic(platforms, counter="abc").error.code == "not_found"
    servers["metrica"].quota_exceeded = True
    assert traffic(platforms).error.code == "rate_limited"


# --- the command -----------------------------------------------------------------------------

@pytest.mark.slow  # a separate process
def test_profinfo_check_for_social_pages(servers):
    env = dict(os.environ, PROFINFO_ALLOW_PRIVATE_ADDRESSES="1",
               DJANGO_SETTINGS_MODULE="tests.settings", PROFINFO_VK_TOKEN=VK_TOKEN,
               PROFINFO_VK_API_URL=servers["vk"].url + "/method",
               PROFINFO_TELEGRAM_URL=servers["telegram"].url)

    def profinfo(*args, **extra):
        return subprocess.run([sys.executable, "-m", "profinfo.cli", "check", *args],
                              capture_output=True, text=True, env={**env, **extra}, timeout=120)

    result = profinfo("vk.com/public12345678", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["kind"] == "vk" and data["subscribers"] == 4321
    assert set(data["posts"][0]) == {"id", "date", "likes", "comments", "reposts", "views",
                                     "pinned"}
    tg = json.loads(profinfo("@profsoyuz_tg", "--json").stdout)
    assert tg["kind"] == "telegram" and tg["subscribers"] == 12345
    no_token = profinfo("https://vk.com/profsoyuz_x", "--json", PROFINFO_VK_TOKEN="")
    assert no_token.returncode == 0
    assert json.loads(no_token.stdout)["error"]["code"] == "auth"
    ok_without_keys = json.loads(profinfo("ok.ru/group/1", "--json").stdout)
    assert "PROFINFO_OK_APP_KEY" in ok_without_keys["error"]["message"]
    text = profinfo("https://t.me/profsoyuz_tg")
    assert "Подписчиков: 12 345" in text.stdout and "ERR:" in text.stdout
