"""The site auditor reads a site's navigation as a whole and judges pages by what they hold.

Each test serves a few pages on a loopback address, audits them as a real site and checks
one class of mistake the auditor must not make (issue 11): pages chosen by a word list,
a label taken for the thing, a single mention taken for a list.
"""

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from profinfo.monitoring.collectors import site
from profinfo.monitoring.collectors.html import parse_page
from profinfo.monitoring.collectors.site_criteria import decide_all
from profinfo.monitoring.fetcher import Fetcher, FetchSettings

ORGANIZATIONS = "".join(f"<li>{name}</li>" for name in [
    "ППО АО «Северный завод»", "Первичная профсоюзная организация МБОУ «Школа № 5»",
    "Ленинская районная организация профсоюза", "ППО ООО «Химпром»",
    "ППО ГБУЗ «Городская больница № 2»", "ППО ПАО «Ростелеком»"])
TEAM = "".join(f'<div class="t-card"><div class="name">{name}</div><div class="role">{role}'
               "</div></div>" for name, role in [
                   ("Иванова Мария Петровна", "Председатель"),
                   ("Петров Олег Иванович", "Заместитель председателя"),
                   ("Сидорова Анна Викторовна", "Главный бухгалтер")])


def page(body: str, title: str = "Профсоюз", head: str = "") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{head}'
            f"</head><body>{body}</body></html>")


