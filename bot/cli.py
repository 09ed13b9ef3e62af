"""The `alongside` command line."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from bot import logs
from bot.app import App, build_app
from bot.config import Settings
from bot.leadership import AlreadyRunning, sole_instance
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock
from storage.db import Database

#: The optional extras and what each is for (`pip install 'alongside[slack]'`).
EXTRAS = {"slack": "Slack", "matrix": "Matrix", "postgres": "PostgreSQL"}
#: Our own packages: a module missing from these is a bug, not a missing extra.
OWN = frozenset({"bot", "handlers", "scheduler", "storage"})


def _missing(extra: str) -> click.ClickException:
    return click.ClickException(
        f"{EXTRAS[extra]} needs more installed: pip install 'alongside[{extra}]'"
    )


@contextlib.contextmanager
def _needs(extra: str) -> Iterator[None]:
    """Import a platform's modules; one it needs that isn't installed names the extra."""
    try:
        yield
    except ModuleNotFoundError as error:
        if (error.name or "bot").partition(".")[0] in OWN:
            raise
        raise _missing(extra) from None


class _Commands(click.Group):
    """The commands; a database driver that isn't installed names its extra."""

    def invoke(self, ctx: click.Context) -> object:
        """Run the command, saying plainly if PostgreSQL's driver is missing."""
        try:
            return super().invoke(ctx)
        except ModuleNotFoundError as error:
            if error.name != "asyncpg":
                raise
            raise _missing("postgres") from None


@click.group(cls=_Commands)
@click.pass_context
def main(ctx: click.Context) -> None:
    """alongside: a gentle helper for co-production groups."""
    ctx.obj = Settings()


def _cannot_open(database_url: str, error: Exception) -> click.ClickException:
    """A plain error for a database that can't be opened (no traceback, no password)."""
    where = database_url
    if "://" in database_url:
        try:
            where = make_url(database_url).render_as_string(hide_password=True)
        except SQLAlchemyError:
            where = "given"
    reason = error.orig if isinstance(error, DBAPIError) and error.orig else error
    return click.ClickException(f"I couldn't open the database {where}: {reason}")


def _make_room(database_url: str) -> None:
    """Create the folder an SQLite file goes in, so `--db data/alongside.db` just works."""
    if "://" in database_url:
        url = make_url(database_url)
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return
        database_url = str(url.database)
    Path(database_url).parent.mkdir(parents=True, exist_ok=True)


async def _open_app(database_url: str, clock: VirtualClock) -> App:
    try:
        _make_room(database_url)
        return await build_app(database_url, clock)
    except (ValueError, OSError, SQLAlchemyError) as error:
        raise _cannot_open(database_url, error) from None


async def _console(database_url: str, start: datetime, transcript: Path | None) -> None:
    clock = VirtualClock(start)
    app = await _open_app(database_url, clock)
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
    database_url = db or settings.database_url
    with contextlib.ExitStack() as held:
        try:
            _make_room(database_url)
            held.enter_context(sole_instance(database_url))
        except AlreadyRunning as error:
            raise click.ClickException(str(error)) from None
        except (ValueError, OSError) as error:
            raise _cannot_open(database_url, error) from None
        asyncio.run(_console(database_url, when, transcript))


#: What `alongside run` says, and exits 2, with no platform and no terminal to talk in.
NO_PLATFORM = (
    "No platform is set. Set ALONGSIDE_PLATFORM to slack or matrix (and their settings), "
    "or console for the console."
)


@main.command()
@click.pass_obj
def run(settings: Settings) -> None:
    """Run on the platform the config names; with none, the console (in a terminal only)."""
    if settings.platform is None and not sys.stdin.isatty():
        # A container or service with nothing configured: say so, don't read a closed stdin.
        click.echo(NO_PLATFORM, err=True)
        sys.exit(2)
    if settings.platform in (None, "console"):
        _start_console(settings, None, None)
        return
    if settings.platform == "slack":
        _start_slack(settings)
        return
    if settings.platform == "matrix":
        _start_matrix(settings)
        return
    raise click.ClickException(
        f"The {settings.platform} platform isn't available in this version yet."
    )


