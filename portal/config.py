"""Settings read from the environment (see DESIGN.md, "Running it")."""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env_path(name, default):
    return Path(os.environ.get(name) or default).resolve()


def _generated_secret(instance_dir):
    """Return the secret kept in the instance folder, making it on first use."""
    path = instance_dir / "secret_key"
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip()


class Config:
    """The defaults: everything embedded in the instance folder."""

    ENV_NAME = "development"
    TESTING = False

    def __init__(self, instance_dir=None):
        self.CONTENT_DIR = _env_path("PORTAL_CONTENT_DIR", ROOT / "content")
        # A git path or URL the content folder follows (`flask content sync`).
        self.CONTENT_REPO = os.environ.get("PORTAL_CONTENT_REPO") or None
        self.INSTANCE_DIR = Path(instance_dir) if instance_dir else _env_path(
            "PORTAL_INSTANCE_DIR", ROOT / "instance")
        self.DATABASE_URL = os.environ.get("DATABASE_URL") or (
            f"sqlite:///{self.INSTANCE_DIR / 'portal.db'}"
        )
        self.SMTP_URL = os.environ.get("SMTP_URL") or None
        self.MAIL_FROM = os.environ.get("MAIL_FROM") or "no-reply@example.org"
        self.MAIL_DOMAIN = self.MAIL_FROM.rpartition("@")[2]
        # Each server builds its own read-only index on local disk.
        self.SEARCH_DIR = self.INSTANCE_DIR / "search"
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
        if not self.RATELIMIT_STORAGE_URI.startswith("memory"):
            # Redis that does not answer costs a request one second, not a hang.
            self.RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
        self.RETENTION_DAYS = int(os.environ.get("PORTAL_RETENTION_DAYS") or 730)
        # A family's unsent answers are deleted after this long untouched, so
        # a shared phone picked up later shows an empty form.
        self.DRAFT_IDLE_MINUTES = int(os.environ.get("PORTAL_DRAFT_IDLE_MINUTES") or 120)
        # Fernet keys, newest first, that encrypt families' details at rest
        # (see portal/db/sealed.py); unset, they are stored as plain JSON.
        self.DATA_KEYS = os.environ.get("PORTAL_DATA_KEYS") or None
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or self.default_secret()
        # The site's address (scheme://host[:port]): every absolute URL is
        # built from it, never from the request, and it is the host the site
        # answers to (portal/site_url.py). Staff e-mails link to it.
        self.BASE_URL = (os.environ.get("PORTAL_BASE_URL") or self.default_base_url()).rstrip("/")
        # Other host names requests may name (comma-separated), for example
        # a server's own name for a health check that bypasses the proxy.
        self.EXTRA_HOSTS = [host.strip() for host in
                            (os.environ.get("PORTAL_HOSTS") or "").split(",") if host.strip()]
        # How many proxies (load balancer, nginx) stand in front and set
        # X-Forwarded-For/-Proto/-Host; 0 trusts none of those headers.
        self.PROXIES = int(os.environ.get("PORTAL_PROXIES") or 0)
        # Per client address. A family hub's wifi puts many families behind
        # one address, so the limits are generous; Redis shares them across
        # servers (with memory:// each worker counts on its own).
        self.REFERRAL_RATE_LIMIT = os.environ.get("PORTAL_REFERRAL_RATE_LIMIT") or "30 per hour"
        self.STATUS_RATE_LIMIT = os.environ.get("PORTAL_STATUS_RATE_LIMIT") or "10 per hour"
        # Searches (the page's and the API's): each costs some CPU however
        # its words are bounded (portal/search/bounds.py).
        self.SEARCH_RATE_LIMIT = os.environ.get("PORTAL_SEARCH_RATE_LIMIT") or "60 per minute"
        # Seconds the family waits for the mail server before the e-mail is
        # left queued for `flask outbox deliver`.
        # Seconds any call to PostgreSQL may take before the request fails
        # (statement, connect, pool wait and a hung server alike).
        self.DATABASE_TIMEOUT = float(os.environ.get("PORTAL_DATABASE_TIMEOUT") or 5)
        # Staff are signed out this long after signing in, however busy the
        # session, so a copied cookie cannot be used for ever.
        self.STAFF_SESSION_HOURS = int(os.environ.get("PORTAL_STAFF_SESSION_HOURS") or 12)
        self.DELIVERY_TIMEOUT = float(os.environ.get("PORTAL_DELIVERY_TIMEOUT") or 5)
        # The Open Referral address field "state_province", which the UK
        # profile requires: in the UK, the nation the service is in.
        self.STATE_PROVINCE = os.environ.get("PORTAL_STATE_PROVINCE") or "England"

    # How often (seconds) a worker looks for edited content files.
    CONTENT_POLL_SECONDS = 2.0
    # A file of parsed content (ContentLoader.save_cache) to start from: only
    # files whose name, size and time still match are taken from it. Tests
    # point every app at one made once per run.
    CONTENT_PARSE_CACHE = None
    # Who builds the search index when content changes: a separate process
    # (web workers never write to it), "inline" (tests) or "off".
    SEARCH_REBUILD = "process"
    SEARCH_PAGE_SIZE = 10
    # Rendered public pages are kept this long per worker (see public/page_cache/).
    PAGE_CACHE_SECONDS = 60
    # What's on shows this many days ahead.
    WHATS_ON_DAYS = 28
    MAX_CONTENT_LENGTH = 64 * 1024
    RATELIMIT_HEADERS_ENABLED = True
    # Said for every app: Flask-Limiter's one limiter otherwise keeps the
    # last app's choice (a test app that turned limits off turned them off
    # for every app after it).
    RATELIMIT_ENABLED = True
    # Redis down must never stop a family: each process counts in its own
    # memory (with a warning in the log and at /healthz) until it is back.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Staff: signed out after this long without activity; sign-in attempts
    # per client address (each account also locks after 5 wrong passwords).
    STAFF_IDLE_MINUTES = 30
    STAFF_LOGIN_RATE_LIMIT = "20 per 15 minutes"
    # "Is something wrong on this page?" reports, per client address.
    PAGE_REPORT_RATE_LIMIT = "20 per hour"
    # Every message of ours is written out in our own translations; WTForms'
    # own catalogue would only be reloaded on each form for nothing.
    WTF_I18N_ENABLED = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    HSTS = False
    TEMPLATES_AUTO_RELOAD = False
    STRICT_TEMPLATES = False

    def default_secret(self):
        return _generated_secret(self.INSTANCE_DIR)

    def default_base_url(self):
        return "http://127.0.0.1:5000"  # where `make run` serves


