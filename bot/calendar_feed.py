"""GET /calendar/<token>.ics: a member's private calendar link, served over HTTP.

The token is looked up by its keyed hash (handlers/calendar/links.py); the answer is
the same calendar `/meeting calendar` sends, built fresh at each request. An unknown,
stopped or malformed token, or one whose member is no longer in the group, gets a
bare 404 that says nothing more.
"""

from __future__ import annotations

import re

import structlog
from aiohttp import web

from handlers.calendar import group_calendar
from handlers.calendar.ics import MEDIA_TYPE
from handlers.calendar.links import PATH, SUFFIX, link_hash
from handlers.core.keyed import Keys
from scheduler.clock import Clock
from storage.db import Database
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

#: What secrets.token_urlsafe(32) gives: 43 URL-safe characters.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


class CalendarFeed:
    """Finds the calendar behind a link's token."""

    def __init__(self, db: Database, keys: Keys, clock: Clock) -> None:
        self.db = db
        self.keys = keys
        self.clock = clock

    async def calendar(self, token: str) -> str | None:
        """The calendar text for this token, or None if no link has it."""
        if not _TOKEN.match(token):
            return None
        async with UnitOfWork(self.db.sessions) as uow:
            link = await uow.calendar_links.find(link_hash(self.keys, token))
            if link is None or await uow.groups.membership(link.group_id, link.person_id) is None:
                return None  # unknown, stopped, or its member has left the group
            group = await uow.groups.get(link.group_id)
            if group is None:
                return None
            return await group_calendar(uow, group, self.clock.now())

    def add_route(self, application: web.Application) -> None:
        """Serve the links from `application`."""

        async def serve(request: web.Request) -> web.Response:
            name = request.match_info["name"]
            text = await self.calendar(name.removesuffix(SUFFIX)) if name.endswith(SUFFIX) else None
            if text is None:
                log.info("calendar_link.not_found")
                raise web.HTTPNotFound(text="Not found")
            response = web.Response(text=text, charset="utf-8")
            response.content_type = MEDIA_TYPE
            response.headers["Cache-Control"] = "private, no-store"
            return response

        application.router.add_get(PATH + "{name}", serve)
