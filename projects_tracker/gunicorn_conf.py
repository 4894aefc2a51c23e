"""gunicorn's settings for the production image (`gunicorn projects_tracker.wsgi
--config=python:projects_tracker.gunicorn_conf`). Options given on the command line win.

gunicorn's own records (start-up, worker timeouts) are JSON lines like the application's
(LOG_FORMAT=json, the default here); the access log is the application's (ops.access: one
record per request with its request id, status and duration), so gunicorn's is off.
"""

import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 60
graceful_timeout = 30
accesslog = None

if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "ops.logs.ContextFilter"}},
        "formatters": {"json": {"()": "ops.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["context"],
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # Off: ops.access logs each request, with its request id.
            "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
    }
