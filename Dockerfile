# alongside: a slim image that runs `alongside run` as an unprivileged user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    ALONGSIDE_DATABASE_URL=sqlite:////data/alongside.db \
    ALONGSIDE_MATRIX__STORE_PATH=/data/matrix-store

RUN useradd --create-home --uid 10001 alongside \
    && mkdir /data && chown alongside:alongside /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY scheduler ./scheduler
COPY storage ./storage
RUN pip install ".[slack,matrix,postgres]"

USER alongside
VOLUME ["/data"]
EXPOSE 3000
CMD ["alongside", "run"]
