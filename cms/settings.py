"""Settings for the CMS, driven by the environment (see README.md for every variable)."""

import hashlib
import os
import sys
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


# pytest sets PYTEST_VERSION before Django loads: tests need no environment of their own.
TESTING = "PYTEST_VERSION" in os.environ
DEBUG = env_bool("DJANGO_DEBUG", False)

# Build steps that never sign anything may run without a key (Django refuses to sign with
# an empty one); serving, and every other command, stops here instead.
KEYLESS_COMMANDS = {
    "check",
    "collectstatic",
    "compilemessages",
    "makemigrations",
    "migrate",
}
_command = (
    sys.argv[1] if sys.argv[0].endswith("manage.py") and len(sys.argv) > 1 else None
)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-local-development-key-never-use-in-production"
    elif _command not in KEYLESS_COMMANDS:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value in production, "
            "or set DJANGO_DEBUG=1 for local development (make run does this for you)."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms.apps.NewsroomAdminConfig",  # django.contrib.admin, with our start page
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "markdownx",
    "reversion",
    "imagekit",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "corsheaders",
    "ninja",  # the API's docs page serves Swagger UI from our static files, no CDN
    "cms",
    "experts",
    "articles",
]

MIDDLEWARE = [
    # Before all: every log line and response of the request carries its id.
    "cms.middleware.RequestIdMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After, not 500.
    "cms.middleware.DatabaseUnavailableMiddleware",
    # First, so that every response gets the policy headers (cms/security.py).
    "csp.middleware.CSPMiddleware",
    "cms.security.PermissionsPolicyMiddleware",
    # Before anything that answers on its own (CommonMiddleware, whitenoise).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # After CommonMiddleware: an old address is answered before a slash is added.
    "articles.addresses.OldAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.pagecache.CacheHeadersMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

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
                "cms.context_processors.site",
                "articles.context_processors.sections",
            ],
        },
    },
]

# Database: SQLite in the repository root unless DATABASE_URL names another.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite ignores the extra columns of a covering index that PostgreSQL reads alone.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Anonymous readers' queries may go to a read replica (cms/db_router.py); writes, the
# admin and whatever follows a write stay on the primary, which alone is migrated.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        # Tests have one database: the replica alias reads the test primary.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["cms.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "cms.db_router.ReplicaMiddleware",
    )
