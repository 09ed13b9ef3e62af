"""Counted over one meeting week (issue 16): the messages each member gets without asking,
with the default settings and with the daily round-up, and the channel's posts in the hour
after the meeting. Run with -s to see the figures."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from bot.app import App
from handlers.core.router import Result
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import RecordingSender, say

MEETING_ENDS = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)  # Thursday, 14:00 to 16:00
HELD = ("decisionupdate", "minutes", "concern-response")


class Week:
    """Everything each person got that they didn't ask for: from the engine, and the
    direct messages other people's commands caused."""

    def __init__(self, app: App, clock: VirtualClock) -> None:
        self.app, self.clock = app, clock
        self.sender = RecordingSender()
        self.engine = app.delivery(self.sender)
        self.caused: Counter[str] = Counter()

    async def say(self, who: str, said: str, *, dm: bool = False) -> Result:
        result = await say(self.app, who, said, dm=dm)
        for item in result.sent:
            if item.address.user not in (None, who) and item.address.channel is None:
                self.caused[item.address.user] += 1
        return result

    async def until(self, when: datetime) -> None:
        await fast_forward(self.engine, self.clock, when)

    def kinds(self, who: str) -> Counter[str]:
        found = Counter(self.sender.kinds(f"dm:{who}"))
        if self.caused[who]:
            found["concern-response"] += self.caused[who]
        return found


async def test_a_meeting_week_with_and_without_the_round_up(app: App, clock: VirtualClock) -> None:
    week = Week(app, clock)
    await week.say("alice", "/group setup Steering group")
    for name in ("bob", "carol", "dan", "erin", "femi"):
        await week.say(name, "hello")
    for name in ("carol", "erin"):
        await week.say("alice", f"/group facilitator add @{name}")
    await week.say("alice", "/checkin wellbeing Sam Reid, peer support, 07700 900123")
    await week.say("alice", "/meeting new Steering 2026-12-03 14:00 for 2h")
    for name in ("dan", "erin"):  # a member and a facilitator choose the round-up
        await week.say(name, "/prefs digest daily", dm=True)
    await week.say("bob", "/concern The room was too hot", dm=True)  # shared with the pack
    await week.until(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    await week.say("bob", "/concern to facilitators I felt talked over", dm=True)  # at the start

    await week.until(MEETING_ENDS.replace(minute=10))  # the hour after the meeting
    posts_before = len(week.sender.to("#group"))
    await week.say("alice", "/decision Papers go out a week before each meeting owner @bob")
    await week.say("alice", "/action Ask the print room for a posting date by 2026-12-10")
    await week.say("alice", "/concern respond 1 We asked for a cooler room.", dm=True)
    await week.say("alice", "/concern respond 2 Thank you. The chair will keep time.", dm=True)
    await week.until(MEETING_ENDS.replace(hour=17, minute=1))
    posts_after = week.sender.to("#group")[posts_before:]
    round_ups = [t for t in posts_after if t.startswith("** After the meeting")]

    for hour, who, said in (
        (10, "bob", "/update 1 in progress The print room is on it"),
        (12, "bob", "/update 1 blocked The printer is broken"),
        (13, "alice", "/minutes We agreed papers go out a week before each meeting."),
        (15, "bob", "/update 1 in progress A new printer comes on Monday"),
    ):
        await week.until(datetime(2026, 12, 4, hour, 0, tzinfo=UTC))
        await week.say(who, said)
    await week.until(datetime(2026, 12, 6, 23, 59, tzinfo=UTC))

    got = {who: week.kinds(who) for who in ("bob", "dan", "carol", "erin")}
    total = {who: sum(kinds.values()) for who, kinds in got.items()}
    print("\nMessages in the meeting week, without asking (defaults -> with the round-up):")
    print(f"  member:      {total['bob']} -> {total['dan']}")
    print(f"  facilitator: {total['carol']} -> {total['erin']}")
    print(f"  channel posts in the hour after the meeting: 3 -> {len(posts_after)}")
    print(f"  member (defaults) by kind: {dict(got['bob'])}")

    assert got["bob"]["decisionupdate"] == 3 and got["bob"]["minutes"] == 1
    assert got["carol"]["concern-response"] == 1
    for default, chose in (("bob", "dan"), ("carol", "erin")):
        assert not any(got[chose][kind] for kind in HELD)
        same = {k: n for k, n in got[default].items() if k not in HELD}
        assert {k: n for k, n in got[chose].items() if k != "roundup"} == same
    assert got["dan"]["roundup"] == 1  # Friday: 3 updates and the minutes
    assert got["erin"]["roundup"] == 2  # Thursday: the reply to concern 2; Friday: as dan
    assert total["dan"] == total["bob"] - 3
    assert total["erin"] == total["carol"] - 3
    assert len(posts_after) == len(round_ups) == 1  # instead of a decision, an action, a reply
    assert "We asked for a cooler room." in round_ups[0]
