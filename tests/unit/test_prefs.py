"""/prefs: how and when each person hears from the bot, and bad input to every part of it."""

from __future__ import annotations

import pytest

from handlers.core.router import Router
from handlers.prefs import MAX_PRONOUNS, MAX_TEXT
from scheduler.clock import VirtualClock
from storage.db import Database
from tests.support import privately, sent_to_all
from tests.unit.support import Chat, refused_without_change

# The clock starts on Monday 30 November 2026, 09:00 UTC.


@pytest.fixture
def chat(router: Router, clock: VirtualClock) -> Chat:
    return Chat(router, clock)


async def prefs_of(chat: Chat, user: str = "bob") -> list[str]:
    """The lines of `user`'s /prefs, as they see them."""
    return privately(await chat.say(user, "/prefs", dm=True), user).splitlines()


async def line(chat: Chat, starts: str, user: str = "bob") -> str:
    """The one line of `user`'s /prefs that starts with `starts`."""
    (found,) = [x for x in await prefs_of(chat, user) if x.startswith(f"- {starts}")]
    return found


async def set_pref(chat: Chat, said: str, user: str = "bob") -> str:
    """`user` changes a preference in their DM; returns the reply."""
    reply = privately(await chat.say(user, said, dm=True), user)
    assert reply.startswith("Done."), reply
    assert reply.endswith("You can change this again at any time with /prefs.")
    return reply


async def test_prefs_shows_gentle_defaults(chat: Chat) -> None:
    assert await prefs_of(chat) == [
        "** Your preferences **",
        "- Reminders come: in a direct message to you",
        "- Extra reminder: none (you get the group's usual times: the day before and 1 hour "
        "before)",
        "- Quiet hours (nothing is sent then): none set",
        "- Away dates (no reminders, no roles): none set",
        "- Daily round-up: off (news comes as it happens)",
        "- Charts: as pictures too, with the same facts in words",
        "- Pronouns: not given",
        "- Access needs: not given",
        "- How you describe your perspective: not given "
        "(only ever counted with others, never shown next to your name)",
        "You can change any of these, or leave them as they are. Type /help prefs to see how.",
    ]


async def test_prefs_are_personal(chat: Chat) -> None:
    await set_pref(chat, "/prefs quiet 21:00-08:00", user="alice")
    assert await line(chat, "Quiet hours", user="bob") == (
        "- Quiet hours (nothing is sent then): none set"
    )


async def test_prefs_said_in_the_channel_are_answered_privately(chat: Chat) -> None:
    sent_to_all(await chat.say("alice", "/group setup Steering group"))
    reply = privately(await chat.say("bob", "/prefs quiet 22:00-07:00"), "bob")
    assert "between 22:00 and 07:00" in reply


async def test_unknown_prefs_word(chat: Chat, database: Database) -> None:
    await chat.say("bob", "/prefs", dm=True)
    await refused_without_change(
        chat, database, "bob", "/prefs colour blue", "I don't know /prefs colour.", dm=True
    )


# --- reminders -------------------------------------------------------------------------


async def test_reminders_in_the_channel_or_a_dm(chat: Chat, database: Database) -> None:
    reply = await set_pref(chat, "/prefs reminders channel")
    assert "Reminders and packs will come in the group's channel." in reply
    assert await line(chat, "Reminders") == "- Reminders come: in the channel"
    await set_pref(chat, "/prefs reminders DM")
    assert await line(chat, "Reminders") == "- Reminders come: in a direct message to you"
    for said in ("/prefs reminders", "/prefs reminders email"):
        await refused_without_change(
            chat, database, "bob", said, "Please say dm or channel.", dm=True
        )


# --- lead time -------------------------------------------------------------------------


LEAD_TIMES = [
    ("2h", "2 hours"),
    ("90 minutes", "1 hour 30 minutes"),
    ("1 day", "1 day"),
    ("10m", "10 minutes"),
    ("7d", "7 days"),
    ("1h 15m", "1 hour 15 minutes"),
]


async def test_lead_time(chat: Chat) -> None:
    for said, shown in LEAD_TIMES:
        reply = await set_pref(chat, f"/prefs lead {said}")
        assert f"You'll also get a reminder {shown} before meetings." in reply
        assert await line(chat, "Extra reminder") == f"- Extra reminder: {shown} before a meeting"


async def test_lead_time_off_and_bad_lead_times(chat: Chat, database: Database) -> None:
    await set_pref(chat, "/prefs lead 2h")
    for bad in (
        "",
        "soon",
        "5m",
        "9m",
        "8d",
        "7d 1m",
        "-2h",
        "2 fortnights",
        "99999999999999999999d",
    ):
        reply = await refused_without_change(
            chat,
            database,
            "bob",
            f"/prefs lead {bad}",
            "Please give a time between 10 minutes and 7 days, like 2h or 30m.",
            dm=True,
        )
        assert "/prefs lead off" in reply
    assert await line(chat, "Extra reminder") == "- Extra reminder: 2 hours before a meeting"
    reply = await set_pref(chat, "/prefs lead off")
    assert "You'll get the group's usual reminders only." in reply
    assert "the group's usual times" in await line(chat, "Extra reminder")


