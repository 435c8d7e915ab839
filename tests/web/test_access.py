"""An editor of one ТО can neither read the non-public data of another ТО nor change anything
there: through pages, direct URLs, forged POSTs, exports, imports and the admin site."""

import html
import io

import openpyxl
import pytest
from django.urls import reverse

from profinfo.monitoring.models import Observation
from profinfo.organizations.models import Organization, Person
from profinfo.registry.models import Resource
from tests.factories import ADMIN, EDITOR, EXPERT, OBSERVER, org, resource_of, user_with

OWN, OTHER = "Свердловская областная", "Пермская краевая"


@pytest.fixture
def editor(demo, client):
    user = user_with(EDITOR, OWN)
    client.force_login(user)
    return user


@pytest.fixture
def other_resource(demo):
    resource = resource_of(OTHER, kind="social")
    resource.note = "внутренняя пометка Перми"
    resource.save()
    return resource


def snapshot():
    return (
        list(Resource.objects.order_by("pk").values()),
        list(Organization.objects.order_by("pk").values()),
        Observation.objects.count(),
        Person.objects.count(),
    )


def test_editor_reads_own_subtree(editor, client):
    own = resource_of(OWN)
    assert client.get(reverse("org-detail", args=[org(OWN).pk])).status_code == 200
    assert client.get(reverse("resource-detail", args=[own.pk])).status_code == 200


@pytest.mark.parametrize("name", ["org-detail", "org-edit", "org-create", "person-create",
                                  "resource-create"])
