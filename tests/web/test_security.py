"""The findings of the security pass (issue 12), each reproduced as it was reported."""

from __future__ import annotations

import html
import io
import os
import subprocess
import sys
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from profinfo.monitoring.fetcher import AddressGuard, FetchSettings
from profinfo.monitoring.models import CollectionRun
from profinfo.organizations.models import Membership
from profinfo.web.middleware import SEEN_KEY
from tests.factories import ADMIN, EDITOR, register, user_with

User = get_user_model()


# --- 3. no way up from one's own role --------------------------------------------------------

def test_root_administrator_cannot_make_itself_superuser(demo, client):
    root_admin = user_with(ADMIN, "РОСПРОФПРОМ", username="root-admin")
    client.force_login(root_admin)
    url = reverse("admin:auth_user_change", args=[root_admin.pk])
    form = client.get(url).content.decode()
    assert 'name="is_superuser"' not in form and 'name="user_permissions"' not in form
    assert 'name="groups"' not in form and 'name="is_staff"' not in form
    client.post(url, {
        "username": "root-admin", "is_active": "on", "is_superuser": "on", "is_staff": "on",
        "user_permissions": ["1", "2"], "date_joined_0": "2024-01-01", "date_joined_1": "10:00",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    root_admin.refresh_from_db()
    assert not root_admin.is_superuser and not root_admin.user_permissions.exists()
    superuser = User.objects.create_superuser("boss", password="long-enough-passw0rd")
    boss_url = reverse("admin:auth_user_change", args=[superuser.pk])
    assert client.post(boss_url, {"username": "boss2"}).status_code == 403
    superuser.refresh_from_db()
    assert superuser.username == "boss"


def test_territorial_administrator_sees_only_its_own_accounts(demo, client):
    admin = user_with(ADMIN, "Пермская краевая", username="perm-admin")
    own = user_with(EDITOR, "Пермская краевая", username="perm-editor")
    user_with(EDITOR, "Свердловская областная", username="sverdl-editor-secret")
    client.force_login(admin)
    form = client.get(reverse("admin:organizations_membership_add")).content.decode()
    assert own.username in form and "sverdl-editor-secret" not in form
    other_root = Membership.objects.get(user__username="sverdl-editor-secret")
    response = client.post(reverse("admin:organizations_membership_add"), {
        "user": other_root.user_id, "organization": admin.memberships.get().organization_id,
        "role": ADMIN})
    assert response.status_code == 200  # the form says the choice is not allowed
    assert not Membership.objects.filter(user__username="sverdl-editor-secret",
                                         role=ADMIN).exists()


# --- 4. login throttling ---------------------------------------------------------------------

def test_login_is_locked_after_wrong_passwords_and_unlocked_by_an_administrator(demo, client,
                                                                                settings):
    user = user_with(EDITOR, "Пермская краевая", username="victim")
    user.set_password("the-right-password-1")
    user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": "victim", "password": "wrong"})
        assert response.status_code == 200
    assert client.post(reverse("login"), {"username": "victim",
                                          "password": "wrong"}).status_code == 429
    locked = client.post(reverse("login"), {"username": "victim",
                                            "password": "the-right-password-1"})
    page = html.unescape(locked.content.decode())
    assert locked.status_code == 429 and "Вход временно закрыт" in page and "15 мин" in page
    assert "_auth_user_id" not in client.session

    root = user_with(ADMIN, "РОСПРОФПРОМ", username="root-admin")
    admin_client = type(client)()
    admin_client.force_login(root)
    from axes.models import AccessAttempt, AccessFailureLog

    attempt = AccessAttempt.objects.get(username="victim")
    assert AccessFailureLog.objects.filter(username="victim").count() >= 4  # the journal
    page = admin_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]),
                             {"post": "yes"})
    assert page.status_code == 302 and not AccessAttempt.objects.exists()
    after = client.post(reverse("login"), {"username": "victim",
                                           "password": "the-right-password-1"})
    assert after.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


# --- 7. sessions, CSP, caching ---------------------------------------------------------------

