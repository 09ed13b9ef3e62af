"""Changing the next meeting's roles: pass, take an open role, swap, and asking for cover.

A swap or a cover is a question (an offer row) put to one person, who says yes
or no with `/roles accept <number>` or `/roles decline <number>`.
"""

from __future__ import annotations

from collections.abc import Sequence

import structlog

from handlers.core.commands import Context, Refusal
from handlers.core.messages import Outgoing, ToPerson, message
from handlers.core.occurrences import Occurrence, upcoming
from handlers.core.parsing import find_member, is_number
from handlers.rotation.assigning import roster
from handlers.rotation.cover import WAITING, ask_next, offer_choices, open_role, question
from handlers.rotation.lookup import ALIASES, find_role, member_names, next_meeting
from handlers.rotation.wording import verb
from storage.models import GroupRole, RoleAssignment, RoleOffer, RolePass

log = structlog.get_logger(__name__)


async def _ask_cover(
    ctx: Context, o: Occurrence, row: RoleAssignment, like: int | None = None
) -> None:
    """Offer an open role to the next person in line, or tell the group it is open."""
    group = ctx.the_group()
    roles = {r.name: r for r in await ctx.uow.roles.defined(group.id)}
    offer = await ask_next(ctx.uow, group, o, row, ctx.now, exclude={ctx.person.id}, like=like)
    if offer is None:
        ctx.post(open_role(o, roles.get(row.role), row.role))
        return
    ask = question(offer, group, o, verb(roles.get(row.role, row.role)))
    ctx.outgoing.append(Outgoing(ask, ToPerson(offer.to_person_id, group.id)))


async def pass_(ctx: Context, args: str) -> None:
    """Not this time: no role for you at the next meeting (someone else is asked)."""
    if args.strip():
        raise Refusal(
            "Just say /roles pass, with nothing after it. Nothing was changed.",
            "It means: no role for you at the next meeting.",
        )
    group = ctx.the_group()
    o = await next_meeting(ctx)
    if ctx.person.id not in await ctx.uow.roles.passing(o.meeting.id, o.key):
        await ctx.uow.roles.add(
            RolePass(
                group_id=group.id,
                person_id=ctx.person.id,
                meeting_id=o.meeting.id,
                occurrence=o.key,
            )
        )
    held = [
        a
        for a in await ctx.uow.roles.assignments(o.meeting.id, o.key)
        if a.person_id == ctx.person.id
    ]
    for row in held:
        row.person_id = None
        row.how = "open"
        row.why = None
        for offer in await ctx.uow.roles.offers_about([row.id]):
            if offer.status in WAITING:
                offer.status = "closed"
    for row in held:
        await _ask_cover(ctx, o, row, like=ctx.person.id)
    log.info("roles.passed", group=group.id, held=len(held))
    if held:
        ctx.reply(
            message(
                f"Thank you for letting me know. I'll find someone else for {o.meeting.title} "
                f"({o.when()}) and tell the group once it's sorted.",
                "Nobody needs a reason.",
            )
        )
    else:
        ctx.reply(
            message(
                f"That's fine. I won't give you a role at {o.meeting.title} ({o.when()}).",
                "Nobody needs a reason. After that, roles go round as before.",
            )
        )


async def take(ctx: Context, args: str) -> None:
    """Take a role that is open at the next meeting."""
    if not args.strip():
        raise Refusal(
            "Please say which role you'd like to take. Nothing was changed.",
            "For example: /roles take chair",
        )
    role = await find_role(ctx, args.strip())
    o = await next_meeting(ctx)
    rows = await ctx.uow.roles.assignments(o.meeting.id, o.key)
    if not rows:
        raise Refusal(
            f"The roles for {o.meeting.title} aren't given out yet. Nothing was changed.",
            f"To be in line for a turn, say /roles willing {role.name}.",
        )
    open_rows = [a for a in rows if a.role == role.name and a.person_id is None]
    if any(a.role == role.name and a.person_id == ctx.person.id for a in rows):
        raise Refusal(f"You're already down to {verb(role)} then. Nothing was changed.")
    if not open_rows:
        raise Refusal(
            f"The {role.label} role for {o.meeting.title} is already taken. Nothing was changed.",
            f"To be in line for a turn, say /roles willing {role.name}.",
        )
    row = open_rows[0]
    row.person_id = ctx.person.id
    row.how = "take"
    row.why = f"{ctx.person.display_name} offered to take it."
    for offer in await ctx.uow.roles.offers_about([row.id]):
        if offer.status in WAITING:
            offer.status = "closed"
    name = ctx.person.display_name
    ctx.post(
        message(
            f"Change of roles for {o.meeting.title} ({o.when()}): {name} will {verb(role)}. "
            f"Thank you, {name}."
        )
    )


