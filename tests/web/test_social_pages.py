"""Social pages and site traffic in the web UI: check now, figures kept, staleness, reports."""

import datetime as dt

import pytest
from django.urls import reverse

from profinfo.monitoring.models import Metric, Observation
from profinfo.monitoring.services import observation_record
from profinfo.registry.models import Resource
from tests.factories import ADMIN, EDITOR, OBSERVER, register, report_sheet, user_with
from tests.platform_server import METRICA_TOKEN, VK_TOKEN, FakeMetrica, FakeTelegram, FakeVk


@pytest.fixture(scope="module")
def servers():
    with FakeVk() as vk_server, FakeTelegram() as tg_server, FakeMetrica() as metrica_server:
        yield vk_server, tg_server, metrica_server


@pytest.fixture
def platforms(servers, settings):
    vk_server, tg_server, metrica_server = servers
    metrica_server.quota_exceeded = False
    for name, value in {"PROFINFO_ALLOW_PRIVATE_ADDRESSES": True, "PROFINFO_VK_TOKEN": VK_TOKEN,
                        "PROFINFO_VK_API_URL": vk_server.url + "/method",
                        "PROFINFO_TELEGRAM_URL": tg_server.url,
                        "PROFINFO_METRICA_TOKEN": METRICA_TOKEN,
                        "PROFINFO_METRICA_API_URL": metrica_server.url}.items():
        setattr(settings, name, value)
    return servers


def latest(resource, metric):
    return (Observation.objects.filter(resource=resource, metric=metric)
            .order_by("-observed_at").first())


def test_vk_page_checked_from_its_page(demo, platforms, client, runs_in_process):
    vk = register("https://vk.com/profsoyuz_x", kind="social", network="vk")
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    response = client.post(reverse("social-check", args=[vk.pk]))
    assert response.status_code == 302 and len(runs_in_process) == 1  # a run of one resource
    assert latest(vk, Metric.SUBSCRIBERS).value == 4321
    assert latest(vk, Metric.ENGAGEMENT).value == pytest.approx(58 / 4321)
    assert latest(vk, Metric.LAST_PUBLICATION).value_date == dt.date(2024, 5, 19)
    assert latest(vk, Metric.POSTS).details["posts"][0]["id"] == "-12345678_211"
    html = client.get(reverse("resource-detail", args=[vk.pk])).content.decode()
    assert "1,34\u00a0%" in html  # engagement in percent with two decimals
    assert "Последние 10 публикаций" in html
    assert "без сопровождения и развития" in html  # the recorded posts are from 2024


def test_closed_wall_keeps_subscribers_and_the_failure(demo, platforms, client,
                                                       runs_in_process):
    servers_vk = platforms[0]
    servers_vk.extra_groups["closed_union"] = {"id": 444, "name": "Закрытая",
                                               "screen_name": "closed_union", "is_closed": 1,
                                               "members_count": 77}
    vk = register("https://vk.com/closed_union", kind="social", network="vk")
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    response = client.post(reverse("social-check", args=[vk.pk]), follow=True)
    assert "закрыт" in response.content.decode()  # the failure, on the page
    assert latest(vk, Metric.SUBSCRIBERS).value == 77
    failure = latest(vk, Metric.CHECK)
    assert failure.ok is False and failure.error_code == "private"


def test_telegram_missing_token_is_not_needed_but_missing_page_is_kept(demo, platforms, client,
                                                                       runs_in_process):
    tg = register("https://t.me/nosuchchannel", kind="social", network="telegram_channel")
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    response = client.post(reverse("social-check", args=[tg.pk]), follow=True)
    assert latest(tg, Metric.CHECK).error_message in response.content.decode()
    assert latest(tg, Metric.CHECK).error_code == "not_found"


def test_vk_without_token_says_which_setting(demo, platforms, client, settings,
                                             runs_in_process):
    settings.PROFINFO_VK_TOKEN = ""
    vk = register("https://vk.com/profsoyuz_x", kind="social", network="vk")
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    response = client.post(reverse("social-check", args=[vk.pk]), follow=True)
    assert "PROFINFO_VK_TOKEN" in response.content.decode()


def test_editor_cannot_check_another_organizations_page(demo, platforms, client,
                                                         runs_in_process):
    vk = register("https://vk.com/profsoyuz_x", kind="social", network="vk")
    client.force_login(user_with(EDITOR, "Свердловская областная"))
    assert client.post(reverse("social-check", args=[vk.pk])).status_code == 404
    assert not Observation.objects.filter(resource=vk).exists() and runs_in_process == []


def test_metrica_traffic_for_a_period(demo, platforms, client, runs_in_process):
    site = register("https://perm-prof.example/", kind="site", metrica_id="44147844")
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    html = client.get(reverse("resource-detail", args=[site.pk])).content.decode()
    assert "Яндекс.Метрики (счётчик 44147844)" in html
    loaded = client.post(reverse("site-traffic", args=[site.pk]),
                         {"start": "2024-01-01", "end": "2024-01-31"}, follow=True)
    assert "посетителей — 815, просмотров — 3\u00a0312" in loaded.content.decode()
    visitors = latest(site, Metric.VISITORS)
    assert visitors.value == 815 and visitors.period_start == dt.date(2024, 1, 1)
    assert latest(site, Metric.VIEWS).value == 3312
    reversed_period = client.post(reverse("site-traffic", args=[site.pk]),
                                  {"start": "2024-02-01", "end": "2024-01-01"}, follow=True)
    assert "Начало периода позже его конца" in reversed_period.content.decode()
    too_early = client.post(reverse("site-traffic", args=[site.pk]),
                            {"start": "2007-01-01", "end": "2007-12-31"}, follow=True)
    assert "только с 2008 года" in too_early.content.decode()
    assert len(runs_in_process) == 1  # a period refused starts nothing
    platforms[2].quota_exceeded = True
    refused = client.post(reverse("site-traffic", args=[site.pk]),
                          {"start": "2024-01-01", "end": "2024-01-31"}, follow=True)
    assert "квота" in refused.content.decode().lower()
    assert latest(site, Metric.CHECK).error_code == "rate_limited"


