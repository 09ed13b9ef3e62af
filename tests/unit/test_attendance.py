"""Who is coming: answers from a reminder's buttons, /coming and plain words reach the
facilitators' note before the meeting and the minutes' apologies; the latest answer counts;
a role holder is offered /roles pass; bad input changes nothing; nobody is chased."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import App
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from storage.models import Attendance
from tests.support import choose, options, privately, refused, say, texts
from tests.unit.followup_support import ButtonSender, give_role, got, press

# Saturday 5 December 2026, 14:00 to 16:00 London time (= UTC in winter).
MEETING = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)
DAY_BEFORE = MEETING - timedelta(days=1)
KEY = "2026-12-05T14:00"
CANT = "I can't make it this time"
WHEN = "Steering on Saturday 5 December, 14:00 to 16:00"


async def group(app: App, every: str = "") -> None:
    """alice facilitates; bob, carol and dan are members; a meeting on Saturday at 14:00."""
    await say(app, "alice", "/group setup Steering group")
    for name in ("bob", "carol", "dan"):
        await say(app, name, "hello")
    await say(app, "alice", f"/meeting new Steering 2026-12-05 14:00 for 2h{every} at Room 4")


async def answers(app: App) -> dict[tuple[str, str], str]:
    """Every answer kept, as {(person, date): answer}."""
    async with app.db.sessions() as session:
        rows = (await session.scalars(select(Attendance))).all()
        names = {1: "alice", 2: "bob", 3: "carol", 4: "dan"}
        return {(names[r.person_id], r.occurrence): r.answer for r in rows}


async def test_i_cant_make_it_from_the_reminder_reaches_the_facilitators_and_the_minutes(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    sender = ButtonSender()
    engine = app.delivery(sender)
    await fast_forward(engine, clock, DAY_BEFORE + timedelta(minutes=1))
    [pack] = got(sender, "dm:bob", "pack")
    assert "Will you be there? You don't need to reply." in pack
    [reminder] = got(sender, "dm:bob", "daybefore")
    assert "Will you be there? You don't need to reply." in reminder
    labels = [o.label for o in sender.buttons["bob"]]
    assert labels == ["I'll be there", CANT, "Not sure"]

    reply = privately(await press(app, sender, "bob", CANT), "bob")
    assert f"I've noted that you can't make it to {WHEN}" in reply
    assert "nobody needs a reason" in reply and "/coming yes" in reply
    await press(app, sender, "dan", "I'll be there")
    await press(app, sender, "carol", "Not sure")
    assert await answers(app) == {("bob", KEY): "no", ("dan", KEY): "yes", ("carol", KEY): "maybe"}

    # The facilitators' note, two hours before the start: the numbers and the apology.
    await fast_forward(engine, clock, MEETING - timedelta(hours=2, minutes=-1))
    [note] = got(sender, "dm:alice", "coming")
    assert f"Who is coming: {WHEN}" in note
    assert "1 coming, 1 can't make it, 1 not sure, 1 didn't say." in note
    assert "Apologies: bob." in note
    for member in ("bob", "carol", "dan"):
        assert got(sender, f"dm:{member}", "coming") == []
    who = privately(await say(app, "alice", "/coming who"), "alice")
    assert "1 coming, 1 can't make it" in who and "Apologies: bob." in who

    # After the meeting, the minutes say who sent apologies, wherever they are shown.
    await fast_forward(engine, clock, MEETING + timedelta(hours=3))
    await say(app, "alice", "/minutes We agreed the budget.")
    await fast_forward(engine, clock, clock.now() + timedelta(minutes=1))
    [minutes] = got(sender, "dm:dan", "minutes")
    assert "Apologies: bob." in minutes and "We agreed the budget." in minutes
    assert "Apologies: bob." in privately(await say(app, "carol", "/minutes"), "carol")


async def test_nobody_is_chased_and_no_answers_means_no_note(app: App, clock: VirtualClock) -> None:
    await group(app)
    sender = ButtonSender()
    engine = app.delivery(sender)
    await fast_forward(engine, clock, MEETING + timedelta(days=2))
    for person in ("bob", "carol", "dan"):
        assert sender.kinds(f"dm:{person}") == ["pack", "daybefore", "hourbefore", "after"]
    assert got(sender, "dm:alice", "coming") == []
    # The hour-before reminder carries the check-in's own options, so only a line about it.
    [hour] = got(sender, "dm:bob", "hourbefore")
    assert "tell me with /coming no" in hour and "I'll be there" not in hour
    await say(app, "alice", "/minutes Notes")
    await fast_forward(engine, clock, clock.now() + timedelta(minutes=1))
    [minutes] = got(sender, "dm:bob", "minutes")
    assert "Apologies" not in minutes


async def test_an_answer_can_be_changed_and_the_latest_counts(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    assert "can't make it" in privately(await say(app, "bob", "/coming no"), "bob")
    changed = privately(await say(app, "bob", "/coming"), "bob")
    assert f"I've changed your answer. Lovely. I've noted that you'll be at {WHEN}" in changed
    assert "not sure yet" in privately(await say(app, "dan", "/coming not sure"), "dan")
    assert await answers(app) == {("bob", KEY): "yes", ("dan", KEY): "maybe"}
    who = privately(await say(app, "alice", "/coming who"), "alice")
    assert "1 coming, 0 can't make it, 1 not sure, 2 didn't say." in who
    assert "No apologies." in who
    assert "taken back" in privately(await say(app, "dan", "/coming clear"), "dan")
    assert await answers(app) == {("bob", KEY): "yes"}


async def test_an_old_reminders_button_answers_for_its_own_date(
    app: App, clock: VirtualClock
) -> None:
    await group(app, " every 1 week")
    sender = ButtonSender()
    engine = app.delivery(sender)
    await fast_forward(engine, clock, DAY_BEFORE + timedelta(minutes=1))
    await say(app, "bob", "/checkin off", dm=True)
    # Pressed once the meeting has begun: still about 5 December, not the next date.
    await fast_forward(engine, clock, MEETING + timedelta(minutes=10))
    await press(app, sender, "bob", CANT)
    await say(app, "dan", "/coming no")
    assert await answers(app) == {("bob", KEY): "no", ("dan", "2026-12-12T14:00"): "no"}
    # Once that date is over, its buttons change nothing.
    clock.set(MEETING + timedelta(hours=2, minutes=1))
    await refused(app, "bob", f"/coming at m1 {KEY} yes", "has already happened", dm=True)


async def test_a_cancelled_date_or_bad_input_changes_nothing(app: App, clock: VirtualClock) -> None:
    await group(app, " every 2 weeks")
    await say(app, "alice", "/meeting cancel 1 19 December")
    await refused(app, "bob", "/coming at m1 2026-12-19T14:00 no", "was cancelled", dm=True)
    await refused(app, "bob", "/coming sideways", "I didn't understand", dm=True)
    await refused(app, "bob", f"/coming at m1 {KEY} sideways", "didn't carry an answer")
    await refused(app, "bob", f"/coming at m7 {KEY} no", "couldn't tell which meeting")
    await refused(app, "bob", "/coming at m1 tomorrow no", "couldn't tell which meeting")
    await refused(app, "bob", "/coming who", "Only the facilitators")
    assert await answers(app) == {}


async def test_no_meeting_planned_is_refused(app: App, clock: VirtualClock) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")
    await refused(app, "bob", "/coming no", "There's no meeting planned yet")
    said = privately(await say(app, "bob", "I can't make it", dm=True), "bob")
    assert "There's no meeting planned yet, so I haven't noted anything" in said


async def test_a_role_holder_who_cant_come_is_offered_roles_pass(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    await give_role(app, "bob", "chair")
    result = await say(app, "bob", "/coming no")
    reply = privately(result, "bob")
    assert "You're down to chair at that meeting. Would you like me to find someone else?" in reply
    offered = options(result, "bob")
    assert [o.label for o in offered] == ["Find someone else for my role", "Not now"]
    assert "no need to answer" in texts(await choose(app, "bob", offered[1]))
    passed = await choose(app, "bob", offered[0])
    assert "I'll find someone else" in texts(passed)
    # Someone who holds no role, or is coming, is not asked.
    assert "/roles pass" not in privately(await say(app, "dan", "/coming no"), "dan")
    assert "Find someone" not in privately(await say(app, "bob", "/coming yes"), "bob")


async def test_plain_words_in_a_direct_message(app: App, clock: VirtualClock) -> None:
    await group(app)
    result = await say(app, "bob", "I can't make it", dm=True)
    reply = privately(result, "bob")
    assert f"I've noted that you can't make it to {WHEN}" in reply
    assert "If I got that wrong, press Undo" in reply
    [undo] = options(result, "bob")
    assert "taken back" in texts(await choose(app, "bob", undo))
    assert await answers(app) == {}

    assert "can't make it" in privately(await say(app, "dan", "can't come sorry", dm=True), "dan")
    assert "you'll be at" in privately(await say(app, "carol", "I'll be there!", dm=True), "carol")
    said = privately(await say(app, "bob", "not sure if I can make it", dm=True), "bob")
    assert "not sure yet" in said
    result = await say(app, "bob", "sorry I can't come on Saturday", dm=True)
    assert "I've changed your answer" in privately(result, "bob")
    [undo] = options(result, "bob")
    await choose(app, "bob", undo)  # back to "not sure", what bob said before
    assert await answers(app) == {
        ("bob", KEY): "maybe",
        ("dan", KEY): "no",
        ("carol", KEY): "yes",
    }


async def test_distress_is_answered_first_and_other_words_are_not_taken(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    said = texts(await say(app, "bob", "I can't make it, I'm not coping", dm=True))
    assert "/support" in said or "crisis" in said.lower()
    assert "noted" not in said
    other = texts(await say(app, "bob", "I'm not sure about item 2", dm=True))
    assert "noted" not in other
    assert await answers(app) == {}
