"""Newsroom's settings: one module, configured from the environment.

Every variable has a default that works on a laptop with no server running. Production sets
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL; see README.md.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-local-only-set-DJANGO_SECRET_KEY-in-production"
)
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")
# The site's public address, for links in emails (no request to build them from).
NEWSROOM_BASE_URL = os.environ.get("NEWSROOM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "django_prose_editor",
    "articles",
    "comments",
    "images",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a writer commits; IMMEDIATE takes the write lock up front so
    # two writers queue instead of failing with "database is locked" half-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# The database cache is shared by every process of the site, as the comment rate limits need.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "newsroom_cache",
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# Topic slugs keep their accents ("côte-divoire" stays readable); URLs accept them.
TAGGIT_CASE_INSENSITIVE = True

ARTICLES_PER_PAGE = 20

# The image library refuses bigger uploads before decoding them (images/uploads.py).
IMAGES_MAX_UPLOAD_BYTES = int(os.environ.get("DJANGO_IMAGES_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
IMAGES_MAX_PIXELS = int(os.environ.get("DJANGO_IMAGES_MAX_PIXELS", 50_000_000))

# Background work (image renditions) runs at once, inside the request, which suits development
# and tests. Production may swap in a database-backed worker backend without code changes.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # Each task's start and finish is logged at INFO; only trouble is worth a line.
    "loggers": {"django.tasks": {"level": "WARNING"}},
}

# Reader comments: the moderation policy (comments/policy.py) reads these on every decision.
COMMENTS_PREMODERATE = env_bool("COMMENTS_PREMODERATE", True)
COMMENTS_TRUSTED_AFTER = int(os.environ.get("COMMENTS_TRUSTED_AFTER", "3"))
COMMENTS_MAX_LINKS = 2
COMMENTS_MODERATION_WORDS = ["idiot", "idiots", "moron", "scum", "traitor", "liar"]
COMMENTS_BLOCK_WORDS = ["viagra", "cialis", "casino bonus", "payday loan", "crypto giveaway"]
COMMENTS_BLOCKED_EMAIL_DOMAINS = []
COMMENTS_DISPOSABLE_EMAIL_DOMAINS = None  # None: the list shipped in comments/policy.py
COMMENTS_REJECTION_WINDOW_DAYS = 30
COMMENTS_REJECTION_MIN_DECIDED = 3
COMMENTS_REJECTION_RATIO = 0.5
COMMENTS_DUPLICATE_WINDOW_HOURS = 72
# 0 keeps comments open for as long as the editors leave them open.
COMMENTS_CLOSE_AFTER_DAYS = int(os.environ.get("COMMENTS_CLOSE_AFTER_DAYS", "0"))
# (posts allowed, per this many seconds)
COMMENTS_RATE_LIMIT_PER_IP = (5, 600)
COMMENTS_RATE_LIMIT_PER_EMAIL = (3, 600)
COMMENTS_PER_PAGE = 50

# The moderators' email digest of new pending and reported comments
# (manage.py send_moderation_digest, run from cron).
COMMENTS_DIGEST_ENABLED = env_bool("COMMENTS_DIGEST_ENABLED", True)
# Reader reports: (reports allowed, per this many seconds) from one address.
COMMENTS_REPORT_RATE_LIMIT = (10, 3600)

# Email: printed to the console unless DJANGO_EMAIL_BACKEND names another backend, e.g.
# django.core.mail.backends.smtp.EmailBackend with the DJANGO_EMAIL_* variables below.
_email_backend = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
_email_options = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
        "username": os.environ.get("DJANGO_EMAIL_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", True),
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