def _split_swap(words: list[str], roles: Sequence[GroupRole]) -> tuple[str | None, str]:
    names = {r.name for r in roles} | {r.label.casefold() for r in roles} | set(ALIASES)
    role = next((w for w in words if w.casefold() in names), None)
    rest = [w for w in words if w is not role]
    return role, " ".join(rest)


async def swap(ctx: Context, args: str) -> None:
    """Ask someone to swap roles with you (or take yours) at the next meeting."""
    group = ctx.the_group()
    roles = await ctx.uow.roles.defined(group.id)
    role_word, who = _split_swap(args.split(), roles)
    if not who:
        raise Refusal(
            "Please say who you'd like to swap with. Nothing was changed.",
            "For example: /roles swap @sam",
        )
    o = await next_meeting(ctx)
    rows = await ctx.uow.roles.assignments(o.meeting.id, o.key)
    mine = [a for a in rows if a.person_id == ctx.person.id]
    if role_word:
        role = await find_role(ctx, role_word)
        mine = [a for a in mine if a.role == role.name]
    if not mine:
        raise Refusal(
            f"You don't have a role at {o.meeting.title} ({o.when()}), so there's nothing "
            "to swap. Nothing was changed.",
            "To take an open role, say /roles take and the role.",
        )
    if len(mine) > 1:
        raise Refusal(
            "You have more than one role then. Please say which one. Nothing was changed.",
            f"For example: /roles swap {who} {mine[0].role}",
        )
    member = await find_member(ctx, who)
    if member.person_id == ctx.person.id:
        raise Refusal("That's you. Please name someone else. Nothing was changed.")
    row = mine[0]
    theirs = [a for a in rows if a.person_id == member.person_id]
    name, them = ctx.person.display_name, member.person.display_name
    same = any(a.role == row.role for a in theirs)
    if same or len(theirs) > 1:
        raise Refusal(
            f"{them} already has {'that role' if same else 'two roles'} then, so I can't "
            "swap. Nothing was changed.",
            "You could ask someone else, or say /roles pass and I'll find someone.",
        )
    found = await roster(ctx.uow, group, o)
    candidate = next(c for c in found.candidates if c.person_id == member.person_id)
    if candidate.away or candidate.passing:
        raise Refusal(
            f"I can't offer this to {them} for that meeting. Nothing was changed.",
            "You could ask someone else, or say /roles pass and I'll find someone.",
        )
    for offer in await ctx.uow.roles.offers_about([row.id]):
        if offer.status == "open" and offer.kind == "swap":
            offer.status = "closed"
    other = theirs[0] if theirs else None
    offer = RoleOffer(
        group_id=group.id,
        assignment_id=row.id,
        other_id=other.id if other else None,
        kind="swap",
        from_person_id=ctx.person.id,
        to_person_id=member.person_id,
        status="open",
        created_at=ctx.now,
    )
    await ctx.uow.roles.add(offer)
    by_name = {r.name: r for r in roles}
    mine_verb = verb(by_name.get(row.role, row.role))
    if other is not None:
        ask = (
            f"{name} asks if you'd swap roles at {o.meeting.title}, {o.when()}: you would "
            f"{mine_verb}, and {name} would {verb(by_name.get(other.role, other.role))}."
        )
    else:
        ask = f"{name} asks if you'd {mine_verb} at {o.meeting.title}, {o.when()}, instead of them."
    ctx.outgoing.append(
        Outgoing(
            message(
                ask,
                "It's completely fine to say no.",
                offer_choices(offer, group, "Yes, swap"),
                summary=f"{name} asks to swap roles",
            ),
            ToPerson(member.person_id),
        )
    )
    ctx.reply(
        message(f"I've asked {them}. I'll let you know what they say. Until then, nothing changes.")
    )


