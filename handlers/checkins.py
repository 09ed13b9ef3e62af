"""/checkin: asking how people are, before and after meetings, and listening.

Before a meeting (1 hour before, by default) each member is asked "How are
you arriving today?" (green, amber or red, or pass) and, if they like, what
they need from the group today. After it (1 hour after the end) they are
asked whether they felt heard (1 to 5) and if they want to add anything.

What is kept: each answer with a keyed hash of (check-in, person) so it can
be changed and is counted once, but no name, no time and no order of
answering. A note (a need, or something to add) is kept apart from the answer,
and with a name only if its writer chose that. Facilitators get a summary:
how many chose each answer, and the notes. The group sees how heard people
felt only when at least 3 answered, so nobody can be picked out.

Check-ins go the way each person's /prefs say (a DM, or the channel, where the
question only points to a DM, so answers stay private), never in quiet hours,
and not at all to anyone who said /checkin off. A check-in that opens just as a
meeting reminder goes (as both do by default) is asked in the reminder's message.
Someone who answers red, or asks /checkin help, is told privately who the
group's wellbeing contact is.
`/checkin pause` tells the meeting's chair (or, without one, the facilitators)
privately that someone needs a pause.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from handlers.core.commands import CommandSpec, Context, Handler, Refusal, Sub
from handlers.core.due import DAY_BEFORE, HOUR_AFTER, HOUR_BEFORE, Due
from handlers.core.feature import Feature
from handlers.core.messages import (
    Block,
    BulletList,
    Choices,
    Heading,
    Message,
    Option,
    Outgoing,
    Paragraph,
    PrivateInput,
    ToPerson,
    message,
)
from handlers.core.occurrences import Occurrence, between, upcoming
from handlers.core.parsing import describe_duration, parse_duration
from handlers.rotation_fairness import CHAIR
from storage.models import (
    CheckinAnswer,
    CheckinNote,
    CheckinOptOut,
    CheckinRound,
    CheckinSettings,
    Group,
    Person,
)
from storage.uow import UnitOfWork

BEFORE, AFTER = "before", "after"
AFTER_OPEN = timedelta(days=1)  # how long the after-meeting check-in takes answers
SUMMARY_BEFORE_START = timedelta(minutes=10)
PAUSE_EARLY = timedelta(minutes=15)  # /checkin pause works from this long before the start
FEWEST_TO_SHOW = 3
TREND_MEETINGS = 5
MAX_NOTE = 500
MAX_WELLBEING = 300
LONGEST_SETTING = timedelta(days=1)
SHORTEST_SETTING = timedelta(minutes=10)

# ---------------------------------------------------------------------------
# Words, in one place so their tone can be reviewed.

COLOURS = {
    "green": "Green: I'm doing okay",
    "amber": "Amber: I'm getting by, but it's a harder day",
    "red": "Red: I'm struggling today",
}
SHORT_COLOURS = {"green": "Green (doing okay)", "amber": "Amber (a harder day)",
                 "red": "Red (struggling today)"}
SCORES = {"1": "Not at all", "2": "Not really", "3": "Partly", "4": "Mostly",
          "5": "Yes, fully"}
ARRIVING = "How are you arriving today? There's no right or wrong answer."
HEARD = "Did you feel heard today? Choose from not at all to yes, fully."
WHO_SEES_BEFORE = (
    "Only the facilitators see a summary: how many chose each colour, and any needs, "
    "without names."
)
WHO_SEES_AFTER = (
    "Your answer is anonymous: I keep no name with it. The group sees the average only "
    "when at least 3 people have answered."
)
IN_CHANNEL = (
    "Answers are private. To answer, send /checkin to me in a direct message. "
    "You don't have to answer, and you can pass."
)
TURN_OFF = "You can pass on any question. To stop check-ins, say /checkin off."
THANKS = {
    "green": "Thank you. I'm glad you're here.",
    "amber": (
        "Thank you for telling me. Take things at your own pace today. You can take a break "
        "whenever you need one, and you don't have to explain."
    ),
    "red": (
        "Thank you for telling me. I'm sorry today is hard. You don't have to come, and if "
        "you do, it's fine to just listen. Nobody will see that you chose red."
    ),
}
THANKS_HEARD = "Thank you. I've kept your answer without your name."
NOT_HEARD = (
    "I'm sorry you didn't feel heard. If you'd like to say more, you can add a note "
    "without your name, or raise a concern anonymously with /concern."
)
PASSED = "That's fine. Thank you. You don't need to do anything else."
NOTE_KEPT = "Thank you. I'll pass this on to the facilitators without your name."
NAMED = "Okay. The facilitators will see your name with what you wrote (but not your answer)."
UNNAMED = "Okay. The facilitators will see what you wrote, without your name."
TOO_FEW = (
    "Fewer than 3 people answered, so I'm not showing the numbers: with so few answers, "
    "people could be recognised."
)
NO_CONTACT = (
    "This group hasn't named a wellbeing contact yet. You could talk to someone you "
    "trust, or to a facilitator{names}. A facilitator can name one with /checkin wellbeing."
)
URGENT = (
    "If you need help urgently, please call your local emergency number or a crisis line."
)
CLOSED = "That check-in has closed, so I haven't kept your answer. Nothing was changed."


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


async def _wellbeing_lines(uow: UnitOfWork, group: Group) -> list[str]:
    """Who the group's wellbeing contact is, said kindly, or who else to talk to."""
    settings = await uow.checkins.settings(group.id)
    if settings.wellbeing:
        return [
            f"If you'd like to talk to someone, {group.name}'s wellbeing contact is "
            f"{settings.wellbeing}. They're outside the meeting, and you don't need to "
            "explain why you're getting in touch.",
            URGENT,
        ]
    names = [m.person.display_name for m in await uow.groups.members(group.id)
             if m.is_facilitator]
    return [NO_CONTACT.format(names=f" ({', '.join(names)})" if names else ""), URGENT]


