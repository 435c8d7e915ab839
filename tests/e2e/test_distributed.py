"""A distributed run for real: PostgreSQL, Redis, two Celery workers, one of them killed
midway; every resource must end with exactly one result."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/0"
SITES, PORT = 40, 18095


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def database():
    require(_listening("127.0.0.1", 5432), "нет PostgreSQL на 127.0.0.1:5432")
    require(_listening("127.0.0.1", 6379), "нет Redis на 127.0.0.1:6379")
    import psycopg

    name = f"profinfo_dist_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _python(env, code: str) -> str:
    result = subprocess.run([sys.executable, "-c", "import django, json; django.setup()\n"
                             + code], env=env, capture_output=True, text=True, timeout=120,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _worker(env, name: str) -> subprocess.Popen:
    return subprocess.Popen([str(CELERY), "-A", "profinfo", "worker", "--pool=solo",
                             "-Q", env["PROFINFO_CELERY_QUEUE"], "-n", f"{name}@%h",
                             "-l", "warning"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def test_two_workers_one_killed_every_resource_once(database, tmp_path):
    queue = f"profinfo-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": database, "CELERY_BROKER_URL": REDIS,
           "PROFINFO_CELERY_QUEUE": queue, "DJANGO_SETTINGS_MODULE": "profinfo.settings",
           "PROFINFO_DATA_DIR": str(tmp_path), "PROFINFO_ALLOW_PRIVATE_ADDRESSES": "1",
           "PROFINFO_RUN_LEASE_SECONDS": "6", "PROFINFO_CELERY_VISIBILITY_TIMEOUT": "8",
           "PROFINFO_RUN_CONCURRENCY": "3", "PROFINFO_RUN_CHUNK": "5"}
    subprocess.run([sys.executable, "-m", "profinfo.cli", "migrate", "-v0"], env=env,
                   cwd=ROOT, check=True, timeout=180)
    _python(env, f"""
from profinfo.organizations.models import Organization
from profinfo.registry.services import resource_create
root = Organization.add_root(name="Тест", short_name="Тест", level="ck", kind="union")
for i in range({SITES}):
    resource_create(organization=root, kind="site", url=f"http://127.1.0.{{i + 1}}:{PORT}/")
""")
    farm = subprocess.Popen([sys.executable, "-m", "bench.collect.farm", "--sites", str(SITES),
                             "--port", str(PORT), "--min-latency", "0.2",
                             "--max-latency", "0.4", "--faulty", "0.1", "--lifetime", "300"],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    first, second = _worker(env, "first"), _worker(env, "second")
    coordinator = None
    try:
        assert farm.stdout.readline().startswith("ready")
        coordinator = subprocess.Popen([sys.executable, "-m", "profinfo.cli", "collect",
                                        "--distributed", "--no-progress"], env=env, cwd=ROOT,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:  # kill the first worker once it holds work
            held = int(_python(env, "from profinfo.monitoring.models import RunItem\n"
                                    f"print(RunItem.objects.filter(status='working', "
                                    f"worker__contains=':{first.pid}:').count())"))
            finished = int(_python(env, "from profinfo.monitoring.models import RunItem\n"
                                        "print(RunItem.objects.filter(status__in=['done',"
                                        "'failed']).count())"))
            if held and finished >= 3:
                break
            time.sleep(0.3)
        else:
            raise AssertionError("the first worker never took work")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        out, err = coordinator.communicate(timeout=240)
        assert coordinator.returncode == 0, err
        result = json.loads(_python(env, """
from collections import Counter
from profinfo.monitoring.models import CollectionRun, Observation, RunItem
run = CollectionRun.objects.get()
per = Counter(Observation.objects.filter(run=run, metric__in=["site_audit", "check"])
              .values_list("resource_id", flat=True))
workers = Counter(w.split(":")[1] for w in RunItem.objects.values_list("worker", flat=True))
print(json.dumps({"status": run.status, "total": run.total, "finished": run.done + run.failed,
                  "resources": len(per), "most": max(per.values()), "workers": workers}))"""))
        assert result["status"] == "done" and result["total"] == SITES
        assert result["finished"] == SITES and result["resources"] == SITES
        assert result["most"] == 1  # exactly one result per resource
        assert str(second.pid) in result["workers"]  # the survivor took the rest
    finally:
        for process in (coordinator, second, first, farm):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=30)
