"""The `alongside` command line."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from bot import logs
from bot.app import build_app
from bot.config import Settings
from bot.console import Console
from scheduler.clock import VirtualClock
from storage.db import Database


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """alongside: a gentle helper for co-production groups."""
    ctx.obj = Settings()


async def _console(database_url: str, start: datetime, transcript: Path | None) -> None:
    clock = VirtualClock(start)
    app = await build_app(database_url, clock)
    try:
        await Console(app, clock, sys.stdout, transcript).run(sys.stdin)
    finally:
        await app.close()


def _start_console(
    settings: Settings,
    db: str | None,
    log_level: str | None,
    start: datetime | None = None,
    transcript: Path | None = None,
) -> None:
    logs.configure(log_level or "WARNING")
    if sys.stdin.isatty():
        click.echo(
            "alongside console. Speak as someone with 'alice: /help' (in the group) or "
            "'alice@dm: /help' (privately). Move time with ':advance 1h'. Ctrl-D to finish."
        )
    when = start.replace(tzinfo=start.tzinfo or UTC) if start else datetime.now(UTC)
    asyncio.run(_console(db or settings.database_url, when, transcript))


@main.command()
@click.pass_obj
def run(settings: Settings) -> None:
    """Run on the platform the config names; with none, the console on ./alongside.db."""
    if settings.platform in (None, "console"):
        _start_console(settings, None, None)
        return
    raise click.ClickException(
        f"The {settings.platform} platform isn't available in this version yet."
    )


@main.command()
@click.option("--db", "db", help="Database file or URL (default: ./alongside.db).")
@click.option("--log-level", default=None, help="Log level for stderr (default WARNING).")
@click.option(
    "--start", type=click.DateTime(["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]), default=None,
    help="Start the virtual clock here (UTC), e.g. 2026-12-01T09:00. Default: now.",
)
@click.option(
    "--transcript", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Also record each delivery in this file, so a restart never repeats one.",
)
@click.pass_obj
def console(
    settings: Settings,
    db: str | None,
    log_level: str | None,
    start: datetime | None,
    transcript: Path | None,
) -> None:
    """Talk to the bot in this terminal as one or more people."""
    _start_console(settings, db, log_level, start, transcript)


@main.command()
def demo() -> None:
    """Play a scripted tour of a meeting cycle with a virtual clock."""
    from bot.demo import play

    logs.configure("WARNING")
    asyncio.run(play())


@main.group()
def db() -> None:
    """Database tools."""


@db.command()
@click.option("--db", "url", help="Database file or URL (default: from config).")
@click.pass_obj
def upgrade(settings: Settings, url: str | None) -> None:
    """Apply database migrations."""

    async def _upgrade() -> None:
        database = Database(url or settings.database_url)
        try:
            await database.upgrade()
        finally:
            await database.dispose()

    logs.configure(settings.log_level)
    asyncio.run(_upgrade())
    click.echo("The database is up to date.")
