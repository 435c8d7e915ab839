"""Settings for the test suite: the project's own, with a throwaway data folder."""

import os
import tempfile

os.environ.setdefault("PROFINFO_DATA_DIR", tempfile.mkdtemp(prefix="profinfo-test-"))

from profinfo.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared in-memory database: there, a page read while a run's thread
    # writes fails at once with «table is locked» instead of waiting as WAL readers do.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405

# No test starts Chromium unless it says so (tests/monitoring/test_rendering.py, check --render).
PROFINFO_RENDER = "never"
