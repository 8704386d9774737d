"""Put a condition in front of a request hook an extension registered for the whole app."""


def guard_hooks(app, matches, guard):
    """Replace each app-wide before, after or teardown hook for which ``matches(hook)``
    is true by ``guard(hook)``, in the same place; a guard that returns None
    removes the hook."""
    for hooks in (app.before_request_funcs, app.after_request_funcs,
                  app.teardown_request_funcs):
        registered = hooks.get(None, [])
        registered[:] = [hook for hook in (guard(hook) if matches(hook) else hook
                                           for hook in registered) if hook is not None]
