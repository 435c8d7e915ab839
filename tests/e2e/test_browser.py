"""What a person does in Chromium: log in, browse, make mistakes, fix them, import, export."""

import io
import os
import threading
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.conftest import artifacts_dir, require
from tests.factories import ADMIN, report_sheet, user_with

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.browser
ARTIFACTS = artifacts_dir()


@pytest.fixture(scope="module")
def browser():
    require(Path(CHROMIUM).exists(), f"нет {CHROMIUM} (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db, live_server):
    from profinfo.demo import load_demo

    load_demo()
    user = user_with(ADMIN, "РОСПРОФПРОМ", username="inform")
    user.set_password("Secret-pass-1")
    user.save()
    return live_server.url


@pytest.fixture
def runs_in_threads(monkeypatch):
    """Runs started from the pages (a whole run, «Проверить сейчас») carried out in a thread
    here: a separate process could not see the test database. The threads, to be joined."""
    from django.core.management import call_command
    from django.db import connection

    threads = []

    def collect(run):
        try:
            call_command("collect", "--run", str(run.pk), "--no-progress")
        finally:
            connection.close()  # this thread's own connection, before the test database goes

    def launch(run):
        threads.append(threading.Thread(target=collect, args=(run,)))
        threads[-1].start()

    monkeypatch.setattr("profinfo.monitoring.runs.run_launch", launch)
    yield threads
    for thread in threads:
        thread.join(timeout=120)


def login(page, base):
    page.goto(f"{base}/login/")
    page.fill("#id_username", "inform")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    shows(page, "Неверный логин или пароль")
    page.fill("#id_password", "Secret-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")


def shows(page, text):
    """Waits for the page a click led to, rather than reading the one still on screen."""
    expect(page.locator("body")).to_contain_text(text)


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_tree_and_resource_with_a_bad_url(browser, site):
    page = browser.new_page()
    login(page, site)
    page.get_by_role("link", name="Организации", exact=True).click()
    page.get_by_role("link", name="Пермская краевая", exact=True).click()
    expect(page.locator("h1")).to_have_text("Пермская краевая организация РОСПРОФПРОМ")
    page.click("text=Добавить ресурс")
    page.get_by_role("link", name="Сайт", exact=True).click()
    page.fill("#id_url", "perm prof.ru")
    page.click("button:has-text('Сохранить')")
    shows(page, "Форма не сохранена")
    expect(page.locator("#id_url-errors")).to_contain_text("пробелов")
    assert page.locator("#id_title-errors").count() == 0  # a site's title may stay empty
    shot(page, "resource-error")
    page.fill("#id_url", "https://www.Perm-Prof.ru/")
    page.click("button:has-text('Сохранить')")
    shows(page, "добавлен в реестр")
    expect(page.locator("h1")).to_have_text("perm-prof.ru")


def test_tree_search(browser, site):
    page = browser.new_page()
    login(page, site)
    page.goto(f"{site}/orgs/")
    page.fill("input[name=q]", "воткин")
    page.click("button:has-text('Найти')")
    page.click("text=ППО «Воткинский завод»")
    expect(page.locator(".crumbs")).to_contain_text("Удмуртская республиканская")


def _workbook(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Ресурсы"
    sheet.append(["Организация", "Вид ресурса", "Название", "Адрес"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_import_with_a_bad_row_then_fixed(browser, site, tmp_path):
    from profinfo.registry.models import Resource

    page = browser.new_page()
    login(page, site)
    bad = tmp_path / "regions.xlsx"
    bad.write_bytes(_workbook([["Пермская краевая", "Сайт", "Сайт Перми", "perm-union.ru"],
                               ["Пермская краевая", "Сайт", "Опечатка", "perm-union"]]))
    page.goto(f"{site}/import/")
    page.set_input_files("#id_file", str(bad))
    page.click("button:has-text('Проверить')")
    expect(page.locator("#import-errors")).to_contain_text("не похоже на имя сайта")
    assert "3" in page.locator("#import-errors").inner_text()
    shot(page, "import-error")
    assert not Resource.objects.filter(url_key="perm-union.ru").exists()
    good = tmp_path / "regions-fixed.xlsx"
    good.write_bytes(_workbook([["Пермская краевая", "Сайт", "Сайт Перми", "perm-union.ru"],
                                ["Пермская краевая", "Сайт", "Второй", "perm-union2.ru"]]))
    page.set_input_files("#id_file", str(good))
    page.click("button:has-text('Проверить')")
    shows(page, "новых — 2")
    page.click("button:has-text('Загрузить в реестр')")
    shows(page, "Таблица загружена")
    assert Resource.objects.filter(url_key__in=["perm-union.ru", "perm-union2.ru"]).count() == 2


def test_export_and_reimport(browser, site, tmp_path):
    page = browser.new_page()
    login(page, site)
    page.goto(f"{site}/export/")
    with page.expect_download() as download:
        page.locator("section:has-text('Ресурсы') >> text=Excel (XLSX)").click()
    path = tmp_path / "resources.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value == "№" and sheet.max_row == 34
    page.goto(f"{site}/import/")
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('Проверить')")
    shows(page, "новых — 0, изменённых — 0, без изменений — 33")


def test_phone_dashboard_has_no_horizontal_scroll(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    login(page, site)
    from profinfo.organizations.models import Organization
    from profinfo.registry.models import Resource

    central = Organization.objects.get(short_name="РОСПРОФПРОМ")
    site_page = Resource.objects.get(url_key="rosprofprom.ru")
    for path in ("/dashboard/", "/resources/", "/orgs/", f"/orgs/{central.pk}/",
                 f"/resources/{site_page.pk}/"):
        response = page.goto(site + path)
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    page.goto(site + "/dashboard/")
    shot(page, "dashboard-phone")
    context.close()


def test_site_audit_override_and_matrix(browser, site, settings, runs_in_threads):
    from profinfo.monitoring.accuracy import CorpusServers, corpus_sites
    from profinfo.organizations.models import Organization
    from profinfo.registry.models import Resource

    settings.PROFINFO_ALLOW_PRIVATE_ADDRESSES = True
    folders = [p for p in corpus_sites() if p.name == "joomla_cp1251_ppo"]
    with CorpusServers(folders) as urls:
        perm = Organization.objects.get(name__startswith="Пермская краевая")
        resource = Resource(organization=perm, kind="site", url=urls["joomla_cp1251_ppo"])
        resource.full_clean(validate_unique=False, validate_constraints=False)
        resource.save()
        page = browser.new_page()
        login(page, site)
        page.goto(f"{site}/resources/{resource.pk}/")
        page.click("button:has-text('Проверить сейчас')")
        page.wait_for_selector("text=Проверено", timeout=60_000)  # the page refreshes itself
        audit = page.locator("#audit")
        expect(audit).to_contain_text("Вопрос юристу")  # evidence, read from windows-1251
        expect(audit).to_contain_text("Система управления сайтом: Joomla")
        row = audit.locator("tr", has_text="Вёрстка для смартфона")
        row.locator("summary").click()
        row.locator("input[name=reason]").fill("Сайт переведён на адаптивный шаблон")
        row.locator("select[name=present]").select_option("1")
        row.locator("button:has-text('Сохранить')").click()
        expect(page.locator("#audit")).to_contain_text("Сайт переведён на адаптивный шаблон")
        shot(page, "site-audit")
        page.goto(f"{site}/reports/site-criteria/")
        expect(page.locator("h1")).to_have_text("Сайты по критериям")
        resource.refresh_from_db()
        expect(page.locator("tr", has_text=resource.title)).to_have_count(1)
        shot(page, "criteria-matrix")


def test_telegram_channel_page_and_stale_report(browser, site, settings, runs_in_threads):
    from profinfo.organizations.models import Organization
    from profinfo.registry.models import Resource
    from tests.platform_server import FakeTelegram

    with FakeTelegram() as telegram:
        settings.PROFINFO_ALLOW_PRIVATE_ADDRESSES = True
        settings.PROFINFO_TELEGRAM_URL = telegram.url
        perm = Organization.objects.get(name__startswith="Пермская краевая")
        channel = Resource(organization=perm, kind="social", network="telegram_channel",
                           url="https://t.me/profsoyuz_tg", title="Канал Пермской краевой")
        channel.full_clean(validate_unique=False, validate_constraints=False)
        channel.save()
        page = browser.new_page(viewport={"width": 390, "height": 800})
        login(page, site)
        page.goto(f"{site}/resources/{channel.pk}/")
        page.click("button:has-text('Проверить сейчас')")
        social = page.locator("#social")
        # the check is a run of its own; the page refreshes itself until the figures are there
        expect(social).to_contain_text("12\u00a0345", timeout=60_000)  # the exact count
        expect(social).to_contain_text("Последние 10 публикаций")
        expect(social).to_contain_text("без сопровождения и развития")  # recorded posts: 2024
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, "telegram-channel-phone")
        social.screenshot(path=str(ARTIFACTS / "telegram-channel-phone-figures.png"))
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{site}/reports/")
        page.click("text=Страницы без сопровождения")
        shows(page, "Канал Пермской краевой")
        shot(page, "stale-report")


def test_a_run_started_from_the_web(browser, site, settings, runs_in_threads):
    threads = runs_in_threads

    from profinfo.monitoring.accuracy import CorpusServers, corpus_sites
    from profinfo.organizations.models import Organization
    from profinfo.registry.models import Resource

    settings.PROFINFO_ALLOW_PRIVATE_ADDRESSES = True
    Resource.objects.exclude(url="").update(is_active=False)  # the demo's real addresses
    perm = Organization.objects.get(name__startswith="Пермская краевая")
    with CorpusServers(corpus_sites()[:3]) as urls:
        for url in urls.values():
            Resource.objects.create(organization=perm, kind="site", url=url,
                                    url_key=url.split("://")[1].rstrip("/"), title=url)
        Resource.objects.create(organization=perm, kind="site", url="http://127.0.0.9:9/",
                                url_key="127.0.0.9:9", title="Сайт, который не отвечает")
        page = browser.new_page()
        login(page, site)
        page.get_by_role("link", name="Проверки", exact=True).click()
        page.select_option("select[name=kind]", "site")
        page.click("button:has-text('Запустить')")
        shows(page, "Проверка запущена: ресурсов — 4")
        page.wait_for_selector("text=Завершена", timeout=60_000)  # the page refreshes itself
        expect(page.locator("table")).to_contain_text("Сайт, который не отвечает")
        shows(page, "нет соединения")
        shows(page, "Не вошли в проверку")  # the sites without an address, with the reason
        shot(page, "run-detail")
        page.get_by_role("link", name="Все проверки").click()
        expect(page.locator("td", has_text="№")).to_have_count(1)
        shot(page, "runs")
    for thread in threads:  # the run's last steps come after its page says «Завершена»
        thread.join(timeout=60)


def test_report_page_with_chart_sorting_and_download(browser, site, tmp_path):
    page = browser.new_page()
    login(page, site)
    page.get_by_role("link", name="Отчёты", exact=True).click()
    page.get_by_role("link", name="Лидеры по количеству публикаций").click()
    page.fill("input[name=start]", "2018-01-01")
    page.fill("input[name=end]", "2022-02-28")
    page.click("button:has-text('Показать')")
    expect(page.locator("ul.bars li")).to_have_count(10)
    expect(page.locator("tbody tr").first).to_contain_text("Ивановская областная")
    page.get_by_role("link", name="Количество опубликованных материалов").click()
    expect(page.locator("tbody tr").first).to_contain_text("Волгоградская")  # ascending
    shot(page, "report-leaders")
    with page.expect_download() as download:
        page.click("text=Excel")
    path = tmp_path / "leaders.xlsx"
    download.value.save_as(path)
    caption, rows = report_sheet(path.read_bytes())
    assert caption[0] == "Лидеры по количеству публикаций"
    assert rows[1][2] == 205  # sorted as on the page
