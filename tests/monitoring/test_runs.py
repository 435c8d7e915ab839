"""Collection runs: the whole registry checked, each resource with exactly one result per run,
resumable after a clean stop and after a kill, visible in the web UI."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

from profinfo.monitoring import runs
from profinfo.monitoring.accuracy import CorpusServers, corpus_sites
from profinfo.monitoring.models import CollectionRun, Metric, Observation, RunItem
from profinfo.registry.models import Resource
from tests.factories import ADMIN, EDITOR, OBSERVER, org, register, user_with
from tests.platform_server import VK_TOKEN, FakeTelegram, FakeVk

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def farm(transactional_db, settings):
    """The demo registry plus corpus sites and VK/Telegram pages on local servers."""
    from profinfo.demo import load_demo

    load_demo()
    Resource.objects.exclude(url="").update(is_active=False)  # the demo's real addresses
    settings.PROFINFO_ALLOW_PRIVATE_ADDRESSES = True
    sites = corpus_sites()[:6]
    with CorpusServers(sites) as urls, FakeVk() as vk, FakeTelegram() as telegram:
        settings.PROFINFO_VK_TOKEN = VK_TOKEN
        settings.PROFINFO_VK_API_URL = vk.url + "/method"
        settings.PROFINFO_TELEGRAM_URL = telegram.url
        resources = [register(url) for url in urls.values()]
        resources.append(register("http://127.0.0.9:9/", "Свердловская областная"))  # refused
        resources += [register("https://vk.com/profsoyuz_x", kind="social", network="vk"),
                      register("https://vk.com/club222", kind="social", network="vk"),
                      register("https://vk.com/nosuchgroup", kind="social", network="vk"),
                      register("https://t.me/profsoyuz_tg", kind="social",
                               network="telegram_channel")]
        yield resources


def results_per_resource(run):
    rows = (Observation.objects.filter(run=run, metric__in=[Metric.SITE_AUDIT, Metric.POSTS,
                                                            Metric.CHECK])
            .values_list("resource_id", "metric"))
    per: dict[int, list[str]] = {}
    for resource_id, metric in rows:
        per.setdefault(resource_id, []).append(metric)
    return per


def test_collect_checks_every_collectable_resource_once(farm, capsys):
    call_command("collect", "--no-progress", "--concurrency", "4")
    run = CollectionRun.objects.get()
    assert run.status == CollectionRun.Status.DONE and run.finished_at
    assert run.total == len(farm) and run.done + run.failed == len(farm)
    assert run.errors_by_code == {"connection": 1, "not_found": 1}
    per = results_per_resource(run)
    assert set(per) == {r.pk for r in farm}
    for resource in farm:
        outcome = per[resource.pk]
        assert outcome in (["site_audit"], ["posts"], ["check"]), (resource.url, outcome)
    assert Observation.objects.get(run=run, metric=Metric.SUBSCRIBERS,
                                   resource__url="https://vk.com/profsoyuz_x").value == 4321
    assert "Проверено: 9, с ошибкой: 2" in capsys.readouterr().out


def test_filters_choose_resources(farm):
    call_command("collect", "--no-progress", "--kind", "social")
    assert CollectionRun.objects.get().total == 4
    call_command("collect", "--no-progress", "--network", "telegram_channel")
    assert CollectionRun.objects.first().total == 1
    call_command("collect", "--no-progress", "--org", str(org("Свердловская областная").pk))
    assert CollectionRun.objects.first().total == 1
    call_command("collect", "--no-progress", "--only-stale", "1")
    assert CollectionRun.objects.first().total == 6  # the sites had not been checked yet
    call_command("collect", "--no-progress", "--only-stale", "1")
    assert CollectionRun.objects.first().total == 0  # everything was checked just now
    Resource.objects.create(organization=org("Пермская краевая"), kind="site",
                            url="http://127.0.0.9:10/", url_key="127.0.0.9:10", title="новый")
    call_command("collect", "--no-progress", "--never-checked")
    assert CollectionRun.objects.first().total == 1


def test_the_database_refuses_a_second_result_for_a_resource_in_a_run(farm):
    run = runs.run_start(filters=runs.RunFilters())
    Observation.objects.create(resource=farm[0], metric=Metric.CHECK, ok=False,
                               error_code="timeout", period_end="2024-01-01",
                               source="automatic", run=run)
    with pytest.raises(IntegrityError):
        Observation.objects.create(resource=farm[0], metric=Metric.CHECK, ok=False,
                                   error_code="timeout", period_end="2024-01-01",
                                   source="automatic", run=run)


def test_resources_that_timed_out_last_time_are_checked_first(farm):
    from profinfo.monitoring.services import observation_record_failure

    slow = farm[4]
    observation_record_failure(resource=slow, code="timeout", message="Сайт не ответил.")
    run = runs.run_start(filters=runs.RunFilters())
    assert runs.claim(run, 1)[0].resource_id == slow.pk


def test_claims_never_overlap_and_leases_end(farm, settings):
    run = runs.run_start(filters=runs.RunFilters())
    first = runs.claim(run, 5)
    second = runs.claim(run, 100)
    assert len(first) == 5 and not {i.pk for i in first} & {i.pk for i in second}
    assert runs.claim(run, 100) == []
    RunItem.objects.filter(pk=first[0].pk).update(lease_until="2000-01-01T00:00:00Z")
    assert [i.pk for i in runs.claim(run, 100)] == [first[0].pk]  # a dead worker's item
    runs.run_close(run, CollectionRun.Status.STOPPED)
    RunItem.objects.filter(run=run).update(status="pending")
    assert runs.claim(run, 100) == []  # a stopped run gives nothing


# --- stop, kill, resume: real processes on their own database -----------------------------

def _env(data_dir: Path, farm_port: int) -> dict:
    return {**os.environ, "PROFINFO_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "profinfo.settings", "DATABASE_URL": "",
            "PROFINFO_ALLOW_PRIVATE_ADDRESSES": "1", "PROFINFO_RUN_LEASE_SECONDS": "600"}


def _python(env, code: str) -> str:
    script = "import django, json; django.setup()\n" + code
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _collect(env, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "profinfo.cli", "collect", "--no-progress",
                             *args], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _wait_until_some_done(env, minimum: int = 3, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        done = int(_python(env, "from profinfo.monitoring.models import RunItem\n"
                                "print(RunItem.objects.exclude(status__in=['pending',"
                                "'working']).count())"))
        if done >= minimum:
            return
        time.sleep(0.5)
    raise AssertionError("the run made no progress")


@pytest.mark.slow  # a separate process
def test_stop_kill_and_resume(tmp_path):
    port = 18090
    farm = subprocess.Popen([sys.executable, "-m", "bench.collect.farm", "--sites", "30",
                             "--port", str(port), "--min-latency", "0.3", "--max-latency", "0.5",
                             "--faulty", "0", "--lifetime", "300"], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert farm.stdout.readline().startswith("ready")
        env = _env(tmp_path, port)
        subprocess.run([sys.executable, "-m", "profinfo.cli", "migrate", "-v0"], env=env,
                       cwd=ROOT, check=True, timeout=120)
        _python(env, f"""