# After a write, that browser reads from the primary this long (more than replicas lag).
CMS_REPLICA_PIN_SECONDS = int(os.environ.get("CMS_REPLICA_PIN_SECONDS", "10"))
# A PostgreSQL (primary or replica) that hangs costs a request 5 s, not the system's
# TCP timeout; a ?connect_timeout= in the URL wins.
for _database in DATABASES.values():
    if _database["ENGINE"].endswith("postgresql"):
        _database.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # SQLite in write-ahead mode: the site and the worker read while an editor or an
    # import writes, and a commit is not a sync of the whole file (NORMAL is safe
    # with WAL: a power cut may lose the last commits, never corrupt the file).
    if _database["ENGINE"].endswith("sqlite3"):
        _database.setdefault("OPTIONS", {}).setdefault(
            "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        )

# Cache: local memory unless REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
# A Redis that stops or hangs costs a request at most these timeouts (seconds); then
# every alias on it leaves it alone, and logs that once, for CMS_REDIS_RETRY_SECONDS.
CMS_REDIS_RETRY_SECONDS = float(os.environ.get("CMS_REDIS_RETRY_SECONDS", "5"))
if REDIS_URL:
    CACHES = {
        "default": {
            # A stopped Redis is a miss for what this cache holds (cms/cache.py).
            "BACKEND": "cms.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "cms"),
            "OPTIONS": {
                "socket_connect_timeout": float(
                    os.environ.get("CMS_REDIS_CONNECT_TIMEOUT", "0.25")
                ),
                "socket_timeout": float(os.environ.get("CMS_REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The page cache (cms/pagecache.py): on unless CMS_PAGE_CACHE=off. Its store is shared by
# every server process: Redis with REDIS_URL, otherwise files on this machine. Keys are
# per database, so two sites never answer from each other's pages.
CMS_PAGE_CACHE = env_bool("CMS_PAGE_CACHE", True)
CMS_PAGE_CACHE_ALIAS = "pages"
CMS_PAGE_CACHE_VERSIONS_ALIAS = "page-versions"
# "v3": stored pages and versions of another format are never read (v3: security headers).
_pages_prefix = (
    "pages-v3:"
    + hashlib.sha256(repr(sorted(DATABASES["default"].items())).encode()).hexdigest()[
        :12
    ]
)
if REDIS_URL:
    # Versions must not be evicted before they expire: keep Redis's default
    # maxmemory-policy, noeviction, and give it the memory (docs/deployment.md).
    _pages_prefix = f"{CACHES['default']['KEY_PREFIX']}:{_pages_prefix}"
    CACHES["pages"] = {
        **CACHES["default"],
        # The page cache must know when Redis failed: it is not forgiving.
        "BACKEND": "cms.cache.FailFastRedisCache",
        "KEY_PREFIX": _pages_prefix,
    }
    CACHES["page-versions"] = {**CACHES["pages"], "KEY_PREFIX": _pages_prefix + ":v"}
elif TESTING:
    for _alias in ("pages", "page-versions"):
        CACHES[_alias] = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": _alias,
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
else:
    _pages_dir = Path(
        os.environ.get("CMS_PAGE_CACHE_DIR", BASE_DIR / "var" / "pagecache")
    ) / _pages_prefix.replace(":", "-")
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": _pages_dir / "pages",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
    # Never culled: versions expire on their own.
    CACHES["page-versions"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": _pages_dir / "versions",
        "OPTIONS": {"MAX_ENTRIES": 10_000_000},
    }
# A stored page is dropped after this long even if nothing it shows changed.
CMS_PAGE_CACHE_SECONDS = int(os.environ.get("CMS_PAGE_CACHE_SECONDS", "86400"))
# With a read replica: a page whose render began this soon after a change is not kept,
# for the replica may not have the change yet. Set it above the replica's lag.
CMS_PAGE_CACHE_DISTRUST_SECONDS = float(
    os.environ.get("CMS_PAGE_CACHE_DISTRUST_SECONDS", "0")
)
# How long a CDN may keep a public page (s-maxage); the purge hook clears it sooner.
CMS_CDN_SECONDS = int(os.environ.get("CMS_CDN_SECONDS", "60"))
# A class with purge(urls), given the addresses of pages that changed (a CDN's API).
CMS_PAGE_CACHE_PURGE = os.environ.get("CMS_PAGE_CACHE_PURGE", "")
CMS_PAGE_CACHE_NEXT_CHANGE = "articles.pages.next_scheduled_change"

# The read API (/api/v1/, cms/api/). Browsers on these origins may read it (GET only).
CORS_ALLOWED_ORIGINS = env_list("CMS_API_CORS_ORIGINS")
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = (
    "ETag",
    "Last-Modified",
    "Retry-After",
    "X-Request-ID",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
)
CORS_PREFLIGHT_MAX_AGE = 86400
# Requests per client address per minute to /api/ (0: no limit); over it, 429.
CMS_API_RATE_LIMIT = int(os.environ.get("CMS_API_RATE_LIMIT", "600"))
# Largest page a list may ask for (?limit=).
CMS_API_MAX_LIMIT = 100

# The public site's address (https://www.example.org): webhooks' payloads and the
# notification emails give full URLs with it.
CMS_SITE_URL = os.environ.get("CMS_SITE_URL", "").rstrip("/")
# Webhooks (cms/webhooks.py): seconds to wait for an endpoint, attempts in all, and
# the wait after a first failed attempt (each later wait is 4 times as long).
CMS_WEBHOOK_TIMEOUT = float(os.environ.get("CMS_WEBHOOK_TIMEOUT", "5"))
CMS_WEBHOOK_ATTEMPTS = int(os.environ.get("CMS_WEBHOOK_ATTEMPTS", "6"))
CMS_WEBHOOK_BACKOFF_SECONDS = float(os.environ.get("CMS_WEBHOOK_BACKOFF_SECONDS", "30"))

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# Static files: whitenoise serves them compressed under hashed names.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
# Without a bucket the uploads are on this server's disk, so the app serves them
# (cms/media.py), debug or not; DJANGO_SERVE_MEDIA=0 leaves them to a proxy in front.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", not S3_BUCKET)
if S3_BUCKET:
    media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "custom_domain": os.environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            "querystring_auth": False,
        },
    }
else:
    media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

# Local work and tests serve static files straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG or TESTING

STORAGES = {
    "default": media_storage,
    "staticfiles": {
        # Tests run without collectstatic, so they skip the manifest.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploads: big enough for a magazine photo, small enough to refuse abuse.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CMS_MAX_IMAGE_BYTES = 15 * 1024 * 1024
CMS_MAX_IMAGE_PIXELS = 40_000_000

# Image renditions (cms/images.py) are made by a background task after an image is
# saved; a request only builds their URLs and never checks that the files exist.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"

# Background tasks (django-tasks). The default queue is a table in the database, so
# nothing else must run but `manage.py db_worker` (`make run` starts it);
# CMS_TASKS_BACKEND names another backend. Tests run each task as it is queued.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CMS_TASKS_BACKEND")
        or (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# markdownx: one renderer for the live preview and the saved page.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.rendering.preview"
# Bytes of UTF-8 a Markdown field may hold (cms/limits.py): a save refuses more.
CMS_MAX_MARKDOWN_BYTES = int(os.environ.get("CMS_MAX_MARKDOWN_BYTES", "200000"))
# Every upload is checked and stripped first (cms/uploads.py); these are real types.
MARKDOWNX_UPLOAD_CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
MARKDOWNX_UPLOAD_MAX_SIZE = CMS_MAX_IMAGE_BYTES
MARKDOWNX_MEDIA_PATH = "uploads/%Y/%m/"
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 0), "quality": 85}

# Security headers. HTTPS settings only apply behind TLS in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool(
    "DJANGO_SECURE_COOKIES", not DEBUG
)
# HSTS: on (a year) unless debug is on; DJANGO_HSTS_SECONDS=0 opts out, e.g. while
# HTTPS is being set up. Subdomains and preload commit the whole domain: opt-in only.
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# So `check --deploy` does not ask for them on every run: a decision, not an oversight.
SILENCED_SYSTEM_CHECKS += ["security.W005", "security.W021"]
# A load balancer's health check speaks plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto and appends the client's
# address to X-Forwarded-For itself; PROXY_COUNT proxies append (a CDN and nginx: 2).
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
PROXY_COUNT = max(1, int(os.environ.get("DJANGO_PROXY_COUNT", "1")))
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _origin(url: str) -> str:
    """``https://host:port`` of a URL (``//host`` kept as it is)."""
    return "/".join(url.split("/", 3)[:3])


# Content-Security-Policy on every response (django-csp): no inline script anywhere.
# Inline styles are allowed: pictures set their focal point with a style attribute, and
# styles cannot run script. Images may also come from the media host.
CSP_MEDIA_ORIGINS = []
if S3_BUCKET:
    _custom = os.environ.get("MEDIA_S3_CUSTOM_DOMAIN")
    _endpoint = os.environ.get("MEDIA_S3_ENDPOINT_URL")
    _region = os.environ.get("MEDIA_S3_REGION")
    if _custom:
        CSP_MEDIA_ORIGINS.append(f"https://{_custom}")
    elif _endpoint:
        CSP_MEDIA_ORIGINS.append(_origin(_endpoint))
    else:
        CSP_MEDIA_ORIGINS.append(f"https://{S3_BUCKET}.s3.amazonaws.com")
        if _region:
            CSP_MEDIA_ORIGINS.append(f"https://{S3_BUCKET}.s3.{_region}.amazonaws.com")
if MEDIA_URL.startswith(("https://", "http://", "//")):
    CSP_MEDIA_ORIGINS.append(_origin(MEDIA_URL))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *CSP_MEDIA_ORIGINS],
        # markdownx's live preview and image upload, the link picker's search.
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Features no page uses: an injected script or frame cannot use them either. Only
# features browsers know: Chrome logs an unknown one (FLoC's "interest-cohort", gone
# since 2022) as a console error, which costs Lighthouse's best-practices points.
CMS_PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
)

# The admin's address (bots try /admin/): "admin/" unless DJANGO_ADMIN_URL names another.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip().strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured(
        "DJANGO_ADMIN_URL is empty: leave it unset for admin/, or name a path such as "
        "newsroom/."
    )

# Signing in is the admin's sign-in page (after choosing a password, say).
LOGIN_URL = "admin:login"
# Login throttling (django-axes): after CMS_LOGIN_FAILURE_LIMIT wrong passwords in a row
# for one username from one address, that pair is refused for CMS_LOGIN_COOLOFF_MINUTES.
# Per pair, so guessing usernames from one address cannot lock the newsroom out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("CMS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("CMS_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A success clears the count; attempts while locked out do not lengthen the wait.
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "cms.security.client_ip"
AXES_LOCKOUT_CALLABLE = "cms.security.lockout_response"
# No banner on every start-up; failures and lock-outs are still logged as warnings.
AXES_VERBOSE = False

# Email (set-password links for new logins, password resets, the newsroom's
# notifications): printed to the console unless a backend is set, e.g.
# django.core.mail.backends.smtp.EmailBackend.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", BASE_DIR / "sent-emails")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# Seconds an SMTP server has to answer: one that hangs holds up a worker no longer.
EMAIL_TIMEOUT = float(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "newsroom@localhost")


def email_addresses(value: str, name: str) -> list[tuple[str, str]]:
    """``"Name <a@example.org>, b@example.org"`` as Django's (name, address) pairs."""
    pairs = []
    for display, address in getaddresses([value]):
        if not display and not address:
            continue
        if "@" not in address:
            raise ImproperlyConfigured(
                f"{name}: {address or display!r} is not an email address (use "
                '"Name <a@example.org>, b@example.org"; quote a name with a comma).'
            )
        pairs.append((display or address, address))
    return pairs


# Each server error (500) is emailed to these, with the request id, when set.
ADMINS = email_addresses(os.environ.get("DJANGO_ADMINS", ""), "DJANGO_ADMINS")
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)