def _voter(ctx: Context, r: CheckinRound) -> str:
    return ctx.keys.digest("checkin", str(r.id), ctx.platform, ctx.person.external_id)


def _title(o_title: str, kind: str) -> str:
    return f"Check-in before {o_title}" if kind == BEFORE else f"After {o_title}"


def _question(
    r: CheckinRound, title: str, group_id: int, lines: tuple[str, ...] = ()
) -> Message:
    """The check-in as one person sees it privately: choices, pass, and an optional note.

    `lines` lead it when it travels in a meeting reminder.
    """
    if r.kind == BEFORE:
        options = [Option(label, f"/checkin answer {r.id} {k}", group_id)
                   for k, label in COLOURS.items()]
        asks, note_label, who_sees = ARRIVING, "Anything you need from us today? (optional)", (
            WHO_SEES_BEFORE)
        note = PrivateInput("Anything you need?", note_label, f"/checkin need {r.id}", group_id)
    else:
        options = [Option(label, f"/checkin answer {r.id} {k}", group_id)
                   for k, label in SCORES.items()]
        asks, who_sees = HEARD, WHO_SEES_AFTER
        note = PrivateInput("Anything to add?", "Anything you want to add? (optional)",
                            f"/checkin add {r.id}", group_id)
    options.append(Option("Pass", f"/checkin pass {r.id}", group_id))
    return message(
        Heading(_title(title, r.kind)), *lines, asks, Choices(tuple(options)), note, who_sees,
        TURN_OFF, summary=_title(title, r.kind),
    )


# ---------------------------------------------------------------------------
# Commands.


async def _open_round(ctx: Context) -> CheckinRound | None:
    found = await ctx.uow.checkins.open_rounds([ctx.the_group().id], ctx.now)
    return found[0] if found else None


async def _meeting_title(ctx: Context, r: CheckinRound) -> str:
    meeting = await ctx.uow.meetings.get(r.group_id, r.meeting_id)
    return meeting.title if meeting else "the meeting"