from profinfo.organizations.models import Organization
from profinfo.registry.services import resource_create
root = Organization.add_root(name="Тест", short_name="Тест", level="ck", kind="union")
for i in range(30):
    resource_create(organization=root, kind="site",
                    url=f"http://127.1.0.{{i + 1}}:{port}/")
""")
        stopped = _collect(env, "--concurrency", "2")
        _wait_until_some_done(env)
        stopped.send_signal(signal.SIGTERM)
        out, err = stopped.communicate(timeout=60)
        assert stopped.returncode == 0, err
        assert "Проверка остановлена; сделанное сохранено" in out
        state = json.loads(_python(env, """
from profinfo.monitoring.models import CollectionRun, RunItem
run = CollectionRun.objects.get()
print(json.dumps({"status": run.status,
                  "working": RunItem.objects.filter(status="working").count()}))"""))
        assert state == {"status": "stopped", "working": 0}
        finished_before = int(_python(env, "from profinfo.monitoring.models import RunItem\n"
                                           "print(RunItem.objects.exclude(status='pending')"
                                           ".count())"))

        killed = _collect(env, "--resume", "--concurrency", "2")
        _wait_until_some_done(env, minimum=finished_before + 3)
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
        held = int(_python(env, "from profinfo.monitoring.models import RunItem\n"
                                "print(RunItem.objects.filter(status='working').count())"))
        assert held > 0, "the kill came between two claims: nothing to take back"

        resumed = _collect(env, "--resume", "--concurrency", "30")
        out, err = resumed.communicate(timeout=180)
        assert resumed.returncode == 0, err
        assert "Возвращено в работу после прерывания" in out  # the killed process's items
        final = json.loads(_python(env, """
