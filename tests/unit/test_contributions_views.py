"""/contributions and /contributions export: a member sees their own record privately, a
facilitator also sees one line per member; the export is a CSV file with one row per
person and meeting date, and totals. Nobody else sees another person's record."""

from __future__ import annotations

import csv
import io

from bot.app import App
from handlers.contributions.export import COLUMNS, parse_month
from handlers.core.messages import File, files_of, from_json, message, to_json
from handlers.core.router import Result
from scheduler.clock import VirtualClock
from tests.contributions_log import AFTER, MEETING, seed
from tests.support import privately, refused, say


async def log_over_two_meetings(app: App, clock: VirtualClock) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")
    await say(app, "carol", "hello")
    await say(app, "alice", MEETING)
    await seed(app.db)
    clock.set(AFTER)


def the_file(result: Result, who: str) -> File:
    """The one file a command sent, checking it went to `who` alone."""
    [item] = result.sent
    assert item.address.user == who
    [found] = files_of(item.message)
    return found


async def test_a_member_sees_their_own_record_and_nobody_elses(
    app: App, clock: VirtualClock
) -> None:
    await log_over_two_meetings(app, clock)
    bob = privately(await say(app, "bob", "/contributions"), "bob")
    assert "You were at 2 meetings. That was Saturday 5 December and Saturday 12 December." in bob
    assert "You took on roles: minute-taker once and chair once." in bob
    assert "You led 1 item on the agenda." in bob
    assert "You wrote the minutes once." in bob
    assert "You spent 3 hours getting ready." in bob
    assert "- 2 hours 30 minutes: reading papers" in bob and "30 minutes: a call" in bob
    assert "Your expenses come to £4.50:" in bob and "- £4.50: bus fare" in bob
    assert "You'd like to be paid for taking part." in bob
    assert "Thank you for all of this." in bob
    assert "Everyone in" not in bob and "carol" not in bob and "alice" not in bob

    carol = privately(await say(app, "carol", "/contributions", dm=True), "carol")
    assert "You were at 1 meeting. That was Saturday 12 December." in carol
    assert "You led 1 item" in carol and "minute-taker once" in carol
    assert "You'd rather not be paid." in carol
    for secret in ("bus fare", "reading papers", "£4.50", "bob", "3 hours", "Everyone in"):
        assert secret not in carol, secret
    await refused(app, "carol", "/contributions export 2026-12", "Only the facilitators")


async def test_a_facilitator_sees_one_line_per_member(app: App, clock: VirtualClock) -> None:
    await log_over_two_meetings(app, clock)
    alice = privately(await say(app, "alice", "/contributions"), "alice")
    assert "You took on roles: chair once." in alice
    assert "You haven't said how you'd like to be paid. You can with /contributions payment." in (
        alice
    )
    assert "- alice: at 2 meetings, chair once, payment: not said yet." in alice
    assert (
        "- bob: at 2 meetings, minute-taker once, chair once, led 1 item, minutes once, "
        "3 hours getting ready, £4.50 expenses, payment: paid." in alice
    )
    assert "- carol: at 1 meeting, minute-taker once, led 1 item, payment: no payment." in alice


async def test_the_export_has_a_row_per_person_and_meeting_and_totals(
    app: App, clock: VirtualClock
) -> None:
    await log_over_two_meetings(app, clock)
    result = await say(app, "alice", "/contributions export 2026-12")
    sent = the_file(result, "alice")
    assert sent.name == "steering-group-contributions-2026-12.csv"
    assert sent.media_type == "text/csv"
    rows = list(csv.DictReader(io.StringIO(sent.content)))
    assert tuple(rows[0]) == COLUMNS
    dated = [(r["Person"], r["Meeting date"], r["Was there"]) for r in rows if r["Meeting date"]]
    assert dated == [
        ("alice", "2026-12-05", "yes"),
        ("alice", "2026-12-12", "yes"),
        ("alice", "Total", "2"),
        ("bob", "2026-12-05", "yes"),
        ("bob", "2026-12-12", "yes"),
        ("bob", "Total", "2"),
        ("carol", "2026-12-05", "no"),
        ("carol", "2026-12-12", "yes"),
        ("carol", "Total", "1"),
        ("Everyone", "Total", "5"),
    ]
    [call] = [r for r in rows if r["Meeting date"] == ""]
    assert call["Person"] == "bob" and call["Preparation minutes"] == "30"
    assert "a call with the chair" in call["Preparation notes"]
    by = {(r["Person"], r["Meeting date"]): r for r in rows}
    assert by["bob", "2026-12-05"]["Roles"] == "minute-taker"
    assert by["bob", "2026-12-05"]["Minutes written"] == "1"
    assert by["bob", "2026-12-05"]["Preparation minutes"] == "150"
    assert by["bob", "2026-12-12"]["Expenses"] == "4.50"
    assert by["bob", "2026-12-12"]["Currency"] == "GBP"
    assert by["bob", "2026-12-12"]["Expense notes"] == "bus fare"
    assert by["carol", "2026-12-05"]["Items led"] == "1"
    bob = by["bob", "Total"]
    assert (bob["Preparation minutes"], bob["Preparation hours"]) == ("180", "3.00")
    assert (bob["Expenses"], bob["Roles"], bob["Items led"]) == ("4.50", "2", "1")
    assert by["carol", "Total"]["Payment choice"] == "no payment"
    assert by["alice", "Total"]["Payment choice"] == "not said"
    everyone = by["Everyone", "Total"]
    assert (everyone["Preparation minutes"], everyone["Expenses"]) == ("180", "4.50")
    assert (everyone["Roles"], everyone["Items led"], everyone["Minutes written"]) == (
        "4",
        "2",
        "1",
    )
    # The same month in other words; a month with no meetings has only totals.
    for said in ("December 2026", "this month", "dec 2026"):
        again = the_file(await say(app, "alice", f"/contributions export {said}"), "alice")
        assert again.content == sent.content, said
    november = the_file(await say(app, "alice", "/contributions export last month"), "alice")
    assert [r["Meeting date"] for r in csv.DictReader(io.StringIO(november.content))] == [
        "Total"
    ] * 4


async def test_a_bad_month_is_refused_kindly_with_an_example(app: App, clock: VirtualClock) -> None:
    await log_over_two_meetings(app, clock)
    for said in ("", "soon", "2026-13", "Smarch 2026"):
        reply = await refused(app, "alice", f"/contributions export {said}".strip(), "month")
        assert "/contributions export 2027-03" in reply
    await refused(app, "alice", "/contributions export 2027-03", "hasn't started yet")


def test_months_are_read_the_way_people_write_them() -> None:
    today = AFTER.date()
    assert parse_month("2027-03", today) == (2027, 3)
    assert parse_month("March 2027", today) == (2027, 3)
    assert parse_month("sept 2027", today) == (2027, 9)
    assert parse_month("last month", today) == (2026, 11)
    assert parse_month("this month", today) == (2026, 12)
    assert parse_month("last month", today.replace(month=1)) == (2025, 12)
    assert parse_month("13/2027", today) is None


def test_a_file_survives_the_message_model_round_trip() -> None:
    msg = message("Here it is.", File("a.csv", "text/csv", "a,b\n1,2\n"))
    assert from_json(to_json(msg)) == msg
