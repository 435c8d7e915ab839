"""Settings come from the environment; every one has a safe default for a fresh machine."""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PROFINFO_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "да"}


def _secret_key() -> str:
    """Use PROFINFO_SECRET_KEY, else a random key kept in the data folder (never in the repo)."""
    if key := os.environ.get("PROFINFO_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("PROFINFO_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("PROFINFO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("PROFINFO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "simple_history",
    "axes",
    "csp",
    "profinfo.organizations",
    "profinfo.registry",
    "profinfo.monitoring",
    "profinfo.reports",
    "profinfo.evaluation",
    "profinfo.contest",
    "profinfo.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "profinfo.web.middleware.SessionTimeoutMiddleware",
    "profinfo.web.middleware.NoStoreMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "profinfo.urls"
WSGI_APPLICATION = "profinfo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "profinfo.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "").strip()  # set but empty means the default too
        or f"sqlite:///{DATA_DIR / 'profinfo.sqlite3'}",
        conn_max_age=int(os.environ.get("PROFINFO_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import or a collection run writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [  # ASVS 2.1.1: at least 12 characters
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(os.environ.get("PROFINFO_PASSWORD_MIN_LENGTH", "12"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = os.environ.get("PROFINFO_TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: a spreadsheet of 100,000 rows is about 10 MB; files of print issues are larger.
# Every limit of a table is counted as it is read (profinfo.tabular.ReadLimits).
FILE_UPLOAD_HANDLERS = [
    "profinfo.web.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MEGABYTE = 1024 * 1024
PROFINFO_IMPORT_MAX_BYTES = int(os.environ.get("PROFINFO_IMPORT_MAX_BYTES", 20 * MEGABYTE))
PROFINFO_FILE_MAX_BYTES = int(os.environ.get("PROFINFO_FILE_MAX_BYTES", 50 * MEGABYTE))
PROFINFO_IMPORT_MAX_ROWS = int(os.environ.get("PROFINFO_IMPORT_MAX_ROWS", 200_000))
PROFINFO_IMPORT_MAX_CELLS = int(os.environ.get("PROFINFO_IMPORT_MAX_CELLS", 3_000_000))
PROFINFO_IMPORT_MAX_SECONDS = float(os.environ.get("PROFINFO_IMPORT_MAX_SECONDS", 60))
PROFINFO_IMPORT_MAX_UNZIPPED_BYTES = int(os.environ.get("PROFINFO_IMPORT_MAX_UNZIPPED_BYTES",
                                                        200 * MEGABYTE))

# Staleness thresholds (product.md, «Staleness»), in days.
PROFINFO_STALE_DAYS = int(os.environ.get("PROFINFO_STALE_DAYS", "30"))
PROFINFO_ABANDONED_DAYS = int(os.environ.get("PROFINFO_ABANDONED_DAYS", "90"))
# Ratings of more than 3,000 organizations come from stored score tables; a table this many
# seconds old is shown even if something was edited since (a finished run refreshes it).
PROFINFO_SCORES_MAX_AGE = int(os.environ.get("PROFINFO_SCORES_MAX_AGE", "600"))

# One cache for every process of the server (login locks, import slots, counts of pages):
# Redis when PROFINFO_CACHE_URL names it, else each process keeps its own in memory.
if _cache_url := os.environ.get("PROFINFO_CACHE_URL", "").strip():
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": _cache_url}}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("PROFINFO_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
# A session ends after this many minutes without a request, and in any case this many hours
# after the login (profinfo.web.middleware.SessionTimeoutMiddleware).
PROFINFO_SESSION_IDLE_MINUTES = int(os.environ.get("PROFINFO_SESSION_IDLE_MINUTES", "30"))
PROFINFO_SESSION_MAX_HOURS = int(os.environ.get("PROFINFO_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = PROFINFO_SESSION_MAX_HOURS * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind HTTPS (README, «Production»): HSTS, redirect to https, and the proxy's header that
# says a request came over https, e.g. PROFINFO_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO.
SECURE_HSTS_SECONDS = int(os.environ.get("PROFINFO_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("PROFINFO_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _env_bool("PROFINFO_HSTS_PRELOAD")
SECURE_SSL_REDIRECT = _env_bool("PROFINFO_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if _proxy_header := os.environ.get("PROFINFO_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")

# No inline scripts or styles anywhere: everything comes from the app's own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Login throttling (django-axes): after this many wrong passwords for one login from one
# address, that login is locked there for this many minutes; an administrator of the whole
# tree can unlock it sooner in the admin site («Попытки доступа»), where every login, logout
# and failure is journaled too.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("PROFINFO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("PROFINFO_LOGIN_LOCK_MINUTES",
                                                            "15")))
# A login is locked from the address the wrong passwords came from: an attacker elsewhere
# cannot lock a colleague out of their own account. Behind a reverse proxy every request comes
# from the proxy's address: PROFINFO_TRUSTED_PROXIES (how many proxies stand in front) makes
# the client's own address count (profinfo.web.middleware.client_address).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
PROFINFO_TRUSTED_PROXIES = int(os.environ.get("PROFINFO_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "profinfo.web.middleware.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PROFINFO_LOG_LEVEL", "WARNING")},
}

# Platforms (README, «Settings»): tokens come from the environment only, never the repo.
PROFINFO_VK_TOKEN = os.environ.get("PROFINFO_VK_TOKEN", "").strip()
PROFINFO_VK_API_URL = os.environ.get("PROFINFO_VK_API_URL", "").strip() \
    or "https://api.vk.com/method"
PROFINFO_VK_REQUESTS_PER_SECOND = float(os.environ.get("PROFINFO_VK_REQUESTS_PER_SECOND", "")
                                        .strip() or 3)
PROFINFO_OK_APP_KEY = os.environ.get("PROFINFO_OK_APP_KEY", "").strip()
PROFINFO_OK_APP_SECRET = os.environ.get("PROFINFO_OK_APP_SECRET", "").strip()
PROFINFO_OK_API_URL = os.environ.get("PROFINFO_OK_API_URL", "").strip() \
    or "https://api.ok.ru/fb.do"
PROFINFO_TELEGRAM_URL = os.environ.get("PROFINFO_TELEGRAM_URL", "").strip() or "https://t.me"
PROFINFO_METRICA_TOKEN = os.environ.get("PROFINFO_METRICA_TOKEN", "").strip()
PROFINFO_METRICA_API_URL = os.environ.get("PROFINFO_METRICA_API_URL", "").strip() \
    or "https://api-metrika.yandex.net"
# Checks refuse addresses inside the network (SSRF guard); tests and local farms allow them.
PROFINFO_ALLOW_PRIVATE_ADDRESSES = _env_bool("PROFINFO_ALLOW_PRIVATE_ADDRESSES")
# Rendering in Chromium (monitoring/rendering.py, the `render` extra): auto — only pages built
# by scripts, always — every site, never — none; the browser is Debian's unless named here.
PROFINFO_RENDER = os.environ.get("PROFINFO_RENDER", "").strip().lower() or "auto"
PROFINFO_RENDER_PAGES = int(os.environ.get("PROFINFO_RENDER_PAGES", "").strip() or 4)
PROFINFO_CHROMIUM = os.environ.get("PROFINFO_CHROMIUM", "").strip()

# Collection runs (see README, «Collection runs»)
PROFINFO_RUN_LEASE_SECONDS = int(os.environ.get("PROFINFO_RUN_LEASE_SECONDS", "600"))
PROFINFO_RUN_CONCURRENCY = int(os.environ.get("PROFINFO_RUN_CONCURRENCY", "50"))
# Runs started from the web at once: per organization and in the whole system.
PROFINFO_RUNS_PER_ORGANIZATION = int(os.environ.get("PROFINFO_RUNS_PER_ORGANIZATION", "1"))
PROFINFO_RUNS_MAX_TOTAL = int(os.environ.get("PROFINFO_RUNS_MAX_TOTAL", "4"))
# «Проверить сейчас» (a run of one resource, each in its own process) at once
PROFINFO_CHECKS_PER_PERSON = int(os.environ.get("PROFINFO_CHECKS_PER_PERSON", "3"))
PROFINFO_CHECKS_MAX_TOTAL = int(os.environ.get("PROFINFO_CHECKS_MAX_TOTAL", "10"))
PROFINFO_RUN_CHUNK = int(os.environ.get("PROFINFO_RUN_CHUNK", "50"))  # resources per task
PROFINFO_SCHEDULE_SOCIAL = os.environ.get("PROFINFO_SCHEDULE_SOCIAL", "0 2 * * *")
PROFINFO_SCHEDULE_SITES = os.environ.get("PROFINFO_SCHEDULE_SITES", "0 3 * * 0")

# The contest's daily job (README, «Смотр-конкурс»): stages moved by their dates, then the
# day's letters (`profinfo contest_daily`), run by `profinfo scheduler` and Celery beat.
PROFINFO_SCHEDULE_CONTEST = os.environ.get("PROFINFO_SCHEDULE_CONTEST", "0 7 * * *")

# E-mail (README, «Почта»): without PROFINFO_EMAIL_HOST letters are written to the console
# (the server's log) instead of being sent; with it, they go through that SMTP server.
EMAIL_HOST = os.environ.get("PROFINFO_EMAIL_HOST", "").strip()
EMAIL_BACKEND = os.environ.get("PROFINFO_EMAIL_BACKEND", "").strip() or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_USE_SSL = _env_bool("PROFINFO_EMAIL_USE_SSL")  # implicit TLS, usually port 465
EMAIL_USE_TLS = _env_bool("PROFINFO_EMAIL_USE_TLS", not EMAIL_USE_SSL)  # STARTTLS, port 587
EMAIL_PORT = int(os.environ.get("PROFINFO_EMAIL_PORT", "").strip()
                 or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25))
EMAIL_HOST_USER = os.environ.get("PROFINFO_EMAIL_USER", "").strip()
EMAIL_HOST_PASSWORD = os.environ.get("PROFINFO_EMAIL_PASSWORD", "")
EMAIL_TIMEOUT = int(os.environ.get("PROFINFO_EMAIL_TIMEOUT", "").strip() or 30)
DEFAULT_FROM_EMAIL = os.environ.get("PROFINFO_EMAIL_FROM", "").strip() \
    or "ПрофИнфо <profinfo@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people open the system: links in letters and files are absolute, from this address.
PROFINFO_BASE_URL = os.environ.get("PROFINFO_BASE_URL", "").strip().rstrip("/") \
    or "http://127.0.0.1:8000"

# Celery: only with a broker; without one everything runs in-process
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("PROFINFO_CELERY_QUEUE", "profinfo")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("PROFINFO_CELERY_VISIBILITY_TIMEOUT", "3600"))}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