from collections import Counter
from profinfo.monitoring.models import CollectionRun, Observation
run = CollectionRun.objects.get()
per = Counter(Observation.objects.filter(run=run, metric__in=["site_audit", "check"])
              .values_list("resource_id", flat=True))
print(json.dumps({"status": run.status, "done": run.done, "failed": run.failed,
                  "resources": len(per), "max": max(per.values())}))"""))
        assert final == {"status": "done", "done": 30, "failed": 0, "resources": 30, "max": 1}
    finally:
        farm.terminate()
        farm.wait(timeout=30)


# --- the web UI ---------------------------------------------------------------------------

def test_runs_from_the_web(farm, client, monkeypatch):
    started = []
    monkeypatch.setattr("profinfo.monitoring.runs.run_launch", lambda run: started.append(run.pk))
    client.force_login(user_with(OBSERVER, "Пермская краевая"))
    assert client.post(reverse("run-start"), {"kind": "site"}).status_code == 403
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    response = client.post(reverse("run-start"), {"kind": "site"})
    run = CollectionRun.objects.get()
    assert response.status_code == 302 and started == [run.pk]
    assert run.total == 6 and run.filters["org_id"] == org("Пермская краевая").pk
    call_command("collect", "--run", str(run.pk), "--no-progress")
    page = client.get(reverse("run-detail", args=[run.pk])).content.decode()
    assert "Завершена" in page and "6" in page
    listing = client.get(reverse("run-list")).content.decode()
    assert f"№ {run.pk}" in listing

    client.force_login(user_with(ADMIN, "РОСПРОФПРОМ", username="root-admin"))
    client.post(reverse("run-start"), {"kind": ""})
    whole = CollectionRun.objects.first()
    assert whole.total == 11  # an administrator of the whole tree takes everything
    call_command("collect", "--run", str(whole.pk), "--no-progress")
    page = client.get(reverse("run-detail", args=[whole.pk])).content.decode()
    failed = RunItem.objects.get(run=whole, error_code="connection").resource
    assert reverse("resource-detail", args=[failed.pk]) in page  # each error links to it
    assert "нет соединения" in page and ">connection<" not in page  # words, not the code

    client.force_login(user_with(EDITOR, "Свердловская областная"))
    assert client.get(reverse("run-detail", args=[run.pk])).status_code == 404


def test_schedule_settings(settings):
    import datetime as dt

    from profinfo.monitoring import schedule

    nightly = schedule.parse("0 2 * * *")
    assert schedule.next_time(nightly, dt.datetime(2024, 5, 20, 1, 59)) == \
        dt.datetime(2024, 5, 20, 2, 0)
    assert schedule.next_time(nightly, dt.datetime(2024, 5, 20, 2, 0)) == \
        dt.datetime(2024, 5, 21, 2, 0)
    sundays = schedule.parse("30 3 * * 0")
    assert schedule.next_time(sundays, dt.datetime(2024, 5, 20, 12, 0)) == \
        dt.datetime(2024, 5, 26, 3, 30)  # 26 May 2024 is a Sunday
    assert schedule.parse("off") is None
    with pytest.raises(schedule.ScheduleError, match="пять полей"):
        schedule.parse("каждую ночь")
    with pytest.raises(schedule.ScheduleError):
        schedule.parse("99 2 * * *")
    settings.PROFINFO_SCHEDULE_SITES = "off"
    assert set(schedule.jobs()) == {"social"}
    beat = schedule.beat_schedule()
    assert beat["social"]["args"] == ({"kind": "social"},) and "watchdog" in beat


def test_scheduler_lists_the_next_runs(settings, capsys):
    settings.PROFINFO_SCHEDULE_SOCIAL, settings.PROFINFO_SCHEDULE_SITES = "0 2 * * *", "off"
    call_command("scheduler", "--list")
    assert "Страницы в соцсетях: следующая проверка" in capsys.readouterr().out
    settings.PROFINFO_SCHEDULE_SOCIAL = "0 2 * *"
    with pytest.raises(Exception, match="Ошибка в расписании"):
        call_command("scheduler", "--list")


def test_a_run_says_what_it_left_out_and_why(demo, client):
    """Of an organization's resources, a run takes the sites and VK/OK/Telegram pages with
    an address; the rest are counted by reason and named on its page, never silently."""
    from profinfo.monitoring import services
    from profinfo.monitoring.models import Source

    parent = org("Пермская краевая")
    plant = parent.add_child(name="ППО завода для проверки", short_name="ППО завода",
                             level="primary")
    Resource.objects.create(organization=plant, kind="site", url="https://plant.example/",
                            title="Сайт")
    Resource.objects.create(organization=plant, kind="site", title="Сайт без адреса")
    Resource.objects.create(organization=plant, kind="social", network="youtube",
                            url="https://youtube.com/@plant", title="YouTube")
    Resource.objects.create(organization=plant, kind="print", title="Газета «Завод»")
    Resource.objects.create(organization=plant, kind="site", title="Старый сайт",
                            is_active=False)
    run = runs.run_start(filters=runs.RunFilters(org_id=plant.pk))
    assert run.total == 1
    assert run.skipped == {"no_address": 1, "not_checked_network": 1, "offline": 1}
    only_sites = runs.run_start(filters=runs.RunFilters(org_id=plant.pk, kind="site"))
    assert only_sites.skipped == {"no_address": 1}  # pages were not asked for

    site = Resource.objects.get(organization=plant, url="https://plant.example/")
    services.observation_record(resource=site, metric=Metric.SUBSCRIBERS, value=1,
                                period_end=site.created_at.date(), source=Source.AUTOMATIC)
    fresh = runs.run_start(filters=runs.RunFilters(org_id=plant.pk, stale_days=7))
    assert fresh.total == 0 and fresh.skipped["checked_recently"] == 1
    again = runs.run_start(filters=runs.RunFilters(org_id=plant.pk, never_checked=True))
    assert again.total == 0 and again.skipped["checked_before"] == 1
    assert CollectionRun.objects.get(pk=again.pk).skipped == again.skipped  # kept

    client.force_login(user_with(EDITOR, "Пермская краевая"))
    page = client.get(reverse("run-detail", args=[run.pk])).content.decode()
    assert "Не вошли в проверку: <strong>3</strong>" in page
    assert "Сайты и страницы без адреса в реестре (адрес добавляется в карточке ресурса): 1" \
        in page and "Печатные издания" in page
    listing = client.get(reverse("resource-list"), {"state": "no_address", "org": plant.pk})
    assert [r.title for r in listing.context["page"]] == ["Сайт без адреса"]
