"""Federation-scale registry benchmark: import speed and page latency under load.

Usage: python bench/registry/run.py [--database-url URL] [--scale 1.0] [--clients 8]
Prints one line per measurement and the ratios against the baselines. Bounded in time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = time.monotonic() + 45 * 60


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="1.0 = 100,000 orgs, 300,000 resources, 3,000,000 observations")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=25, help="per client and page")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="keep the generated data folder")
    parser.add_argument("--reuse", metavar="DIR", help="a folder kept by --keep (SQLite): "
                        "measure again without generating")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-reports", action="store_true")
    return parser.parse_args()


def setup_django(args) -> Path:
    data_dir = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(
        prefix="profinfo-bench-"))
    os.environ["PROFINFO_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "profinfo.settings"
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        _recreate_postgres_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data_dir


def _recreate_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


# --- data ---------------------------------------------------------------------------------

def generate(scale: float) -> dict:
    from django.db import connection, transaction

    from profinfo import bulk
    from profinfo.monitoring.models import LatestValue, Observation
    from profinfo.organizations.models import Level, Organization
    from profinfo.registry.models import PrintIssue, Resource

    n_orgs = int(100_000 * scale)
    n_to = max(2, n_orgs // 1250)
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    with transaction.atomic():
        root = Organization.add_root(name="Федерация", short_name="ФНПР", level=Level.CENTRAL)
        orgs, tos = [], []
        for t in range(n_to):
            to = Organization(name=f"Территориальная организация {t}", short_name=f"ТО {t}",
                              level=Level.TERRITORIAL, region=f"Регион {t}",
                              path=Organization._get_path(root.path, 2, t + 1), depth=2,
                              numchild=0, created_at=now, updated_at=now)
            tos.append(to)
        for index in range(n_orgs - n_to - 1):
            parent = tos[index % n_to]
            parent.numchild += 1
            orgs.append(Organization(
                name=f"ППО предприятия {index}", short_name=f"ППО {index}",
                level=Level.PRIMARY, region=parent.region, members_count=rng.randint(50, 5000),
                path=Organization._get_path(parent.path, 3, parent.numchild), depth=3,
                numchild=0, created_at=now, updated_at=now))
        root.numchild = n_to
        root.save()
        for org in tos + orgs:
            org.search_text = f"{org.name} {org.short_name} {org.region}".casefold()
        bulk.insert(Organization, tos + orgs)
        resources, issues = _resources(tos + orgs, rng, now)
        bulk.insert(Resource, resources)
        for issue in issues:
            issue.resource_id = issue.resource.pk
        bulk.insert(PrintIssue, issues)
        observations, latest = [], {}
        for resource in resources:
            observations.extend(_observations(resource, rng, now))
            if len(observations) >= 200_000:
                _flush(observations, latest, bulk, Observation)
        _flush(observations, latest, bulk, Observation)
        bulk.insert(LatestValue, list(latest.values()))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does after a load; plans depend on it
    return {"organizations": n_orgs, "resources": len(resources),
            "observations": Observation.objects.count(), "seconds": time.perf_counter() - started,
            "territorial": tos[len(tos) // 2].pk}


def _resources(orgs, rng: random.Random, now) -> tuple[list, list]:
    """Three resources per organization: a site, a VK page and a third one — a Telegram
    channel for most, else a print edition with its issues or a digital service."""
    from profinfo.registry.models import (
        DigitalService,
        Kind,
        Network,
        Periodicity,
        PrintIssue,
        PrintType,
        Resource,
    )

    today = dt.date.today()
    resources, issues = [], []
    for org in orgs:
        third = rng.choices(["telegram", "print", "digital"], weights=[6, 2, 2])[0]
        for k, kind in enumerate(["site", "vk", third]):
            key = {"site": f"org{org.pk}.example.ru", "vk": f"vk.com/club{org.pk * 10 + k}",
                   "telegram": f"t.me/org{org.pk}x{k}"}.get(kind, "")
            resource = Resource(
                organization_id=org.pk, title=f"Ресурс {k} организации {org.short_name}",
                url=f"https://{key}" if key else "", url_key=key or None,
                search_text=f"ресурс {k} {org.short_name} {key}".casefold(),
                created_at=now, updated_at=now, is_public=k == 0)
            if kind == "site":
                resource.kind = Kind.SITE
            elif kind in ("vk", "telegram"):
                resource.kind = Kind.SOCIAL
                resource.network = Network.VK if kind == "vk" else Network.TELEGRAM_CHANNEL
                resource.is_youth_council = rng.random() < 0.05
                resource.is_leader_page = rng.random() < 0.03
            elif kind == "print":
                resource.kind, resource.print_type = Kind.PRINT, PrintType.BULLETIN
                resource.periodicity = Periodicity.MONTHLY
                for month in range(rng.randint(6, 12)):
                    issues.append(PrintIssue(resource=resource, number=str(month + 1),
                                             date=today - dt.timedelta(days=30 * month + 3)))
            else:
                resource.kind = Kind.DIGITAL
                resource.service_type = rng.choice([s for s in DigitalService])
            resources.append(resource)
    return resources, issues


SITE_CYCLE = ["publications", "visitors", "views", "site_audit", "last_publication", "views"]
PAGE_CYCLE = ["subscribers", "posts_per_week", "engagement", "last_publication"]


def _observations(resource, rng: random.Random, now) -> list:
    """A year of monthly figures: 12 for a site, 11 for a social page, none otherwise."""
    from profinfo.monitoring.collectors.site_criteria import CRITERIA
    from profinfo.monitoring.models import Metric, Observation, Source
    from profinfo.registry.models import Kind

    cycle, count = {Kind.SITE: (SITE_CYCLE, 12), Kind.SOCIAL: (PAGE_CYCLE, 11)}.get(
        resource.kind, ([], 0))
    today = dt.date.today()
    result = []
    for i in range(count):
        metric = cycle[i % len(cycle)]
        end = today - dt.timedelta(days=30 * (count - i))
        obs = Observation(resource_id=resource.pk, metric=metric, period_end=end,
                          source=Source.IMPORT, observed_at=now, details={})
        if metric in (Metric.PUBLICATIONS, Metric.VISITORS, Metric.VIEWS):
            obs.period_start, obs.value = end - dt.timedelta(days=29), rng.randint(0, 5000)
        elif metric == Metric.LAST_PUBLICATION:
            obs.value_date = end - dt.timedelta(days=rng.randint(0, 200))
        elif metric == Metric.SITE_AUDIT:
            found = {code: {"present": rng.random() < 0.6} for code in CRITERIA}
            obs.details = {"criteria": found}
            obs.value = sum(v["present"] for v in found.values())
        elif metric == Metric.ENGAGEMENT:
            obs.value = rng.random() * 0.03
        elif metric == Metric.POSTS_PER_WEEK:
            obs.value = rng.randint(0, 20) / 4
        else:
            obs.value = rng.randint(0, 5000)
        result.append(obs)
    return result


def _flush(observations, latest, bulk, model):
    from profinfo.monitoring.models import LatestValue

    bulk.insert(model, observations)
    for obs in observations:
        latest[(obs.resource_id, obs.metric)] = LatestValue(
            resource_id=obs.resource_id, metric=obs.metric, observation_id=obs.pk,
            value=obs.value, value_date=obs.value_date, period_end=obs.period_end,
            observed_at=obs.observed_at)
    observations.clear()


# --- (a) import -------------------------------------------------------------------------

def bench_import(rows: int, territorial_id: int) -> dict:
    import openpyxl

    from profinfo.organizations.models import Organization
    from profinfo.organizations.scoping import Scope
    from profinfo.spreadsheets import import_file

    orgs = list(Organization.objects.filter(depth=3).values_list("pk", "short_name")[:2000])
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Ресурсы")
    sheet.append(["№ организации", "Организация", "Вид ресурса", "Название", "Адрес",
                  "Ответственный", "Открытый"])
    for n in range(rows):
        pk, name = orgs[n % len(orgs)]
        sheet.append([pk, name, "Сайт", f"Новый сайт {n}", f"https://www.new-site-{n}.ru/",
                      f"Иванов И. И. {n % 97}", "да" if n % 3 else "нет"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()

    started = time.perf_counter()
    raw = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    count = sum(1 for _ in raw.active.iter_rows(values_only=True))
    raw_seconds = time.perf_counter() - started

    started = time.perf_counter()
    plan = import_file(data, "bench.xlsx", scope=Scope(is_superuser=True))
    import_seconds = time.perf_counter() - started
    assert plan.ok, plan.errors[:5]
    assert plan.sheets[0].creates and len(plan.sheets[0].creates) == rows
    return {"rows": count - 1, "raw_read_s": raw_seconds, "import_s": import_seconds,
            "ratio": import_seconds / raw_seconds, "bytes": len(data)}


# --- (b) pages under load -----------------------------------------------------------------

def session_cookie() -> str:
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from profinfo.organizations.models import Organization, Role
    from profinfo.organizations.services import membership_grant

    user = get_user_model().objects.filter(username="bench").first() or \
        get_user_model().objects.create_user("bench", password="bench-password-1")
    membership_grant(user=user, org=Organization.get_root_nodes().first(), role=Role.ADMIN)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def start_server(port: int, data_dir: Path) -> subprocess.Popen:
    env = dict(os.environ, PROFINFO_DATA_DIR=str(data_dir))
    process = subprocess.Popen(
        [sys.executable, "-m", "profinfo.cli", "serve", "--port", str(port), "--threads", "8"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import httpx

    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("сервер не запустился: " + process.stderr.read().decode()[-2000:])


def load(url: str, cookie: str, clients: int, per_client: int) -> list[float]:
    import httpx

    timings: list[float] = []
    lock = threading.Lock()
    errors: list[str] = []

    def worker():
        with httpx.Client(cookies={"sessionid": cookie}, timeout=60) as client:
            for _ in range(per_client):
                if time.monotonic() > DEADLINE:
                    return
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    errors.append(f"{url}: HTTP {response.status_code}")
                    return
                with lock:
                    timings.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(errors[0])
    return timings


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def bench_pages(args, data_dir: Path, territorial_id: int) -> dict:
    cookie = session_cookie()
    server = start_server(args.port, data_dir)
    base = f"http://127.0.0.1:{args.port}"
    pages = {
        "trivial view (/healthz)": "/healthz",
        "dashboard": "/dashboard/",
        "ТО organization page": f"/orgs/{territorial_id}/",
        "registry list, ТО subtree": f"/resources/?org={territorial_id}",
        "registry list, ТО subtree, page 10": f"/resources/?org={territorial_id}&page=10",
    }
    results = {}
    try:
        for name, path in pages.items():
            load(base + path, cookie, 2, 2)  # warm-up
            timings = load(base + path, cookie, args.clients, args.requests)
            results[name] = {"p50": percentile(timings, 50), "p95": percentile(timings, 95),
                             "n": len(timings)}
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results


def _print_report(name: str, ours: float, theirs: float | None) -> None:
    print(f"    {name}: {ours:.2f} s" + (f"; pandas {theirs:.2f} s; ratio {ours / theirs:.2f}x "
                                        "(goal <= 1x)" if theirs else ""), flush=True)


def main():
    args = parse_args()
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    data_dir = setup_django(args)
    from django.db import connection

    print(f"database: {connection.vendor}; scale {args.scale}")
    try:
        info_file = data_dir / "generated.json"
        if args.reuse:
            info = json.loads(info_file.read_text())
        else:
            info = generate(args.scale)
            info_file.write_text(json.dumps(info))
        print(f"generated {info['organizations']:,} organizations, {info['resources']:,} "
              f"resources, {info['observations']:,} observations in {info['seconds']:.0f} s")
        if not args.skip_import:
            rows = max(1000, int(args.import_rows * min(1.0, args.scale * 10)))
            result = bench_import(rows, info["territorial"])
            print(f"(a) import of {result['rows']:,} rows ({result['bytes'] / 1e6:.1f} MB): "
                  f"{result['import_s']:.1f} s; raw openpyxl read-only: "
                  f"{result['raw_read_s']:.1f} s; ratio {result['ratio']:.2f}x (goal <= 3x)")
        if not args.skip_reports:
            from bench.registry.reports import bench_reports

            print("(c) reports over the whole federation, best of 3, against pandas over CSV "
                  "exports of the same data:")
            checked, differ = bench_reports(data_dir, _print_report)
            print(f"    ratings checked against pandas: {checked:,} organizations, "
                  f"{differ} with a different total or rank")
        pages = bench_pages(args, data_dir, info["territorial"])
        trivial = pages.pop("trivial view (/healthz)")
        print(f"(b) {args.clients} concurrent clients; trivial view p50 "
              f"{trivial['p50'] * 1000:.1f} ms, p95 {trivial['p95'] * 1000:.1f} ms")
        for name, timing in pages.items():
            print(f"    {name}: p50 {timing['p50'] * 1000:.1f} ms, p95 "
                  f"{timing['p95'] * 1000:.1f} ms; p95 ratio "
                  f"{timing['p95'] / trivial['p95']:.2f}x (goal <= 5x)")
    finally:
        if args.keep:
            print(f"data kept in {data_dir}; ТО id {info['territorial']}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
