import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip on a user's machine when a service is missing; under CI=true, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true, but {reason}")
    pytest.skip(reason)


@pytest.fixture
def demo(db):
    from profinfo.demo import load_demo

    return load_demo()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
