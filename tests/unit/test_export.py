"""/prefs export: a member gets, privately, two files with everything the bot holds about
them in every group; nobody else's data, and nothing anonymous, is in them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from bot.app import App
from handlers.core.messages import File, files_of
from handlers.core.router import Result
from scheduler.clock import VirtualClock
from storage.models import (
    Action,
    AuditEntry,
    AwayPeriod,
    Base,
    CalendarLink,
    CheckinAnswer,
    CheckinNote,
    CheckinRound,
    Concern,
    Decision,
    DecisionUpdate,
    Delivery,
    DigestItem,
    GlossaryTerm,
    LadderAnswer,
    LadderRound,
    LadderVoter,
    PaymentChoice,
    Preferences,
    Proposal,
    ProposalAnswer,
    ProposalVoter,
    RoleWillingness,
)
from storage.repositories.personal_export import COVERS, NOT_EXPORTED
from storage.uow import UnitOfWork
from tests.contributions_log import AFTER, MEETING, seed
from tests.support import privately, say

OTHER = "other"
SAID = datetime(2026, 12, 9, 12, tzinfo=UTC)
ANONYMOUS_WORDS = ("SECRET-CONCERN", "SECRET-REASON")


async def two_groups(app: App, clock: VirtualClock) -> None:
    """bob is in the steering group (the contribution log's) and in a second group, with
    something in most areas there; carol and alice have data of their own."""
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")
    await say(app, "carol", "hello")
    await say(app, "alice", MEETING)
    await seed(app.db)
    await say(app, "carol", "/group setup Second group", channel=OTHER)
    await say(app, "bob", "hello", channel=OTHER)
    async with UnitOfWork(app.db.sessions) as uow:
        group = await uow.groups.in_channel("console", OTHER)
        assert group is not None
        ids = {m.person.display_name: m.person_id for m in await uow.groups.members(group.id)}
        bob, carol = ids["bob"], ids["carol"]
        meeting = (await uow.meetings.of_group((await _steering(uow)).id))[0]
        rnd = CheckinRound(
            group_id=group.id,
            meeting_id=meeting.id,
            occurrence="2026-12-05T14:00",
            kind="after",
            opens_at=SAID,
            closes_at=SAID,
        )
        ladder = LadderRound(group_id=group.id, opens_at=SAID, closes_at=SAID)
        named = Proposal(
            group_id=group.id,
            number=1,
            text="Meet at the library",
            owner_id=bob,
            created_at=SAID,
            closes_at=SAID,
        )
        hidden = Proposal(
            group_id=group.id,
            number=2,
            text="Pay for taxis",
            owner_id=carol,
            anonymous=True,
            created_at=SAID,
            closes_at=SAID,
        )
        decision = Decision(
            group_id=group.id,
            number=1,
            text="Try the library",
            owner_id=bob,
            recorded_by=carol,
            update_every_days=14,
            created_at=SAID,
        )
        uow.session.add_all([rnd, ladder, named, hidden, decision])
        await uow.session.flush()
        uow.session.add_all(
            [
                Preferences(person_id=bob, reminders_via="dm", pronouns="he/him"),
                AwayPeriod(person_id=bob, first_day=date(2027, 1, 4), last_day=date(2027, 1, 8)),
                RoleWillingness(
                    group_id=group.id, person_id=bob, role="chair", willing=True, created_at=SAID
                ),
                CheckinNote(
                    id="n1",
                    round_id=rnd.id,
                    voter_hash="h1",
                    text="More breaks please",
                    person_id=bob,
                ),
                CheckinNote(
                    id="n2",
                    round_id=rnd.id,
                    voter_hash="h2",
                    text="carol's own note",
                    person_id=carol,
                ),
                CheckinAnswer(id="a1", round_id=rnd.id, voter_hash="h1", answer="red"),
                Concern(
                    id="c1",
                    group_id=group.id,
                    audience="group",
                    text="SECRET-CONCERN",
                    receipt_hash="r1",
                    status="released",
                    number=1,
                    response="We will open a window.",
                    responded_by=carol,
                    responded_at=SAID,
                ),
                AuditEntry(group_id=group.id, person_id=carol, action="set the time zone", at=SAID),
                LadderVoter(round_id=ladder.id, person_id=bob),
                LadderAnswer(id="l1", round_id=ladder.id, rung=6),
                ProposalVoter(proposal_id=named.id, person_id=bob),
                ProposalAnswer(
                    id="p1",
                    proposal_id=named.id,
                    person_id=bob,
                    answer="agree",
                    reason="Easy to get to",
                ),
                ProposalVoter(proposal_id=hidden.id, person_id=bob),
                ProposalAnswer(
                    id="p2",
                    proposal_id=hidden.id,
                    person_id=None,
                    answer="block",
                    reason="SECRET-REASON",
                ),
                DecisionUpdate(
                    decision_id=decision.id,
                    status="in progress",
                    text="Booked a room",
                    by_id=bob,
                    created_at=SAID,
                ),
                Action(
                    group_id=group.id,
                    number=1,
                    text="Ask the library",
                    owner_id=bob,
                    created_by=carol,
                    due_on=date(2026, 12, 20),
                    created_at=SAID,
                ),
                GlossaryTerm(
                    group_id=group.id,
                    key="cmht",
                    term="CMHT",
                    meaning="Community mental health team",
                    added_by=bob,
                    created_at=SAID,
                ),
                PaymentChoice(group_id=group.id, person_id=bob, choice="vouchers", chosen_at=SAID),
                CalendarLink(group_id=group.id, person_id=bob, token_hash="0" * 64, made_at=SAID),
                DigestItem(
                    person_id=bob,
                    group_id=group.id,
                    held_at=SAID,
                    payload='{"summary": "", "blocks": [{"type": "Paragraph", '
                    '"text": "The minutes are in."}]}',
                ),
                Delivery(
                    key=f"pack:m1:2026-12-05T14:00:p{bob}",
                    status="sent",
                    due_at=SAID,
                    claimed_at=SAID,
                    done_at=SAID,
                ),
                Delivery(
                    key=f"pack:m1:2026-12-05T14:00:p{carol}",
                    status="sent",
                    due_at=SAID,
                    claimed_at=SAID,
                    done_at=SAID,
                ),
                Delivery(
                    key="pack:m1:2026-12-05T14:00:channel",
                    status="sent",
                    due_at=SAID,
                    claimed_at=SAID,
                    done_at=SAID,
                ),
            ]
        )
        await uow.commit()
    clock.set(AFTER)


async def _steering(uow: UnitOfWork) -> Any:
    group = await uow.groups.in_channel("console", "group")
    assert group is not None
    return group


def the_files(result: Result, who: str) -> tuple[dict[str, Any], str, str]:
    """The JSON (parsed) and the summary `who` was sent, and the words of the reply."""
    words = privately(result, who)
    [item] = result.sent
    json_file, text_file = files_of(item.message)
    assert json_file.name == "alongside-export-2026-12-13.json"
    assert text_file.name == "alongside-export-2026-12-13.txt"
    assert isinstance(text_file, File) and text_file.media_type == "text/plain"
    return json.loads(json_file.content), text_file.content, words


async def test_a_member_gets_everything_about_them_from_both_groups(
    app: App, clock: VirtualClock
) -> None:
    await two_groups(app, clock)
    data, text, words = the_files(await say(app, "bob", "/prefs export", dm=True), "bob")

    assert set(data) == {"about", *COVERS}
    assert data["person"]["name"] == "bob" and data["person"]["platform"] == "console"
    datetime.fromisoformat(data["person"]["first_met"])
    assert data["preferences"]["pronouns"] == "he/him"
    assert data["preferences"]["checkins_off"] is False
    counts = {area: len(rows) for area, rows in data.items() if isinstance(rows, list)}
    assert counts == {
        "away_periods": 1,
        "memberships": 2,
        "calendar_links": 1,
        "meetings_set_up": 0,
        "role_turns": 2,
        "role_willingness": 1,
        "role_passes": 0,
        "role_offers": 0,
        "agenda_items": 2,
        "decisions": 1,
        "decision_updates": 1,
        "actions": 1,
        "minutes_sent": 1,
        "coming": 0,
        "was_there": 2,
        "said_who_was_there": 0,
        "checkin_notes": 1,
        "icebreaker_answers": 0,
        "icebreakers_added": 0,
        "contributions": 2,
        "expenses": 1,
        "payment_choices": 2,
        "proposals": 1,
        "proposal_answers": 2,
        "ladder_rounds_answered": 1,
        "glossary_terms": 1,
        "concern_replies": 0,
        "facilitator_actions": 0,
        "digest_waiting": 1,
        "messages_waiting": 0,
        "deliveries": 1,
        "direct_conversations": 0,
    }
    assert {m["group"] for m in data["memberships"]} == {"Steering group", "Second group"}
    assert not any(m["facilitator"] for m in data["memberships"])
    assert {c["what"] for c in data["contributions"]} == {
        "reading papers",
        "a call with the chair",
    }
    assert data["agenda_items"][0]["you_added_it"] and not data["agenda_items"][0]["you_lead_it"]
    assert data["digest_waiting"][0]["message"] == "The minutes are in."
    assert data["deliveries"][0]["kind"] == "pack"
    assert data["deliveries"][0]["due"] == "2026-12-09T12:00:00+00:00"
    named, hidden = data["proposal_answers"]
    assert named["answer"] == "agree" and named["reason"] == "Easy to get to"
    assert hidden["answer_kept_without_your_name"] and hidden["answer"] is None

    blob = json.dumps(data) + text
    for anonymous in (*ANONYMOUS_WORDS, '"red"', '"rung"', "block"):
        assert anonymous not in blob, anonymous
    for others in ("carol's own note", "none"):
        assert others not in blob, others
    assert "Concerns, check-in answers, ladder answers" in data["about"]["not_included"]

    assert "Groups you are in:" in text
    assert "- Group: Second group. Facilitator: no. Joined:" in text
    assert (
        "- Group: Steering group. Time in minutes: 150. What: reading papers. "
        "Meeting date: 5 December 2026, 14:00. Said: 4 December 2026, 18:00 UTC." in text
    )
    assert "nothing about you for these:" in text and "- Role swaps and cover you" in text
    assert "Concerns, check-in answers, ladder answers" in words
    assert "I can't tell which are yours" in words
    assert "/leave" in words and "/forget me" in words


async def test_someone_else_gets_only_their_own(app: App, clock: VirtualClock) -> None:
    await two_groups(app, clock)
    in_channel = await say(app, "carol", "/prefs export")
    assert [s.address.user for s in in_channel.sent] == ["carol"]  # only to her, even here
    data, text, _ = the_files(await say(app, "carol", "/prefs export", dm=True), "carol")
    assert [m["facilitator"] for m in data["memberships"]] == [False, True]
    assert [c["text"] for c in data["checkin_notes"]] == ["carol's own note"]
    assert [d["you_recorded_it"] for d in data["decisions"]] == [True]
    assert [a["you_added_it"] for a in data["actions"]] == [True]
    assert [p["choice"] for p in data["payment_choices"]] == ["none"]
    assert len(data["deliveries"]) == 1 and len(data["proposals"]) == 1
    [reply] = data["concern_replies"]
    assert (reply["concern"], reply["your_reply"]) == (1, "We will open a window.")
    assert "set the time zone" in [a["what"] for a in data["facilitator_actions"]]
    blob = json.dumps(data) + text
    secrets = ("SECRET-CONCERN", "reading papers", "bus fare", "he/him", "More breaks please")
    for bobs in (*secrets, "vouchers"):
        assert bobs not in blob, bobs


async def test_someone_the_bot_has_just_met_gets_empty_areas(app: App, clock: VirtualClock) -> None:
    clock.set(AFTER)
    data, text, _ = the_files(await say(app, "dan", "/prefs export", dm=True), "dan")
    assert data["preferences"] is None or data["preferences"]["pronouns"] is None
    assert all(rows == [] for rows in data.values() if isinstance(rows, list))
    assert "Groups you are in:" not in text and "\n- Groups you are in\n" in text


def test_every_column_that_names_a_person_is_exported_or_said_why_not() -> None:
    """A new table with a foreign key to people.id fails here until the export covers it
    (storage/repositories/personal_export.py COVERS) or says why not (NOT_EXPORTED)."""
    naming = {
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        for key in column.foreign_keys
        if key.column.table.name == "people"
    }
    covered = {column for columns in COVERS.values() for column in columns}
    assert naming - covered - set(NOT_EXPORTED) == set()
    assert covered | set(NOT_EXPORTED) <= naming, "no stale names"