def test_other_organization_pages_are_not_found(editor, client, name):
    response = client.get(reverse(name, args=[org(OTHER).pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["resource-detail", "resource-edit", "observation-create",
                                  "resource-file"])
def test_other_resource_pages_are_not_found(editor, client, other_resource, name):
    response = client.get(reverse(name, args=[other_resource.pk]))
    assert response.status_code == 404
    assert "внутренняя пометка" not in response.content.decode()


def test_forged_posts_change_nothing(editor, client, other_resource):
    before = snapshot()
    posts = [
        (reverse("resource-edit", args=[other_resource.pk]),
         {"title": "Взлом", "network": "vk", "url": "vk.com/hacked"}),
        (reverse("observation-create", args=[other_resource.pk]),
         {"metric": "subscribers", "value": "999999", "period_end": "2024-01-01"}),
        (reverse("org-edit", args=[org(OTHER).pk]),
         {"name": "Взлом", "level": "territorial"}),
        (reverse("org-create", args=[org(OTHER).pk]), {"name": "Новая", "level": "primary"}),
        (reverse("person-create", args=[org(OTHER).pk]), {"full_name": "Чужой"}),
        (reverse("resource-create", args=[org(OTHER).pk]) + "?kind=site",
         {"kind": "site", "url": "evil.example.ru"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert snapshot() == before


def test_moving_own_resource_to_other_org_by_forged_field_is_ignored(editor, client):
    own = resource_of(OWN, kind="social")
    client.post(reverse("resource-edit", args=[own.pk]), {
        "title": own.title, "network": own.network, "is_active": "on",
        "organization": org(OTHER).pk,
    })
    own.refresh_from_db()
    assert own.organization.short_name == OWN


def test_registry_list_and_search_stay_in_subtree(editor, client, other_resource):
    page = client.get(reverse("resource-list")).content.decode()
    assert "Свердловская областная организация РОСПРОФПРОМ" in page
    assert other_resource.title not in page
    search = client.get(reverse("resource-list"), {"q": "пермская"}).content.decode()
    assert other_resource.title not in search
    assert client.get(reverse("resource-list"), {"org": org(OTHER).pk}).status_code == 404


def test_tree_and_dashboard_stay_in_subtree(editor, client):
    tree = client.get(reverse("org-tree"), {"q": "краевая"}).content.decode()
    assert "Пермская краевая" not in tree
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Пермская" not in dashboard


@pytest.mark.parametrize("dataset", ["orgs", "resources", "observations"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_exports_stay_in_subtree(editor, client, other_resource, dataset, fmt):
    response = client.get(reverse("export-file", args=[dataset, fmt]))
    assert response.status_code == 200
    body = response.content
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    else:
        text = body.decode("utf-8-sig")
    assert OTHER not in text
    assert other_resource.title not in text
    if dataset != "observations":
        assert OWN in text


def test_import_into_other_organization_is_refused(editor, client, other_resource):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Ресурсы"
    sheet.append(["№", "Организация", "Вид ресурса", "Название", "Адрес", "Соцсеть"])
    sheet.append([None, OWN, "Сайт", "Свой сайт", "own-site.ru", None])
    sheet.append([None, OTHER, "Сайт", "Чужой сайт", "other-site.ru", None])
    sheet.append([other_resource.pk, OWN, "Страница в соцсети", "Захват", None, "ВКонтакте"])
    sheet.append(["9223372036854775807", OWN, "Сувенирная продукция", "Огромный номер", None,
                  None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = snapshot()
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "import.xlsx"
    page = html.unescape(client.post(reverse("import"), {"file": upload}).content.decode())
    assert f"организация «{OTHER}» не найдена" in page
    # another ТО's resource number reads exactly like a number that exists nowhere
    assert (f"ресурса № {other_resource.pk} нет среди тех, что вы можете изменять" in page
            and "ресурса № 9223372036854775807 нет среди тех, что вы можете изменять" in page)
    assert other_resource.title not in page and "не входит" not in page
    assert snapshot() == before


def test_import_does_not_name_another_organizations_resource_by_its_address(
        editor, client, other_resource):
    other_resource.url = "https://vk.com/other_page_777"
    other_resource.network = "vk"
    other_resource.full_clean()
    other_resource.save()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Ресурсы"
    sheet.append(["№", "Организация", "Вид ресурса", "Название", "Адрес", "Соцсеть"])
    sheet.append([None, OWN, "Страница в соцсети", "Та же страница", "vk.com/other_page_777",
                  "ВКонтакте"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "import.xlsx"
    page = html.unescape(client.post(reverse("import"), {"file": upload}).content.decode())
    assert "этот адрес уже есть в реестре у другой организации" in page
    assert f"№ {other_resource.pk}" not in page and other_resource.title not in page


def test_observer_reads_but_cannot_write(demo, client):
    client.force_login(user_with(OBSERVER, OWN))
    own = resource_of(OWN, kind="social")
    assert client.get(reverse("resource-detail", args=[own.pk])).status_code == 200
    before = snapshot()
    assert client.post(reverse("resource-edit", args=[own.pk]),
                       {"title": "x", "network": "vk"}).status_code == 403
    assert client.post(reverse("observation-create", args=[own.pk]),
                       {"metric": "subscribers", "value": "1",
                        "period_end": "2024-01-01"}).status_code == 403
    assert client.get(reverse("import")).status_code == 403
    assert snapshot() == before
    page = client.get(reverse("resource-detail", args=[own.pk])).content.decode()
    assert reverse("resource-edit", args=[own.pk]) not in page


def test_expert_cannot_write(demo, client):
    client.force_login(user_with(EXPERT, OWN))
    own = resource_of(OWN, kind="social")
    assert client.post(reverse("resource-edit", args=[own.pk]),
                       {"title": "x", "network": "vk"}).status_code == 403


def test_account_without_role_sees_nothing(demo, client):
    client.force_login(user_with(None))
    assert client.get(reverse("dashboard")).status_code == 403
    assert client.get(reverse("resource-list")).status_code == 403
    assert client.get(reverse("export-file", args=["resources", "csv"])).status_code == 403


def test_anonymous_is_sent_to_login_and_sees_public_page_only(demo, client):
    response = client.get(reverse("resource-list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("export-file", args=["orgs", "csv"])).status_code == 302
    public = client.get(reverse("public")).content.decode()
    assert "rosprofprom.ru" in public
    assert "РОСПРОФПРОМ-Башкортостан" not in public  # not marked public


def test_admin_site_is_scoped(demo, client, other_resource):
    editor = user_with(EDITOR, OWN)
    client.force_login(editor)
    assert client.get("/admin/registry/resource/").status_code == 302  # not staff
    client.force_login(user_with(ADMIN, OWN, username="admin-sverdlovsk"))
    listing = client.get("/admin/registry/resource/").content.decode()
    assert "Свердловская областная организация РОСПРОФПРОМ" in listing
    assert other_resource.title not in listing
    change = client.get(f"/admin/registry/resource/{other_resource.pk}/change/")
    assert change.status_code == 302 and change["Location"] == "/admin/"  # «no such object»
    before = snapshot()
    client.post(f"/admin/registry/resource/{other_resource.pk}/change/", {"title": "Взлом"})
    client.post(f"/admin/registry/resource/{other_resource.pk}/delete/", {"post": "yes"})
    assert snapshot() == before
    assert client.get("/admin/auth/user/").status_code == 403  # accounts: whole-tree admins


def test_root_admin_manages_everything(demo, client, other_resource):
    client.force_login(user_with(ADMIN, "РОСПРОФПРОМ"))
    assert client.get(reverse("resource-edit", args=[other_resource.pk])).status_code == 200
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get(f"/admin/registry/resource/{other_resource.pk}/change/").status_code == 200


def test_form_does_not_name_another_organizations_resource_by_its_address(editor, client):
    other_site = Resource.objects.create(organization=org(OTHER), kind="site",
                                         title="Сайт чужой", url="https://other-to.example/",
                                         url_key="other-to.example")
    url = reverse("resource-create", args=[org(OWN).pk]) + "?kind=site"
    page = html.unescape(client.post(url, {"kind": "site", "url": "http://other-to.example",
                                           "title": "Мой", "is_active": "on"}).content.decode())
    assert "уже есть в реестре у другой организации" in page
    assert f"№ {other_site.pk}" not in page and other_site.title not in page