CMS_SITE_NAME = os.environ.get("CMS_SITE_NAME", "Little Steps")

# Share links to a draft's preview stop working after this many seconds.
CMS_PREVIEW_LINK_MAX_AGE = int(
    os.environ.get("CMS_PREVIEW_LINK_MAX_AGE", 7 * 24 * 60 * 60)
)

# An article's source older than this is flagged in the review-due list.
CMS_SOURCE_MAX_AGE_YEARS = int(os.environ.get("CMS_SOURCE_MAX_AGE_YEARS", "3"))

# Publishing an article whose quotes the experts have not approved needs an explicit,
# recorded override by the editor.
CMS_REQUIRE_QUOTE_APPROVAL = env_bool("CMS_REQUIRE_QUOTE_APPROVAL", True)
# Publishing needs every hero and list-item image to have a credit and a licence.
CMS_IMAGE_CREDIT_REQUIRED = env_bool("CMS_IMAGE_CREDIT_REQUIRED", False)

# How many items the related-content block shows: curated links first, then the most
# related published articles fill the rest.
CMS_RELATED_COUNT = int(os.environ.get("CMS_RELATED_COUNT", "4"))

# Every line carries the id of the request it belongs to ("-" outside one): the
# reference a reader quotes from the 500 page, also in the X-Request-ID header.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "cms.middleware.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        },
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", "request_id"],
            "formatter": "line",
        },
    },
    # Django's errors also go by email to ADMINS (none unless DJANGO_ADMINS is set).
    "loggers": {"django": {"handlers": ["mail_admins"], "level": "INFO"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    },
}

# Error reporting to Sentry, only when SENTRY_DSN is set (never from tests): no
# personal data (cookies, users, addresses), each event tagged with its request id,
# and no performance tracing unless SENTRY_TRACES_SAMPLE_RATE asks for a share.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN and not TESTING:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT") or None,
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
