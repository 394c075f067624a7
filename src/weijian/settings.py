"""One env-driven settings file (the Healthchecks way).

SQLite under ./var/ by default so a fresh clone runs with no set-up; PostgreSQL when
WEIJIAN_DATABASE_URL=postgresql://… is set.
"""

import datetime
import os
from pathlib import Path

import dj_database_url

from weijian.client_ip import trusted_networks

BASE_DIR = Path(__file__).resolve().parent
# The working directory's var/ holds the SQLite file, uploads and logs.
VAR_DIR = Path(os.environ.get("WEIJIAN_VAR_DIR", Path.cwd() / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.environ.get(name, default))


DEBUG = envbool("WEIJIAN_DEBUG", "false")
ALLOWED_HOSTS = os.environ.get("WEIJIAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "treebeard",
    "weijian.once",
    "weijian.orgs",
    "weijian.reporting",
    "weijian.indicators",
    "weijian.ledger",
    "weijian.inspections",
    "weijian.governance",
    "weijian.surveys",
    "weijian.assessment",  # layer 6: schemes, runs, 公示, performance pay (issue 12)
    "weijian.api",
    "weijian.documents",
    "weijian.web",
    "weijian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "weijian.web.middleware.LimitRequestBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "weijian.web.middleware.RejectNulCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "weijian.urls"
WSGI_APPLICATION = "weijian.wsgi.application"

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
            ],
        },
    },
]

DATABASE_URL = os.environ.get("WEIJIAN_DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "weijian.sqlite3"}
    }
# SQLite with concurrent writers (gunicorn workers, a CLI import), however the database is given:
# the default file, WEIJIAN_DATABASE_URL=sqlite:///…, and the test database (which keeps these
# OPTIONS). SQLite has one writer at a time, so:
# - IMMEDIATE: a transaction takes the write lock when it begins and waits its turn there. In
#   the default DEFERRED mode a transaction that has read and then writes fails at once with
#   "database is locked" when another writer committed meanwhile (its snapshot is stale, so no
#   waiting helps): half of 20 clerks' simultaneous saves failed that way.
# - timeout: seconds a writer waits for the lock (SQLite's busy timeout) before giving up; long
#   enough to sit out another writer's long transaction (the demo load took 31 s on a busy
#   machine), short of gunicorn's worker timeout so a save that gives up still answers (in
#   Chinese, the typed values kept) instead of its worker being killed.
# - WAL: readers never block the writer nor wait for it. synchronous=NORMAL: in WAL mode a
#   commit is safe against the application crashing; only a power cut or OS crash can lose the
#   last commits (never corrupt the file), and commits skip a disk sync each.
# - journal_size_limit: the WAL file shrinks back to 64 MB after a large transaction.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("WEIJIAN_SQLITE_TIMEOUT", "45"),
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA journal_size_limit=67108864;"
        ),
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # A worker keeps its connection between requests (as WEIJIAN_DATABASE_URL's do): opening
    # one runs the PRAGMAs above, about a tenth of a small request's CPU (the month-end rush).
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)

# PostgreSQL streaming replicas for analytics reads (weijian/replicas.py): comma-separated
# URLs, each an alias replica1, replica2…; writes always go to the primary (default). In tests
# a replica alias mirrors the test database, which reaches the replica by replication.
READ_REPLICAS: list[str] = []
for _n, _url in enumerate(
    [u.strip() for u in os.environ.get("WEIJIAN_READ_DATABASE_URLS", "").split(",") if u.strip()],
    start=1,
):
    READ_REPLICAS.append(f"replica{_n}")
    DATABASES[f"replica{_n}"] = {
        **dj_database_url.parse(_url, conn_max_age=60),
        "TEST": {"MIRROR": "default"},
    }
