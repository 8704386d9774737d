"""Flask extensions, created unbound and bound in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
# Limits are declared on the routes that take input; RATELIMIT_STORAGE_URI
# is shared (Redis) when several servers run.
limiter = Limiter(get_remote_address)