async def show(ctx: Context, args: str) -> None:
    """The check-in that is open now (to answer privately), or how check-ins work."""
    group = ctx.the_group()
    r = await _open_round(ctx)
    if r is not None:
        ctx.reply(_question(r, await _meeting_title(ctx, r), group.id))
        return
    settings = await ctx.uow.checkins.settings(group.id)
    off = await ctx.uow.checkins.opted_out([ctx.person.id])

    def when(minutes: int | None, words: str) -> str:
        if minutes is None:
            return f"{words}: off in this group."
        return f"{words}: {describe_duration(timedelta(minutes=minutes))}"

    ctx.reply(message(
        Heading("Check-ins"),
        "Before each meeting I ask how you're arriving, and after it whether you felt heard. "
        "Answers are private, and you can always pass.",
        BulletList((
            when(settings.before_minutes, "Before a meeting") + (
                " before it starts." if settings.before_minutes else ""),
            when(settings.after_minutes, "After a meeting") + (
                " after it ends." if settings.after_minutes else ""),
            "You: check-ins are off (/checkin on to have them again)." if off else
            "You: check-ins are on (/checkin off to stop them).",
        )),
        "There's no check-in open right now.",
        *await _wellbeing_lines(ctx.uow, group),
        summary="Check-ins",
    ))


async def _round(ctx: Context, token: str) -> CheckinRound:
    """The check-in meant: by number, else the one open now."""
    group = ctx.the_group()
    found = None
    if token.isdigit():
        found = await ctx.uow.checkins.round_in([group.id], int(token))
    elif not token:
        found = await _open_round(ctx)
    if found is None:
        raise Refusal(
            "I can't find that check-in. Nothing was changed.",
            "Type /checkin to see the one open now, if there is one.",
        )
    if not found.opens_at <= ctx.now < found.closes_at:
        raise Refusal(CLOSED, "If something is on your mind, /checkin help says who to talk to.")
    return found


def _split(args: str) -> tuple[str, str]:
    """'12 red' -> ('12', 'red'); 'red' -> ('', 'red')."""
    first, _, rest = args.strip().partition(" ")
    return (first, rest.strip()) if first.isdigit() else ("", args.strip())


async def answer(ctx: Context, args: str) -> None:
    """Answer a check-in: a colour before a meeting, 1 to 5 after it."""
    token, choice = _split(args)
    r = await _round(ctx, token)
    choice = choice.lower().strip(" .!")
    allowed = COLOURS if r.kind == BEFORE else SCORES
    if choice not in allowed:
        words = ("green, amber or red" if r.kind == BEFORE
                 else "a number from 1 (not at all) to 5 (yes, fully)")
        raise Refusal(f"Please answer with {words}, or pass. Nothing was changed.",
                      f"For example: /checkin answer {r.id} {next(iter(allowed))}")
    voter = _voter(ctx, r)
    mine = await ctx.uow.checkins.answer_of(r.id, voter)
    if mine is None:
        ctx.uow.session.add(CheckinAnswer(id=secrets.token_hex(16), round_id=r.id,
                                          voter_hash=voter, answer=choice))
    else:
        mine.answer = choice
    group = ctx.the_group()
    lines: list[str | Block] = []
    if r.kind == BEFORE:
        lines.append(THANKS[choice])
        if choice == "red":
            lines += await _wellbeing_lines(ctx.uow, group)
    else:
        lines.append(THANKS_HEARD)
        if int(choice) <= 2:
            lines += [NOT_HEARD, *(await _wellbeing_lines(ctx.uow, group))[:1]]
    if await ctx.uow.checkins.note_of(r.id, voter) is None:
        label = ("Is there anything you need from us today? (optional)" if r.kind == BEFORE
                 else "Is there anything you want to add? (optional)")
        verb = "need" if r.kind == BEFORE else "add"
        lines.append(PrivateInput("Anything else?", label, f"/checkin {verb} {r.id}", group.id))
    lines.append("You can change your answer until the check-in closes.")
    ctx.reply(message(*lines))


async def pass_(ctx: Context, args: str) -> None:
    """Pass on a check-in (takes back an answer already given)."""
    r = await _round(ctx, args.strip())
    mine = await ctx.uow.checkins.answer_of(r.id, _voter(ctx, r))
    if mine is not None:
        await ctx.uow.session.delete(mine)
    ctx.reply(message(PASSED))