if READ_REPLICAS:
    DATABASE_ROUTERS = ["weijian.replicas.ReplicaRouter"]
    MIDDLEWARE.append("weijian.replicas.ReadYourWritesMiddleware")
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("WEIJIAN_REPLICA_MAX_LAG_SECONDS", "5"))
READ_YOUR_WRITES_SECONDS = int(os.environ.get("WEIJIAN_READ_YOUR_WRITES_SECONDS", "10"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = os.environ.get("WEIJIAN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(
    exist_ok=True
)  # whitenoise warns on a missing root, even when serving from finders
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app folders so `weijian serve` works without collectstatic.
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "task_board"
LOGOUT_REDIRECT_URL = "login"

# Inspections: photo size limit, and days overdue before a notice escalates to the issuer's manager.
WEIJIAN_INSPECTION_PHOTO_MAX_BYTES = envint(
    "WEIJIAN_INSPECTION_PHOTO_MAX_BYTES", str(8 * 1024 * 1024)
)
WEIJIAN_NOTICE_ESCALATE_DAYS = envint("WEIJIAN_NOTICE_ESCALATE_DAYS", "7")
# An uploaded .xlsx (form, ledger, checklist) is small; refuse anything larger before parsing
# it, and anything that would unpack to more, or take longer to read, than these.
WEIJIAN_MAX_UPLOAD_BYTES = envint("WEIJIAN_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024))
WEIJIAN_UPLOAD_MAX_UNPACKED_BYTES = envint(
    "WEIJIAN_UPLOAD_MAX_UNPACKED_BYTES", str(50 * 1024 * 1024)
)
WEIJIAN_UPLOAD_SECONDS = envint("WEIJIAN_UPLOAD_SECONDS", "20")
# Any request body (all files of one upload, an API import): refused above this unread.
WEIJIAN_MAX_REQUEST_BYTES = envint("WEIJIAN_MAX_REQUEST_BYTES", str(50 * 1024 * 1024))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Public survey links: at most this many accepted answers per IP address and hour, and an
# answer sent sooner than this many seconds after the page was shown is refused (bots).
WEIJIAN_SURVEY_RATE_PER_HOUR = envint("WEIJIAN_SURVEY_RATE_PER_HOUR", "20")
WEIJIAN_SURVEY_MIN_SECONDS = envint("WEIJIAN_SURVEY_MIN_SECONDS", "5")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WEIJIAN_LOG_LEVEL", "WARNING")},
}

# == Accounts and transport security (issue 10 item 8) =====================================
# One block, kept apart from the rest so other changes to this file merge cleanly. Every
# setting comes from the environment; the README's settings table lists them with a
# production example that `weijian check --deploy` passes clean (tests/accounts/test_deploy.py).


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The default key is public (it is in this file): `weijian serve` and wsgi.py refuse to serve
# with it unless WEIJIAN_DEBUG is on (weijian.deploy). Tests never serve through them, and
# `weijian demo` serves with a random key of its own.
DEV_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = os.environ.get("WEIJIAN_SECRET_KEY", DEV_SECRET_KEY)

INSTALLED_APPS += [
    "weijian.accounts",
    "axes",  # django-axes: failed-login records, lockouts, their admin and reset commands
    "ninja",  # so /api/docs serves Swagger UI from django-ninja's bundled files, not a CDN
]
MIDDLEWARE += [
    "weijian.web.middleware.ContentSecurityPolicyMiddleware",
    # a temporary password (new user, administrator's reset) is changed before anything else
    "weijian.accounts.forced.ForcePasswordChangeMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a lockout into our answer
]
AUTHENTICATION_BACKENDS = [
    "weijian.accounts.lockout.LockoutBackend",  # refuses locked-out logins before any hashing
    "django.contrib.auth.backends.ModelBackend",
]

# Throttled, then locked (weijian.accounts.lockout): per account, per address.
WEIJIAN_LOGIN_FAILURE_LIMIT = envint("WEIJIAN_LOGIN_FAILURE_LIMIT", "5")
WEIJIAN_LOGIN_ADDRESS_LIMIT = envint("WEIJIAN_LOGIN_ADDRESS_LIMIT", "30")
WEIJIAN_LOGIN_COOLOFF_MINUTES = envint("WEIJIAN_LOGIN_COOLOFF_MINUTES", "15")
AXES_FAILURE_LIMIT = WEIJIAN_LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # account tier first, then address
AXES_HANDLER = "weijian.accounts.lockout.TieredHandler"
AXES_COOLOFF_TIME = datetime.timedelta(minutes=WEIJIAN_LOGIN_COOLOFF_MINUTES)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "weijian.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "weijian.accounts.lockout.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = False

# Proxies whose X-Forwarded-For is believed (addresses or networks), and the header that
# says the original request was HTTPS (e.g. "HTTP_X_FORWARDED_PROTO,https"). The client's
# address (weijian.client_ip) counts for lockouts and the survey per-address limit; a
# malformed entry stops the server with its name, in Chinese.
WEIJIAN_TRUSTED_PROXIES = list(trusted_networks(os.environ.get("WEIJIAN_TRUSTED_PROXIES", "")))
if os.environ.get("WEIJIAN_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = tuple(envlist("WEIJIAN_PROXY_SSL_HEADER"))[:2]

# Django's four validators (similarity, length, 20 000 common passwords, all digits), worded
# in Chinese by weijian.accounts.passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "weijian.accounts.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "weijian.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": envint("WEIJIAN_PASSWORD_MIN_LENGTH", "8")},
    },
    {"NAME": "weijian.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "weijian.accounts.passwords.NumericPasswordValidator"},
]

# HTTPS: one switch for the redirect, Secure cookies and HSTS; each can be set on its own.
WEIJIAN_HTTPS = envbool("WEIJIAN_HTTPS", "false")
SECURE_SSL_REDIRECT = envbool("WEIJIAN_SSL_REDIRECT", str(WEIJIAN_HTTPS))
SESSION_COOKIE_SECURE = envbool("WEIJIAN_SECURE_COOKIES", str(WEIJIAN_HTTPS))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("WEIJIAN_HSTS_SECONDS", "31536000" if WEIJIAN_HTTPS else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("WEIJIAN_HSTS_INCLUDE_SUBDOMAINS", str(WEIJIAN_HTTPS))
SECURE_HSTS_PRELOAD = envbool("WEIJIAN_HSTS_PRELOAD", "false")
CSRF_TRUSTED_ORIGINS = envlist("WEIJIAN_CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("WEIJIAN_SESSION_HOURS", "12") * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Our pages load scripts only from our own static files (no inline script, no eval); styles
# may be inline (style="…" attributes and htmx's indicator style); QR codes are data: images.
WEIJIAN_CSP = os.environ.get(
    "WEIJIAN_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# == Reminders and 催报 (issue 14 item 4) ======================================================
# E-mail goes out only with a mail server; robots' webhooks only to their vendors' hosts, or to
# hosts listed here (an intranet relay). WEIJIAN_SITE_URL puts links into the messages.
INSTALLED_APPS += ["weijian.reminders"]
EMAIL_HOST = os.environ.get("WEIJIAN_EMAIL_HOST", "")
EMAIL_HOST_CONFIGURED = bool(EMAIL_HOST)
EMAIL_PORT = envint("WEIJIAN_EMAIL_PORT", "465")
EMAIL_HOST_USER = os.environ.get("WEIJIAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("WEIJIAN_EMAIL_PASSWORD", "")
EMAIL_USE_SSL = envbool("WEIJIAN_EMAIL_SSL", "true")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("WEIJIAN_EMAIL_FROM", "weijian@localhost")
WEIJIAN_WEBHOOK_HOSTS = envlist("WEIJIAN_WEBHOOK_HOSTS")
WEIJIAN_SITE_URL = os.environ.get("WEIJIAN_SITE_URL", "").rstrip("/")
WEIJIAN_REMIND_DAYS = envint("WEIJIAN_REMIND_DAYS", "3")  # “due soon” in the daily digest