def stale(resource, days_ago):
    observation_record(resource=resource, metric=Metric.LAST_PUBLICATION, value=None,
                       value_date=dt.date.today() - dt.timedelta(days=days_ago),
                       period_end=dt.date.today(), source="automatic")


def test_stale_pages_report_list_filter_and_export(demo, client):
    old = register("https://vk.com/old_ppo_page", kind="social", network="vk")
    quiet = register("https://t.me/quiet_channel", kind="social", network="telegram_channel")
    fresh = register("https://ok.ru/group/5550001", kind="social", network="ok")
    elsewhere = register("https://vk.com/sverdl_page", organization="Свердловская областная",
                     kind="social", network="vk")
    stale(old, 200), stale(quiet, 45), stale(fresh, 3), stale(elsewhere, 300)
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    report = client.get(reverse("stale-report")).content.decode()
    assert old.title in report and quiet.title not in report  # 45 days: stale, not abandoned
    assert elsewhere.title not in report  # outside the editor's scope
    stale_only = client.get(reverse("stale-report") + "?state=stale").content.decode()
    assert old.title in stale_only and quiet.title in stale_only and fresh.title not in stale_only
    listed = client.get(reverse("resource-list") + "?fresh=stale").content.decode()
    assert old.title in listed and fresh.title not in listed
    export = client.get(reverse("stale-report") + "?state=stale&format=xlsx")
    _, rows = report_sheet(export.content)
    assert rows[0][-2:] == ("Последняя публикация", "Дней без публикаций")
    assert [r[-1] for r in rows[1:]] == [200, 45]
    assert isinstance(rows[1][-2], dt.datetime)  # a date cell, not text


def test_figures_over_time_are_charted_engagement_in_percent(demo, client):
    vk = register("https://vk.com/charted_page", kind="social", network="vk")
    for days_ago, value in ((60, 0.012), (30, 0.015), (0, 0.02)):
        observation_record(resource=vk, metric=Metric.ENGAGEMENT, value=value,
                           period_end=dt.date.today() - dt.timedelta(days=days_ago),
                           source="automatic")
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    html = client.get(reverse("resource-detail", args=[vk.pk])).content.decode()
    assert "Вовлечённость, %" in html and "<svg" in html


def test_check_now_never_waits_on_the_network_and_the_page_follows(demo, client, monkeypatch):
    started = []
    monkeypatch.setattr("profinfo.monitoring.runs.run_launch", lambda run: started.append(run))
    vk = register("https://vk.com/profsoyuz_x", kind="social", network="vk")
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    client.post(reverse("social-check", args=[vk.pk]))
    again = client.post(reverse("social-check", args=[vk.pk]), follow=True).content.decode()
    assert len(started) == 1 and "уже идёт" in again  # the second click joins the first
    assert started[0].filters["resource_id"] == vk.pk and started[0].total == 1
    page = client.get(reverse("resource-detail", args=[vk.pk])).content.decode()
    assert "проверяется" in page and 'http-equiv="refresh"' in page
    client.force_login(user_with(EDITOR, "Свердловская областная"))
    assert client.get(reverse("run-detail", args=[started[0].pk])).status_code == 404
    assert vk.title not in client.get(reverse("run-list")).content.decode()


def test_check_now_and_whole_runs_keep_their_own_places(demo, client, monkeypatch):
    started = []
    monkeypatch.setattr("profinfo.monitoring.runs.run_launch", lambda run: started.append(run))
    vk = register("https://vk.com/profsoyuz_x", kind="social", network="vk")
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    client.post(reverse("run-start"), {"kind": ""})  # the organization's whole run, going on
    client.post(reverse("social-check", args=[vk.pk]))  # not joined to it, not blocked by it
    assert [run.trigger for run in started] == ["web", "check-now"]
    page = client.get(reverse("resource-detail", args=[vk.pk])).content.decode()
    assert "проверяется" in page
    archived = register("https://vk.com/old_archived_page", kind="social", network="vk",
                        is_active=False)
    refused = client.post(reverse("social-check", args=[archived.pk]), follow=True)
    assert "Проверять нечего" in refused.content.decode() and len(started) == 2


def test_a_site_without_a_known_last_publication_says_so_and_what_to_do(demo, client):
    seed_site = Resource.objects.get(
        title="Сайт: Свердловская областная организация РОСПРОФПРОМ")  # no address
    client.force_login(user_with(ADMIN, "РОСПРОФПРОМ", username="root-admin-fresh"))
    page = client.get(reverse("resource-detail", args=[seed_site.pk])).content.decode()
    assert "дата последней публикации неизвестна" in page
    assert "нет данных о публикациях" not in page  # its history has 108 of them
    assert "Укажите адрес ресурса в карточке, чтобы его можно было проверить." in page
    site = register("https://perm-news.example/")
    page = client.get(reverse("resource-detail", args=[site.pk])).content.decode()
    assert "Нажмите «Проверить сейчас» на этой странице." in page
    client.force_login(user_with(OBSERVER, "РОСПРОФПРОМ", username="root-observer-fresh"))
    page = client.get(reverse("resource-detail", args=[site.pk])).content.decode()
    assert "Проверки идут по расписанию." in page