async def note(ctx: Context, args: str) -> None:
    """Say what you need from the group today, or what you want to add, without your name."""
    token, text = _split(args)
    r = await _round(ctx, token)
    text = " ".join(text.split())
    if not text:
        raise Refusal(
            "Please write it after the number. Nothing was changed.",
            f"For example: /checkin need {r.id} Could we have a break halfway?",
        )
    if len(text) > MAX_NOTE:
        raise Refusal(f"Please keep it under {MAX_NOTE} characters. Nothing was changed.")
    voter = _voter(ctx, r)
    mine = await ctx.uow.checkins.note_of(r.id, voter)
    if mine is None:
        ctx.uow.session.add(CheckinNote(id=secrets.token_hex(16), round_id=r.id,
                                        voter_hash=voter, text=text, person_id=None))
    else:
        mine.text, mine.person_id = text, None
    group_id = ctx.the_group().id
    ctx.reply(message(
        NOTE_KEPT,
        "Would you like them to see your name with it? They won't see your answer either way.",
        Choices((Option("Yes, add my name", f"/checkin named {r.id}", group_id),
                 Option("No, keep my name out", f"/checkin unnamed {r.id}", group_id))),
    ))


async def _name_note(ctx: Context, args: str, named: bool) -> None:
    r = await _round(ctx, args.strip())
    mine = await ctx.uow.checkins.note_of(r.id, _voter(ctx, r))
    if mine is None:
        raise Refusal("I don't have a note from you for that check-in. Nothing was changed.")
    mine.person_id = ctx.person.id if named else None
    ctx.reply(message(NAMED if named else UNNAMED))


async def named(ctx: Context, args: str) -> None:
    """Let the facilitators see your name with your note."""
    await _name_note(ctx, args, True)


async def unnamed(ctx: Context, args: str) -> None:
    """Keep your name out of your note."""
    await _name_note(ctx, args, False)


async def wellbeing_help(ctx: Context, args: str) -> None:
    """Who to talk to: the group's wellbeing contact, told privately."""
    ctx.reply(message(
        "Thank you for asking. It's okay to need someone.",
        *await _wellbeing_lines(ctx.uow, ctx.the_group()),
    ))


async def pause_listeners(
    uow: UnitOfWork, group: Group, o: Occurrence, asker: int
) -> tuple[str, list[int]]:
    """Who hears, privately, that someone needs a pause, and what to call them: the
    meeting's chair (given out with /rotate or /roles), or the facilitators when nobody
    else chairs it. Never the person asking."""
    chairs = [a.person_id for a in await uow.roles.assignments(o.meeting.id, o.key)
              if a.role == CHAIR and a.person_id is not None and a.person_id != asker]
    if chairs:
        return ("the chair" if len(chairs) == 1 else "the co-chairs"), chairs
    facilitators = [m.person_id for m in await uow.groups.members(group.id)
                    if m.is_facilitator and m.person_id != asker]
    return "the facilitators", facilitators


async def pause(ctx: Context, args: str) -> None:
    """Tell the chair (or the facilitators) privately that someone needs a pause."""
    how = args.strip().lower()
    group = ctx.the_group()
    now_on = [o for o in await upcoming(ctx.uow, group, ctx.now)
              if o.start - PAUSE_EARLY <= ctx.now < o.end]
    if not now_on:
        raise Refusal(
            "There's no meeting on right now, so I haven't sent anything. Nothing was changed.",
            "If you'd like to talk to someone, /checkin help says who the wellbeing contact is.",
        )
    o = now_on[0]
    told, listeners = await pause_listeners(ctx.uow, group, o, ctx.person.id)
    if how in ("cancel", "no"):
        ctx.reply(message("Okay, I haven't sent anything."))
        return
    if how not in ("anon", "anonymous", "named", "me"):
        ctx.reply(message(
            f"I can tell {told} privately that someone needs a pause. "
            "Shall I include your name?",
            Choices((
                Option("Send it without my name", "/checkin pause anon", group.id),
                Option("Send it with my name", "/checkin pause named", group.id),
                Option("Don't send it", "/checkin pause cancel", group.id),
            )),
        ))
        return
    who = ("Someone" if how.startswith("anon") else ctx.person.display_name)
    note_text = message(
        f"{who} in {o.meeting.title} needs a pause.",
        "Could you find a natural moment for a short break soon? "
        "Please don't say who asked, or ask why.",
        summary="Someone needs a pause",
    )
    for person_id in listeners:
        ctx.outgoing.append(Outgoing(note_text, ToPerson(person_id)))
    named_words = "without your name" if who == "Someone" else "with your name"
    ctx.reply(message(
        f"Done. I've told {told} privately, {named_words}." if listeners else
        "You're the only facilitator, so there's nobody else to tell. "
        "It's fine to call a break yourself.",
        "You can step away any time, and you don't need to explain.",
    ))


