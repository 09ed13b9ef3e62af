"""Recording a decision (the chair, the minute-taker or a facilitator), and the answer to
whether members with lived experience were part of making it."""

from __future__ import annotations

import re
from datetime import date, timedelta

from handlers.core.commands import Context, Refusal
from handlers.core.messages import Block, Choices, Heading, Option, message
from handlers.core.occurrences import Occurrence
from handlers.core.parsing import find_member
from handlers.decisions.lookups import find_decision, public_concern
from handlers.decisions.reading import clauses, first_due, lived_answer
from handlers.decisions.wording import EXAMPLE, LIVED_WORDS, from_words
from handlers.digest.after_meeting import share
from handlers.followups import (
    at_local,
    day_words,
    facilitator_names,
    local_today,
    may_record,
    meeting_of_record,
    occurrence_words,
)
from handlers.glossary import ask_about_jargon
from handlers.help import NOT_NOW
from storage.models import AgendaItem, Concern, Decision, Membership

MAX_TEXT = 500
LONGEST_EVERY_DAYS = 366


async def record(ctx: Context, words: str) -> None:
    """Record a decision, share it with the group, and ask about lived experience."""
    group = ctx.the_group()
    today = local_today(group, ctx.now)
    text, found, on_day = clauses(words, today)
    if not text:
        raise Refusal(
            "Please say what was decided. Nothing was changed.", f"For example: {EXAMPLE}"
        )
    if len(text) > MAX_TEXT:
        raise Refusal(
            f"Please keep a decision under {MAX_TEXT} characters. Nothing was changed.",
            "You could link to the details.",
        )
    o = await meeting_of_record(ctx.uow, group, ctx.now)
    if not await may_record(ctx, o):
        raise Refusal(
            "Decisions are recorded by the chair, the minute-taker or a facilitator "
            f"({await facilitator_names(ctx)}). Nothing was changed.",
            "If the group decided something, you could ask one of them to record it, "
            "or add it to the agenda with /agenda add.",
        )
    owner = await find_member(ctx, found["owner"].group("who")) if "owner" in found else None
    owner = owner or ctx.membership
    assert owner is not None
    due = first_due(found, on_day, today)
    if not today < due <= today + timedelta(days=LONGEST_EVERY_DAYS):
        raise Refusal(
            "Please choose an update date after today and within a year. Nothing was changed.",
            "For example: update in 2 weeks, or update on 20 January.",
        )
    item = await _agenda_item(ctx, o, found)
    concern = await _concern(ctx, found)
    await add_decision(ctx, text, owner, due, o, item, concern)
    await ask_about_jargon(ctx, text)


async def add_decision(
    ctx: Context,
    text: str,
    owner: Membership,
    due: date,
    o: Occurrence | None = None,
    item: AgendaItem | None = None,
    concern: Concern | None = None,
    origin: str | None = None,
) -> Decision:
    """Store a decision, share it with the group, and ask whoever recorded it whether
    members with lived experience were part of making it. `origin`: a line saying where
    it came from, when not from a meeting (like a proposal)."""
    group = ctx.the_group()
    today = local_today(group, ctx.now)
    repo = ctx.uow.followups
    d = Decision(
        group_id=group.id,
        number=await repo.next_number(Decision, group.id),
        text=text,
        meeting_id=o.meeting.id if o else None,
        occurrence=o.key if o else None,
        agenda_item_id=item.id if item else None,
        concern_id=concern.id if concern else None,
        owner_id=owner.person_id,
        recorded_by=ctx.person.id,
        status="open",
        update_every_days=(due - today).days,
        next_update_at=at_local(due, group),
        created_at=ctx.now,
    )
    await repo.add(d)
    name = owner.person.display_name
    blocks: list[Block | str] = [Heading(f"Decision {d.number}"), text]
    if (meeting := await from_words(ctx.uow, group, d)) is not None:
        blocks.append(meeting)
    if origin is not None:
        blocks.append(origin)
    if (number := await public_concern(ctx.uow, d)) is not None:
        blocks.append(f"This answers concern {number}, raised anonymously.")
    blocks.append(
        f"{name} is looking after it. On {day_words(due, group)} I'll ask {name} how "
        "it is going. Then I'll tell everyone."
    )
    shared = await share(ctx, message(*blocks, summary=f"Decision {d.number} recorded"), "decision")
    ctx.reply(
        message(
            f"Recorded as decision {d.number}{', and shared with the group' if shared else ''}.",
            "One more question, for the record. Did people with lived experience help to "
            "make this decision?",
            Choices(
                (
                    *(
                        Option(label, f"/decision lived-experience {d.number} {answer}", group.id)
                        for label, answer in (("Yes", "yes"), ("No", "no"), ("Not sure", "unsure"))
                    ),
                    NOT_NOW,
                )
            ),
            f"You can also answer later: /decision lived-experience {d.number} yes, no or unsure.",
        )
    )
    return d


async def _agenda_item(
    ctx: Context, o: Occurrence | None, found: dict[str, re.Match[str]]
) -> AgendaItem | None:
    if "item" not in found:
        return None
    number = int(found["item"].group("item"))
    items = await ctx.uow.meetings.agenda(o.meeting.id, o.key) if o else []
    if not 1 <= number <= len(items):
        where = f"the agenda of {occurrence_words(o)}" if o else "the last meeting's agenda"
        raise Refusal(
            f"There is no item {number} on {where}. Nothing was changed.",
            "Leave out 'item' to record the decision without one.",
        )
    return items[number - 1]


async def _concern(ctx: Context, found: dict[str, re.Match[str]]) -> Concern | None:
    if "concern" not in found:
        return None
    number = int(found["concern"].group("concern"))
    row = await ctx.uow.followups.shared_concern(ctx.the_group().id, number)
    if row is None:
        raise Refusal(
            f"There is no shared concern {number} in this group. Nothing was changed.",
            "Concerns get their numbers when they are shared with the group.",
        )
    return row


async def lived_experience(ctx: Context, args: str) -> None:
    """Say whether members with lived experience were part of making a decision."""
    word, _, answer = args.strip().partition(" ")
    d = await find_decision(ctx, word, "/decision lived-experience 3 yes")
    choice = lived_answer(answer)
    if choice is None:
        raise Refusal(
            "Please answer yes, no or unsure. Nothing was changed.",
            f"For example: /decision lived-experience {d.number} yes",
        )
    if ctx.person.id != d.recorded_by and not ctx.is_facilitator:
        raise Refusal(
            f"This is answered by whoever recorded decision {d.number}, or a "
            "facilitator. Nothing was changed."
        )
    d.lived_experience = choice
    ctx.reply(message(f"Thank you. I've saved that for decision {d.number}. {LIVED_WORDS[choice]}"))
