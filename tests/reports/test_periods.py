"""A first look shows data: the default period is the year of the newest figure the viewer
can read, the picker offers presets, the CLI says which period it took."""

import datetime as dt
import json

from django.core.management import call_command
from django.urls import reverse

from profinfo.monitoring import services
from profinfo.monitoring.models import Metric
from profinfo.organizations.scoping import Scope
from profinfo.registry.models import Resource
from profinfo.reports import periods
from tests.contest import conftest as contest_fixtures
from tests.factories import EDITOR, org, user_with

contest, organizer = contest_fixtures.contest, contest_fixtures.organizer  # a 2021 contest

TODAY = dt.date(2026, 12, 1)
EVERYONE = Scope(is_superuser=True)


def scope_of(user):
    user._profinfo_scope = None
    return Scope.for_user(user)


def test_without_figures_the_current_year(db):
    chosen = periods.default_period(EVERYONE, TODAY)
    assert (chosen.start, chosen.end) == (dt.date(2026, 1, 1), TODAY)
    assert chosen.why == "данных пока нет: взят текущий год"


def test_the_year_of_the_newest_figure_the_viewer_can_read(demo):
    chosen = periods.default_period(EVERYONE, TODAY)
    assert (chosen.start, chosen.end, chosen.label) == (
        dt.date(2022, 1, 1), dt.date(2022, 12, 31), "2022 год")
    assert chosen.why == "последний год, за который есть данные"
    tula = Resource.objects.filter(organization=org("Тульская областная")).first()
    services.observation_record(resource=tula, metric=Metric.SUBSCRIBERS, value=10,
                                period_end=dt.date(2024, 5, 1))
    assert periods.default_period(EVERYONE, TODAY).label == "2024 год"
    perm_editor = scope_of(user_with(EDITOR, "Пермская краевая"))
    assert periods.default_period(perm_editor, TODAY).label == "2022 год"  # not Тула's
    services.observation_record(resource=tula, metric=Metric.SUBSCRIBERS, value=11,
                                period_end=dt.date(2026, 11, 30))
    this_year = periods.default_period(EVERYONE, TODAY)
    assert (this_year.start, this_year.end, this_year.why) == (
        dt.date(2026, 1, 1), TODAY, "текущий год")


def test_presets_each_once(demo, contest):
    found = {p.label: (p.start, p.end) for p in periods.presets(EVERYONE, TODAY)}
    assert found["этот год"] == (dt.date(2026, 1, 1), TODAY)
    assert found["прошлый год"] == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert found["этот квартал"] == (dt.date(2026, 10, 1), TODAY)
    assert found["прошлый квартал"] == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert found["2022 год (последние данные)"] == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert found["смотр-конкурс 2021"] == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    first, last = found["весь период данных"]
    assert first.year <= 2021 and last == periods.newest_data_day(EVERYONE) == dt.date(2022, 2, 28)
    first_quarter = {p.label: (p.start, p.end)
                     for p in periods.presets(EVERYONE, dt.date(2026, 2, 10))}
    assert first_quarter["прошлый квартал"] == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert len({(p.start, p.end) for p in periods.presets(EVERYONE, TODAY)}) == len(found)


def test_a_report_page_opens_on_the_viewers_data_and_offers_the_presets(demo, contest,
                                                                         client):
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    page = client.get(reverse("report", args=["social-stats"]))
    html = page.content.decode()
    assert "Период выбран автоматически: 2022 год (01.01.2022–31.12.2022)" in html
    assert page.context["report"].rows, "the default period has the viewer's figures"
    assert "За этот период данных нет." not in html
    assert '<strong aria-current="true">2022 год (последние данные)</strong>' in html
    assert "?start=2021-01-01&amp;end=2021-12-31" in html  # the contest's year
    asked = client.get(reverse("report", args=["social-stats"]),
                       {"start": "2021-01-01", "end": "2021-12-31", "page": "2"})
    asked_html = asked.content.decode()
    assert "Период выбран автоматически" not in asked_html
    assert "смотр-конкурс 2021</strong>" in asked_html
    assert "page=2" not in asked_html.split("Быстрый выбор:")[1].split("</p>")[0]


def test_the_cli_takes_the_default_and_says_so(demo, capsys):
    call_command("report", "social-stats")
    captured = capsys.readouterr()
    assert ("Период не указан: взят 2022 год (01.01.2022–31.12.2022) — последний год, за "
            "который есть данные.") in captured.err
    assert json.loads(captured.out)


def test_an_empty_report_says_what_it_is_built_from_and_what_to_do(demo, client):
    from tests.factories import OBSERVER

    client.force_login(user_with(EDITOR, "Пермская краевая"))
    url = reverse("report", args=["engagement"])
    html = client.get(url, {"start": "2010-01-01", "end": "2010-12-31"}).content.decode()
    assert "За этот период данных нет." in html
    assert "Отчёт строится из последних 10 публикаций страниц ВКонтакте" in html
    assert "PROFINFO_VK_TOKEN" in html
    assert reverse("run-list") in html and "?state=no_address" in html
    assert f'<a href="{reverse("import")}">«Импорт»</a>' in html
    client.force_login(user_with(OBSERVER, "Пермская краевая"))
    html = client.get(url, {"start": "2010-01-01", "end": "2010-12-31"}).content.decode()
    assert "За этот период данных нет." in html and reverse("import") not in html


def test_one_end_given_beyond_the_default_is_refused_not_reversed(demo, client):
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    url = reverse("report", args=["social-stats"])
    page = client.get(url, {"end": "2019-12-31"})  # the default starts on 01.01.2022
    html = page.content.decode()
    assert page.context["report"] is None
    assert "Начало периода (01.01.2022) позже его конца (31.12.2019): укажите обе даты." \
        in html
