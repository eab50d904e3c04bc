"""Newsroom's settings: one module, configured from the environment.

Every variable has a default that works on a laptop with no server running. Production sets
DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL and REDIS_URL; see
README.md, "Production".
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from newsroom.storage_url import media_origins, object_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_rate(name, default):
    """A rate limit as (count, seconds), written "5/600" in the environment."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    count, _, seconds = value.partition("/")
    return int(count), int(seconds)


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-local-only-set-DJANGO_SECRET_KEY-in-production"
)
DEBUG = env_bool("DJANGO_DEBUG", False)
# Production is declared, not guessed: DJANGO_DEBUG=0. Unset, debug pages are off too, but the
# site still answers plain HTTP and serves static files from the source folders, which is what
# the tests (http://testserver) and one-off local commands need. In production every
# HTTPS-only setting below defaults to on and static files must be collected first.
PRODUCTION = os.environ.get("DJANGO_DEBUG", "").strip() != "" and not DEBUG
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")
# The site's public address, for links in emails (no request to build them from).
NEWSROOM_BASE_URL = os.environ.get("NEWSROOM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The picture shared links show for a story without a lead image: a static file's path or an
# absolute address, and its size (networks want 1200 px wide or more). The default is drawn by
# `manage.py draw_social_image`, which draws the site's own name.
NEWSROOM_DEFAULT_SOCIAL_IMAGE = {
    "url": os.environ.get("NEWSROOM_DEFAULT_SOCIAL_IMAGE", "img/social-default.png"),
    "width": int(os.environ.get("NEWSROOM_DEFAULT_SOCIAL_IMAGE_WIDTH", "1200")),
    "height": int(os.environ.get("NEWSROOM_DEFAULT_SOCIAL_IMAGE_HEIGHT", "630")),
}

INSTALLED_APPS = [
    # Django's admin with our site (newsroom/admin_site.py): sign-in in two steps.
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: runserver leaves static files to WhiteNoise, as production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "django_prose_editor",
    "rest_framework",
    "drf_spectacular",
    # Staff two-factor sign-in (newsroom/two_factor.py); before "newsroom", whose admin module
    # unregisters their device admins.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Before django_tasks_db, whose db_worker command newsroom's own takes the place of (it
    # starts the worker's heartbeat, newsroom/heartbeat.py): the first app listed wins.
    "newsroom",
    "django_tasks_db",
    "caching",
    "images",
    "articles",
    "comments",
    "api",
    "demo",
]

MIDDLEWARE = [
    # With DJANGO_LOG_FORMAT=json: a request id on every log line and in X-Request-ID.
    "newsroom.logs.RequestIdMiddleware",
    # Counts and times every answer, the page cache's and the probes' included.
    "newsroom.metrics.RequestMetricsMiddleware",
    # /healthz, /readyz and /metrics, answered before the page cache, the host check and the
    # HTTPS redirect, which a load balancer's or Prometheus's plain request would not pass.
    "newsroom.probes.ProbeMiddleware",
    # A reader's stored page goes out before anything else runs, with the headers the layers
    # below gave it when it was made (caching/middleware.py).
    "caching.middleware.PageCacheMiddleware",
    # Next, so every later layer (rate limits, login limits, logs) sees the reader's address
    # rather than the proxy's.
    "newsroom.proxies.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "newsroom.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every page and 304 for a conditional request that still matches.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "newsroom.sessions.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(); then a session that owes a second step is anonymous.
    "django_otp.middleware.OTPMiddleware",
    "newsroom.two_factor.UnverifiedSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.outage.DatabaseOutageMiddleware",  # 503, not 500, while the database is down
    # Last: a reader's view reads from a replica; a replica that fails is retried on the
    # primary before the outage page above is considered (newsroom/replicas.py).
    "newsroom.replicas.ReplicaMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    # The readers' pages: base.html, includes/ and the error pages in jinja2/, each app's in
    # <app>/jinja2/<app>/. First, so 404.html and 500.html are these.
    {
        "NAME": "jinja2",
        "BACKEND": "newsroom.jinja.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "newsroom.jinja.environment",
            # Each app's functions and filters, added by the app itself: imports run one way.
            "extensions": [
                "images.jinja.ImagesExtension",
                "articles.jinja.ArticlesExtension",
                "comments.jinja.CommentsExtension",
            ],
            "context_processors": [
                "newsroom.context_processors.site",
                "articles.context_processors.navigation",
                "articles.context_processors.breaking_news",
            ],
        },
    },
    # The admin, the emails, the sitemaps and robots.txt.
    {
        "NAME": "django",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # {{ csp_nonce }}: only admin pages use it (the rich-text editor's import map).
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections, not a pool: each of the app server's threads serves one
        # request at a time and keeps its own connection, so a server holds at most workers x
        # threads of them (4 with deploy/serve.py on two cores), a small fixed number. Django's
        # psycopg pool would hold the same connections plus a pool thread per process. Pooling
        # across many app servers belongs in PgBouncer, in front of PostgreSQL.
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that does not answer fails the request (the outage page, /readyz's "down") in
    # seconds, instead of holding an app server thread for the system's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5"))
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a writer commits; IMMEDIATE takes the write lock up front so
    # two writers queue instead of failing with "database is locked" half-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Read replicas of the primary (PostgreSQL streaming replication), comma-separated URLs: readers'
# plain page requests read from them, everything else from the primary (newsroom/replicas.py).
# They need Redis (REDIS_URL), where every app server records the newest change they must hold.
NEWSROOM_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    _replica = dj_database_url.parse(
        _url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    # A replica that does not answer is given up on in two seconds; its readers go to the
    # primary meanwhile.
    _replica["OPTIONS"] = {"connect_timeout": 2, **_replica.get("OPTIONS", {})}
    # The tests' replica is the test database itself.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_number}"] = _replica
    NEWSROOM_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"] if NEWSROOM_REPLICAS else []
# A replica further behind than this is left out until it catches up.
NEWSROOM_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("DATABASE_REPLICA_MAX_LAG_SECONDS", "5"))
# A reader whose request wrote (a comment, a report) reads from the primary for this long.
NEWSROOM_REPLICA_STICKY_SECONDS = int(os.environ.get("DATABASE_REPLICA_STICKY_SECONDS", "10"))
# How often each process asks each replica how far behind it is, and how long it leaves one
# that did not answer before trying it again.
NEWSROOM_REPLICA_CHECK_SECONDS = float(os.environ.get("DATABASE_REPLICA_CHECK_SECONDS", "1"))
NEWSROOM_REPLICA_RETRY_SECONDS = float(os.environ.get("DATABASE_REPLICA_RETRY_SECONDS", "5"))

# The cache must be shared by every process of the site, as the comment rate limits need: Redis
# in production, else a database table (manage.py createcachetable makes it).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",  # Django's, without its per-call client
            "LOCATION": REDIS_URL,
            # Several sites (or test runs) can share one Redis.
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "newsroom"),
            # A stalled Redis fails the request in seconds rather than holding a worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Sessions are read from Redis and written through to the database: a Redis restart or an
    # eviction under memory pressure never logs an editor out mid-story.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # No Redis: sessions stay in the database alone (caching them in a database table too
    # would only add writes).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "newsroom_cache",
            # Room for the page cache (caching/); Django's default keeps 300.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
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
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves static files in every mode. In production, the files that collectstatic
# gathered into STATIC_ROOT: compressed (gzip, Brotli), with a content hash in each name, so
# they are cached for ever. Elsewhere, the source files straight from the app folders, picked up
# as they change, so nothing needs collectstatic (and the tests need no manifest).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Uploaded images and their renditions: in DJANGO_MEDIA_ROOT on this machine, served at
# /media/ by scripts/serve (the web server in front in production), unless MEDIA_STORAGE_URL
# names an S3 bucket that every app server and worker shares (newsroom/storage_url.py). Pages
# then point at DJANGO_MEDIA_URL, a CDN in front of the bucket.
MEDIA_URL = (os.environ.get("DJANGO_MEDIA_URL", "").strip().rstrip("/") or "/media") + "/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_STORAGE_URL = os.environ.get("MEDIA_STORAGE_URL", "").strip()
if MEDIA_STORAGE_URL:
    STORAGES["default"] = object_storage(MEDIA_STORAGE_URL, MEDIA_URL)

# HTTPS. Each defaults to on in production and can be turned off one by one, e.g.
# DJANGO_SECURE_SSL_REDIRECT=0 when the proxy in front already redirects.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
# Behind a proxy that terminates TLS, the header it sets, e.g. "X-Forwarded-Proto" (value
# "https") or "X-Forwarded-Ssl: on". Only set it if the proxy overwrites that header on every
# request: otherwise a client could claim HTTPS.
if _proxy_header := os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip():
    _name, _, _value = _proxy_header.partition(":")
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _name.strip().upper().replace("-", "_"),
        _value.strip() or "https",
    )
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
)
# Turn these off while a subdomain still serves plain HTTP. Preloading only happens once the
# domain is submitted to the browsers' list, and is slow to undo.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Other origins whose forms may post here, e.g. "https://www.example.com" (comma-separated).
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# Django's own defaults, spelt out because pages rely on them: no framing, no MIME sniffing,
# and other sites see no referrer (preview pages send none at all, articles/preview.py).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (Django's ContentSecurityPolicyMiddleware): every script, stylesheet,
# image and font comes from this site, nothing inline runs. Readers' pages use no nonce, so one
# cached copy serves everyone; admin pages that need an inline block (the rich-text editor's
# import map) get a fresh nonce per request, added to the header only when a page uses it.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # The hash is the rich-text editor's (Tiptap's) small base stylesheet, which it adds to the
    # page as a <style> element; tests/browser/test_admin_policy.py fails if an upgrade changes it.
    "style-src": [CSP.SELF, CSP.NONCE, "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
    # data: for the small icons the admin's and the editor's stylesheets embed; the media CDN,
    # when pictures come from one (DJANGO_MEDIA_URL).
    "img-src": [
        CSP.SELF,
        "data:",
        *media_origins(MEDIA_URL),
        *env_list("DJANGO_CSP_IMG_SRC", ""),
    ],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "media-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "upgrade-insecure-requests": PRODUCTION,
}
if _csp_report_uri := os.environ.get("DJANGO_CSP_REPORT_URI", "").strip():
    SECURE_CSP["report-uri"] = [_csp_report_uri]
