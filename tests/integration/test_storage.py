"""Storage on every backend: migrations, UTC times, unique constraints, repositories, CLI."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from storage.db import MIGRATIONS, Database
from storage.models import (
    AwayPeriod,
    Base,
    DirectChannel,
    Group,
    InboxEvent,
    Membership,
    Person,
)
from storage.uow import UnitOfWork

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


async def tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))


async def version(db: Database) -> str:
    async with db.engine.connect() as conn:
        return str(await conn.scalar(text("SELECT version_num FROM alembic_version")))


# --- migrations ------------------------------------------------------------------------


async def test_migrations_apply_from_empty(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert await tables(db) == set()
        await db.upgrade()
        assert {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"} == (
            await tables(db)
        )
        assert await version(db) == head_revision()
    finally:
        await db.dispose()


async def test_matrix_rows_from_before_0010_keep_only_the_day(database_url: str) -> None:
    """Times of day written before 0010 could match when someone wrote a concern."""

    def upgrade_to_0009(connection: Connection) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "0009")

    db = Database(database_url)
    wrote = datetime(2026, 11, 30, 10, 17, 23, tzinfo=UTC)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(upgrade_to_0009)
        async with db.sessions() as session:
            session.add(
                InboxEvent(platform="matrix", event_ref="$e", status="done", handled_at=wrote)
            )
            session.add(
                DirectChannel(
                    platform="matrix", channel_ref="!dm", user_ref="@a:x", last_used_at=wrote
                )
            )
            await session.commit()
        await db.upgrade()
        async with db.sessions() as session:
            handled = await session.scalar(select(InboxEvent.handled_at))
            used = await session.scalar(select(DirectChannel.last_used_at))
        assert handled == used == datetime(2026, 11, 30, tzinfo=UTC)
    finally:
        await db.dispose()


async def test_migrations_match_the_models(database: Database) -> None:
    """Every model change has a migration: nothing is left for autogenerate to find."""

    def differences(conn: Connection) -> list[Any]:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        return list(compare_metadata(context, Base.metadata))

    async with database.engine.connect() as conn:
        assert await conn.run_sync(differences) == []


async def test_upgrading_twice_changes_nothing_and_keeps_data(database_url: str) -> None:
    db = Database(database_url)
    try:
        await db.upgrade()
        async with UnitOfWork(db.sessions) as uow:
            await uow.people.meet("console", "alice", "Alice", NOW)
            await uow.commit()
        await db.upgrade()
        await db.upgrade()
        assert await version(db) == head_revision()
        async with UnitOfWork(db.sessions) as uow:
            alice = await uow.people.find("console", "alice")
            assert alice is not None and alice.display_name == "Alice"
    finally:
        await db.dispose()


async def test_a_second_process_can_upgrade_an_upgraded_database(database_url: str) -> None:
    first, second = Database(database_url), Database(database_url)
    try:
        await first.upgrade()
        await second.upgrade()
        assert await version(second) == head_revision()
    finally:
        await first.dispose()
        await second.dispose()


# --- times -----------------------------------------------------------------------------


async def test_times_round_trip_as_aware_utc(database: Database) -> None:
    india = timezone(timedelta(hours=5, minutes=30))
    written = datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=india)
    async with UnitOfWork(database.sessions) as uow:
        await uow.people.meet("console", "alice", "Alice", written)
        await uow.commit()
    async with UnitOfWork(database.sessions) as uow:  # a fresh session reads from the database
        alice = await uow.people.find("console", "alice")
        assert alice is not None
        assert alice.created_at == written
        assert alice.created_at.tzinfo == UTC
        assert alice.created_at == datetime(2026, 3, 28, 20, 0, 15, 123456, tzinfo=UTC)


async def test_naive_times_are_refused(database: Database) -> None:
    async with UnitOfWork(database.sessions) as uow:
        with pytest.raises(StatementError, match="naive datetimes are not stored"):
            await uow.people.meet("console", "alice", "Alice", datetime(2026, 11, 30, 9, 0))


async def test_utc_times_compare_correctly_in_queries(database: Database) -> None:
    async with UnitOfWork(database.sessions) as uow:
        for i, user in enumerate(("early", "late")):
            await uow.people.meet("console", user, user, NOW + timedelta(hours=i))
        await uow.commit()
    cutoff = datetime(2026, 11, 30, 10, 30, tzinfo=timezone(timedelta(hours=1)))  # 09:30 UTC
    async with database.sessions() as session:
        found = await session.scalars(select(Person.external_id).where(Person.created_at > cutoff))
        assert found.all() == ["late"]


# --- unique constraints ----------------------------------------------------------------


async def add_and_commit(db: Database, *rows: Any) -> None:
    async with db.sessions() as session:
        session.add_all(rows)
        await session.commit()


async def test_the_same_person_cannot_be_stored_twice(database: Database) -> None:
    await add_and_commit(
        database, Person(platform="slack", external_id="U1", display_name="A", created_at=NOW)
    )
    with pytest.raises(IntegrityError):
        await add_and_commit(
            database, Person(platform="slack", external_id="U1", display_name="B", created_at=NOW)
        )
    # the same id on another platform is another person
    await add_and_commit(
        database, Person(platform="matrix", external_id="U1", display_name="A", created_at=NOW)
    )


async def test_one_group_per_channel_and_one_membership_per_person(database: Database) -> None:
    person = Person(platform="slack", external_id="U1", display_name="A", created_at=NOW)
    group = Group(platform="slack", channel_ref="C1", name="Steering", created_at=NOW)
    await add_and_commit(database, person, group)
    with pytest.raises(IntegrityError):
        await add_and_commit(
            database, Group(platform="slack", channel_ref="C1", name="Other", created_at=NOW)
        )
    await add_and_commit(
        database, Membership(group_id=group.id, person_id=person.id, joined_at=NOW)
    )
    with pytest.raises(IntegrityError):
        await add_and_commit(
            database, Membership(group_id=group.id, person_id=person.id, joined_at=NOW)
        )


# --- repositories ----------------------------------------------------------------------


async def test_meet_creates_once_and_keeps_the_display_name_current(database: Database) -> None:
    async with UnitOfWork(database.sessions) as uow:
        first = await uow.people.meet("slack", "U1", "Alice", NOW)
        await uow.commit()
    async with UnitOfWork(database.sessions) as uow:
        again = await uow.people.meet("slack", "U1", "Alice Smith", NOW + timedelta(days=1))
        unchanged = await uow.people.meet("slack", "U1", "", NOW + timedelta(days=2))
        await uow.commit()
    assert again.id == first.id == unchanged.id
    async with database.sessions() as session:
        people = (await session.scalars(select(Person))).all()
    assert [(p.external_id, p.display_name, p.created_at) for p in people] == [
        ("U1", "Alice Smith", NOW)
    ]


async def test_join_is_idempotent(database: Database) -> None:
    async with UnitOfWork(database.sessions) as uow:
        person = await uow.people.meet("slack", "U1", "Alice", NOW)
        group = Group(platform="slack", channel_ref="C1", name="Steering", created_at=NOW)
        uow.session.add(group)
        await uow.session.flush()
        first = await uow.groups.join(group, person, NOW)
        second = await uow.groups.join(group, person, NOW + timedelta(hours=1))
        await uow.commit()
    async with UnitOfWork(database.sessions) as uow:
        third = await uow.groups.join(group, person, NOW + timedelta(days=1))
        await uow.commit()
    assert first.id == second.id == third.id
    async with database.sessions() as session:
        rows = (await session.scalars(select(Membership))).all()
    assert [(m.person_id, m.joined_at, m.is_facilitator) for m in rows] == [(person.id, NOW, False)]


async def test_of_person_lists_groups_oldest_first_and_only_their_own(
    database: Database,
) -> None:
    async with UnitOfWork(database.sessions) as uow:
        alice = await uow.people.meet("slack", "U1", "Alice", NOW)
        bob = await uow.people.meet("slack", "U2", "Bob", NOW)
        groups = [
            Group(platform="slack", channel_ref=f"C{i}", name=name, created_at=NOW)
            for i, name in enumerate(("Steering", "Design", "Board"))
        ]
        uow.session.add_all(groups)
        await uow.session.flush()
        # alice joins in a different order from the groups' creation
        for group in (groups[2], groups[0]):
            await uow.groups.join(group, alice, NOW)
        await uow.groups.join(groups[1], bob, NOW)
        await uow.commit()
    async with UnitOfWork(database.sessions) as uow:
        assert [g.name for g in await uow.groups.of_person(alice.id)] == ["Steering", "Board"]
        assert [g.name for g in await uow.groups.of_person(bob.id)] == ["Design"]
        assert list(await uow.groups.of_person(10_000)) == []


async def test_members_come_in_the_order_they_joined(database: Database) -> None:
    async with UnitOfWork(database.sessions) as uow:
        group = Group(platform="slack", channel_ref="C1", name="Steering", created_at=NOW)
        uow.session.add(group)
        await uow.session.flush()
        for minutes, user in ((5, "carol"), (0, "alice"), (5, "bob")):
            person = await uow.people.meet("slack", user, user, NOW)
            await uow.groups.join(group, person, NOW + timedelta(minutes=minutes))
        await uow.commit()
    async with UnitOfWork(database.sessions) as uow:
        members = await uow.groups.members(group.id)
        assert [m.person.external_id for m in members] == ["alice", "carol", "bob"]


async def test_preferences_and_away_days(database: Database) -> None:
    async with UnitOfWork(database.sessions) as uow:
        alice = await uow.people.meet("slack", "U1", "Alice", NOW)
        prefs = await uow.people.preferences(alice.id)
        assert (prefs.reminders_via, prefs.quiet_start, prefs.lead_minutes) == ("dm", None, None)
        uow.session.add_all(
            [
                AwayPeriod(
                    person_id=alice.id, first_day=date(2027, 2, 1), last_day=date(2027, 2, 7)
                ),
                AwayPeriod(
                    person_id=alice.id, first_day=date(2026, 12, 24), last_day=date(2026, 12, 26)
                ),
            ]
        )
        await uow.commit()
    async with UnitOfWork(database.sessions) as uow:
        away = await uow.people.away_periods(alice.id)
        assert [p.first_day for p in away] == [date(2026, 12, 24), date(2027, 2, 1)]
        assert await uow.people.is_away(alice.id, date(2026, 12, 24))  # first day counts
        assert await uow.people.is_away(alice.id, date(2026, 12, 26))  # and the last
        assert not await uow.people.is_away(alice.id, date(2026, 12, 27))
        assert not await uow.people.is_away(alice.id, date(2026, 12, 23))


async def test_nothing_is_saved_without_commit(database: Database) -> None:
    async with UnitOfWork(database.sessions) as uow:
        await uow.people.meet("slack", "U1", "Alice", NOW)
    async with UnitOfWork(database.sessions) as uow:
        assert await uow.people.find("slack", "U1") is None


# --- the CLI ---------------------------------------------------------------------------


def alongside(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALONGSIDE_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_db_upgrade_command(database_url: str, tmp_path: Path) -> None:
    for _ in range(2):  # a second run finds nothing to do
        done = alongside("db", "upgrade", "--db", database_url, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "The database is up to date."

    async def check() -> tuple[set[str], str]:
        db = Database(database_url)
        try:
            return await tables(db), await version(db)
        finally:
            await db.dispose()

    found, revision = asyncio.run(check())
    assert {"groups", "people", "memberships", "preferences"} <= found
    assert revision == head_revision()


@pytest.mark.slow
def test_db_upgrade_command_takes_a_plain_file_path_and_makes_its_folder(tmp_path: Path) -> None:
    done = alongside("db", "upgrade", "--db", "data/alongside.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "alongside.db").stat().st_size > 0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mysql://someone:secret@localhost/db", "alongside supports SQLite and PostgreSQL"),
        ("a-file/x.db", "File exists: 'a-file'"),
    ],
)
def test_db_upgrade_command_explains_a_database_it_cannot_open(
    tmp_path: Path, url: str, reason: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    done = alongside("db", "upgrade", "--db", url, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("Error: I couldn't open the database ")
    assert reason in done.stderr
    assert "Traceback" not in done.stderr and "secret" not in done.stderr
