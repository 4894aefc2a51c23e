from .celery import app as celery_app

# The application's version: in backup manifests, at /metrics (tracker_build_info) and in the API schema.
__version__ = "1.0.0"

__all__ = ("__version__", "celery_app")