# Powerful browser features no page here uses (newsroom/headers.py).
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    ]
}
# Addresses of our own proxies (Varnish, a load balancer), e.g. "127.0.0.1,10.0.0.0/8": a
# request from one of them is taken to be from the last address it names in X-Forwarded-For
# (newsroom/proxies.py). Unset, REMOTE_ADDR is the reader's address.
NEWSROOM_TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "")

# The admin. Its address can move away from the well-known /admin/ (DJANGO_ADMIN_PATH, e.g.
# "desk-7f3a/"), which keeps drive-by scanners off the sign-in page; the limits below are
# what actually protects it (newsroom/login_limits.py).
NEWSROOM_ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin").strip().strip("/") + "/"
# Failed sign-ins allowed per account and per address, as (failures, per this many seconds).
LOGIN_LIMIT_PER_ACCOUNT = env_rate("DJANGO_LOGIN_LIMIT_PER_ACCOUNT", (5, 900))
LOGIN_LIMIT_PER_IP = env_rate("DJANGO_LOGIN_LIMIT_PER_IP", (20, 900))
# Two-factor sign-in (newsroom/two_factor.py): an account with an authenticator app confirmed
# signs in with its password and then a code. Required, Editors and superusers must set it up
# before the admin opens anything else; on in production, like the other security settings.
NEWSROOM_TWO_FACTOR_REQUIRED = env_bool("DJANGO_TWO_FACTOR_REQUIRED", PRODUCTION)
# The name the authenticator app shows beside the account.
OTP_TOTP_ISSUER = NEWSROOM_SITE_NAME
# django-otp's own throttling would refuse a right code after a wrong one without saying why;
# the sign-in limits above count wrong codes as wrong passwords instead, with their message.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Staff sessions end after this many hours without a request (newsroom/sessions.py renews them
# while in use), so an unattended desk does not stay signed in for Django's default two weeks.
SESSION_COOKIE_AGE = int(float(os.environ.get("DJANGO_SESSION_IDLE_HOURS", "8")) * 3600)