async def _offer_for(ctx: Context, args: str) -> tuple[RoleOffer, RoleAssignment, Occurrence]:
    number = args.strip().lstrip("#")
    offer = (
        await ctx.uow.roles.offer(ctx.the_group().id, int(number))
        if is_number(number) and len(number) < 10
        else None
    )
    if offer is None or offer.to_person_id != ctx.person.id:
        raise Refusal(
            f"I can't find a question {number[:20] or '(no number given)'} for you. "
            "Nothing was changed.",
            "Type /roles to see the roles.",
        )
    if offer.status not in WAITING:
        raise Refusal(
            "That question has already been answered, or is no longer needed. Nothing was changed.",
            "Type /roles to see the roles as they are now.",
        )
    row = await ctx.uow.roles.assignment(offer.assignment_id)
    assert row is not None  # offers go when their role does
    for o in await upcoming(ctx.uow, ctx.the_group(), ctx.now, limit=20):
        if o.meeting.id == row.meeting_id and o.key == row.occurrence and o.start > ctx.now:
            return offer, row, o
    raise Refusal("That meeting has started, passed or been cancelled. Nothing was changed.")


async def accept(ctx: Context, args: str) -> None:
    """Say yes to a swap or to taking over a role."""
    offer, row, o = await _offer_for(ctx, args)
    roles = {r.name: r for r in await ctx.uow.roles.defined(ctx.the_group().id)}
    names = await member_names(ctx.uow, ctx.the_group())
    name = ctx.person.display_name
    does = verb(roles.get(row.role, row.role))
    other = await ctx.uow.roles.assignment(offer.other_id) if offer.other_id else None
    rows = await ctx.uow.roles.assignments(o.meeting.id, o.key)
    already = [a for a in rows if a.person_id == ctx.person.id and a is not other]
    changed = (
        (offer.kind == "cover" and row.person_id is not None)
        or (offer.kind == "swap" and row.person_id != offer.from_person_id)
        or (other is not None and other.person_id != ctx.person.id)
        or any(a.role == row.role for a in already)
    )
    if changed:
        raise Refusal(
            "Thank you, but things have changed since I asked, so I haven't changed "
            "anything. Nothing was changed.",
            "Type /roles to see the roles now.",
        )
    offer.status = "accepted"
    for each in await ctx.uow.roles.offers_about([row.id]):
        if each.status in WAITING and each is not offer:
            each.status = "closed"
    row.person_id = ctx.person.id
    if offer.kind == "cover":
        row.how, row.why = "cover", f"{name} offered to take over."
        text = f"{name} will {does}. Thank you, {name}."
    else:
        asker = names.get(offer.from_person_id or 0, "someone")
        row.how, row.why = "swap", f"{name} swapped with {asker}."
        text = f"{name} will {does}"
        if other is not None:
            other.person_id = offer.from_person_id
            other.how, other.why = "swap", f"{asker} swapped with {name}."
            text += f", and {asker} will {verb(roles.get(other.role, other.role))}"
        text += f". Thank you, {name} and {asker}."
    log.info("roles.offer_accepted", group=ctx.the_group().id, kind=offer.kind)
    ctx.post(message(f"Change of roles for {o.meeting.title} ({o.when()}): {text}"))
    if ctx.in_dm:  # said yes in a direct message: say it worked there too
        ctx.reply(
            message(
                f"Thank you. You'll {does} at {o.meeting.title} ({o.when()}). I've told the group."
            )
        )


async def decline(ctx: Context, args: str) -> None:
    """Say no to a swap or to taking over a role. No reason needed."""
    offer, row, o = await _offer_for(ctx, args)
    offer.status = "declined"
    log.info("roles.offer_declined", group=ctx.the_group().id, kind=offer.kind)
    ctx.reply(message("That's fine. Thank you for letting me know. Nobody needs a reason."))
    if offer.kind == "swap" and offer.from_person_id is not None:
        ctx.outgoing.append(
            Outgoing(
                message(
                    f"{ctx.person.display_name} can't swap this time, and that's okay. "
                    "Nothing has changed.",
                    "You could ask someone else with /roles swap @name, or say /roles pass "
                    "and I'll find someone.",
                ),
                ToPerson(offer.from_person_id),
            )
        )
    elif offer.kind == "cover" and row.person_id is None:
        others = await ctx.uow.roles.offers_about([row.id])
        if not any(f.kind == "cover" and f.status == "open" for f in others):
            await _ask_cover(ctx, o, row)  # unless someone else is being asked already
