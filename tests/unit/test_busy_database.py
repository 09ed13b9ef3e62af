"""A write that meets a busy database waits and tries again, instead of failing the person;
the command still happens exactly once."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from bot.app import App
from storage.uow import UnitOfWork
from tests.support import privately, say


def locked() -> OperationalError:
    return OperationalError("COMMIT", None, Exception("database is locked"))


async def test_a_command_that_meets_a_locked_database_is_done_once(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h")
    real_commit = UnitOfWork.commit
    failures = iter([locked(), locked()])

    async def busy_then_free(self: UnitOfWork) -> None:
        error = next(failures, None)
        if error is not None:
            await self.session.rollback()
            raise error
        await real_commit(self)

    monkeypatch.setattr(UnitOfWork, "commit", busy_then_free)
    reply = privately(await say(app, "alice", "/agenda add Budget for 2027"), "alice")
    monkeypatch.undo()
    assert "Added to the agenda" in reply
    agenda = privately(await say(app, "alice", "/agenda"), "alice")
    assert agenda.count("Budget for 2027") == 1


async def test_a_database_that_stays_locked_gets_a_kind_answer(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    await say(app, "alice", "/group setup Steering group")

    async def always_busy(self: UnitOfWork) -> None:
        await self.session.rollback()
        raise locked()

    monkeypatch.setattr("storage.locked.wait_random_exponential", lambda **_: lambda _s: 0)
    monkeypatch.setattr(UnitOfWork, "commit", always_busy)
    # A command that saves something (one that only reads needs no commit at all).
    reply = privately(await say(app, "alice", "/group rules Be kind"), "alice")
    assert "I'm very busy just now, so I couldn't take that. Nothing was changed." in reply
    assert "Please try again in a minute." in reply
