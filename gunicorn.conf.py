"""gunicorn settings read from the working directory (``gunicorn wsgi:app``; see docs/deploy.md).

Before any worker loads the app, the worker count is exported as WEB_CONCURRENCY, and production
refuses to start when the rate limits would be counted in each worker's memory.
"""

import os

from config import check_rate_limit_storage


def on_starting(server):
    workers = server.cfg.workers
    os.environ["WEB_CONCURRENCY"] = str(workers)
    if os.environ.get("SHARING_ENV") == "production":
        check_rate_limit_storage(os.environ.get("RATELIMIT_STORAGE_URI"), workers)