async def turn_off(ctx: Context, args: str) -> None:
    """Stop check-ins for you, in every group."""
    if not await ctx.uow.checkins.opted_out([ctx.person.id]):
        ctx.uow.session.add(CheckinOptOut(person_id=ctx.person.id))
    ctx.reply(message(
        "Done. I won't send you check-ins, in any group.",
        "/checkin help and /checkin pause still work. To have check-ins again, "
        "say /checkin on.",
    ))


async def turn_on(ctx: Context, args: str) -> None:
    """Have check-ins again."""
    row = await ctx.uow.session.get(CheckinOptOut, ctx.person.id)
    if row is not None:
        await ctx.uow.session.delete(row)
    ctx.reply(message("Done. I'll check in with you before and after meetings again.",
                      TURN_OFF))


async def wellbeing(ctx: Context, args: str) -> None:
    """Facilitators: name the group's wellbeing contact, or clear it."""
    text = " ".join(args.split())
    settings = await ctx.uow.checkins.saved_settings(ctx.the_group().id)
    if not text:
        raise Refusal(
            "Please give a name and how to reach them. Nothing was changed.",
            "For example: /checkin wellbeing Sam Reid, peer support, 07700 900123. "
            f"Now: {settings.wellbeing or 'none named'}.",
        )
    if len(text) > MAX_WELLBEING:
        raise Refusal(f"Please keep it under {MAX_WELLBEING} characters. Nothing was changed.")
    if text.lower() in ("clear", "off", "none"):
        settings.wellbeing = None
        ctx.post(message(f"{ctx.person.display_name} cleared the group's wellbeing contact."))
        return
    settings.wellbeing = text
    ctx.post(message(
        f"{ctx.person.display_name} named the group's wellbeing contact: {text}.",
        "They're someone to talk to outside the meeting. Anyone can ask me privately who it "
        "is with /checkin help.",
    ))
    ctx.reply(message("It helps if the wellbeing contact isn't one of the professionals "
                      "in the room, so people can talk freely."))