# --- quiet hours -----------------------------------------------------------------------


QUIET_HOURS = [
    ("21:00-08:00", "21:00", "08:00"),
    ("9pm-7am", "21:00", "07:00"),
    ("9pm to 7:30am", "21:00", "07:30"),
    ("21:00 - 08:00", "21:00", "08:00"),
    ("12pm-1pm", "12:00", "13:00"),
    ("22-6", "22:00", "06:00"),
    ("12am-6AM", "00:00", "06:00"),
    ("10pm TO 6am", "22:00", "06:00"),
]


async def test_quiet_hours(chat: Chat) -> None:
    for said, start, end in QUIET_HOURS:
        reply = await set_pref(chat, f"/prefs quiet {said}")
        assert f"I won't send you anything between {start} and {end}." in reply
        assert "Anything due then waits until your quiet hours end." in reply
        assert await line(chat, "Quiet hours") == (
            f"- Quiet hours (nothing is sent then): {start} to {end}"
        )


async def test_quiet_hours_off(chat: Chat) -> None:
    await set_pref(chat, "/prefs quiet 21:00-08:00")
    assert "You have no quiet hours now." in await set_pref(chat, "/prefs quiet off")
    assert await line(chat, "Quiet hours") == "- Quiet hours (nothing is sent then): none set"


async def test_quiet_hours_garbage_changes_nothing(chat: Chat, database: Database) -> None:
    await set_pref(chat, "/prefs quiet 21:00-08:00")
    for bad in (
        "",
        "banana",
        "21:00",
        "21:00-",
        "-08:00",
        "25:00-08:00",
        "21:00-08:60",
        "21:00-21:00",
        "13pm-7am",
        "9pm-7am-8am",
        "tonight",
    ):
        reply = await refused_without_change(
            chat,
            database,
            "bob",
            f"/prefs quiet {bad}",
            "Please give a start and end time, like 21:00-08:00.",
            dm=True,
        )
        assert "Or /prefs quiet off." in reply
    assert "21:00 to 08:00" in await line(chat, "Quiet hours")


# --- away dates ------------------------------------------------------------------------


AWAY_DATES = [
    (
        "2026-12-20 to 2027-01-03",
        "from Sunday 20 December to Sunday 3 January 2027",
        "Sunday 20 December to Sunday 3 January 2027",
    ),
    (
        "20 December to 3 January",
        "from Sunday 20 December to Sunday 3 January 2027",
        "Sunday 20 December to Sunday 3 January 2027",
    ),
    ("2026-12-24", "on Thursday 24 December", "Thursday 24 December"),
    ("tomorrow", "on Tuesday 1 December", "Tuesday 1 December"),
    (
        "today to 2026-12-02",
        "from Monday 30 November to Wednesday 2 December",
        "Monday 30 November to Wednesday 2 December",
    ),
    (
        "2026-11-01 to 2026-12-01",
        "from Sunday 1 November to Tuesday 1 December",
        "Sunday 1 November to Tuesday 1 December",
    ),
    (
        "24 Dec  To  26 Dec",
        "from Thursday 24 December to Saturday 26 December",
        "Thursday 24 December to Saturday 26 December",
    ),
    (
        "next week",
        "from Monday 7 December to Sunday 13 December",
        "Monday 7 December to Sunday 13 December",
    ),
    (
        "this week",
        "from Monday 30 November to Sunday 6 December",
        "Monday 30 November to Sunday 6 December",
    ),
    (
        "Next  Week",
        "from Monday 7 December to Sunday 13 December",
        "Monday 7 December to Sunday 13 December",
    ),
    (
        "tomorrow to next week",
        "from Tuesday 1 December to Sunday 13 December",
        "Tuesday 1 December to Sunday 13 December",
    ),
]


async def test_away_dates(chat: Chat) -> None:
    for said, told, shown in AWAY_DATES:
        reply = await set_pref(chat, f"/prefs away {said}")
        assert f"You're away {told}." in reply, (said, reply)
        assert "I won't send reminders or give you a role then." in reply
        assert await line(chat, "Away dates") == f"- Away dates (no reminders, no roles): {shown}"
        await set_pref(chat, "/prefs away clear")


async def test_several_away_dates_are_listed_in_order_and_cleared(chat: Chat) -> None:
    await set_pref(chat, "/prefs away 2027-02-01 to 2027-02-07")
    await set_pref(chat, "/prefs away 2026-12-24")
    assert await line(chat, "Away dates") == (
        "- Away dates (no reminders, no roles): "
        "Thursday 24 December, Monday 1 February 2027 to Sunday 7 February 2027"
    )
    assert "I've cleared your away dates." in await set_pref(chat, "/prefs away clear")
    assert await line(chat, "Away dates") == "- Away dates (no reminders, no roles): none set"


