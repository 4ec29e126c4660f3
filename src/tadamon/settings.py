"""Tadamon settings, read from environment variables with safe defaults.

Development and demo need nothing: SQLite in ``var/`` (WAL mode) and a secret key generated into
``var/``. ``TADAMON_ENV=production`` turns on the hardening that ``check --deploy`` asks for and
requires a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``. See docs/operations.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("TADAMON_HOME", PACKAGE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("TADAMON_VAR", BASE_DIR / "var"))


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TADAMON_ENV = env("TADAMON_ENV", "development")
PRODUCTION = TADAMON_ENV == "production"
DEBUG = env_bool("TADAMON_DEBUG", False) and not PRODUCTION


def _secret_key():
    key = env("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when TADAMON_ENV=production.")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when TADAMON_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "tadamon.core.apps.TadamonAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "tadamon.core",
    "tadamon.accounts",
    "tadamon.registry",
    "tadamon.fairs",
    "tadamon.programme",
    "tadamon.market",
    "tadamon.prizes",
    "tadamon.insights",
    "tadamon.consult",
    "tadamon.support",
    "tadamon.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tadamon.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tadamon.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "tadamon.core.pagecache.PublicPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tadamon.core.middleware.RegionMiddleware",
    "tadamon.accounts.middleware.SecondFactorMiddleware",
]

ROOT_URLCONF = "tadamon.urls"
WSGI_APPLICATION = "tadamon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tadamon.core.context_processors.tadamon",
            ],
        },
    }
]

# Database: DATABASE_URL, default an SQLite file in var/ (WAL mode, see core.apps).
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tadamon.sqlite3'}",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
    )
}
# PostgreSQL's covering indexes (INCLUDE) have no SQLite equivalent: there the key columns suffice.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Log-in throttling: after this many failures for one e-mail or one address in the window,
# further attempts are refused until the window has passed.
TADAMON_LOGIN_MAX_FAILURES = int(env("TADAMON_LOGIN_MAX_FAILURES", "5"))
TADAMON_LOGIN_WINDOW_SECONDS = int(env("TADAMON_LOGIN_WINDOW_SECONDS", "900"))
# E-mail verification links stay valid this long.
TADAMON_VERIFICATION_MAX_AGE = int(env("TADAMON_VERIFICATION_MAX_AGE", str(3 * 24 * 3600)))
# Staff (national administrators, regional staff) must use a second factor (TOTP).
TADAMON_STAFF_REQUIRE_2FA = env_bool("TADAMON_STAFF_REQUIRE_2FA", PRODUCTION)
OTP_TOTP_ISSUER = "Tadamon"

# Internationalization: Arabic first; URLs carry the language (/ar/, /fr/, /en/).
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French")), ("en", _("English"))]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["tadamon.formats"]
LANGUAGE_COOKIE_NAME = "tadamon_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True  # no script reads it (docs/security.md, the scan)
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True

# Static files: WhiteNoise serves them; nothing is loaded from a CDN.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", VAR_DIR / "media"))


def _arabic_font_file():
    import fontpkg_noto_sans_arabic

    return next((Path(fontpkg_noto_sans_arabic.__file__).parent / "files").glob("NotoSansArabic*.ttf"))


# The full variable font (for PDFs) and the small WOFF2 subsets built by `tadamon build-fonts`.
ARABIC_FONT_FILE = _arabic_font_file()
ASSETS_DIR = VAR_DIR / "assets"
(ASSETS_DIR / "fonts").mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [("fonts", ASSETS_DIR / "fonts")]
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

# Cache: Redis when REDIS_URL is set (shared by all workers), else local memory.
if env("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public pages kept for visitors who are not signed in (core.pagecache): a change to the data a page
# shows makes it stale at once; this many seconds bound what depends on the clock alone. 0: off.
TADAMON_PAGE_CACHE_SECONDS = int(env("TADAMON_PAGE_CACHE_SECONDS", "300"))

# Background work: django-tasks with its database backend (a worker runs `tadamon db_worker`).
TASKS = {"default": {"BACKEND": env("TADAMON_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# E-mail through Django's mail framework. Development prints messages to the console.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION or env("EMAIL_HOST") else
    "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Tadamon <no-reply@tadamon.ma>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Links in messages sent without a request (reminders from the worker or cron): the site's address.
TADAMON_BASE_URL = env("TADAMON_BASE_URL", "").rstrip("/")

# Text messages: a console backend until a gateway is configured (see tadamon.core.sms).
TADAMON_SMS_BACKEND = env("TADAMON_SMS_BACKEND", "tadamon.core.sms.ConsoleBackend")

# Uploads: Django refuses bodies over this size; forms check file sizes with clear messages.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF token from its cookie (forms carry it): hide it from scripts too.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "tadamon.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Everything comes from this site: no inline script or style, no framing (docs/security.md).
TADAMON_CSP = env(
    "TADAMON_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
    "connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)
# The camera is used by the check-in screens (QR codes) on this site only.
TADAMON_PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Shown in the footer: the institutions that run the regional SSE with the council.
TADAMON_PARTNERS = [
    _("Regional council"),
    _("Ministry of Tourism, Handicrafts and Social and Solidarity Economy"),
    _("Office for Cooperation Development (ODCO)"),
    _("Entraide Nationale"),
    _("Chamber of Handicrafts"),
    _("Chamber of Agriculture"),
]
