# The production image: the same code as development, with collected static files and the
# system libraries WeasyPrint needs. PostgreSQL and Redis are separate services
# (docker-compose.yml); the embedded servers are for development and tests only.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/src static/src
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir -e .
# The DfE's validators for the statutory returns pin pandas 1.5: their own virtualenv, which
# settings.PODS_VALIDATORS_PYTHON points at (/app/.venv-validators/bin/python by default).
COPY reporting/returns/validation/requirements.txt reporting/returns/validation/
RUN python -m venv .venv-validators \
 && .venv-validators/bin/pip install --no-cache-dir -r reporting/returns/validation/requirements.txt
COPY . .
COPY --from=assets /app/static/build static/build
# collectstatic needs no database: DATABASE_URL and REDIS_URL are placeholders here.
RUN DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    PODS_MANIFEST_STATIC=true python manage.py collectstatic --noinput
RUN useradd --system --uid 1001 pods && chown -R pods /app
USER pods
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--logger-class", "config.gunicorn_logging.RedactingLogger"]
