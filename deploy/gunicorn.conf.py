"""gunicorn settings for Family Front Door (copied to /etc/portal/gunicorn.conf.py).

Read by ``gunicorn --config``; anything given on the command line wins.
Settings the app itself reads (DATABASE_URL, SECRET_KEY ...) come from the
environment file the systemd unit names, never from here.
"""

import multiprocessing
import os

# nginx talks to this address; never a public one. Only where nginx reaches
# it: loopback, or a private address firewalled to the nginx server. The app
# trusts X-Forwarded-For (PORTAL_PROXIES), so a client reaching gunicorn
# directly could pose as any address and slip every per-client limit.
bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")

# Sync workers: each request is short and CPU-bound (rendering, search). Two
# per core plus one keeps the CPU busy while one waits on PostgreSQL or SMTP.
workers = int(os.environ.get("PORTAL_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# A request that takes longer than this is stuck (the app's own limits are
# 5 s for PostgreSQL and PORTAL_DELIVERY_TIMEOUT for SMTP): the worker is
# replaced. On a restart, workers get this long to finish what they serve.
timeout = 30
graceful_timeout = 10
# nginx keeps no idle connections to a sync worker.
keepalive = 2
# Recycle workers now and then so a slow leak can never grow unbounded.
max_requests = 5000
max_requests_jitter = 500

# No control socket (gunicornc, gunicorn 25.1+): systemd starts, reloads (HUP)
# and stops the server, and the socket's default home, ~/.gunicorn, is
# read-only under the unit's ProtectSystem=strict ("Control server error").
control_socket_disable = True

# The X-Forwarded-* headers are trusted by the app (PORTAL_PROXIES hops),
# from nginx on this machine only: gunicorn must agree, or it would drop
# them before the app sees them.
forwarded_allow_ips = os.environ.get("PORTAL_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log to stdout (the journal) with the path only: %(U)s has no query
# string, so search words and references typed into a status check never
# reach a log. No client address either: nginx's log has it, if kept at all.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = "info"
