import os
import tempfile
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def artifacts_dir() -> Path:
    """Where screenshots and rendered reports go for a person to look at: outside the working
    directory unless PROFINFO_TEST_ARTIFACTS says where."""
    folder = Path(os.environ.get("PROFINFO_TEST_ARTIFACTS")
                  or Path(tempfile.gettempdir()) / "profinfo-test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def require(condition: bool, reason: str) -> None:
    """Skip on a user's machine when a service is missing; under CI=true, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true, but {reason}")
    pytest.skip(reason)


def pytest_collection_modifyitems(items):
    """Everything under tests/e2e (Chromium, Celery workers on their own) is slow."""
    for item in items:
        if "/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def demo(db):
    from profinfo.demo import load_demo

    return load_demo()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def no_run_processes(monkeypatch):
    """A test never starts a run in a real process by accident (it would use the settings and
    data folder of a real installation): tests that start runs say how (runs_in_process)."""
    def refuse(run):
        raise AssertionError(f"run {run.pk} started without runs_in_process")

    monkeypatch.setattr("profinfo.monitoring.runs.run_launch", refuse)


@pytest.fixture
def runs_in_process(transactional_db, monkeypatch):
    """«Проверить сейчас» and runs from the web, carried out at once in this process (a
    separate process could not see the test database); the runs started are listed."""
    from django.core.management import call_command

    started = []

    def launch(run):
        started.append(run.pk)
        call_command("collect", "--run", str(run.pk), "--no-progress")

    monkeypatch.setattr("profinfo.monitoring.runs.run_launch", launch)
    return started
