"""Answering a check-in privately: a colour or a score, a pass, a note, and who to talk to."""

from __future__ import annotations

from datetime import timedelta

from handlers.checkins.rounds import BEFORE
from handlers.checkins.wording import (
    CLOSED,
    COLOURS,
    NAMED,
    NOT_HEARD,
    NOTE_KEPT,
    PASSED,
    SCORES,
    THANKS,
    THANKS_HEARD,
    UNNAMED,
    moved,
    question,
    wellbeing_lines,
)
from handlers.core.commands import Context, Refusal
from handlers.core.messages import (
    Block,
    BulletList,
    Choices,
    Heading,
    Option,
    PrivateInput,
    message,
)
from handlers.core.parsing import describe_duration, is_number
from storage.models import CheckinRound

MAX_NOTE = 500


def _voter(ctx: Context, r: CheckinRound) -> str:
    return ctx.keys.digest("checkin", str(r.id), ctx.platform, ctx.person.external_id)


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
        ctx.reply(question(r, await _meeting_title(ctx, r), group.id))
        return
    settings = await ctx.uow.checkins.settings(group.id)
    off = await ctx.uow.checkins.opted_out([ctx.person.id])

    def when(minutes: int | None, words: str) -> str:
        if minutes is None:
            return f"{words}: off in this group."
        return f"{words}: {describe_duration(timedelta(minutes=minutes))}"

    ctx.reply(
        message(
            Heading("Check-ins"),
            "Before each meeting I ask how you're arriving, and after it whether you felt heard. "
            "Answers are private, and you can always pass.",
            BulletList(
                (
                    when(settings.before_minutes, "Before a meeting")
                    + (" before it starts." if settings.before_minutes else ""),
                    when(settings.after_minutes, "After a meeting")
                    + (" after it ends." if settings.after_minutes else ""),
                    "You: check-ins are off (/checkin on to have them again)."
                    if off
                    else "You: check-ins are on (/checkin off to stop them).",
                )
            ),
            "There's no check-in open right now.",
            *await wellbeing_lines(ctx.uow, group),
            summary="Check-ins",
        )
    )


async def _round(ctx: Context, token: str, *, follow: bool = True) -> tuple[CheckinRound, str]:
    """The check-in meant: by number, else the one open now; and a line to lead the reply.

    Numbers in prompts go stale: when `follow` is set and the number names a check-in
    that has closed while one is open now, that one is meant (and the line says so).
    """
    group = ctx.the_group()
    found = None
    if is_number(token):
        found = await ctx.uow.checkins.round_in([group.id], int(token))
    elif not token:
        found = await _open_round(ctx)
    if found is None:
        raise Refusal(
            "I can't find that check-in. Nothing was changed.",
            "Type /checkin to see the one open now, if there is one.",
        )
    if follow and found.closes_at <= ctx.now and (now_open := await _instead(ctx, found)):
        return now_open, moved(found.id, now_open, await _meeting_title(ctx, now_open))
    if not found.opens_at <= ctx.now < found.closes_at:
        raise Refusal(CLOSED, "If something is on your mind, /checkin help says who to talk to.")
    return found, ""


async def _instead(ctx: Context, closed: CheckinRound) -> CheckinRound | None:
    """The check-in open now in the same group: of the same kind if there is one."""
    found = await ctx.uow.checkins.open_rounds([closed.group_id], ctx.now)
    same = [r for r in found if r.kind == closed.kind]
    return next(iter(same or found), None)


def _split(args: str) -> tuple[str, str]:
    """'12 red' -> ('12', 'red'); 'red' -> ('', 'red')."""
    first, _, rest = args.strip().partition(" ")
    return (first, rest.strip()) if is_number(first) else ("", args.strip())


