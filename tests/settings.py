"""Settings for the test suite: the project's own, with a throwaway data folder."""

import os
import tempfile

os.environ.setdefault("PROFINFO_DATA_DIR", tempfile.mkdtemp(prefix="profinfo-test-"))

from profinfo.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