async def test_bad_away_dates_change_nothing(chat: Chat, database: Database) -> None:
    await set_pref(chat, "/prefs away 2026-12-24")
    refusals = [
        ("", "Please give the first and last day you're away."),
        ("whenever", "Please give the first and last day you're away."),
        ("2026-02-30", "Please give the first and last day you're away."),
        (
            "2027-01-03 to 2026-12-20",
            "Those dates are the wrong way round: the last day (Sunday 20 December) is before "
            "the first (Sunday 3 January 2027). Nothing was changed.",
        ),
        ("2026-12-20 to 2026-12-10", "Did you mean /prefs away 2026-12-10 to 2026-12-20?"),
        ("2026-12-20 to", "Please give the first and last day you're away."),
        ("next month", "I'm not sure which days 'next month' means. Nothing was changed."),
        ("in 2 weeks", "I'm not sure which days 'in 2 weeks' means."),
        ("the weekend", "Please give the first and last day you're away. For example:"),
        ("2026-11-01 to 2026-11-10", "Those dates have already passed, so nothing was changed."),
        ("yesterday", "Those dates have already passed, so nothing was changed."),
        ("2026-12-01 to 2028-01-01", "Please give away dates of up to one year at a time."),
    ]
    for said, expect in refusals:
        await refused_without_change(chat, database, "bob", f"/prefs away {said}", expect, dm=True)
    assert "Thursday 24 December" in await line(chat, "Away dates")


# --- pronouns, access needs ------------------------------------------------------------


async def test_pronouns_are_shown_with_the_name_in_the_group(chat: Chat) -> None:
    sent_to_all(await chat.say("alice", "/group setup Steering group"))
    await chat.say("bob", "Hello")
    assert "I've saved your pronouns." in await set_pref(chat, "/prefs pronouns  they / them ")
    assert await line(chat, "Pronouns") == "- Pronouns: they / them"
    assert "- Bob (they / them)" in privately(await chat.say("alice", "/group"), "alice")

    assert "I've removed your pronouns." in await set_pref(chat, "/prefs pronouns clear")
    assert await line(chat, "Pronouns") == "- Pronouns: not given"
    members = privately(await chat.say("alice", "/group"), "alice").splitlines()
    assert "- Bob" in members


async def test_access_needs(chat: Chat) -> None:
    reply = await set_pref(chat, "/prefs access Step-free access and captions, please")
    assert "I've saved your access needs." in reply
    assert await line(chat, "Access needs") == (
        "- Access needs: Step-free access and captions, please"
    )
    await set_pref(chat, "/prefs access none")
    assert await line(chat, "Access needs") == "- Access needs: not given"


async def test_text_preferences_refuse_empty_and_too_long(chat: Chat, database: Database) -> None:
    await set_pref(chat, "/prefs pronouns she/her")
    await set_pref(chat, "/prefs access Large print")
    refusals = [
        ("/prefs pronouns", "Please write your pronouns after /prefs pronouns."),
        ("/prefs access   ", "Please write your access needs after /prefs access."),
        (
            "/prefs pronouns " + "p" * (MAX_PRONOUNS + 1),
            f"Please keep your pronouns to {MAX_PRONOUNS} characters or fewer.",
        ),
        (
            "/prefs access " + "a" * (MAX_TEXT + 1),
            f"Please keep your access needs to {MAX_TEXT} characters or fewer.",
        ),
    ]
    for said, expect in refusals:
        await refused_without_change(chat, database, "bob", said, expect, dm=True)
    # the longest accepted values are kept on every database
    await set_pref(chat, "/prefs pronouns " + "p" * MAX_PRONOUNS)
    await set_pref(chat, "/prefs access " + "a" * MAX_TEXT)
    assert await line(chat, "Pronouns") == "- Pronouns: " + "p" * MAX_PRONOUNS
    assert await line(chat, "Access needs") == "- Access needs: " + "a" * MAX_TEXT


# --- perspective -----------------------------------------------------------------------


async def test_perspective_is_kept_but_never_shown_in_the_group(chat: Chat) -> None:
    sent_to_all(await chat.say("alice", "/group setup Steering group"))
    await chat.say("bob", "Hello")
    reply = await set_pref(chat, "/prefs perspective Lived Experience")
    assert "I've saved 'lived experience'." in reply
    assert "never shown next to your name" in reply
    await set_pref(chat, "/prefs perspective professional", user="alice")
    assert await line(chat, "How you describe") == (
        "- How you describe your perspective: lived experience "
        "(only ever counted with others, never shown next to your name)"
    )
    for who, where in (("alice", {}), ("bob", {}), ("bob", {"dm": True})):
        shown = privately(await chat.say(who, "/group", **where), who).lower()
        assert "lived experience" not in shown and "professional" not in shown
        assert "perspective" not in shown

    assert "I've removed" in await set_pref(chat, "/prefs perspective pass")
    assert "perspective: not given" in await line(chat, "How you describe")


async def test_perspective_bad_input_changes_nothing(chat: Chat, database: Database) -> None:
    await set_pref(chat, "/prefs perspective carer")
    for bad in ("", "x" * 61):
        reply = await refused_without_change(
            chat,
            database,
            "bob",
            f"/prefs perspective {bad}",
            "You can describe your perspective in a few words, or skip this.",
            dm=True,
        )
        assert "lived experience" in reply
    assert "perspective: carer" in await line(chat, "How you describe")