class DevelopmentConfig(Config):
    """Local running: templates reload when edited."""

    TEMPLATES_AUTO_RELOAD = True

    def __init__(self, instance_dir=None):
        super().__init__(instance_dir)
        # http://localhost:5000 works as well as http://127.0.0.1:5000.
        self.EXTRA_HOSTS = [*self.EXTRA_HOSTS, "localhost", "127.0.0.1"]


class ProductionConfig(Config):
    """A council's servers: a real secret, secure cookies and HSTS."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    HSTS = True

    def default_secret(self):
        raise RuntimeError(
            "PORTAL_ENV=production needs SECRET_KEY set in the environment "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')"
        )

    def default_base_url(self):
        raise RuntimeError(
            "PORTAL_ENV=production needs PORTAL_BASE_URL set in the environment: the "
            "site's public address, for example https://startwell.example.org"
        )


class TestConfig(Config):
    """Tests: inert outside services, undefined template variables fail."""

    __test__ = False  # a settings class, not a test class for pytest to collect

    ENV_NAME = "test"
    TESTING = True
    STRICT_TEMPLATES = True
    # Checked on every request in tests so an edit is seen at once.
    CONTENT_POLL_SECONDS = 0.0
    # Search tests turn this to "inline"; other tests need no index.
    SEARCH_REBUILD = "off"
    PAGE_CACHE_SECONDS = 0  # tests check each render, not the cache

    def __init__(self, **overrides):
        super().__init__(overrides.pop("INSTANCE_DIR", None))
        # A test that forgets to fake the mail server fails loudly.
        self.SMTP_URL = "smtp://you-forgot-to-mock.invalid:25"
        # Flask's test client asks for http://localhost/ (whatever the shell sets).
        self.BASE_URL = "http://localhost"
        self.EXTRA_HOSTS = []
        for key, value in overrides.items():
            setattr(self, key, value)

    def default_secret(self):
        return "test-secret-not-for-production"


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
}


def config_from_environment():
    """Return the config object that PORTAL_ENV names."""
    name = os.environ.get("PORTAL_ENV") or "development"
    try:
        return CONFIGS[name]()
    except KeyError:
        raise RuntimeError(
            f"PORTAL_ENV={name!r} is not one of: {', '.join(CONFIGS)}"
        ) from None