async def answer(ctx: Context, args: str) -> None:
    """Answer a check-in: a colour before a meeting, 1 to 5 after it."""
    token, choice = _split(args)
    r, lead = await _round(ctx, token)
    choice = choice.lower().strip(" .!")
    allowed = COLOURS if r.kind == BEFORE else SCORES
    if choice not in allowed:
        words = (
            "green, amber or red"
            if r.kind == BEFORE
            else "a number from 1 (not at all) to 5 (yes, fully)"
        )
        raise Refusal(
            *([lead] if lead else []),
            f"Please answer with {words}, or pass. Nothing was changed.",
            f"For example: /checkin answer {r.id} {next(iter(allowed))}",
        )
    voter = _voter(ctx, r)
    await ctx.uow.checkins.set_answer(r.id, voter, choice)
    group = ctx.the_group()
    lines: list[str | Block] = [lead] if lead else []
    if r.kind == BEFORE:
        lines.append(THANKS[choice])
        if choice == "red":
            lines += await wellbeing_lines(ctx.uow, group)
    else:
        lines.append(THANKS_HEARD)
        if int(choice) <= 2:
            lines += [NOT_HEARD, *(await wellbeing_lines(ctx.uow, group))[:1]]
    if await ctx.uow.checkins.note_of(r.id, voter) is None:
        label = (
            "Is there anything you need from us today? (optional)"
            if r.kind == BEFORE
            else "Is there anything you want to add? (optional)"
        )
        verb = "need" if r.kind == BEFORE else "add"
        lines.append(PrivateInput("Anything else?", label, f"/checkin {verb} {r.id}", group.id))
    lines.append("You can change your answer until the check-in closes.")
    ctx.reply(message(*lines))


async def pass_(ctx: Context, args: str) -> None:
    """Pass on a check-in (takes back an answer already given)."""
    r, lead = await _round(ctx, args.strip())
    await ctx.uow.checkins.take_back(r.id, _voter(ctx, r))
    ctx.reply(message(*([lead] if lead else []), PASSED))


async def note(ctx: Context, args: str) -> None:
    """Say what you need from the group today, or what you want to add, without your name."""
    token, text = _split(args)
    r, lead = await _round(ctx, token)
    text = " ".join(text.split())
    if not text:
        raise Refusal(
            "Please write it after the number. Nothing was changed.",
            f"For example: /checkin need {r.id} Could we have a break halfway?",
        )
    if len(text) > MAX_NOTE:
        raise Refusal(f"Please keep it under {MAX_NOTE} characters. Nothing was changed.")
    await ctx.uow.checkins.set_note(r.id, _voter(ctx, r), text)
    group_id = ctx.the_group().id
    ctx.reply(
        message(
            *([lead] if lead else []),
            NOTE_KEPT,
            "Would you like them to see your name with it? They won't see your answer either way.",
            Choices(
                (
                    Option("Yes, add my name", f"/checkin named {r.id}", group_id),
                    Option("No, keep my name out", f"/checkin unnamed {r.id}", group_id),
                )
            ),
        )
    )


async def _name_note(ctx: Context, args: str, named: bool) -> None:
    # A note belongs to the check-in it was written for: a closed one is not followed.
    r, _ = await _round(ctx, args.strip(), follow=False)
    person_id = ctx.person.id if named else None
    if not await ctx.uow.checkins.name_note(r.id, _voter(ctx, r), person_id):
        raise Refusal("I don't have a note from you for that check-in. Nothing was changed.")
    ctx.reply(message(NAMED if named else UNNAMED))


async def named(ctx: Context, args: str) -> None:
    """Let the facilitators see your name with your note."""
    await _name_note(ctx, args, True)


async def unnamed(ctx: Context, args: str) -> None:
    """Keep your name out of your note."""
    await _name_note(ctx, args, False)


async def wellbeing_help(ctx: Context, args: str) -> None:
    """Who to talk to: the group's wellbeing contact, told privately."""
    ctx.reply(
        message(
            "Thank you for asking. It's okay to need someone.",
            *await wellbeing_lines(ctx.uow, ctx.the_group()),
        )
    )