# Topic slugs keep their accents ("côte-divoire" stays readable); URLs accept them.
TAGGIT_CASE_INSENSITIVE = True

ARTICLES_PER_PAGE = 20
# How often an open live coverage page asks for new entries.
NEWSROOM_LIVE_POLL_SECONDS = int(os.environ.get("NEWSROOM_LIVE_POLL_SECONDS", "20"))

# The image library refuses bigger uploads before decoding them (images/uploads.py).
IMAGES_MAX_UPLOAD_BYTES = int(os.environ.get("DJANGO_IMAGES_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
IMAGES_MAX_PIXELS = int(os.environ.get("DJANGO_IMAGES_MAX_PIXELS", 50_000_000))

# Background work (every email, image renditions) is stored in the database and run by the
# worker, `manage.py db_worker` (django-tasks-db): nothing more to run than the database, on
# SQLite and PostgreSQL alike, and a task is queued in the transaction that causes it. With
# DJANGO_TASKS_IMMEDIATE=1 tasks run at once inside the request instead (the tests do so).
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_bool("DJANGO_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}
# A failed send is tried this many times in all, waiting 1, 4, 16… minutes between attempts.
EMAIL_ATTEMPTS = 5
EMAIL_RETRY_FIRST_WAIT_SECONDS = 60

# The task worker records that it is alive every so many seconds (newsroom/heartbeat.py);
# /readyz calls it late after three intervals without a beat. 0: no heartbeat.
NEWSROOM_WORKER_HEARTBEAT_SECONDS = int(os.environ.get("NEWSROOM_WORKER_HEARTBEAT_SECONDS", "60"))

# Logs go to standard error, as plain lines ("text") or, for a log collector, one JSON object a
# line with the request's id (newsroom/logs.py).
NEWSROOM_LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "").strip().lower() or "text"
if NEWSROOM_LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT is either text or json")
_console = {"class": "logging.StreamHandler"}
if NEWSROOM_LOG_FORMAT == "json":
    _console |= {"formatter": "json", "filters": ["request_id"]}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "newsroom.logs.json_formatter"}},
    "filters": {"request_id": {"()": "newsroom.logs.RequestIdFilter"}},
    "handlers": {"console": _console},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # Each task's start and finish is logged at INFO; only trouble is worth a line.
    "loggers": {"django.tasks": {"level": "WARNING"}},
}

