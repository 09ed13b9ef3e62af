"""/jargon and the jargon buster: the group's words, the starter words, "Words in this
pack", and the private question when someone writes an acronym nobody has explained.

The clock starts on Monday 30 November 2026, 09:00 UTC (09:00 in London).
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import App
from bot.platforms.text import render_text
from handlers.core.occurrences import upcoming
from handlers.features import catalog
from handlers.packs import build_pack
from scheduler.clock import VirtualClock
from storage.uow import UnitOfWork
from tests.support import (
    GROUP,
    RecordingSender,
    all_refused,
    posted,
    privately,
    refused,
    say,
    sent_to,
    texts,
)
from tests.unit.followup_support import AFTER_MEETING, group_that_met

ASKS = "stand for?"
CMHT = "/jargon add CMHT Community mental health team"


async def steering(app: App) -> None:
    """alice facilitates; bob and carol are members; a meeting on Thursday 3 December."""
    await say(app, "alice", "/group setup Steering")
    for member in ("bob", "carol"):
        await say(app, member, "hello")
    await say(app, "alice", "/meeting new Steering group 2026-12-03 14:00 for 2h at Room 4")


async def pack(app: App) -> str:
    """The pack for the next meeting, as it would be sent now."""
    async with UnitOfWork(app.db.sessions) as uow:
        group = await uow.groups.in_channel("console", GROUP)
        assert group is not None
        [occurrence] = await upcoming(uow, group, app.clock.now(), limit=1)
        return render_text(await build_pack(uow, group, occurrence, catalog().pack_sections))[0]


def words_in(pack_text: str) -> list[str]:
    """The lines of the pack's "Words in this pack" section."""
    lines = pack_text.splitlines()
    if "Words in this pack:" not in lines:
        return []
    start = lines.index("Words in this pack:") + 1
    section = []
    for line in lines[start:]:
        if not line.startswith("- "):
            break
        section.append(line[2:])
    return section


# --- the Done-when story ----------------------------------------------------------------


async def test_cmht_is_asked_about_once_then_explained_in_the_pack(
    app: App, clock: VirtualClock
) -> None:
    await steering(app)
    result = await say(app, "bob", "/agenda add CMHT referral times")
    [added, question] = [render_text(i.message)[0] for i in result.sent]
    assert all(i.address.user == "bob" for i in result.sent)
    assert "Added to the agenda" in added
    assert question.startswith(
        "What does CMHT stand for? If you tell me, I'll explain it to everyone in the pack: "
        "/jargon add CMHT <what it means>\nYou don't have to."
    )
    assert "Not now" in question
    # Asked once per term per group: not bob again, nor anyone else.
    assert ASKS not in privately(await say(app, "bob", "/agenda add CMHT staffing"), "bob")
    assert ASKS not in privately(await say(app, "carol", "/agenda add CMHT budget"), "carol")
    referral = (
        "referral: When one service asks another to see someone. For example, a GP can refer "
        "you to a mental health team."
    )
    assert words_in(await pack(app)) == [referral]  # a starter word: nobody had to add it

    said = posted(await say(app, "bob", CMHT))
    assert said == (
        "bob added CMHT: Community mental health team. /jargon shows all the group's words."
    )
    assert words_in(await pack(app)) == ["CMHT: Community mental health team.", referral]

    # The pack as the delivery engine sends it, three days before.
    sender = RecordingSender()
    clock.set(datetime(2026, 11, 30, 14, 1, tzinfo=UTC))
    await app.delivery(sender).deliver_due(clock.now())
    [sent] = sender.to("dm:carol")
    assert "Words in this pack:\n- CMHT: Community mental health team." in sent