def _timing(attribute: str, words: str) -> Handler:
    async def run(ctx: Context, args: str) -> None:
        settings = await ctx.uow.checkins.saved_settings(ctx.the_group().id)
        if args.strip().lower() in ("off", "none"):
            setattr(settings, attribute, None)
            ctx.post(message(f"{ctx.person.display_name} turned off the check-in {words}."))
            return
        delta = parse_duration(args)
        if delta is None or not SHORTEST_SETTING <= delta <= LONGEST_SETTING:
            raise Refusal(
                "Please give a time between 10 minutes and 1 day, like 1h, or say off. "
                "Nothing was changed.",
            )
        setattr(settings, attribute, int(delta.total_seconds() // 60))
        ctx.post(message(
            f"{ctx.person.display_name} set the check-in to go out {describe_duration(delta)} "
            f"{words}."
        ))

    return run


before_setting = _timing("before_minutes", "before meetings start")
after_setting = _timing("after_minutes", "after meetings end")


async def summary(ctx: Context, args: str) -> None:
    """Facilitators: the latest check-in summaries, with answers given since they were sent."""
    group = ctx.the_group()
    blocks: list[Block] = []
    for kind in (BEFORE, AFTER):
        for r in await ctx.uow.checkins.latest_rounds(group.id, kind, ctx.now, 1):
            meeting = await ctx.uow.meetings.get(group.id, r.meeting_id)
            built = await _summary(ctx.uow, group, r, meeting.title if meeting else "a meeting")
            if built is not None:
                blocks.extend(built.blocks)
    if not blocks:
        ctx.reply(message("There are no check-in answers to show yet."))
        return
    ctx.reply(Message(tuple(blocks), summary="Check-in summaries"))


async def trend(ctx: Context, args: str) -> None:
    """How heard people felt at recent meetings (only where at least 3 answered)."""
    found = await _trend(ctx.uow, ctx.the_group(), ctx.now)
    if not found:
        ctx.reply(message(
            "There's nothing to show yet. I show how heard people felt after a meeting "
            "once at least 3 people have answered.",
        ))
        return
    ctx.reply(message(
        Heading("Did people feel heard?"),
        "Average answers out of 5, at recent meetings, oldest first:",
        BulletList(tuple(found)),
        "Answers are anonymous. Meetings where fewer than 3 people answered aren't shown.",
    ))


# ---------------------------------------------------------------------------
# Summaries and the group's trend.


def _average(answers: Sequence[str]) -> float:
    return sum(int(a) for a in answers) / len(answers)


async def _trend(uow: UnitOfWork, group: Group, now: datetime) -> list[str]:
    """'Thursday 3 December: 4.2 (5 answers)' for recent meetings with at least 3 answers."""
    lines = []
    for r in await uow.checkins.latest_rounds(group.id, AFTER, now, TREND_MEETINGS * 3):
        answers = await uow.checkins.answers(r.id)
        if len(answers) >= FEWEST_TO_SHOW:
            day = datetime.strptime(r.occurrence, "%Y-%m-%dT%H:%M")
            lines.append(f"{day:%A} {day.day} {day:%B}: {_average(answers):.1f} "
                         f"({len(answers)} answers)")
        if len(lines) == TREND_MEETINGS:
            break
    return list(reversed(lines))


async def _notes(uow: UnitOfWork, r: CheckinRound) -> list[str]:
    lines = []
    for n in await uow.checkins.notes(r.id):
        person = await uow.people.get(n.person_id) if n.person_id else None
        lines.append(f"{person.display_name}: {n.text}" if person else n.text)
    return lines


async def _summary(
    uow: UnitOfWork, group: Group, r: CheckinRound, title: str
) -> Message | None:
    """What facilitators see: counts (no names) and notes (named only if their writer chose)."""
    answers = await uow.checkins.answers(r.id)
    notes = await _notes(uow, r)
    if not answers and not notes:
        return None
    blocks: list[Block] = []
    if r.kind == BEFORE:
        counts = Counter(answers)
        blocks += [
            Heading(f"How people are arriving: {title}"),
            Paragraph(f"{_plural(len(answers), 'person', 'people')} answered the check-in."),
            BulletList(tuple(f"{SHORT_COLOURS[c]}: {counts[c]}" for c in COLOURS)),
        ]
        if counts["red"]:
            contact = (await uow.checkins.settings(group.id)).wellbeing
            blocks.append(Paragraph(
                "Someone is finding today hard. Please make breaks easy to take, and remind "
                "everyone who they can talk to"
                + (f": {contact}." if contact else ". (Name a wellbeing contact with "
                   "/checkin wellbeing.)")
            ))
        if notes:
            blocks += [Paragraph("What people said they need today:"), BulletList(tuple(notes))]
        blocks.append(Paragraph("Names are never shown with colours."))
    else:
        blocks.append(Heading(f"After {title}: did people feel heard?"))
        if len(answers) >= FEWEST_TO_SHOW:
            blocks.append(Paragraph(
                f"{len(answers)} people answered. On average: {_average(answers):.1f} out of 5."
            ))
        else:
            blocks.append(Paragraph(TOO_FEW))
        if notes:
            blocks += [Paragraph("What people wanted to add:"), BulletList(tuple(notes))]
        blocks.append(Paragraph("Answers are anonymous. Notes show a name only if the writer "
                                "chose that."))
    return Message(tuple(blocks), summary=f"Check-in summary: {title}")


# ---------------------------------------------------------------------------
# The meeting cycle: housekeeping opens check-ins; planners send them.


async def housekeep(uow: UnitOfWork, group: Group, now: datetime) -> None:
    """Open each check-in when it falls due (so its question can name it)."""
    settings = await uow.checkins.settings(group.id)
    if settings.before_minutes is None and settings.after_minutes is None:
        return
    for o in await between(uow, group, now - timedelta(days=3), now + timedelta(days=2)):
        for kind, opens, closes in _windows(settings, o):
            if opens <= now < closes and await uow.checkins.round(
                o.meeting.id, o.key, kind
            ) is None:
                uow.session.add(CheckinRound(
                    group_id=group.id, meeting_id=o.meeting.id, occurrence=o.key, kind=kind,
                    opens_at=opens, closes_at=closes,
                ))
                await uow.session.flush()


def _windows(settings: CheckinSettings, o: Occurrence) -> list[tuple[str, datetime, datetime]]:
    """(kind, opens, closes) for each check-in that is on."""
    found = []
    if settings.before_minutes is not None:
        found.append((BEFORE, o.start - timedelta(minutes=settings.before_minutes), o.end))
    if settings.after_minutes is not None:
        opens = o.end + timedelta(minutes=settings.after_minutes)
        found.append((AFTER, opens, opens + AFTER_OPEN))
    return found


async def _asking(
    uow: UnitOfWork, group: Group, o: Occurrence, kind: str, to: Person | None,
    lines: tuple[str, ...] = (),
) -> Message | None:
    """The check-in for one member (or the channel's pointer to it); None if not for them."""
    r = await uow.checkins.round(o.meeting.id, o.key, kind)
    if r is None:
        return None
    if to is not None:
        if await uow.checkins.opted_out([to.id]):
            return None
        return _question(r, o.meeting.title, group.id, lines)
    members = [m.person_id for m in await uow.groups.members(group.id)]
    off = await uow.checkins.opted_out(members)
    prefs = await uow.people.preferences_of([p for p in members if p not in off])
    if not any(p.reminders_via == "channel" for p in prefs.values()):
        return None  # only people who turned check-ins off wanted the channel
    return message(
        Heading(_title(o.meeting.title, kind)), *lines,
        ARRIVING if kind == BEFORE else HEARD, IN_CHANNEL,
        summary=_title(o.meeting.title, kind),
    )


def _with_reminder(kind: str, o: Occurrence, opens: datetime) -> bool:
    """Whether this check-in opens just as a meeting reminder goes (and so goes in it)."""
    if kind == BEFORE:
        return o.start - opens in (DAY_BEFORE, HOUR_BEFORE)
    return opens - o.end == HOUR_AFTER


async def asked_with_reminder(
    uow: UnitOfWork, group: Group, o: Occurrence, at: datetime, to: Person | None,
    reminder: Message, lines: tuple[str, ...],
) -> Message | None:
    """The check-in opening at `at`, led by the reminder's `lines`; None if none is asked then.

    Its summary (what a notification shows) is the reminder's, with the check-in named.
    """
    for kind, opens, _closes in _windows(await uow.checkins.settings(group.id), o):
        if opens == at and _with_reminder(kind, o, opens):
            asked = await _asking(uow, group, o, kind, to, lines)
            if asked is None:
                return None
            return replace(asked, summary=f"{reminder.summary}, and a check-in")
    return None


def _ask(group: Group, o: Occurrence, kind: str, opens: datetime, closes: datetime) -> Due:
    async def build(uow: UnitOfWork, to: Person | None) -> Message | None:
        return await _asking(uow, group, o, kind, to)

    return Due(
        key=f"checkin-{kind}:m{o.meeting.id}:{o.key}", kind=f"checkin-{kind}",
        label=f"the check-in {kind} {o.meeting.title}", due_at=opens, group=group,
        recipients="members", build=build, planned_at=o.meeting.created_at,
        expires_at=o.start if kind == BEFORE else closes,
    )


def _summarise(group: Group, o: Occurrence, kind: str, at: datetime) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        r = await uow.checkins.round(o.meeting.id, o.key, kind)
        return None if r is None else await _summary(uow, group, r, o.meeting.title)

    return Due(
        key=f"checkin-summary-{kind}:m{o.meeting.id}:{o.key}", kind=f"checkin-summary-{kind}",
        label=f"the check-in summary for {o.meeting.title}", due_at=at, group=group,
        recipients="facilitators", build=build, planned_at=o.meeting.created_at,
        expires_at=at + timedelta(days=1),
    )


def _heard(group: Group, o: Occurrence, at: datetime) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        r = await uow.checkins.round(o.meeting.id, o.key, AFTER)
        if r is None:
            return None
        answers = await uow.checkins.answers(r.id)
        if len(answers) < FEWEST_TO_SHOW:
            return None  # too few to show without people being recognised
        blocks: list[Block] = [
            Heading(f"Did people feel heard at {o.meeting.title}?"),
            Paragraph(f"On average {_average(answers):.1f} out of 5, from "
                      f"{len(answers)} people. Thank you to everyone who answered."),
        ]
        found = await _trend(uow, group, at)
        if len(found) > 1:
            blocks += [Paragraph("Recent meetings, oldest first:"), BulletList(tuple(found))]
        blocks.append(Paragraph("Answers are anonymous. If something didn't feel right, you "
                                "can raise it with /concern, without your name."))
        return Message(tuple(blocks), summary=f"Did people feel heard at {o.meeting.title}?")

    return Due(
        key=f"checkin-heard:m{o.meeting.id}:{o.key}", kind="checkin-heard",
        label=f"how heard people felt at {o.meeting.title}", due_at=at, group=group,
        recipients="channel", build=build, planned_at=o.meeting.created_at,
        expires_at=at + timedelta(days=1),
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """Check-ins, the facilitators' summaries and the group's 'felt heard' post in [start, end]."""
    settings = await uow.checkins.settings(group.id)
    dues: list[Due] = []
    for o in await between(uow, group, start - timedelta(days=3), end + timedelta(days=2)):
        for kind, opens, closes in _windows(settings, o):
            if not _with_reminder(kind, o, opens):
                dues.append(_ask(group, o, kind, opens, closes))
            if kind == BEFORE:
                lead = o.start - opens
                dues.append(_summarise(group, o, BEFORE,
                                       o.start - min(SUMMARY_BEFORE_START, lead / 2)))
            else:
                dues += [_summarise(group, o, AFTER, closes), _heard(group, o, closes)]
    return [d for d in dues if start <= d.due_at <= end]


async def pack_section(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Block]:
    """A line in the pack saying when the check-ins come, and that passing is fine."""
    settings = await uow.checkins.settings(group.id)
    if settings.before_minutes is None and settings.after_minutes is None:
        return []
    when = [f"{describe_duration(timedelta(minutes=m))} {words}"
            for m, words in ((settings.before_minutes, "before"),
                             (settings.after_minutes, "after")) if m is not None]
    return [Paragraph(
        f"Check-ins: {' and '.join(when)} the meeting I'll ask how you are. Answers are "
        "private and you can always pass. /checkin off stops them."
    )]



COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="checkin",
        summary="How you're arriving, and whether you felt heard. Private; you can always pass.",
        usage="/checkin",
        examples=("/checkin", "/checkin answer 4 amber", "/checkin help", "/checkin pause"),
        run=show,
        takes_text=False,
        unknown_hint="Type /help checkin to see what it can do.",
        subs=(
            Sub("answer", answer, "/checkin answer <number> <answer>",
                "Answer a check-in: green, amber or red before a meeting; 1 to 5 after it."),
            Sub("pass", pass_, "/checkin pass <number>",
                "Pass on a check-in. Always fine."),
            Sub("need", note, "/checkin need <number> <words>",
                "Tell the facilitators what you need today, without your name.", private=True),
            Sub("add", note, "/checkin add <number> <words>",
                "Add something after a meeting, without your name.", private=True),
            Sub("named", named, "/checkin named <number>",
                "Let the facilitators see your name with your note.", hidden=True),
            Sub("unnamed", unnamed, "/checkin unnamed <number>",
                "Keep your name out of your note (the default).", hidden=True),
            Sub("help", wellbeing_help, "/checkin help",
                "Who the group's wellbeing contact is, told just to you."),
            Sub("pause", pause, "/checkin pause [anon|named]",
                "During a meeting: tell the chair (or the facilitators) privately that someone "
                "needs a pause.",
                private=True),
            Sub("off", turn_off, "/checkin off",
                "Stop check-ins for you, in every group.", needs_group=False),
            Sub("on", turn_on, "/checkin on", "Have check-ins again.", needs_group=False),
            Sub("trend", trend, "/checkin trend",
                "How heard people felt at recent meetings, where at least 3 answered."),
            Sub("summary", summary, "/checkin summary",
                "The latest check-in summaries: counts and notes, without names.",
                facilitator_only=True),
            Sub("wellbeing", wellbeing, "/checkin wellbeing <name and how to reach them>",
                "Name the group's wellbeing contact, someone outside the meeting.",
                facilitator_only=True),
            Sub("before", before_setting, "/checkin before <time>|off",
                "When the check-in goes out before a meeting (1h at first).",
                facilitator_only=True),
            Sub("after", after_setting, "/checkin after <time>|off",
                "When the check-in goes out after a meeting ends (1h at first).",
                facilitator_only=True),
        ),
    ),
)

FEATURE = Feature(
    name="checkins",
    commands=COMMANDS,
    planners=(plan,),
    housekeeping=(housekeep,),
    pack_sections=(pack_section,),
)
