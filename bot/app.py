"""Assembles the app once at start-up: database, router, clock, delivery engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.calendar_feed import CalendarFeed
from bot.config import Settings
from bot.health import Health
from bot.metrics import Metrics
from bot.secret import load_keys
from handlers.core.feature import Catalog
from handlers.core.keyed import Keys
from handlers.core.router import Incoming, Result, Router, parse
from handlers.features import catalog as whole_catalog
from scheduler.clock import Clock
from scheduler.delivery import DeliveryEngine, Sender
from scheduler.instance import Instance
from storage.db import Database


@dataclass
class App:
    """The platform-neutral bot: platforms feed it what people say and send what it returns."""

    db: Database
    router: Router
    clock: Clock
    catalog: Catalog
    metrics: Metrics = field(default_factory=Metrics)
    #: This running copy, as its deliveries name it (scheduler/instance.py).
    instance: Instance = field(default_factory=Instance)
    health: Health = field(init=False)
    #: Private calendar links (GET /calendar/<token>.ics) on the HTTP listener.
    feed: CalendarFeed = field(init=False)

    def __post_init__(self) -> None:
        self.health = Health(self.db, self.clock)
        self.feed = CalendarFeed(self.db, self.router.keys, self.clock)

    async def handle(self, incoming: Incoming) -> Result:
        """Handle what someone said, at the clock's current time."""
        self._count(incoming.text)
        return await self.router.handle(incoming, self.clock.now())

    def _count(self, said: str) -> None:
        """Count a command by its name; private ones (like /concern) are not counted."""
        parsed = parse(said)
        if parsed is None:
            return
        spec = self.catalog.commands.get(parsed[0])
        if spec is None:
            self.metrics.command("unknown")
        elif not self.router.is_private(said):
            self.metrics.command(spec.name)

    def delivery(self, sender: Sender) -> DeliveryEngine:
        """The delivery engine for a platform."""
        return DeliveryEngine(
            self.db.sessions,
            sender,
            self.catalog.planners,
            self.catalog.housekeeping,
            tally=self.metrics,
            instance=self.instance,
        )

    async def close(self) -> None:
        """Release the database."""
        await self.db.dispose()


async def build_app(
    database_url: str, clock: Clock, keys: Keys | None = None, public_url: str | None = None
) -> App:
    """Open the database, apply migrations and wire the router and planners.

    `keys` holds the server secret for keyed hashes; by default it is read
    from (or created in) the key file beside an SQLite database. `public_url` is where
    people reach the HTTP listener (for calendar links); by default the settings' one.
    """
    db = Database(database_url)
    await db.upgrade()
    catalog = whole_catalog()
    return App(
        db=db,
        router=Router(
            db.sessions,
            catalog,
            keys or load_keys(database_url),
            public_url if public_url is not None else Settings().public_url,
        ),
        clock=clock,
        catalog=catalog,
        # On SQLite only one instance can run (bot/leadership.py), so its rows are all ours.
        instance=Instance(sole=db.engine.dialect.name == "sqlite"),
    )
