import pytest

from profinfo.registry.normalize import InvalidUrl, normalize_url


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.Site.ru/", "http://site.ru"),
        ("site.ru", "HTTPS://SITE.RU/"),
        ("vk.com/club123", "https://vk.com/public123"),
        ("https://m.vk.com/event123/", "vk.com/club123"),
        ("vk.com/RosProfProm", "https://vk.ru/rosprofprom"),
        ("@ProfChannel", "https://t.me/s/profchannel"),
        ("telegram.me/ProfChannel", "t.me/profchannel"),
        ("ok.ru/group/555", "https://m.ok.ru/group/555/"),
        ("site.ru/news/?utm_source=vk&b=2&a=1", "http://www.site.ru/news?a=1&b=2"),
        ("http://профсоюз.рф/", "xn--g1anacfhu6f.xn--p1ai"),
    ],
)
def test_same_resource_gets_same_key(a, b):
    assert normalize_url(a).key == normalize_url(b).key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("site.ru", "site.ru/news"),
        ("vk.com/club123", "vk.com/club124"),
        ("site.ru:8080", "site.ru"),
        ("t.me/profchannel", "t.me/profchannel2"),
    ],
)
def test_different_resources_get_different_keys(a, b):
    assert normalize_url(a).key != normalize_url(b).key


@pytest.mark.parametrize(
    ("url", "network"),
    [("vk.com/club1", "vk"), ("ok.ru/group/1", "ok"), ("t.me/union_news", "telegram"),
     ("dzen.ru/union", "dzen"), ("rosprofprom.ru", "")],
)
def test_network_detected(url, network):
    assert normalize_url(url).network == network


@pytest.mark.parametrize(
    ("url", "message_part"),
    [
        ("", "не указан"),
        ("javascript:alert(1)", "http"),
        ("javascript:1", "http"),
        ("mailto:info@site.ru", "http"),
        ("ftp://site.ru", "http"),
        ("http://site", "домен"),
        ("http://sit e.ru", "пробел"),
        ("http://user:pass@site.ru", "логин"),
        ("https://t.me/+AbCdEf", "приглашение"),
        ("vk.com/", "ВКонтакте"),
        ("http://site.ru:99999", "порт"),
        ("x" * 2100, "длинный"),
    ],
)
def test_bad_urls_get_russian_errors(url, message_part):
    with pytest.raises(InvalidUrl) as info:
        normalize_url(url)
    assert message_part in str(info.value)


def test_idn_displayed_in_cyrillic():
    assert normalize_url("http://ПРОФСОЮЗ.рф").url == "http://профсоюз.рф/"