# Who may read /metrics: addresses or networks, as newsroom/proxies.py finds the client's
# (behind DJANGO_TRUSTED_PROXIES, the reader's own). Empty: no one, and nothing is counted.
NEWSROOM_METRICS_ALLOWED = env_list("DJANGO_METRICS_ALLOWED", "127.0.0.1,::1")

# Reader comments: the moderation policy (comments/policy.py). COMMENTS_PREMODERATE to
# COMMENTS_DISPOSABLE_EMAIL_DOMAINS, and COMMENTS_CLOSE_AFTER_DAYS, give the policy's first
# values only: once it is saved in the admin (Comment policy), the newest saved version decides
# (comments/policy_store.py). The rejection and duplicate windows are read on every decision.
COMMENTS_PREMODERATE = env_bool("COMMENTS_PREMODERATE", True)
COMMENTS_TRUSTED_AFTER = int(os.environ.get("COMMENTS_TRUSTED_AFTER", "3"))
COMMENTS_MAX_LINKS = 2
COMMENTS_MODERATION_WORDS = ["idiot", "idiots", "moron", "scum", "traitor", "liar"]
COMMENTS_BLOCK_WORDS = ["viagra", "cialis", "casino bonus", "payday loan", "crypto giveaway"]
COMMENTS_BLOCKED_EMAIL_DOMAINS = []
COMMENTS_DISPOSABLE_EMAIL_DOMAINS = None  # None: the list in comments/policy_store.py
COMMENTS_REJECTION_WINDOW_DAYS = 30
COMMENTS_REJECTION_MIN_DECIDED = 3
COMMENTS_REJECTION_RATIO = 0.5
COMMENTS_DUPLICATE_WINDOW_HOURS = 72
# A moderator's rejection with a reason is emailed to the commenter, with a link to ask for a
# review that works this many days (comments/reasons.py).
COMMENTS_TELL_REJECTED_WHY = env_bool("COMMENTS_TELL_REJECTED_WHY", True)
COMMENTS_REVIEW_DAYS = int(os.environ.get("COMMENTS_REVIEW_DAYS", "30"))
# 0 keeps comments open for as long as the editors leave them open.
COMMENTS_CLOSE_AFTER_DAYS = int(os.environ.get("COMMENTS_CLOSE_AFTER_DAYS", "0"))
# (posts allowed, per this many seconds); from the environment as "5/600", e.g. for load tests.
COMMENTS_RATE_LIMIT_PER_IP = env_rate("COMMENTS_RATE_LIMIT_PER_IP", (5, 600))
COMMENTS_RATE_LIMIT_PER_EMAIL = env_rate("COMMENTS_RATE_LIMIT_PER_EMAIL", (3, 600))
COMMENTS_PER_PAGE = 50

