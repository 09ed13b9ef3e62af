# alongside: a slim image that runs `alongside run` as an unprivileged user.
#
# The base is pinned to one patch release of Python on one Debian release. To pin it
# by digest as well, pull it once and add the digest it prints:
#   docker pull python:3.11.14-slim-bookworm
#   docker inspect --format '{{index .RepoDigests 0}}' python:3.11.14-slim-bookworm
#   FROM python:3.11.14-slim-bookworm@sha256:...
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ALONGSIDE_DATABASE_URL=sqlite:////data/alongside.db \
    ALONGSIDE_MATRIX__STORE_PATH=/data/matrix-store \
    ALONGSIDE_HEALTH__PORT=8080

RUN useradd --create-home --uid 10001 --user-group alongside \
    && mkdir /data && chown 10001:10001 /data

WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when pyproject.toml changes.
# They include the `tzdata` package, so time zones work without the system's zone files.
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
extra = p['optional-dependencies']; \
print('\n'.join(p['dependencies'] + extra['slack'] + extra['matrix'] + extra['postgres']))" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the code, installed without touching the dependencies above.
COPY README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY scheduler ./scheduler
COPY storage ./storage
RUN pip install --no-cache-dir --no-deps .

USER 10001
VOLUME ["/data"]
EXPOSE 3000
# /healthz answers on 127.0.0.1:8080 (ALONGSIDE_HEALTH__PORT) on every platform.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
CMD ["alongside", "run"]