async def test_a_starter_word_is_explained_unless_the_group_turned_it_off(app: App) -> None:
    await steering(app)
    result = await say(app, "bob", "/agenda add Meeting my care coordinator and GP note A&E")
    assert ASKS not in texts(result)  # starter words are known already
    assert words_in(await pack(app)) == [
        "A&E: Accident and emergency. The part of a hospital you go to when you are badly "
        "hurt or very ill.",
        "care coordinator: The main worker who organises someone's mental health care. "
        "They keep in touch and check the care plan.",
        "GP: The family doctor you see at your local surgery. GP stands for general practitioner.",
    ]
    said = posted(await say(app, "alice", "/jargon off gp"))
    assert said == (
        "alice turned off the starter word GP, so packs won't explain it. "
        "/jargon on GP turns it back on."
    )
    assert [w.split(":")[0] for w in words_in(await pack(app))] == ["A&E", "care coordinator"]
    # A word the group turned off is known well enough: nobody is asked about it.
    assert ASKS not in privately(await say(app, "carol", "/agenda add GP letters"), "carol")
    assert posted(await say(app, "alice", "/jargon on GP")).startswith(
        "alice turned the starter word GP back on, so packs will explain it again. "
        "It means: The family doctor"
    )
    assert len(words_in(await pack(app))) == 3


async def test_the_pack_matches_whole_words_capitals_only_for_acronyms(app: App) -> None:
    await steering(app)
    await say(app, "alice", '/jargon add "Peer Group" Members who meet between meetings')
    for item in (
        "Our gp and gps in general",  # lower case: not the acronym GP
        "GPS tracking app",  # not GP with a plural s: GPS is a word of its own
        "Care Plans for everyone",  # any case, and a plural, for words
        "Talk to the peer group",  # the group's own word
        "Hospital discharges",
        "Crisis team note talks about being sectioned",  # a content note counts too
    ):
        await say(app, "bob", f"/agenda add {item}")
    assert [w.split(":")[0] for w in words_in(await pack(app))] == [
        "care plan",
        "crisis team",
        "discharge",
        "Peer Group",
        "sectioned",
    ]


async def test_the_pack_has_no_words_section_when_none_are_used(app: App) -> None:
    await steering(app)
    assert words_in(await pack(app)) == []
    await say(app, "bob", "/agenda add Welcome and tea")
    the_pack = await pack(app)
    assert "Words in this pack" not in the_pack and "Welcome and tea" in the_pack


# --- /jargon ----------------------------------------------------------------------------


async def test_jargon_lists_the_groups_words_then_the_starter_words(app: App) -> None:
    await steering(app)
    shown = privately(await say(app, "carol", "/jargon"), "carol")
    assert "The group hasn't added any words of its own yet." in shown
    assert (
        "starter words, like care coordinator, care plan and discharge. "
        "To see them, type /jargon starter." in shown
    )
    await say(app, "bob", CMHT)
    await say(app, "carol", "/jargon add RTT = referral to treatment time")
    await say(app, "alice", "/jargon add SLA = a promise about how fast a service acts")
    shown = privately(await say(app, "carol", "/jargon"), "carol")
    assert (
        "- CMHT: Community mental health team.\n"
        "- RTT: referral to treatment time.\n"
        "- SLA: a promise about how fast a service acts.\n"
        "There are also 60 starter words" in shown
    )
    starter = privately(await say(app, "carol", "/jargon starter"), "carol")
    assert "- AMHP: Approved mental health professional." in starter
    assert "- SLA:" not in starter  # the group's own meaning replaces the starter one
    assert "Turned off" not in starter
    await say(app, "alice", "/jargon off PALS")
    starter = privately(await say(app, "carol", "/jargon starter"), "carol")
    assert "Turned off for this group: PALS." in starter and "- PALS" not in starter


async def test_jargon_looks_one_word_up(app: App) -> None:
    await steering(app)
    await say(app, "bob", CMHT)
    assert privately(await say(app, "carol", "/jargon cmht"), "carol") == (
        "CMHT: Community mental health team."
    )
    assert privately(await say(app, "carol", "/jargon iapt"), "carol").startswith(
        "IAPT (Talking Therapies): Free NHS talking treatments"
    )
    unknown = privately(await say(app, "carol", "/jargon SPOA"), "carol")
    assert unknown == (
        "I don't know what SPOA means yet.\n"
        "If you know, you can add it for everyone: /jargon add SPOA <what it means>"
    )
    await say(app, "alice", "/jargon off GP")
    off = privately(await say(app, "carol", "/jargon GP"), "carol")
    assert "GP is a starter word this group turned off." in off
    assert "/jargon on GP" in off


