"""Rate limits, counted only on the routes that declare one.

Flask-Limiter runs three hooks on every request: a check before it (for
limits that cover the whole app), a step after it (rate-limit headers)
and a clean-up. This app declares its limits on routes only
(``@limiter.limit``), and Flask-Limiter checks those in the route's own
wrapper, so on any other route the hooks only cost time: about a fifth of
a cached page's. The step after and the clean-up are kept, unchanged, for
the routes that carry a limit. The check before has nothing to count when
no limit covers the whole app (on a limited route it leaves the route's
own limits to the route's wrapper, which checks them a moment later), so
it is dropped. All three are kept everywhere when an app-wide limit is
configured (RATELIMIT_DEFAULT, RATELIMIT_APPLICATION, RATELIMIT_META, or a
limit on a whole blueprint).
"""

from functools import partial

from flask import request

from ..extensions import limiter
from .hooks import guard_hooks

# Flask-Limiter marks each function it wraps with (a weak proxy to) the
# limiter that wraps it: compared with ==, as Flask-Limiter does.
WRAPPED_BY = "__wrapper-limiter-instance"


def init_app(app):
    """Keep the limiter's hooks to limited routes; call it once every route is registered.

    The limiter itself is bound earlier (``limiter.init_app``), so its hooks
    keep their place among the others.
    """
    if not limiter.enabled or _app_wide_limits(app):
        return
    limited = frozenset(endpoint for endpoint, view in app.view_functions.items()
                        if getattr(view, WRAPPED_BY, None) == limiter)
    guard_hooks(app, _belongs_to_limiter, lambda hook: _only_after(limited, hook))


def _app_wide_limits(app):
    manager = limiter.limit_manager
    return bool(manager.default_limits or manager.application_limits
                or app.config.get("RATELIMIT_META")
                or getattr(manager, "_blueprint_limits", True))  # unknown: assume some


def _belongs_to_limiter(hook):
    if isinstance(hook, partial):
        return bool(hook.args) and hook.args[0] is limiter
    return getattr(hook, "__self__", None) is limiter


def _only_after(limited, hook):
    """Drop the check before the request (nothing app-wide to count); keep the
    other hooks for the limited endpoints."""
    if getattr(hook, "__func__", None) is type(limiter)._check_request_limit:
        return None
    return _only_on(limited, hook)


def _only_on(limited, hook):
    """Run ``hook`` for requests to a limited endpoint; pass anything else through."""
    def on_limited_routes(*args):
        if request.endpoint in limited:
            return hook(*args)
        return args[0] if args else None  # an after-request hook returns the response
    on_limited_routes.__name__ = f"{getattr(hook, '__name__', 'limiter_hook')}_if_limited"
    return on_limited_routes