def test_idle_session_ends(demo, client, settings):
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    assert client.get(reverse("dashboard")).status_code == 200
    session = client.session
    session[SEEN_KEY] = time.time() - settings.PROFINFO_SESSION_IDLE_MINUTES * 60 - 5
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("dashboard")).status_code == 302  # signed out for good


def test_csp_and_no_store_on_signed_in_pages_and_files(demo, client):
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    page = client.get(reverse("dashboard"))
    policy = page["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "no-store" in page["Cache-Control"]
    body = page.content.decode()
    assert "style=" not in body and "<script>" not in body  # nothing inline for CSP to block
    download = client.get(reverse("export-file", args=["resources", "csv"]))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]


def test_templates_have_no_inline_styles_or_scripts():
    from pathlib import Path

    import profinfo

    templates = Path(profinfo.__file__).parent.glob("**/templates/**/*.html")
    offenders = [str(t) for t in templates
                 if "style=" in t.read_text() or "<script>" in t.read_text()
                 or " onclick=" in t.read_text()]
    assert offenders == []


# --- passwords and the console ---------------------------------------------------------------

def test_createadmin_refuses_weak_passwords(demo):
    for weak in ("password", "short-1", "123456789012"):
        with pytest.raises(CommandError, match="Пароль не подходит"):
            call_command("createadmin", "newadmin", password=weak)
    call_command("createadmin", "newadmin", password="correct-horse-battery")
    assert User.objects.get(username="newadmin").is_staff


def test_serve_never_prints_the_password(demo, settings, monkeypatch, capsys):
    from profinfo.web.management.commands.demo import admin_password_file, ensure_demo_admin

    password = ensure_demo_admin()
    assert password and admin_password_file().read_text().strip() == password
    served = []
    monkeypatch.setattr("waitress.serve", lambda app, **kwargs: served.append(kwargs))
    call_command("serve")
    call_command("demo")
    output = capsys.readouterr().out
    assert password not in output and str(admin_password_file()) in output
    assert served[0]["max_request_body_size"] > settings.PROFINFO_IMPORT_MAX_BYTES


PRODUCTION = {
    "PROFINFO_SECRET_KEY": "x7Gk2pQ9vL4mZ8rT1wY6bN3cF5hJ0dS8aE2uI7oP4lK9zX1qW6eR3tY5uI8oP2",
    "PROFINFO_ALLOWED_HOSTS": "profinfo.example.org",
    "PROFINFO_SECURE_COOKIES": "true",
    "PROFINFO_SSL_REDIRECT": "true",
    "PROFINFO_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
    "PROFINFO_TRUSTED_PROXIES": "1",
    "PROFINFO_HSTS_SECONDS": "31536000",
    "PROFINFO_HSTS_INCLUDE_SUBDOMAINS": "true",
    "PROFINFO_HSTS_PRELOAD": "true",
}


