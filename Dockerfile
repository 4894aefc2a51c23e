# One image for web (gunicorn), worker and beat (Celery), the one-off migrate service and the
# scheduled backup (manage.py backup, which needs pg_dump).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=projects_tracker.settings \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media \
    BACKUP_DIR=/backups \
    STATIC_MANIFEST=1

# pg_dump and pg_restore of the database server's major version (PostgreSQL 16 in
# docker-compose.yml): Debian 12 ships 15, which refuses to dump a newer server, so the client
# comes from the PostgreSQL project's Debian repository (configured by Debian's own script).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates postgresql-common \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends postgresql-client-16 \
    && rm -rf /var/lib/apt/lists/* \
    && pg_dump --version

WORKDIR /app

RUN useradd --create-home --uid 10001 app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected (hashed names, compressed) into the image, served by WhiteNoise.
# The build needs a key only to import the settings (a throw-away random one: placeholders are
# refused); it is not kept in the image.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    VAR_DIR=/tmp/build-var python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var \
    && mkdir -p /app/var /app/media /backups \
    && chown -R app:app /app/var /app/media /backups

USER app
EXPOSE 8000

CMD ["gunicorn", "projects_tracker.wsgi", "--config=python:projects_tracker.gunicorn_conf"]