class _Site(BaseHTTPRequestHandler):
    pages: dict[str, str] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = self.pages.get(self.path.split("?", 1)[0])
        status = 200 if body is not None else 404
        data = (body or page("Страница не найдена")).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def audit(pages: dict[str, str]) -> site.SiteAudit:
    handler = type("Handler", (_Site,), {"pages": pages})
    server = ThreadingHTTPServer(("127.0.0.17", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    async def run():
        async with Fetcher(FetchSettings(allow_private=True, backoff=0.01)) as fetcher:
            return await site.collect(f"http://127.0.0.17:{server.server_address[1]}/",
                                      fetcher)

    try:
        return asyncio.run(run())
    finally:
        server.shutdown()
        server.server_close()


def present(result: site.SiteAudit) -> set[str]:
    return {code for code, finding in result.criteria.items() if finding.present}


# --- pages are chosen by the navigation, not by a word list ---------------------------------

@pytest.mark.parametrize("label, address", [
    ("Где мы", "/index/0-3"), ("Наши организации", "/organizacii/"),
    ("Структура", "/struktura.html"), ("Раздел 7", "/page/7")])
def test_member_list_under_any_menu_item_is_found_by_its_content(label, address):
    result = audit({"/": page(f'<nav><a href="{address}">{label}</a></nav><p>Новости</p>'),
                    address: page(f"<h1>{label}</h1><ul>{ORGANIZATIONS}</ul>", title=label)})
    assert "member_organizations" in present(result)


def test_navigation_only_in_the_footer_and_in_a_broken_head_is_read():
    broken = ('<html><head><meta charset="utf-8"><a href="/rukovodstvo">Кто есть кто</a>'
              "</head><body><p>Главная</p><footer><a href='/k'>Контакты</a></footer></body>")
    result = audit({"/": broken,
                    "/rukovodstvo": page(f"<h1>Кто есть кто</h1>{TEAM}", "Кто есть кто"),
                    "/k": page("<p>г. Курск, ул. Ленина, 1. <a href='/pages/appeal.php'>"
                               "Обращения</a></p>"),
                    "/pages/appeal.php": page('<h1>Обращения</h1><form action="/send">'
                                              "<label>Текст обращения</label><textarea>"
                                              "</textarea><button>Отправить</button></form>")})
    assert {"collegial_bodies", "ask_question"} <= present(result)


def test_a_section_of_the_home_page_reached_by_an_anchor_counts():
    home = page('<nav><a href="#orgs">Организации</a></nav><p>Новости профсоюза.</p>'
                f'<section id="orgs"><h2>Наши организации</h2><ul>{ORGANIZATIONS}</ul>'
                "</section>")
    assert "member_organizations" in present(audit({"/": home}))


def test_the_crawl_is_bounded_in_pages():
    menu = "".join(f'<a href="/p{n}">Раздел {n}</a>' for n in range(60))
    pages = {"/": page(f"<nav>{menu}</nav>")} | {f"/p{n}": page(f"<p>{n}</p>")
                                                 for n in range(60)}
    result = audit(pages)
    assert len(result.pages) <= site.MAX_PAGES


def test_share_buttons_only_on_the_news_pages_count():
    home = page('<h2>Новости</h2><a href="/news/2024/kolldogovor">Подписан коллективный '
                "договор</a>")
    news = page('<h1>Подписан коллективный договор</h1><p>Текст новости.</p>'
                '<a href="https://vk.com/share.php?url=x">ВКонтакте</a>')
    assert "share_button" in present(audit({"/": home, "/news/2024/kolldogovor": news}))


# --- detected by content ----------------------------------------------------------------------

def test_one_mention_of_a_primary_organization_is_not_a_list():
    result = audit({"/": page("<p>ППО АО «Северный завод» провела субботник.</p>"
                              '<nav><a href="/org">Организации</a></nav>'),
                    "/org": page("<h1>Организации</h1><p>Список готовится. ППО ООО «Химпром»"
                                 " вступила в профсоюз.</p>", "Организации")})
    assert "member_organizations" not in present(result)


def test_a_team_block_on_the_home_page_is_the_collegial_body():
    assert "collegial_bodies" in present(audit({"/": page(f"<h2>Профком</h2>{TEAM}")}))


def test_a_page_of_decisions_alone_is_not_the_composition():
    decisions = page("<h1>Президиум</h1><ul><li>Постановление президиума № 5 от 12.03.2024 "
                     "«О летней оздоровительной кампании»</li><li>Постановление президиума № 6"
                     "</li></ul><p>Председатель И.И. Иванов</p>", "Президиум")
    result = audit({"/": page('<nav><a href="/prezidium">Президиум</a></nav>'),
                    "/prezidium": decisions})
    assert "body_decisions" in present(result)
    assert "collegial_bodies" not in present(result)


def test_prose_about_the_committee_is_not_a_list_of_its_members():
    prose = page("<h1>Профком</h1><p>Члены профкома — это избранные работниками люди, которые "
                 "представляют их интересы перед работодателем.</p>", "Профком")
    result = audit({"/": page('<nav><a href="/profkom">Профком</a></nav>'), "/profkom": prose})
    assert "collegial_bodies" not in present(result)


def test_fnpr_news_is_a_block_of_links_whatever_its_heading():
    links = "".join(f'<li><a href="https://fnpr.ru/n/2024/03/0{n}/item-{n}.html">Новость {n}'
                    "</a></li>" for n in range(1, 4))
    assert "fnpr_news" in present(audit({"/": page(f"<h2>Федерация сообщает</h2><ul>{links}"
                                                   "</ul>")}))


def test_reprints_with_the_source_as_plain_text_are_not_fnpr_news():
    reprints = page("<h2>Новости ФНПР</h2><p>ФНПР предложила поднять МРОТ. Источник: fnpr.ru"
                    "</p><p>Совет ФНПР собрался. Источник: fnpr.ru</p>")
    assert not {"fnpr_news", "fnpr_link"} & present(audit({"/": reprints}))


# --- a label is not the thing -----------------------------------------------------------------

@pytest.mark.parametrize("target, pages", [
    ("#", {}),
    ("javascript:void(0)", {}),
    ("/metodichka", {"/metodichka": page("<h1>Методические материалы</h1>",
                                         "Методические материалы")}),
    ("/metodichka", {"/metodichka": page("<h1>Методические материалы</h1><p>Раздел в "
                                         "разработке.</p>", "Методические материалы")}),
    ("/missing", {}),
])
def test_a_menu_item_with_nothing_behind_it_is_not_the_material(target, pages):
    home = page(f'<nav><a href="{target}">Методические материалы</a>'
                f'<a href="{target}">Вопрос-ответ</a></nav><p>Новости</p>')
    result = audit({"/": home, **pages})
    assert not {"activist_materials", "ask_question"} & present(result)


def test_a_materials_page_with_documents_counts():
    materials = page('<h1>В помощь профактиву</h1><ul><li><a href="/files/kd.pdf">Как '
                     "заключить коллективный договор</a></li></ul>", "В помощь профактиву")
    result = audit({"/": page('<nav><a href="/profaktivu">Профактиву</a></nav>'),
                    "/profaktivu": materials})
    assert "activist_materials" in present(result)


def test_a_dead_social_icon_is_not_a_link_to_ones_own_page():
    icons = page('<footer><a href="#" class="vk">VK</a><a href="https://vk.com/">ВКонтакте</a>'
                 "</footer>")
    assert "own_social_links" not in present(audit({"/": icons}))


@pytest.mark.parametrize("label", ["Приёмная", "Обратная связь", "Напишите нам", "Обращения"])
def test_pages_for_appeals_count_as_asking_a_question(label):
    form = page(f"<h1>{label}</h1><p>Задайте нам вопрос, и мы ответим в течение трёх дней."
                "</p><p>Электронная почта: prof@example.org</p>", label)
    result = audit({"/": page(f'<footer><a href="/pages/appeal.php">{label}</a></footer>'),
                    "/pages/appeal.php": form})
    assert "ask_question" in present(result)


def test_a_form_for_members_messages_counts_and_a_comment_form_does_not():
    message = parse_page(page('<form><textarea name="message" placeholder="Ваше сообщение">'
                              "</textarea><button>Отправить</button></form>"), "http://x.ru/")
    comment = parse_page(page('<form><textarea name="comment" placeholder="Комментарий">'
                              "</textarea></form>"), "http://x.ru/")
    assert decide_all([message])["ask_question"].present
    assert not decide_all([comment])["ask_question"].present


def test_a_council_listed_by_first_name_and_surname_with_roles_counts():
    cards = "".join(f"<li><b>{name}</b> {role}</li>" for name, role in [
        ("Ковальчук Мария", "председатель совета"), ("Игорь Сафонов", "заместитель"),
        ("Лыкова Анастасия", "секретарь")])
    result = audit({"/": page('<nav><a href="/sostav">Состав совета</a></nav>'),
                    "/sostav": page(f"<h1>Состав Молодёжного совета</h1><ul>{cards}</ul>",
                                    "Состав совета")})
    assert "collegial_bodies" in present(result)


def test_the_sites_own_name_repeated_is_not_a_list_of_organizations():
    own = page("<h1>Первичная профсоюзная организация МБОУ «СОШ № 14»</h1>"
               "<p>Добро пожаловать на сайт первичной профсоюзной организации МБОУ «СОШ № 14»!"
               "</p><p>Наша ППО МБОУ СОШ № 14 входит в Ленинскую районную организацию.</p>"
               "<footer>© ППО МБОУ СОШ № 14</footer>", "ППО МБОУ СОШ № 14")
    assert "member_organizations" not in present(audit({"/": own}))


def test_data_scripts_load_no_widget_and_old_hidden_scripts_still_count():
    from profinfo.monitoring.collectors import counters

    next_data = page('<script id="__NEXT_DATA__" type="application/json">{"widget": '
                     '"https://www.solidarnost.org/informer.js"}</script><p>Главная</p>')
    assert "solidarnost_widget" not in present(audit({"/": next_data}))
    liveinternet = ('<script type="text/javascript"><!--\ndocument.write("<img src=\'//counter'
                    '.yadro.ru/hit?t14.1\'>")\n//--></script>')
    assert counters.has_liveinternet(liveinternet)
    assert not counters.has_liveinternet("<!-- <img src='//counter.yadro.ru/hit'> -->")



def test_a_menu_link_redirecting_to_another_site_is_not_this_sites_page():
    elsewhere = ThreadingHTTPServer(("127.0.0.18", 0), type("Other", (_Site,), {"pages": {
        "/": page(f"<h1>Наши организации</h1><ul>{ORGANIZATIONS}</ul>", "Организации")}}))
    threading.Thread(target=elsewhere.serve_forever, daemon=True).start()
    target = f"http://127.0.0.18:{elsewhere.server_address[1]}/"

    class Redirecting(_Site):
        pages = {"/": page('<nav><a href="/go">Организации</a></nav><p>Главная</p>')}

        def do_GET(self):
            if self.path == "/go":
                self.send_response(302)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.17", 0), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    async def run():
        async with Fetcher(FetchSettings(allow_private=True, backoff=0.01)) as fetcher:
            return await site.collect(f"http://127.0.0.17:{server.server_address[1]}/",
                                      fetcher)

    try:
        result = asyncio.run(run())
    finally:
        for each in (server, elsewhere):
            each.shutdown()
            each.server_close()
    assert "member_organizations" not in present(result)
    assert not any("127.0.0.18" in url for url in result.pages)


def test_hostile_markup_costs_no_more_than_its_length():
    import time

    from profinfo.monitoring.collectors import counters, feeds
    from profinfo.monitoring.collectors.site_criteria import SHARE_LINK

    started = time.monotonic()
    counters.metrica_id("<script>" * 200_000)
    counters.has_liveinternet("<!--" * 300_000)
    feeds.feed_items(("<rss><channel><item><title>x</title><pubDate>Tue, 14 May 2024 10:00:00 "
                      "+0300</pubDate><description>" + "&lt;" * 500_000 +
                      "</description></item></channel></rss>").encode())
    SHARE_LINK.search("https://ok.ru/dk?" + "a" * 1_000_000)
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("link", [
    '<a href="https://vk.com/id458086638">Беляева Ольга Геннадьевна</a>',  # the chair's own page
    '<a href="https://vk.com/gu_central">Профсоюз работников госучреждений РФ ВКонтакте</a>',
    '<a href="https://t.me/profsvyaz">Telegram-канал ЦК Профсоюза работников связи</a>'])
def test_someone_elses_page_is_not_the_organizations_own(link):
    home = page(f"<footer>{link}</footer>", "Первичная профсоюзная организация ООО «Связь»")
    assert "own_social_links" not in present(audit({"/": home}))


def test_the_central_unions_own_site_may_link_its_own_group():
    home = page('<footer><a href="https://vk.com/gu_central">Профсоюз работников '
                "госучреждений РФ ВКонтакте</a></footer>",
                "Общероссийский профсоюз работников госучреждений")
    assert "own_social_links" in present(audit({"/": home}))


def test_a_higher_bodys_decisions_are_not_the_organizations():
    higher = page("<h1>Документы</h1><ul><li>Постановление Президиума ЦС Профсоюза № 2-4 от "
                  "12.03.2024 «О задачах профсоюзов»</li></ul>", "Документы")
    own = page("<h1>Документы</h1><ul><li>Постановление президиума № 5 от 12.03.2024 «О летней "
               "оздоровительной кампании»</li></ul>", "Документы")
    for body, expected in ((higher, False), (own, True)):
        result = audit({"/": page('<nav><a href="/docs">Документы</a></nav>',
                                  "Самарская областная организация профсоюза"), "/docs": body})
        assert ("body_decisions" in present(result)) is expected
