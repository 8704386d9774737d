"""Family Front Door: an early-years service's website for families."""

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import ROOT, config_from_environment


def create_app(config=None):
    """Build the app: config, content, extensions, Jinja, blueprints, errors, CLI."""
    config = config or config_from_environment()
    app = Flask(
        __name__,
        static_folder=str(ROOT / "static"),
        instance_path=str(config.INSTANCE_DIR),
    )
    app.config.from_object(config)
    from .ops.backends import require_clients
    require_clients(app.config)
    from .public import page_cache
    page_cache.init_app(app)  # innermost: the host refusal and ProxyFix run before a kept page
    from . import site_url
    site_url.init_app(app)  # refuses unknown hosts: inside ProxyFix, so X-Forwarded-Host too
    if app.config["PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.PROXIES,
                                x_proto=config.PROXIES, x_host=config.PROXIES)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # Flask-Limiter names the client's IP address at INFO: personal data.
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)

    from .content import web as content_web
    content_web.init_app(app)

    from .search import service as search_service
    search_service.init_app(app)

    from . import models  # noqa: F401  (every table, before the first query)
    from .db import engine as database
    from .db import row_id
    database.init_app(app)
    row_id.init_app(app)  # before the blueprints, whose routes use <id:...>

    from .extensions import limiter
    from .i18n import locale
    from .security import csrf, limit_counts  # noqa: F401  (registers memory:// storage)
    csrf.init_app(app)
    limiter.init_app(app)
    locale.init_app(app)

    from . import kept_layout, templating
    templating.init_app(app)
    kept_layout.init_app(app)

    from .api.views import bp as api_bp
    from .editors.reports import bp as page_reports_bp
    from .ops import bp as ops_bp
    from .public import bp as public_bp
    from .referrals.views import bp as referrals_bp
    from .search.views import bp as search_bp
    from .security import session_cookie
    from .staff.accounts import login_manager
    from .staff.views import bp as staff_bp
    session_cookie.init_app(app, login_manager)
    app.register_blueprint(ops_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(referrals_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(page_reports_bp)  # after public_bp, which adds the slug converter
    app.register_blueprint(search_bp)

    from . import errors
    from .forms import timeouts
    from .security import headers, rate_limits
    errors.init_app(app)
    headers.init_app(app)
    timeouts.init_app(app)
    rate_limits.init_app(app)  # once every route is registered

    from .content.cli import content_cli
    from .db.migrate import db_cli
    from .outbox.cli import outbox_cli
    from .retention.cli import referrals_cli
    from .search.cli import search_cli
    from .staff.cli import staff_cli
    app.cli.add_command(content_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(db_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(staff_cli)
    app.cli.add_command(referrals_cli)
    return app