# The moderators' email digest of new pending and reported comments, sent by the task worker
# every so many minutes with no cron (comments/digest_schedule.py; 0: only when
# manage.py send_moderation_digest is run).
COMMENTS_DIGEST_ENABLED = env_bool("COMMENTS_DIGEST_ENABLED", True)
COMMENTS_DIGEST_EVERY_MINUTES = max(0, int(os.environ.get("COMMENTS_DIGEST_EVERY_MINUTES", "60")))
# Reader reports: (reports allowed, per this many seconds) from one address.
COMMENTS_REPORT_RATE_LIMIT = (10, 3600)
# A published comment reported by this many different readers (addresses) is hidden until a
# moderator looks at it (comments/reporting.py); 0: reports never hide a comment by themselves.
COMMENTS_HIDE_AFTER_REPORTS = int(os.environ.get("COMMENTS_HIDE_AFTER_REPORTS", "3"))

# Email: printed to the console unless DJANGO_EMAIL_BACKEND names another backend; production
# defaults to django.core.mail.backends.smtp.EmailBackend with the DJANGO_EMAIL_* variables below
# (mail that only reaches a log would be lost, which check --deploy reports as an error).
_email_backend = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
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

# The shared page cache (caching/): how long readers' pages are kept, in
# seconds. Changes drop the affected pages at once; these only bound a page's life.
# Off under DJANGO_DEBUG, so a template being worked on shows its changes at once.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", not DEBUG)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))  # ours and shared caches
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "60"))  # browsers
PAGE_CACHE_STALE_SECONDS = 30  # a shared cache may serve a page this late while it refetches
# Each process keeps copies of the pages most asked for, up to this many bytes (caching/local.py,
# with Redis only); 0 serves every page from Redis.
PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("PAGE_CACHE_LOCAL_BYTES", 8 * 1024 * 1024))
# Front caches (Varnish with xkey, deploy/varnish/) to purge by tag, e.g. "http://127.0.0.1:6081".
NEWSROOM_FRONT_CACHES = env_list("NEWSROOM_FRONT_CACHES", "")
# What a lazy load on a reader's page costs (newsroom/fetch_modes.py): "peers" loads
# it for the whole list at once; the tests set "raise" so a missing select_related fails.
NEWSROOM_FETCH_MODE = os.environ.get("NEWSROOM_FETCH_MODE", "peers")

# The content API (api/, Django REST framework). JSON only: partners read data, and the
# browsable HTML renderer would need scripts the strict CSP refuses.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Partners send "Authorization: Bearer <key>" (api/keys.py); everyone else is anonymous.
    # No session login: the API serves what is public, and staff read it as anyone does.
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.keys.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # Anonymous readers by address, partners at their key's own rate (api/throttles.py).
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.ReaderOrPartnerThrottle"],
}
# Requests per window (seconds) for readers without a key, counted per address as the proxies
# give it (newsroom/proxies.py); "60/60" in the environment.
API_ANONYMOUS_RATE = env_rate("API_ANONYMOUS_RATE", (60, 60))
# The section ingested drafts are filed in (a slug); empty: the first section.
API_INGEST_SECTION = os.environ.get("API_INGEST_SECTION", "")
# The API's request counts: in Redis when there is one, shared by every process; otherwise in
# each process's memory, so that counting a request costs no database write.
API_CACHE_ALIAS = "api"
if REDIS_URL:
    CACHES[API_CACHE_ALIAS] = {
        **CACHES["default"],
        "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + "-api",
    }
else:
    CACHES[API_CACHE_ALIAS] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsroom-api",
    }
SPECTACULAR_SETTINGS = {
    "TITLE": f"{NEWSROOM_SITE_NAME} content API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}
