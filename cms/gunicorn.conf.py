"""gunicorn's settings for production (`make serve`; docs/deployment.md).

Kept under cms/ rather than at the repository root, where gunicorn would load it for
every run started there (the browser tests' and the benchmark's servers set their own).
Any setting can still be changed with GUNICORN_CMD_ARGS, e.g. "--timeout=60".
"""

import os


def _cores() -> int:
    """The cores this process may run on (a container's limit, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


wsgi_app = "cms.wsgi:application"
bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"
# Sync workers: the proxy in front buffers slow clients, so each worker is busy only
# while Django works. gunicorn's usual rule of thumb, unless the platform says.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * _cores() + 1)
worker_class = "sync"
# Imported once before forking: faster start and shared memory. A code change needs a
# restart (or USR2), not just HUP.
preload_app = True
# A request that takes longer is killed; on TERM, requests in flight get this long.
timeout = 30
graceful_timeout = 30
# Restart each worker now and then, so no slow leak grows without bound.
max_requests = 100_000
max_requests_jitter = 10_000
accesslog = "-"
errorlog = "-"
