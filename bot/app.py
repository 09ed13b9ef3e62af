"""Assembles the app once at start-up: database, router, clock, delivery engine."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.due import Planner
from handlers.registry import discover, discover_attribute
from handlers.router import Incoming, Result, Router
from scheduler.clock import Clock
from scheduler.delivery import DeliveryEngine, Sender
from storage.db import Database


@dataclass
class App:
    """The platform-neutral bot: platforms feed it what people say and send what it returns."""

    db: Database
    router: Router
    clock: Clock
    planners: list[Planner]

    async def handle(self, incoming: Incoming) -> Result:
        """Handle what someone said, at the clock's current time."""
        return await self.router.handle(incoming, self.clock.now())

    def delivery(self, sender: Sender) -> DeliveryEngine:
        """The delivery engine for a platform."""
        return DeliveryEngine(self.db.sessions, sender, self.planners)

    async def close(self) -> None:
        """Release the database."""
        await self.db.dispose()


async def build_app(database_url: str, clock: Clock) -> App:
    """Open the database, apply migrations and wire the router and planners."""
    db = Database(database_url)
    await db.upgrade()
    return App(
        db=db, router=Router(db.sessions, discover()), clock=clock,
        planners=discover_attribute("PLANNERS"),
    )
