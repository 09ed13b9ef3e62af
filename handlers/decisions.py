"""/decision and /update: decisions with an owner, and a feedback loop that closes.

A decision is recorded by the chair, the minute-taker or a facilitator, with the
meeting (and agenda item) it came from. Whoever recorded it is then asked, not
assumed, whether members with lived experience were part of making it.

Follow-ups: the owner is asked privately when an update is due, asked once more
three days later, and a week after the due date the facilitators are told it is
still waiting; the next pack lists it as "waiting for an update". Each goes out
once, and an update stops the rest (their build finds the cycle moved on).

Every update goes to every member once, by DM or in the channel as each person
asked (a "members" item for the delivery engine, due the moment it is made), as a
plain "You said -> we did (or didn't, and why)"; it also shows in the next pack
and in the monthly "what changed because of this group" digest in the channel.
A decision that answers an anonymous concern shows every update to the concern's
writer through their receipt code (the feature's `concern_status`, read by /concern status).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from handlers import actions
from handlers.core.commands import CommandSpec, Context, Refusal, Sub
from handlers.core.due import Due
from handlers.core.feature import Feature
from handlers.core.messages import (
    Block,
    BulletList,
    Choices,
    Heading,
    Message,
    Option,
    Paragraph,
    message,
)
from handlers.core.occurrences import Occurrence, between, localise
from handlers.core.parsing import find_member
from handlers.core.when import parse_day
from handlers.followups import (
    at_local,
    day_words,
    facilitator_names,
    local_today,
    may_record,
    meeting_of_record,
    name_of,
    number_of,
    occurrence_words,
    records,
    zone_of,
)
from storage.models import AgendaItem, Concern, Decision, DecisionUpdate, Group, Person
from storage.uow import UnitOfWork

MAX_TEXT = 500
MAX_UPDATE = 1000
DEFAULT_EVERY = relativedelta(weeks=4)
LONGEST_EVERY_DAYS = 366
ASK_AGAIN_AFTER = timedelta(days=3)
TELL_FACILITATORS_AFTER = timedelta(days=7)
DIGEST_AT = time(10, 0)
PACK_LOOKS_BACK = timedelta(days=30)
PACK_LOOKS_FOR_LAST_MEETING = timedelta(days=90)

OPEN = ("open", "in progress", "blocked")
CLOSED = ("done", "changed", "dropped")
NEEDS_A_REASON = ("changed", "dropped")
_STATUS_WORDS = {
    "done": "done", "finished": "done", "complete": "done", "completed": "done",
    "in progress": "in progress", "in-progress": "in progress", "progress": "in progress",
    "changed": "changed", "change": "changed",
    "dropped": "dropped", "drop": "dropped",
    "blocked": "blocked", "stuck": "blocked",
}
#: How each status reads after "You said → " and in lists.
SAID_WE_DID = {
    "done": "we did",
    "in progress": "we're working on it",
    "blocked": "we're stuck for now",
    "changed": "we did something different, and here's why",
    "dropped": "we didn't, and here's why",
}
STATUS_WORDS = {
    "open": "no update yet", "in progress": "in progress", "blocked": "stuck for now",
    "done": "done", "changed": "changed", "dropped": "dropped",
}
#: What the update's words are, for each status.
TEXT_LABEL = {
    "done": "What was done", "in progress": "How it's going", "blocked": "What's in the way",
    "changed": "What changed and why", "dropped": "Why",
}
LIVED = {"yes": "yes", "no": "no", "unsure": "unsure", "not sure": "unsure",
         "not-sure": "unsure", "dont know": "unsure", "don't know": "unsure"}
LIVED_WORDS = {
    "yes": "Members with lived experience were part of making it.",
    "no": "Members with lived experience were not part of making it.",
    "unsure": "It isn't known whether members with lived experience were part of making it.",
}
EXAMPLE = "/decision Papers go out a week before each meeting owner @sam update in 2 weeks"
UPDATE_EXAMPLE = "/update 3 done Papers now go out seven days before each meeting."

_N = r"(?P<n>\d{1,3}|an?|one|two|three|four|five|six)"
_UNIT = r"(?P<unit>days?|weeks?|fortnights?|months?)"
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_CLAUSES = {
    "owner": re.compile(r"^(?P<rest>.*)\s+owner\s+(?P<who>@\S+)\s*$", re.I | re.S),
    "every": re.compile(rf"^(?P<rest>.*)\s+update\s+in\s+{_N}\s+{_UNIT}\s*$", re.I | re.S),
    "on": re.compile(r"^(?P<rest>.*)\s+update\s+(?:on|by)\s+(?P<day>.+?)\s*$", re.I | re.S),
    "item": re.compile(r"^(?P<rest>.*)\s+(?:agenda\s+)?item\s+#?(?P<item>\d{1,3})\s*$",
                       re.I | re.S),
    "concern": re.compile(r"^(?P<rest>.*)\s+from\s+concern\s+#?(?P<concern>\d{1,6})\s*$",
                          re.I | re.S),
}


# --- reading what people type ----------------------------------------------------------------


def _clauses(args: str, today: date) -> tuple[str, dict[str, re.Match[str]], date | None]:
    """Take the trailing clauses (owner, update in/on, item, from concern) off the text."""
    text = " " + " ".join(args.split())
    found: dict[str, re.Match[str]] = {}
    on_day: date | None = None
    progress = True
    while progress:
        progress = False
        for name, pattern in _CLAUSES.items():
            if name in found or (name == "on" and "every" in found) or (
                    name == "every" and "on" in found):
                continue
            match = pattern.match(text)
            if match is None:
                continue
            if name == "on":
                on_day = parse_day(match.group("day"), today)
                if on_day is None:  # "update on the website" is part of the words
                    continue
            found[name] = match
            text = match.group("rest")
            progress = True
    return text.strip(), found, on_day


def _first_due(found: dict[str, re.Match[str]], on_day: date | None, today: date) -> date:
    """The day the first update is due."""
    if on_day is not None:
        return on_day
    every = found.get("every")
    if every is None:
        due: date = today + DEFAULT_EVERY
        return due
    raw, unit = every.group("n").lower(), every.group("unit").lower()
    amount = int(raw) if raw.isdigit() else _WORD_NUMBERS[raw]
    step = {"d": relativedelta(days=1), "w": relativedelta(weeks=1),
            "f": relativedelta(weeks=2), "m": relativedelta(months=1)}[unit[0]]
    later: date = today + step * amount
    return later


def _status(rest: str) -> tuple[str | None, str]:
    """'in progress Talking to the trust' -> ('in progress', 'Talking to the trust')."""
    words = rest.split()
    lowered = [w.lower().strip(":,.-") for w in words]
    if len(words) >= 2 and " ".join(lowered[:2]) in _STATUS_WORDS:
        return _STATUS_WORDS[" ".join(lowered[:2])], " ".join(words[2:])
    if words and lowered[0] in _STATUS_WORDS:
        return _STATUS_WORDS[lowered[0]], " ".join(words[1:])
    return None, " ".join(words)


# --- lookups ---------------------------------------------------------------------------------


async def _decision(ctx: Context, word: str, example: str) -> Decision:
    number = number_of(word, "decision", example)
    decision = await records(ctx.uow).decision(ctx.the_group().id, number)
    if decision is None:
        raise Refusal(f"There is no decision {number}. Nothing was changed.",
                      "Type /decision to see the open decisions and their numbers.")
    return decision


async def _occurrence_of(uow: UnitOfWork, group: Group, d: Decision) -> Occurrence | None:
    if d.meeting_id is None or d.occurrence is None:
        return None
    found = await between(uow, group, d.created_at - timedelta(days=60), d.created_at)
    return next((o for o in found if o.meeting.id == d.meeting_id and o.key == d.occurrence),
                None)


async def _from_words(uow: UnitOfWork, group: Group, d: Decision) -> str | None:
    """'From: Steering group meeting on Saturday 5 December (agenda item: Budget).'"""
    o = await _occurrence_of(uow, group, d)
    item = await uow.session.get(AgendaItem, d.agenda_item_id) if d.agenda_item_id else None
    if o is None and item is None:
        return None
    parts = ["From:", occurrence_words(o) if o else "the meeting"]
    if item is not None:
        parts.append(f"(agenda item: {item.text})")
    return " ".join(parts) + "."


async def _public_concern(uow: UnitOfWork, d: Decision) -> int | None:
    """The number of the concern it answers, if the whole group saw that concern."""
    concern = await uow.session.get(Concern, d.concern_id) if d.concern_id else None
    if concern is None or concern.audience != "group" or concern.number is None:
        return None
    return concern.number


def _asks(d: Decision) -> int | None:
    """Who is asked for updates: the owner, or whoever recorded it."""
    return d.owner_id or d.recorded_by


# --- /decision -------------------------------------------------------------------------------


async def decision(ctx: Context, args: str) -> None:
    """Record a decision; with no words, list the open ones; with a number, show one."""
    words = args.strip()
    if not words or words.lower() in ("open", "all"):
        await _list(ctx, everything=words.lower() == "all")
        return
    if words.lstrip("#").isdigit():
        await _show(ctx, await _decision(ctx, words, "/decision 3"))
        return
    await _record(ctx, words)


async def _record(ctx: Context, words: str) -> None:
    group = ctx.the_group()
    today = local_today(group, ctx.now)
    text, found, on_day = _clauses(words, today)
    if not text:
        raise Refusal("Please say what was decided. Nothing was changed.",
                      f"For example: {EXAMPLE}")
    if len(text) > MAX_TEXT:
        raise Refusal(f"Please keep a decision under {MAX_TEXT} characters. "
                      "Nothing was changed.", "You could link to the details.")
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
    first_due = _first_due(found, on_day, today)
    if not today < first_due <= today + timedelta(days=LONGEST_EVERY_DAYS):
        raise Refusal(
            "Please choose an update date after today and within a year. Nothing was changed.",
            "For example: update in 2 weeks, or update on 20 January.",
        )
    item = await _agenda_item(ctx, o, found)
    concern = await _concern(ctx, found)
    repo = records(ctx.uow)
    d = Decision(
        group_id=group.id, number=await repo.next_number(Decision, group.id), text=text,
        meeting_id=o.meeting.id if o else None, occurrence=o.key if o else None,
        agenda_item_id=item.id if item else None, concern_id=concern.id if concern else None,
        owner_id=owner.person_id, recorded_by=ctx.person.id, status="open",
        update_every_days=(first_due - today).days, next_update_at=at_local(first_due, group),
        created_at=ctx.now,
    )
    ctx.uow.session.add(d)
    await ctx.uow.session.flush()
    name = owner.person.display_name
    blocks: list[Block | str] = [Heading(f"Decision {d.number}"), text]
    if (origin := await _from_words(ctx.uow, group, d)) is not None:
        blocks.append(origin)
    if (number := await _public_concern(ctx.uow, d)) is not None:
        blocks.append(f"This answers concern {number}, raised anonymously.")
    blocks.append(f"{name} is looking after it. I'll ask {name} for an update on "
                  f"{day_words(first_due, group)}, and share it with everyone.")
    ctx.post(message(*blocks, summary=f"Decision {d.number} recorded"))
    ctx.reply(message(
        f"Recorded as decision {d.number}, and shared with the group.",
        "One question for the record: were members with lived experience part "
        "of making this decision?",
        Choices(tuple(Option(label, f"/decision lived-experience {d.number} {answer}", group.id)
                      for label, answer in (("Yes", "yes"), ("No", "no"),
                                            ("Not sure", "unsure")))),
        f"You can also answer later: /decision lived-experience {d.number} yes, no or unsure.",
    ))


async def _agenda_item(
    ctx: Context, o: Occurrence | None, found: dict[str, re.Match[str]]
) -> AgendaItem | None:
    if "item" not in found:
        return None
    number = int(found["item"].group("item"))
    items = await ctx.uow.meetings.agenda(o.meeting.id, o.key) if o else []
    if not 1 <= number <= len(items):
        where = f"the agenda of {occurrence_words(o)}" if o else "the last meeting's agenda"
        raise Refusal(f"There is no item {number} on {where}. Nothing was changed.",
                      "Leave out 'item' to record the decision without one.")
    return items[number - 1]


async def _concern(ctx: Context, found: dict[str, re.Match[str]]) -> Concern | None:
    if "concern" not in found:
        return None
    number = int(found["concern"].group("concern"))
    row = await ctx.uow.session.scalar(
        select(Concern).where(Concern.group_id == ctx.the_group().id, Concern.number == number,
                              Concern.status == "released")
    )
    if row is None:
        raise Refusal(f"There is no shared concern {number} in this group. Nothing was changed.",
                      "Concerns get their numbers when they are shared with the group.")
    return row


async def lived_experience(ctx: Context, args: str) -> None:
    """Say whether members with lived experience were part of making a decision."""
    word, _, answer = args.strip().partition(" ")
    d = await _decision(ctx, word, "/decision lived-experience 3 yes")
    choice = LIVED.get(" ".join(answer.lower().split()).strip(".!"))
    if choice is None:
        raise Refusal("Please answer yes, no or unsure. Nothing was changed.",
                      f"For example: /decision lived-experience {d.number} yes")
    if ctx.person.id != d.recorded_by and not ctx.is_facilitator:
        raise Refusal(f"This is answered by whoever recorded decision {d.number}, or a "
                      "facilitator. Nothing was changed.")
    d.lived_experience = choice
    ctx.reply(message(f"Thank you. Noted for decision {d.number}: {LIVED_WORDS[choice]}"))


async def _line(uow: UnitOfWork, group: Group, d: Decision) -> str:
    owner = await name_of(uow, d.owner_id)
    parts = [f"Decision {d.number}: {d.text} ({owner}; {STATUS_WORDS[d.status]}"]
    if d.next_update_at is not None:
        parts.append(f"; next update {day_words(d.next_update_at, group)}")
    return "".join(parts) + ")"


async def _list(ctx: Context, everything: bool) -> None:
    group = ctx.the_group()
    rows = await records(ctx.uow).decisions(group.id, open_only=not everything)
    lines = [await _line(ctx.uow, group, d) for d in rows]
    if not lines:
        ctx.reply(message(
            "There are no open decisions." if not everything else "No decisions yet.",
            f"The chair, the minute-taker or a facilitator can record one: {EXAMPLE}",
        ))
        return
    ctx.reply(message(
        Heading("All decisions" if everything else "Open decisions"),
        BulletList(tuple(lines)),
        "Type /decision and a number to see one with its updates"
        + ("." if everything else ", or /decision all to see the closed ones too."),
        summary="Decisions",
    ))


async def _show(ctx: Context, d: Decision) -> None:
    group = ctx.the_group()
    blocks: list[Block | str] = [Heading(f"Decision {d.number}: {STATUS_WORDS[d.status]}"),
                                 d.text]
    if (origin := await _from_words(ctx.uow, group, d)) is not None:
        blocks.append(origin)
    blocks.append(f"Looked after by {await name_of(ctx.uow, d.owner_id)}. Recorded by "
                  f"{await name_of(ctx.uow, d.recorded_by)} on {day_words(d.created_at, group)}.")
    blocks.append(LIVED_WORDS[d.lived_experience] if d.lived_experience else
                  "Whether members with lived experience were part of making it: not answered "
                  "yet.")
    if (number := await _public_concern(ctx.uow, d)) is not None:
        blocks.append(f"It answers concern {number}, raised anonymously.")
    updates = await records(ctx.uow).updates(d.id)
    if updates:
        blocks.append("Updates:")
        blocks.append(BulletList(tuple([
            f"{day_words(u.created_at, group)}, {await name_of(ctx.uow, u.by_id)}: "
            f"{STATUS_WORDS[u.status]}" + (f". {u.text}" if u.text else "") for u in updates
        ])))
    if d.next_update_at is not None:
        blocks.append(f"Next update due on {day_words(d.next_update_at, group)}.")
    ctx.reply(message(*blocks, summary=f"Decision {d.number}"))


# --- /update ---------------------------------------------------------------------------------


async def update(ctx: Context, args: str) -> None:
    """Record what happened to a decision; everyone hears "you said, we did"."""
    if not args.strip():
        await _mine(ctx)
        return
    word, _, rest = args.strip().partition(" ")
    d = await _decision(ctx, word, UPDATE_EXAMPLE)
    status, text = _status(rest)
    if status is None:
        raise Refusal(
            "Please say how it went: done, in progress, changed, dropped or blocked. "
            "Nothing was changed.",
            f"For example: {UPDATE_EXAMPLE}",
        )
    if ctx.person.id not in (d.owner_id, d.recorded_by) and not ctx.is_facilitator:
        owner = await name_of(ctx.uow, d.owner_id)
        raise Refusal(
            f"Updates on decision {d.number} come from {owner}, who looks after it, whoever "
            "recorded it, or a facilitator. Nothing was changed.",
            f"You could ask {owner} how it's going.",
        )
    if status in NEEDS_A_REASON and not text:
        raise Refusal(
            f"Please add a few words on why it was {status}, so everyone knows. "
            "Nothing was changed.",
            f"For example: /update {d.number} {status} The budget was cut, so we'll try "
            "again in April.",
        )
    if len(text) > MAX_UPDATE:
        raise Refusal(f"Please keep an update under {MAX_UPDATE:,} characters. "
                      "Nothing was changed.", "You could link to the details.")
    await _not_a_repeat(ctx, d, status, text)
    group = ctx.the_group()
    ctx.uow.session.add(DecisionUpdate(decision_id=d.id, status=status, text=text,
                                       by_id=ctx.person.id, created_at=ctx.now))
    d.status = status
    if status in CLOSED:
        d.next_update_at = None
        after = "This closes the decision."
    else:
        next_day = local_today(group, ctx.now) + timedelta(days=d.update_every_days)
        d.next_update_at = at_local(next_day, group)
        after = f"I'll ask for the next update on {day_words(next_day, group)}."
    ctx.reply(message(
        f"Thank you. I'm sharing your update on decision {d.number} with everyone now, "
        "the way each person asked to get messages.",
        after,
    ))


async def _not_a_repeat(ctx: Context, d: Decision, status: str, text: str) -> None:
    """Refuse what would tell everyone again what they were just told: a button pressed
    twice, or a button on an old question pressed after the decision closed."""
    updates = await records(ctx.uow).updates(d.id)
    last = updates[-1] if updates else None
    if (last is not None and (last.status, last.text) == (status, text)
            and ctx.now - last.created_at < timedelta(days=1)):
        raise Refusal(
            f"That update on decision {d.number} was already shared with everyone. "
            "Nothing was changed.",
            f"Type /decision {d.number} to see it with its updates.",
        )
    if d.status in CLOSED and not text:
        raise Refusal(
            f"Decision {d.number} is already closed ({STATUS_WORDS[d.status]}), so I haven't "
            "shared anything. Nothing was changed.",
            f"To add to it or reopen it, say /update {d.number}, how it stands and a few "
            f"words, like /update {d.number} in progress We're trying again in spring.",
        )


async def _mine(ctx: Context) -> None:
    group = ctx.the_group()
    rows = [d for d in await records(ctx.uow).decisions(group.id, open_only=True)
            if _asks(d) == ctx.person.id]
    lines = [await _line(ctx.uow, group, d) for d in rows]
    shown: list[Block | str] = (
        [Heading("Decisions you look after"), BulletList(tuple(lines))] if lines
        else ["You don't look after any open decisions."]
    )
    ctx.reply(message(
        *shown,
        "To say what happened: /update <number> done, in progress, changed, dropped or "
        f"blocked, and a few words. For example: {UPDATE_EXAMPLE}",
        "Changed or dropped always needs a reason.",
    ))


async def you_said_we_did(
    uow: UnitOfWork, group: Group, d: Decision, u: DecisionUpdate
) -> Message:
    """The plain "You said → we did (or didn't, and why)" message for one update."""
    by = await name_of(uow, u.by_id)
    blocks: list[Block | str] = [
        Heading(f"You said → {SAID_WE_DID[u.status]}"),
        f"You said (decision {d.number}): {d.text}",
    ]
    if u.text:
        blocks.append(f"{TEXT_LABEL[u.status]}: {u.text}")
    else:
        blocks.append(f"Where it is now: {STATUS_WORDS[u.status]}.")
    if (number := await _public_concern(uow, d)) is not None:
        blocks.append(f"This answers concern {number}, raised anonymously.")
    closing = f"Update from {by}."
    if u.status in OPEN and d.next_update_at is not None and d.status == u.status:
        closing += f" The next update is due on {day_words(d.next_update_at, group)}."
    blocks.append(closing)
    blocks.append("You don't need to reply. Type /decision to see all open decisions.")
    return message(*blocks, summary=f"You said → {SAID_WE_DID[u.status]}: decision {d.number}")


# --- what falls due --------------------------------------------------------------------------


def _announce(group: Group, u: DecisionUpdate, number: int) -> Due:
    update_id = u.id

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        row = await uow.session.get(DecisionUpdate, update_id)
        d = await uow.session.get(Decision, row.decision_id) if row else None
        if row is None or d is None:
            return None
        return await you_said_we_did(uow, group, d, row)

    return Due(
        key=f"decisionupdate:u{update_id}", kind="decisionupdate",
        label=f"an update on decision {number}", due_at=u.created_at, group=group,
        recipients="members", build=build, planned_at=u.created_at,
    )


def _chaser(group: Group, d: Decision, step: int) -> Due:
    """step 0: ask the owner; 1: ask once more; 2: tell the facilitators it is waiting."""
    assert d.next_update_at is not None
    decision_id, number, cycle = d.id, d.number, d.next_update_at
    kind = ("decisionask", "decisionaskagain", "decisionwaiting")[step]
    due_at = cycle + (timedelta(0), ASK_AGAIN_AFTER, TELL_FACILITATORS_AFTER)[step]

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        current = await uow.session.get(Decision, decision_id)
        if current is None or current.next_update_at != cycle:
            return None  # an update came in, or the decision closed
        if step == 2:
            return await _waiting_note(uow, group, current)
        return _ask(group, current, again=step == 1)

    return Due(
        key=f"{kind}:d{decision_id}:{cycle:%Y%m%dT%H%M}", kind=kind,
        label=f"a question about decision {number}", due_at=due_at, group=group,
        recipients="facilitators" if step == 2 else "person",
        person_id=None if step == 2 else _asks(d), build=build, planned_at=d.created_at,
    )


def _ask(group: Group, d: Decision, again: bool) -> Message:
    n = d.number
    first = (f"A gentle reminder: I'd still love an update on decision {n}: {d.text}" if again
             else f"It's time for an update on decision {n}: {d.text}")
    return message(
        first,
        "What has happened since? A line or two is plenty. I'll share it with everyone as "
        "'you said, we did'.",
        f"Choose one below, or tell me in your own words, like /update {n} done <what was done>. "
        f"If it changed or was dropped, please say why: /update {n} changed <what and why>, or "
        f"/update {n} dropped <why>. If it's stuck: /update {n} blocked <what's in the way>.",
        *(["No pressure: if you need more time, 'in progress' is enough. If someone else "
           "should look after it, a facilitator can help."] if again else []),
        Choices((Option("Done", f"/update {n} done", group.id),
                 Option("Still in progress", f"/update {n} in progress", group.id))),
        summary=f"An update on decision {n} is due",
    )


async def _waiting_note(uow: UnitOfWork, group: Group, d: Decision) -> Message:
    assert d.next_update_at is not None
    who = await name_of(uow, _asks(d))
    return message(
        f"The update on decision {d.number} ({d.text}) was due on "
        f"{day_words(d.next_update_at, group)} and hasn't come in yet.",
        f"I asked {who} that day and again three days later. The next pack will list it as "
        "waiting for an update.",
        f"You might check in with {who}: they may need a hand, or someone else could take it "
        "on. A facilitator can also give the update: /update "
        f"{d.number} in progress <how it's going>.",
        summary=f"Decision {d.number} is waiting for an update",
    )


def _digest(group: Group, first_of_month: date) -> Due:
    zone = zone_of(group)
    month_start = localise(datetime.combine(first_of_month, time(0)), zone)
    last_month = first_of_month - relativedelta(months=1)
    since = localise(datetime.combine(last_month, time(0)), zone)

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        latest: dict[int, tuple[DecisionUpdate, Decision]] = {}
        end = month_start - timedelta(microseconds=1)
        for u, d in await records(uow).updates_between(group.id, since, end):
            latest[d.id] = (u, d)
        lines = []
        for u, d in sorted(latest.values(), key=lambda pair: pair[1].number):
            if u.status not in CLOSED:
                continue
            lead = {"done": "Done", "changed": "Changed", "dropped": "Dropped"}[u.status]
            reason = {"done": "", "changed": " What changed and why: ",
                      "dropped": " Why: "}[u.status]
            said = d.text.rstrip(".!")
            lines.append(f"{lead}: {said}." + (f"{reason or ' '}{u.text}" if u.text else ""))
        done = await records(uow).actions_done_between(group.id, since, month_start)
        lines += [f"Action done: {a.text}" for a in done]
        if not lines:
            return None
        return message(
            Heading(f"What changed because of this group in {last_month:%B}"),
            "Here is what happened last month to what the group decided:",
            BulletList(tuple(lines)),
            "Thank you to everyone who made these happen. Type /decision to see what's "
            "still open.",
            summary=f"What changed because of this group in {last_month:%B}",
        )

    return Due(
        key=f"digest:g{group.id}:{last_month:%Y-%m}", kind="digest",
        label=f"what changed because of this group in {last_month:%B}",
        due_at=localise(datetime.combine(first_of_month, DIGEST_AT), zone), group=group,
        recipients="channel", build=build, planned_at=group.created_at,
    )


def _firsts_of_month(group: Group, start: datetime, end: datetime) -> list[date]:
    day = local_today(group, start).replace(day=1)
    found = []
    while at_local(day, group, DIGEST_AT) <= end:
        if at_local(day, group, DIGEST_AT) >= start:
            found.append(day)
        day += relativedelta(months=1)
    return found


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """Updates going out to everyone, follow-up questions, and the monthly digest."""
    repo = records(uow)
    dues = [_announce(group, u, d.number)
            for u, d in await repo.updates_between(group.id, start, end)]
    for d in await repo.decisions_due(group.id, start - TELL_FACILITATORS_AFTER, end):
        dues += [_chaser(group, d, step) for step in range(3)]
    dues += [_digest(group, day) for day in _firsts_of_month(group, start, end)]
    return [due for due in dues if start <= due.due_at <= end]


# --- the pack and the concern's writer -------------------------------------------------------


async def pack_section(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Block]:
    """New decisions, "you said, we did", what is waiting for an update, and open actions."""
    lead = timedelta(minutes=group.pack_lead_minutes)
    pack_at = o.start - lead
    earlier = [x for x in await between(uow, group, o.start - PACK_LOOKS_FOR_LAST_MEETING,
                                        o.start) if x.start < o.start]
    since = earlier[-1].start - lead if earlier else pack_at - PACK_LOOKS_BACK
    repo = records(uow)
    blocks: list[Block] = []
    new = [d for d in await repo.decisions(group.id, open_only=False)
           if since <= d.created_at < o.start]
    if new:
        blocks += [Paragraph("Decisions since the last pack:"),
                   BulletList(tuple([await _line(uow, group, d) for d in new]))]
    said = [f"Decision {d.number}: {d.text} → {SAID_WE_DID[u.status]}"
            + (f". {TEXT_LABEL[u.status]}: {u.text}" if u.text else "")
            for u, d in await repo.updates_between(group.id, since, o.start)]
    if said:
        blocks += [Paragraph("You said → we did:"), BulletList(tuple(said))]
    waiting = [d for d in await repo.decisions(group.id, open_only=True)
               if d.next_update_at is not None and d.next_update_at <= pack_at]
    if waiting:
        lines = []
        for d in waiting:
            assert d.next_update_at is not None
            lines.append(f"Decision {d.number}: {d.text} ({await name_of(uow, d.owner_id)} "
                         f"looks after it; the update was due on "
                         f"{day_words(d.next_update_at, group)})")
        blocks += [Paragraph("Waiting for an update:"), BulletList(tuple(lines))]
    if open_actions := await actions.lines(uow, group):
        blocks += [Paragraph("Open actions:"), BulletList(tuple(open_actions))]
    return blocks


async def concern_status(uow: UnitOfWork, concern: Concern) -> list[str]:
    """For /concern status: the decisions that answer this concern, and every update."""
    group = await uow.groups.get(concern.group_id)
    if group is None:
        return []
    lines = []
    repo = records(uow)
    for d in await repo.for_concern(concern.id):
        lines.append(f"Decision {d.number} answers your concern: {d.text} "
                     f"Where it is now: {STATUS_WORDS[d.status]}.")
        for u in await repo.updates(d.id):
            lines.append(f"Update on {day_words(u.created_at, group)}: "
                         f"{SAID_WE_DID[u.status]}" + (f". {u.text}" if u.text else "."))
    return lines



COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="decision",
        summary="See the group's open decisions; the chair, minute-taker or a facilitator "
                "records new ones.",
        usage="/decision <what was decided> [owner @name] [update in 2 weeks] [item <n>] "
              "[from concern <n>]",
        examples=(EXAMPLE, "/decision", "/decision 3", "/decision all"),
        run=decision,
        subs=(
            Sub("lived-experience", lived_experience,
                "/decision lived-experience <number> yes|no|unsure",
                "Say whether members with lived experience were part of making a decision."),
        ),
    ),
    CommandSpec(
        name="update",
        summary="Say what happened to a decision; everyone hears 'you said, we did'.",
        usage="/update <number> done|in progress|changed|dropped|blocked <a few words>",
        examples=(UPDATE_EXAMPLE,
                  "/update 4 dropped The budget was cut; we'll bring it back in April.",
                  "/update"),
        run=update,
    ),
)

FEATURE = Feature(
    name="decisions",
    commands=COMMANDS,
    planners=(plan,),
    pack_sections=(pack_section,),
    concern_status=(concern_status,),
)
