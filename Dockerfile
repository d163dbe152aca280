# Production image: gunicorn serving the portal, static files through WhiteNoise (collected at build time).
# The same image runs the Celery worker and beat (see docker-compose.yml). Configuration comes from the
# environment only (README); the image holds no secrets.

# --- the source tree without local state --------------------------------------------------------------------
# A plain `COPY . .` would also take the developer's .venv, .data (the embedded database and uploads) and
# .git; dropping them in a throwaway stage keeps them out of the final image.
FROM python:3.13-slim AS source
WORKDIR /src
COPY . .
RUN rm -rf .git .venv .data .ci media staticfiles tmp-bench .pytest_cache .ruff_cache *.egg-info \
    && find . -name __pycache__ -type d -prune -exec rm -rf {} +

# --- the image ---------------------------------------------------------------------------------------------
FROM python:3.13-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# WeasyPrint's native libraries (PDF statements) and a font to render them with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. The project itself has no packages
# (pyproject.toml: packages = []); it runs from /app. No extras: the image has neither the development tools
# nor the embedded PostgreSQL (DATABASE_URL is required).
COPY pyproject.toml README.md ./
RUN pip install uv \
    && uv pip install --system --no-cache --compile-bytecode . \
    && rm -rf build *.egg-info

COPY --from=source /src/ /app/

# Static files are collected once, at build. The throwaway key and database URL only let the settings load
# (a DATABASE_URL also keeps them from starting the embedded PostgreSQL); nothing connects to the database.
RUN SECRET_KEY=collectstatic-only-not-a-secret \
    DATABASE_URL=postgres://build@127.0.0.1:5432/build \
    python manage.py collectstatic --noinput \
    && python -m compileall -q /app

# Uploads when no S3 bucket is configured (MEDIA_ROOT; docker-compose.yml mounts a volume here). The code
# stays owned by root: the app user can read it, not change it.
RUN mkdir -p /data/media && chown -R app:app /data
ENV MEDIA_ROOT=/data/media

USER app
EXPOSE 8000
# Each request is logged to stdout by the portal itself, a JSON line with its request id and user (README,
# "Health and logs"), where `docker compose logs` reads it; gunicorn's own access log would repeat it as text.
CMD ["gunicorn", "helpdesk.wsgi:application", "-b", "0.0.0.0:8000", "-w", "3"]