async def test_natural_ways_of_adding_a_word(app: App) -> None:
    await steering(app)
    for said, expect in (
        ("/jargon add CMHT = Community mental health team", "CMHT: Community mental health team."),
        ("/jargon add RTT: referral to treatment time", "RTT: referral to treatment time."),
        ('/jargon add "day centre" a place to go in the day.', "day centre: a place to go in"),
        ("/jargon add “peer group” people who meet", "peer group: people who meet."),
        ("/jargon add 'link worker' connects you to groups", "link worker: connects you to"),
        ("/jargon add step down - moving to less support", "step down: moving to less support."),
        ("/jargon add OOH means out of hours", "OOH: out of hours."),
        ("/jargon add tier 4 unit: a specialist ward", "tier 4 unit: a specialist ward."),
    ):
        assert f"bob added {expect}" in posted(await say(app, "bob", said)), said


async def test_a_change_in_a_direct_message_is_still_posted_for_the_group(app: App) -> None:
    await steering(app)
    result = await say(app, "bob", CMHT, dm=True)
    assert sent_to(result, "bob") == "Done. I've told the group in its channel."
    assert "bob added CMHT" in texts(result)
    assert [i.address.channel for i in result.sent if i.address.user is None] == [GROUP]


# --- who may change what ----------------------------------------------------------------


async def test_only_the_author_or_a_facilitator_changes_or_removes_a_word(app: App) -> None:
    await steering(app)
    await say(app, "bob", CMHT)
    await all_refused(
        app,
        [
            (
                "carol",
                "/jargon add CMHT the mental health team",
                "bob added CMHT, so only bob or a facilitator can change what it means. "
                "It means: Community mental health team.",
            ),
            (
                "carol",
                "/jargon remove CMHT",
                "bob added CMHT, so only bob or a facilitator can take it out.",
            ),
            ("carol", "/jargon add GP a doctor", "GP is already one of the starter words."),
            ("carol", "/jargon off GP", "(the people who run the group) can use /jargon off."),
            ("carol", "/jargon on GP", "(the people who run the group) can use /jargon on."),
        ],
    )
    assert "bob changed what CMHT means: Community mental health team (the local one)." in (
        posted(
            await say(app, "bob", "/jargon add CMHT Community mental health team (the local one)")
        )
    )
    assert "alice changed what CMHT means" in posted(
        await say(app, "alice", "/jargon add cmht The local community mental health team")
    )
    assert posted(await say(app, "alice", "/jargon add GP Your doctor")) == (
        "alice gave the starter word GP the group's own meaning: Your doctor. "
        "/jargon shows all the group's words."
    )
    assert privately(await say(app, "carol", "/jargon GP"), "carol") == "GP: Your doctor."
    assert posted(await say(app, "alice", "/jargon remove cmht")) == (
        "alice removed CMHT from the group's words."
    )
    assert posted(await say(app, "alice", "/jargon remove GP")) == (
        "alice removed GP from the group's words."
    )
    assert "general practitioner" in privately(await say(app, "carol", "/jargon GP"), "carol")


