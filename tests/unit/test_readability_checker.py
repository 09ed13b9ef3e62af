"""The readability checker itself: it fails a hard message and passes a plain one, and it
measures only the bot's own words (not commands, codes, links, times or members' text)."""

from __future__ import annotations

from tests.readability import prose, read

PLAIN = (
    "Thank you. Your concern is saved, without your name. "
    "Everyone in the group will see your words on Wednesday. Nobody will see who wrote it."
)
ACADEMIC = (
    "Facilitators retain discretionary responsibility for operationalising the group's "
    "governance arrangements, notwithstanding any subsequent reconfiguration of "
    "participatory mechanisms."
)
LONG_WINDED = (
    "If you would like to add an item to the agenda for the next meeting you can do that now "
    "and I will put it in the pack that everyone gets three days before the meeting starts."
)


def test_a_plain_message_passes() -> None:
    reading = read(PLAIN)
    assert reading.problems() == [], reading
    assert reading.ease >= 70


def test_an_academic_sentence_fails_on_reading_ease() -> None:
    reading = read(ACADEMIC)
    assert reading.ease < 70
    assert any("reading ease" in p for p in reading.problems())


def test_the_old_facilitator_announcement_fails() -> None:
    problems = read("alice made carol a facilitator of this group.").problems()
    assert any("reading ease" in p for p in problems), problems


def test_a_long_sentence_fails_on_words_per_sentence() -> None:
    problems = read(LONG_WINDED).problems()
    assert any("words a sentence" in p for p in problems), problems


def test_an_unexplained_acronym_fails_and_an_explained_one_passes() -> None:
    assert read("I'll send it by DM, so only you see it.").unexplained == ("DM",)
    assert read("I'll send it by direct message (DM), so only you see it.").unexplained == ()
    assert read("Call NHS 111 if you need help soon.").unexplained == ()


def test_commands_codes_links_and_times_are_left_out() -> None:
    text = (
        "Your receipt code is XQQF-BPVB-VDV8. See /concern status XQQF-BPVB-VDV8 at 14:00 "
        "on 2026-12-05, or https://example.org/notes. Say /coming at m1 2026-12-05T14:00 yes."
    )
    words = prose(text)
    for gone in ("XQQF", "/concern", "example.org", "14:00", "2026", "m1", "/coming"):
        assert gone not in words, words


def test_file_paths_are_left_out() -> None:
    words = prose(
        "I've saved a chart for you here: /tmp/pytest-of-root/scenario2-files/group-ladder.png"
    )
    assert words == "I've saved a chart for you here:", words


def test_members_words_are_left_out() -> None:
    said = "Operationalising multidisciplinary governance frameworks"
    text = f"** Agenda **\n- 1. 14:00 {said} (15 min)\nbob wrote: 'Interdisciplinary synergy'"
    words = prose(text, member_text=[said])
    assert "Operationalising" not in words and "synergy" not in words, words
    assert words.startswith("Agenda."), words
