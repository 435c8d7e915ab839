import datetime as dt

import pytest
from django.urls import reverse

from profinfo.monitoring.models import Metric, Observation, Source
from profinfo.organizations.models import Organization
from profinfo.organizations.selectors import subtree
from profinfo.organizations.services import organization_move
from profinfo.registry.models import Resource
from tests.factories import ADMIN, EDITOR, org, resource_of, user_with


@pytest.fixture
def editor_client(demo, client):
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    return client


def test_every_page_renders_for_admin(demo, client):
    client.force_login(user_with(ADMIN, "РОСПРОФПРОМ"))
    resource = Resource.objects.get(url_key="rosprofprom.ru")
    printed = Resource.objects.filter(kind="print").first()
    for url in [reverse("dashboard"), reverse("org-tree"), reverse("org-tree") + "?q=перм",
                reverse("org-detail", args=[org("РОСПРОФПРОМ").pk]),
                reverse("resource-list") + "?kind=social&network=vk&level=territorial&q=рос",
                reverse("resource-detail", args=[resource.pk]),
                reverse("resource-detail", args=[printed.pk]),
                reverse("resource-edit", args=[resource.pk]), reverse("import"),
                reverse("export"), reverse("public"), reverse("resource-choose-org"),
                reverse("resource-create", args=[org("РОСПРОФПРОМ").pk]) + "?kind=digital",
                "/admin/", "/admin/registry/resource/", "/admin/organizations/organization/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'<html lang="ru"' in response.content, url


def test_seed_figures_on_pages(demo, client):
    client.force_login(user_with(ADMIN, "РОСПРОФПРОМ"))
    page = client.get(reverse("org-detail", args=[org("Ивановская областная").pk]))
    assert "2\u00a0142" in page.content.decode()
    site = Resource.objects.get(url_key="rosprofprom.ru")
    detail = client.get(reverse("resource-detail", args=[site.pk])).content.decode()
    assert "108\u00a0549" in detail and "презентация 2022" in detail


def test_bad_url_gets_russian_error_then_saves(editor_client):
    perm = org("Пермская краевая")
    url = reverse("resource-create", args=[perm.pk]) + "?kind=site"
    page = editor_client.post(url, {"kind": "site", "url": "htp:/site", "is_active": "on"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Форма не сохранена" in text and "http" in text
    response = editor_client.post(url, {"kind": "site", "url": "https://www.Perm-Prof.ru/",
                                        "is_active": "on"})
    assert response.status_code == 302
    site = Resource.objects.get(url_key="perm-prof.ru")
    assert site.title == "perm-prof.ru" and site.url == "https://perm-prof.ru/"
    again = editor_client.post(url, {"kind": "site", "url": "http://perm-prof.ru",
                                     "title": "Дубль", "is_active": "on"})
    assert "уже есть в реестре" in again.content.decode()


def test_social_page_network_must_match_url(editor_client):
    url = reverse("resource-create", args=[org("Пермская краевая").pk]) + "?kind=social"
    page = editor_client.post(url, {"kind": "social", "title": "Страница",
                                    "url": "vk.com/public42", "network": "ok"})
    assert "ВКонтакте" in page.content.decode()
    editor_client.post(url, {"kind": "social", "title": "Страница", "url": "vk.com/public42"})
    assert Resource.objects.get(url_key="vk.com/club42").network == "vk"


def test_manual_figures_are_appended_and_shown(editor_client):
    page = resource_of("Пермская краевая", kind="social")
    url = reverse("observation-create", args=[page.pk])
    bad = editor_client.post(url, {"metric": "views", "value": "-3", "period_end": "2024-01-31"})
    text = bad.content.decode()
    assert "отрицательным" in text and "начало периода" in text
    for day, value in (("2024-01-31", "140"), ("2024-02-29", "152")):
        editor_client.post(url, {"metric": "subscribers", "value": value, "period_end": day})
    values = list(page.observations.filter(metric=Metric.SUBSCRIBERS).order_by("period_end")
                  .values_list("value", "source"))
    assert values == [(130.0, Source.PRESENTATION_2022), (140.0, Source.MANUAL),
                      (152.0, Source.MANUAL)]
    detail = editor_client.get(reverse("resource-detail", args=[page.pk])).content.decode()
    assert "<svg" in detail and "152" in detail and "Ручной ввод" in detail


def test_future_figures_are_refused(editor_client):
    page = resource_of("Пермская краевая", kind="social")
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = editor_client.post(reverse("observation-create", args=[page.pk]),
                                  {"metric": "subscribers", "value": "5", "period_end": future})
    assert "в будущем" in response.content.decode()
    assert not Observation.objects.filter(resource=page, source=Source.MANUAL).exists()


def test_edit_history_shows_who_and_what(editor_client):
    page = resource_of("Пермская краевая", kind="social")
    editor_client.post(reverse("resource-edit", args=[page.pk]), {
        "title": "Пермская краевая организация РОСПРОФПРОМ (ВК)", "network": "vk",
        "url": "vk.com/perm_rosprofprom", "is_active": "on", "is_official": "on"})
    detail = editor_client.get(reverse("resource-detail", args=[page.pk])).content.decode()
    assert "editor-Пермская краевая" in detail
    assert "<del>—</del> → <ins>https://vk.com/perm_rosprofprom</ins>" in detail


def test_organization_edit_and_child(editor_client):
    perm = org("Пермская краевая")
    response = editor_client.post(reverse("org-create", args=[perm.pk]), {
        "name": "ППО АО «Пермский завод»", "level": "primary", "members_count": "abc"})
    assert "Введите число" in response.content.decode()
    editor_client.post(reverse("org-create", args=[perm.pk]), {
        "name": "ППО АО «Пермский завод»", "level": "primary", "members_count": "1200",
        "is_active": "on"})
    child = Organization.objects.get(name="ППО АО «Пермский завод»")
    assert child.get_parent() == perm and child.members_count == 1200
    editor_client.post(reverse("org-edit", args=[child.pk]), {
        "name": child.name, "level": "primary", "members_count": "1300", "is_active": "on"})
    page = editor_client.get(reverse("org-detail", args=[child.pk])).content.decode()
    assert "1200" in page and "1300" in page


def test_move_keeps_history_and_subtree(demo):
    votkinsk = org("ППО «Воткинский завод»")
    moved = organization_move(org=votkinsk, new_parent=org("Пермская краевая"))
    assert moved.get_parent().short_name == "Пермская краевая"
    assert moved.history.first().history_change_reason == "Перенесена в «Пермская краевая»"
    assert org("Удмуртская республиканская").numchild == 0
    with pytest.raises(ValueError):
        organization_move(org=org("Пермская краевая"), new_parent=moved)


def test_subtree_query_is_an_index_range_scan(demo):
    from django.db import connection

    perm = org("Пермская краевая")
    queryset = subtree(perm)
    plan = queryset.explain()
    if connection.vendor == "sqlite":
        assert "SEARCH" in plan and "path>" in plan, plan
    assert list(queryset) == [perm]


def test_pages_without_updates_on_dashboard(demo, client):
    from profinfo.monitoring.services import observation_record

    client.force_login(user_with(ADMIN, "РОСПРОФПРОМ"))
    fresh, stale = Resource.objects.filter(kind="social")[:2]
    today = dt.date.today()
    for resource, last in ((fresh, today - dt.timedelta(days=3)),
                           (stale, today - dt.timedelta(days=45))):
        observation_record(resource=resource, metric=Metric.LAST_PUBLICATION, value=None,
                           value_date=last - dt.timedelta(days=100), period_end=last,
                           source=Source.AUTOMATIC)
        observation_record(resource=resource, metric=Metric.LAST_PUBLICATION, value=None,
                           value_date=last, period_end=today, source=Source.AUTOMATIC)
    page = client.get(reverse("dashboard")).content.decode()
    assert stale.title in page and fresh.title not in page.split("Не обновляются")[1]
    assert (today - dt.timedelta(days=45)).strftime("%d.%m.%Y") in page


def test_move_in_the_ui_needs_rights_on_both_sides(demo, client):
    votkinsk = org("ППО «Воткинский завод»")
    client.force_login(user_with(EDITOR, "Удмуртская республиканская"))
    url = reverse("org-move", args=[votkinsk.pk])
    refused = client.post(url, {"new_parent": "Пермская краевая"}).content.decode()
    assert "не найдена" in refused  # Пермь is outside this editor's subtree
    assert org("ППО «Воткинский завод»").get_parent().short_name == "Удмуртская республиканская"
    client.force_login(user_with(ADMIN, "РОСПРОФПРОМ"))
    assert client.post(url, {"new_parent": "Пермская краевая"}).status_code == 302
    assert org("ППО «Воткинский завод»").get_parent().short_name == "Пермская краевая"
    page = client.get(reverse("org-detail", args=[votkinsk.pk])).content.decode()
    assert "Перенесена в «Пермская краевая»" in page


def test_oversized_files_are_refused(editor_client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PROFINFO_FILE_MAX_BYTES = 1000
    edition = Resource.objects.filter(kind="print").first()
    edition.organization = org("Пермская краевая")
    edition.save()
    response = editor_client.post(reverse("print-issue-create", args=[edition.pk]), {
        "number": "1", "date": "2024-01-10",
        "file": SimpleUploadedFile("issue.pdf", b"x" * 5000, "application/pdf")})
    assert "Файл больше" in response.content.decode()
    assert not edition.issues.exists()
    small = SimpleUploadedFile("issue.pdf", b"%PDF-1.4 small", "application/pdf")
    editor_client.post(reverse("print-issue-create", args=[edition.pk]),
                       {"number": "2", "date": "2024-02-10", "file": small})
    issue = edition.issues.get()
    download = editor_client.get(reverse("print-issue-file", args=[edition.pk, issue.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 small"
    assert "attachment" in download["Content-Disposition"]


def test_site_created_by_service_takes_its_title_from_the_address(demo):
    from profinfo.registry.services import resource_create

    site = resource_create(organization=org("Пермская краевая"), kind="site",
                           url="https://www.Perm-Union.ru/")
    assert site.title == "perm-union.ru"
    with pytest.raises(Exception) as info:
        resource_create(organization=org("Пермская краевая"), kind="print")
    assert "Укажите название" in str(info.value)


def test_links_that_keep_the_query_are_followable(demo, client):
    """{% querystring %} writes its own «?»: a second one made links that lost the query."""
    import re

    from tests.factories import ADMIN, user_with

    client.force_login(user_with(ADMIN, "РОСПРОФПРОМ", username="links-admin"))
    html = client.get(reverse("criteria-matrix")).content.decode()
    link = re.search(r'href="(\?[^"]*format=xlsx[^"]*)"', html).group(1).replace("&amp;", "&")
    assert not link.startswith("??")
    response = client.get(reverse("criteria-matrix") + link)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