async def test_bad_input_is_refused_kindly_and_changes_nothing(app: App) -> None:
    await steering(app)
    await say(app, "bob", CMHT)
    await say(app, "alice", "/jargon off PALS")
    await all_refused(
        app,
        [
            ("bob", "/jargon add", "Please say the word and what it means."),
            ("bob", "/jargon add SLA", "Please say what SLA means, after the word."),
            ("bob", "/jargon add SLA =", "Please say what SLA means"),
            ("bob", "/jargon add SPOA <what it means>", "in place of <what it means>"),
            ("bob", '/jargon add "care plan"', "Please say what care plan means"),
            ("bob", "/jargon add SLA " + "x" * 301, "Please keep a meaning under 300"),
            ("bob", f'/jargon add "{"y" * 61}" a meaning', "under 60 characters"),
            ("bob", "/jargon add === ???", "with letters in it"),
            ("bob", CMHT, "CMHT already means that."),
            ("bob", "/jargon remove", "Which word?"),
            ("bob", "/jargon remove RTT", "RTT isn't in the group's words."),
            ("bob", "/jargon remove GP", "GP is a starter word, so it can't be removed."),
            ("alice", "/jargon off CMHT", "CMHT isn't one of the starter words."),
            ("alice", "/jargon off", "That isn't one of the starter words."),
            ("alice", "/jargon off PALS", "PALS is already turned off."),
            ("alice", "/jargon on GP", "GP is already on."),
        ],
    )
    # A word with exactly the longest meaning and term is fine.
    await say(app, "bob", f'/jargon add "{"y" * 60}" {"x" * 300}')
    assert "y" * 60 in privately(await say(app, "carol", "/jargon"), "carol")


async def test_members_words_stay_inert(app: App) -> None:
    await steering(app)
    said = posted(await say(app, "bob", "/jargon add OOH <!channel> *out of hours*\x1b[2J"))
    assert "bob added OOH: <!channel> *out of hours*[2J." in said
    assert "\x1b" not in said


# --- the jargon buster ------------------------------------------------------------------


async def test_one_question_lists_up_to_three_new_acronyms(app: App) -> None:
    await steering(app)
    result = await say(app, "bob", "/agenda add CMHT, SPOA, RTT and OOH figures (GPs too) OK?")
    [_, question] = [render_text(i.message)[0] for i in result.sent]
    assert question.startswith(
        "What do CMHT, SPOA and RTT stand for? If you tell me, I'll explain them to everyone "
        "in the pack: /jargon add CMHT <what it means>, and the same for the others."
    )
    result = await say(app, "bob", "/agenda add SPOA and RTT again, with OOH and the DPT")
    [_, question] = [render_text(i.message)[0] for i in result.sent]
    assert question.startswith("What do OOH and DPT stand for?")


async def test_links_mentions_and_shouting_are_not_acronyms(app: App) -> None:
    await steering(app)
    for item in (
        "Notes at https://EXAMPLE.org/CMHT and www.ABC.org",
        "Thanks @SAM and #CMHT-news <@UBOB|bob>",
        "PLEASE READ THIS before we meet",
        "Reports I and II from the UK in PDF",
    ):
        assert ASKS not in texts(await say(app, "bob", f"/agenda add {item}")), item


async def test_a_refused_command_asks_nothing(app: App) -> None:
    await steering(app)
    await refused(app, "bob", "/agenda add CMHT " + "x" * 400, "under 300 characters")
    assert ASKS in texts(await say(app, "bob", "/agenda add CMHT"))


async def test_decisions_updates_minutes_and_proposals_ask_too(
    app: App, clock: VirtualClock
) -> None:
    await group_that_met(app, clock)
    assert clock.now() == AFTER_MEETING
    checks = (
        ("alice", "/decision The ICB funds the PSW role update in 2 weeks", "PSW"),
        ("alice", "/update 1 in progress Waiting for the JD", "JD"),
        ("alice", "/minutes We talked about the PSW role and the HR process.", "HR"),
        ("bob", "/propose We ask for a TOIL policy", "TOIL"),
    )
    for who, said, term in checks:
        result = await say(app, who, said)
        asked = [t for t in (render_text(i.message)[0] for i in result.sent) if ASKS in t]
        assert asked and asked[0].startswith(f"What does {term} stand for?"), texts(result)
        assert all(i.address.user == who for i in result.sent if ASKS in render_text(i.message)[0])
