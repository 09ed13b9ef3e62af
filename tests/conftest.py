"""Shared fixtures: a real database (SQLite file always; PostgreSQL when one answers)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App, build_app
from handlers.core.keyed import Keys
from handlers.core.router import Router
from handlers.features import catalog
from scheduler.clock import VirtualClock
from storage.db import Database, async_url

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_url() -> str | None:
    """ALONGSIDE_TEST_POSTGRES_URL, else the local server if one answers on 5432."""
    configured = os.environ.get("ALONGSIDE_TEST_POSTGRES_URL")
    if configured:
        return configured
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return LOCAL_POSTGRES
    except OSError:
        return None


POSTGRES_URL = postgres_url()
if POSTGRES_URL is None and os.environ.get("CI"):
    raise RuntimeError(
        "CI must run the PostgreSQL tests, but no server answers on 127.0.0.1:5432 "
        "and ALONGSIDE_TEST_POSTGRES_URL is not set."
    )

BACKENDS = ["sqlite"] + (
    [pytest.param("postgres", marks=pytest.mark.postgres)] if POSTGRES_URL else []
)


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database: an SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    assert POSTGRES_URL is not None
    name = f"alongside_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(async_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


@pytest.fixture
def clock() -> VirtualClock:
    """A virtual clock at Monday 30 November 2026, 09:00 UTC."""
    return VirtualClock(START)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """A migrated database."""
    db = Database(database_url)
    await db.upgrade()
    yield db
    await db.dispose()


@pytest.fixture
async def app(database_url: str, clock: VirtualClock) -> AsyncIterator[App]:
    """The whole platform-neutral app on a fresh database and the virtual clock."""
    application = await build_app(database_url, clock, Keys.random())
    yield application
    await application.close()


@pytest.fixture
def router(database: Database) -> Router:
    """A router over every discovered command."""
    return Router(database.sessions, catalog())