@main.command()
@click.option("--db", "db", help="Database file or URL (default: ./alongside.db).")
@click.option("--log-level", default=None, help="Log level for stderr (default WARNING).")
@click.option(
    "--start",
    type=click.DateTime(["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]),
    default=None,
    help="Start the virtual clock here (UTC), e.g. 2026-12-01T09:00. Default: now.",
)
@click.option(
    "--transcript",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
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


def _start_slack(settings: Settings) -> None:
    with _needs("slack"):
        from bot.platforms.slack.service import SlackSetupError, serve

    logs.configure(settings.log_level)
    try:
        asyncio.run(serve(settings))
    except (SlackSetupError, AlreadyRunning) as error:
        raise click.ClickException(str(error)) from None
    except SQLAlchemyError as error:
        raise _cannot_open(settings.database_url, error) from None
    except OSError as error:  # the port is taken, the network is down, ...
        raise click.ClickException(f"I couldn't start on Slack: {error}") from None


@main.command()
@click.option("--manifest", is_flag=True, help="Print the Slack app manifest and exit.")
@click.option("--url", default=None, help="With --manifest: your https://.../slack/events URL.")
@click.option("--socket-mode", is_flag=True, help="With --manifest: a Socket Mode app.")
@click.option("--prefix", default=None, help="With --manifest: before every command, e.g. co-.")
@click.option("--umbrella", default=None, help="With --manifest: only this one command.")
@click.pass_obj
def slack(
    settings: Settings,
    manifest: bool,
    url: str | None,
    socket_mode: bool,
    prefix: str | None,
    umbrella: str | None,
) -> None:
    """Run on Slack (HTTP, or Socket Mode when an app token is set); see README: Slack."""
    if manifest:
        _print_manifest(settings, url, socket_mode, prefix, umbrella)
        return
    _start_slack(settings)


def _print_manifest(
    settings: Settings,
    url: str | None,
    socket_mode: bool,
    prefix: str | None,
    umbrella: str | None,
) -> None:
    """The Slack manifest; the prefix or umbrella default to the settings' own."""
    with _needs("slack"):
        from bot.platforms.slack.manifest import PLACEHOLDER_URL, naming_problem, render
        from bot.platforms.slack.naming import CommandNaming
        from handlers.features import catalog

    configured = CommandNaming.from_settings(settings.slack)
    naming = CommandNaming(
        (configured.prefix if prefix is None else prefix).lower(),
        (configured.umbrella if umbrella is None else umbrella.lower()) or None,
    )
    problem = naming_problem(naming, catalog().commands)
    if problem:
        raise click.UsageError(problem)
    click.echo(render(url or PLACEHOLDER_URL, socket_mode, naming), nl=False)


def _start_matrix(settings: Settings) -> None:
    with _needs("matrix"):
        from bot.platforms.matrix.calls import MatrixUnavailable
        from bot.platforms.matrix.service import MatrixSetupError, serve

    logs.configure(settings.log_level)
    try:
        asyncio.run(serve(settings))
    except (MatrixSetupError, AlreadyRunning) as error:
        raise click.ClickException(str(error)) from None
    except SQLAlchemyError as error:
        raise _cannot_open(settings.database_url, error) from None
    except (MatrixUnavailable, OSError) as error:
        raise click.ClickException(f"I couldn't reach the Matrix homeserver: {error}") from None


@main.command()
@click.pass_obj
def matrix(settings: Settings) -> None:
    """Run on Matrix (matrix-nio; E2E rooms too); see README: Matrix."""
    _start_matrix(settings)


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

    database_url = url or settings.database_url

    async def _upgrade() -> None:
        try:
            _make_room(database_url)
            database = Database(database_url)
        except (ValueError, OSError, SQLAlchemyError) as error:
            raise _cannot_open(database_url, error) from None
        try:
            await database.upgrade()
        except (OSError, SQLAlchemyError) as error:
            raise _cannot_open(database_url, error) from None
        finally:
            await database.dispose()

    logs.configure(settings.log_level)
    asyncio.run(_upgrade())
    click.echo("The database is up to date.")


@db.command()
@click.option("-m", "--message", required=True, help="What the migration does, in a few words.")
def revision(message: str) -> None:
    """Generate the next migration from the models (read it before committing)."""
    from bot.revision import new_revision

    path, changed = new_revision(message)
    click.echo(f"Wrote {path}.")
    if not changed:
        click.echo(
            "The models already match the migrations, so it is empty: "
            "write its upgrade and downgrade by hand."
        )