@pytest.mark.slow  # a separate process
def test_check_deploy_is_clean_with_the_readme_production_settings(tmp_path):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name, value in PRODUCTION.items():
        if name != "PROFINFO_SECRET_KEY":
            assert f"{name}={value}" in readme, name  # the README shows these very settings
    clean = {k: v for k, v in os.environ.items()  # as a server starts: no test switches
             if not k.startswith(("DJANGO_", "PROFINFO_"))}
    env = {**clean, **PRODUCTION, "PROFINFO_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "profinfo.cli", "check", "--deploy",
                             "--fail-level", "WARNING"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    plain = subprocess.run([sys.executable, "-m", "profinfo.cli", "check", "--deploy"],
                           env={**clean, "PROFINFO_DATA_DIR": str(tmp_path)},
                           capture_output=True, text=True, timeout=120)
    assert "security.W004" in plain.stderr  # the check does look: the default is not HTTPS


# --- 5, 6. limits ------------------------------------------------------------------------------

def test_long_search_is_cut_not_an_error(demo, client):
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    text = "%_" * 30_000
    for name in ("resource-list", "org-tree"):
        assert client.get(reverse(name), {"q": text}).status_code == 200


def test_six_run_requests_start_one_run(demo, client, monkeypatch):
    started = []
    monkeypatch.setattr("profinfo.monitoring.runs.run_launch", lambda run: started.append(run.pk))
    register("http://127.0.0.1:9/", "Пермская краевая")
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    for _ in range(6):
        client.post(reverse("run-start"), {"kind": ""})
    assert len(started) == 1
    assert CollectionRun.objects.filter(status=CollectionRun.Status.RUNNING).count() == 1
    page = html.unescape(client.get(reverse("run-list")).content.decode())
    assert "уже идёт" in page


def test_second_import_of_one_person_waits_its_turn(demo, client):
    from profinfo import spreadsheets

    editor = user_with(EDITOR, "Пермская краевая")
    client.force_login(editor)
    upload = io.BytesIO("Вид ресурса;Название;Организация\n".encode())
    upload.name = "x.csv"
    with spreadsheets.import_slot(editor.pk):  # the first import is still being read
        page = html.unescape(client.post(reverse("import"), {"file": upload}).content.decode())
    assert "Предыдущая таблица ещё проверяется" in page
    upload.seek(0)
    page = html.unescape(client.post(reverse("import"), {"file": upload}).content.decode())
    assert "Предыдущая таблица" not in page


def test_upload_is_counted_as_it_arrives(demo, client, settings):
    settings.PROFINFO_IMPORT_MAX_BYTES = settings.PROFINFO_FILE_MAX_BYTES = 50_000
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    upload = io.BytesIO(b"a;b\n" + b"1;2\n" * 100_000)
    upload.name = "big.csv"
    page = html.unescape(client.post(reverse("import"), {"file": upload}).content.decode())
    assert "Файл больше" in page or "слишком большой" in page


@pytest.mark.parametrize("address", ["2002:7f00:1::1", "192.0.0.192", "64:ff9b::7f00:1",
                                     "2001:0:7f00:1::1", "::127.0.0.1", "fec0::1",
                                     "192.88.99.1", "127.0.0.1", "::ffff:10.0.0.1"])
def test_address_guard_refuses_tunnels_to_inside(address):
    assert not AddressGuard(FetchSettings(allow_private=False)).permits(address)


def test_address_guard_lets_public_addresses_through():
    guard = AddressGuard(FetchSettings(allow_private=False))
    assert guard.permits("8.8.8.8") and guard.permits("2a00:1450::1")


def test_behind_a_proxy_the_lock_counts_the_clients_own_address(demo, client, settings):
    """Five wrong passwords from one address lock that login there, not for a colleague
    who comes through the same proxy from another address."""
    settings.PROFINFO_TRUSTED_PROXIES = 1
    user = user_with(EDITOR, "Пермская краевая", username="colleague")
    user.set_password("the-right-password-1")
    user.save()
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 10.1.1.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "colleague", "password": "x"}, **attacker)
    locked = client.post(reverse("login"), {"username": "colleague",
                                            "password": "the-right-password-1"}, **attacker)
    assert locked.status_code == 429
    colleague = type(client)().post(reverse("login"), {
        "username": "colleague", "password": "the-right-password-1"},
        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.2.2.2")
    assert colleague.status_code == 302  # signed in


def test_an_upload_cut_off_on_arrival_is_refused_everywhere(demo, settings):
    """The stand-in the upload handler leaves for a file past the limit is refused by the
    models' own check, so the admin site cannot keep it as an empty file."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import UploadedFile

    from profinfo.registry.models import PrintIssue, Resource, file_size_limit

    stand_in = UploadedFile(io.BytesIO(b""), name="big.pdf", size=10**9)
    with pytest.raises(ValidationError, match="МБ"):
        file_size_limit(stand_in)
    edition = Resource.objects.filter(kind="print").first()
    issue = PrintIssue(resource=edition, date="2024-01-01", file=stand_in)
    with pytest.raises(ValidationError):
        issue.full_clean()


def test_a_login_is_not_an_edit_of_the_account(demo, client):
    user = user_with(EDITOR, "Пермская краевая", username="daily")
    user.set_password("the-right-password-1")
    user.save()
    before = user.history.count()
    for _ in range(3):
        client.post(reverse("login"), {"username": "daily", "password": "the-right-password-1"})
        client.post(reverse("logout"))
    user.refresh_from_db()
    assert user.last_login is not None and user.history.count() == before
