"""/leave, /forget me and /group remove: leaving without a trace.

Each asks to confirm first, with a button. Leaving a group deletes what is the
person's own in it (roles to come, offers, passes, time and expenses, payment
choice, attendance, icebreaker and named check-in answers, held messages) and
cancels anything still to be sent to them; the group's record (decisions,
actions, agenda items, minutes, past roles, presence) keeps its link to them but
shows them as "a former member" (other groups they are still in show their name).
Being forgotten does that for every group, deletes their settings, and leaves
only "a former member" in the records: no name, no platform id.
"""

from __future__ import annotations

from handlers.core.commands import Context, Refusal
from handlers.core.effects import PersonForgotten
from handlers.core.keyed import departure_key
from handlers.core.messages import Choices, Message, Option, Outgoing, ToPerson, message
from handlers.core.parsing import find_member
from storage.models import Group, Person
from storage.repositories.erasure import FORMER_MEMBER

YES = "yes"
STAY = Option("No, cancel", "/skip")


def _ask_leave(group: Group) -> Message:
    return message(
        f"Do you want to leave {group.name}?",
        "If you do, I'll delete what is yours in this group. That is your roles to come, "
        "the time and costs you logged, and your answers.",
        "What the group decided stays on its record. I won't send you anything more from it.",
        Choices((Option("Yes, leave the group", f"/leave {YES}", group.id), STAY)),
        summary=f"Leave {group.name}?",
    )


def _left(group: Group) -> Message:
    return message(
        f"You've left {group.name}. I won't send you anything more from it.",
        "If you'd like to come back, just say something in its channel again.",
        summary=f"You've left {group.name}",
    )


def _someone_left(group: Group) -> Message:
    return message(f"Someone has left {group.name}.", summary="Someone has left the group")


ASK_FORGET = message(
    "Do you want me to forget you? This is for every group you are in.",
    "I would delete your settings, your roles to come, the time and costs you logged, "
    "and your answers.",
    'Your name goes from the groups\' records. They will say "a former member" instead.',
    "This can't be undone. To get a copy of your data first, type /prefs export.",
    Choices((Option("Yes, forget me", f"/forget me {YES}"), STAY)),
    summary="Forget you?",
)

FORGOTTEN = message(
    "Done. I've forgotten you, in every group.",
    "If you talk to me again, I'll meet you as someone new.",
    summary="I've forgotten you",
)


def _confirmed(args: str, usage: str) -> bool:
    """'' asks to confirm; 'yes' is the confirmation; anything else is refused."""
    said = args.strip().lower()
    if said not in ("", YES):
        raise Refusal(f"Please type just {usage}. Nothing was changed.")
    return said == YES


async def _tell_facilitators(ctx: Context, group: Group) -> None:
    """Tell the group's facilitators, privately, only that someone left."""
    for member in await ctx.uow.groups.members(group.id):
        if member.is_facilitator and member.person_id != ctx.person.id:
            ctx.outgoing.append(
                Outgoing(_someone_left(group), ToPerson(member.person_id, group.id))
            )


async def _leave(ctx: Context, group: Group, person: Person, *, forgetting: bool = False) -> None:
    """Take the person out, and remember (by keyed hash) not to add them back on a restart."""
    key = departure_key(ctx.keys, person.platform, person.external_id)
    await ctx.uow.groups.departed(group.id, key, ctx.now.date())
    await ctx.uow.erasure.leave(group.id, person, ctx.now)
    if not forgetting and not await ctx.uow.groups.of_person(person.id):
        # In no group now: the groups' records say "a former member" (their name comes
        # back from the platform if they ever speak to the bot again).
        person.display_name = FORMER_MEMBER


async def leave(ctx: Context, args: str) -> None:
    """/leave: leave this group, after a confirmation."""
    group = ctx.the_group()
    if await ctx.uow.erasure.only_facilitator(group.id, ctx.person.id):
        raise Refusal(
            "You're the only one who runs this group, so you can't leave yet. Nothing was changed.",
            "Please ask someone to help run it first: /group facilitator add @name",
        )
    if not _confirmed(args, "/leave"):
        ctx.reply(_ask_leave(group))
        return
    await _tell_facilitators(ctx, group)
    await _leave(ctx, group, ctx.person)
    ctx.reply(_left(group))


async def forget(ctx: Context, args: str) -> None:
    """/forget me: forget the person in every group, after a confirmation."""
    word, _, rest = args.strip().partition(" ")
    if word.lower() != "me":
        raise Refusal(
            "To ask me to forget you, please type /forget me. Nothing was changed.",
            "I'll ask you to confirm first.",
        )
    if not _confirmed(rest, "/forget me"):
        ctx.reply(ASK_FORGET)
        return
    for group in await ctx.uow.groups.of_person(ctx.person.id):
        await _tell_facilitators(ctx, group)
        await _leave(ctx, group, ctx.person, forgetting=True)
    ctx.report(PersonForgotten(ctx.person.platform, ctx.person.external_id))
    await ctx.uow.erasure.forget(ctx.person, ctx.now)
    ctx.reply(FORGOTTEN)


async def remove(ctx: Context, args: str) -> None:
    """/group remove @name: a facilitator takes someone out, as if they had left."""
    group = ctx.the_group()
    words = args.split()
    confirmed = len(words) > 1 and words[-1].lower() == YES
    who = " ".join(words[:-1] if confirmed else words)
    if not who:
        raise Refusal(
            "Please name the person to take out, for example /group remove @sam. "
            "Nothing was changed."
        )
    member = await find_member(ctx, who)
    person = member.person
    if person.id == ctx.person.id:
        raise Refusal("To leave the group yourself, type /leave. Nothing was changed.")
    if not confirmed:
        ctx.reply(
            message(
                f"Do you want to take {person.display_name} out of {group.name}?",
                "I'll delete what is theirs in this group, as if they had left. "
                "What the group decided stays on its record.",
                "I won't send them anything more from this group.",
                Choices(
                    (
                        Option(
                            "Yes, take them out",
                            f"/group remove @{person.external_id} {YES}",
                            group.id,
                        ),
                        STAY,
                    )
                ),
                summary=f"Take {person.display_name} out?",
            )
        )
        return
    name = person.display_name
    await _leave(ctx, group, person)
    ctx.audit("removed a member")
    ctx.reply(message(f"Done. {name} is no longer in {group.name}."))
