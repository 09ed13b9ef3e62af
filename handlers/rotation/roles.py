"""/roles: see the roles, offer or decline them, and (facilitators) add or remove one.

Members say which roles they'd take (`/roles willing chair`), which they
wouldn't (`/roles not chair`), or "not this time" (`/roles pass`); passing,
taking and swapping are in handlers/rotation/offers.py.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import timedelta

import structlog

from handlers.core.commands import CommandSpec, Context, Refusal, Sub
from handlers.core.messages import Block, BulletList, Heading, Paragraph, message
from handlers.core.occurrences import upcoming
from handlers.core.when import on_day_at, when_shown
from handlers.rotation.history import history
from handlers.rotation.lookup import ALIASES, find_role, member_names, roles_in
from handlers.rotation.offers import accept, decline, pass_, swap, take
from handlers.rotation.wording import ROLES_GO_ROUND, holders, listing, title, verb
from storage.models import GroupRole, RoleAssignment, RoleWillingness

log = structlog.get_logger(__name__)

MAX_ROLES = 6
_ROLE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,29}$")
_RESERVED = {"all", "pair", "again"}


async def _say(ctx: Context, roles: list[GroupRole], willing: bool) -> None:
    """Record that the caller would (or wouldn't) take these roles."""
    group = ctx.the_group()
    everyone = list(await ctx.uow.roles.willingness(group.id))
    history = await ctx.uow.roles.history(group.id)
    new: list[RoleWillingness] = []
    for role in roles:
        row = next(
            (s for s in everyone if s.person_id == ctx.person.id and s.role == role.name), None
        )
        if row is None:
            row = RoleWillingness(
                group_id=group.id,
                person_id=ctx.person.id,
                role=role.name,
                willing=False,
                credit=0,
                created_at=ctx.now,
            )
            new.append(row)
        elif row.willing == willing:
            continue
        if willing:
            # Start level with the least-served of those already offering, rather than
            # taking turn after turn to catch up.
            counts = Counter(a.person_id for a in history if a.role == role.name)
            others = [
                counts[s.person_id] + s.credit
                for s in everyone
                if s.role == role.name and s.willing and s.person_id != ctx.person.id
            ]
            row.credit = max(row.credit, min(others, default=0) - counts[ctx.person.id])
        row.willing = willing
    await ctx.uow.roles.add(*new)


async def willing(ctx: Context, args: str) -> None:
    """Offer to take roles when it's your turn."""
    roles = await roles_in(ctx, args, "willing")
    await _say(ctx, roles, True)
    ctx.reply(
        message(
            f"Thank you. You've offered to {' and '.join(verb(r) for r in roles)}.",
            "Roles go round fairly: whoever has had the fewest turns goes first. "
            "You can pass any time with /roles pass, or stop with /roles not and the role.",
        )
    )


async def not_(ctx: Context, args: str) -> None:
    """Say you'd rather not take some roles."""
    roles = await roles_in(ctx, args, "not")
    await _say(ctx, roles, False)
    ctx.reply(
        message(
            f"Okay. I won't give you the {listing(roles)} role"
            f"{'s' if len(roles) > 1 else ''}. You don't need to give a reason.",
            "If you change your mind, say /roles willing and the role.",
        )
    )


async def show(ctx: Context, args: str) -> None:
    """This meeting's roles, who has offered, and the turns people have had."""
    group = ctx.the_group()
    ever = await ctx.uow.roles.defined(group.id, removed=True)
    roles = [r for r in ever if not r.removed]
    names = await member_names(ctx.uow, group)
    said = await ctx.uow.roles.willingness(group.id)
    blocks: list[Block | str] = [Heading("Roles")]
    if not roles:
        blocks.append("This group has no roles yet. A facilitator can add one with /roles add.")
    coming = await upcoming(ctx.uow, group, ctx.now, limit=1)
    if roles and coming:
        o = coming[0]
        rows = await ctx.uow.roles.assignments(o.meeting.id, o.key)
        when, moments = when_shown(o)
        if rows:
            given = f"{o.meeting.title}, {when}: {holders(rows, roles, names)}"
            blocks.append(Paragraph(given, moments))
        else:
            pack_at = on_day_at(o.start - timedelta(minutes=group.pack_lead_minutes), o.zone)
            blocks.append(
                Paragraph(
                    f"{o.meeting.title}, {when}: not given out yet. They go out with the pack "
                    f"on {pack_at.text}, or sooner if a facilitator uses /rotate.",
                    (*moments, pack_at),
                )
            )
    elif roles:
        blocks.append("There is no meeting planned yet.")
    offered = []
    for role in roles:
        who = [
            names[s.person_id]
            for s in said
            if s.role == role.name and s.willing and s.person_id in names
        ]
        offered.append(f"{title(role.label)}: {', '.join(who) or 'nobody yet'}")
    if roles:
        blocks += ["Who has offered:", BulletList(tuple(offered))]
    history = await ctx.uow.roles.history(group.id)
    labels = {r.name: r.label for r in ever}
    turns: dict[int, Counter[str]] = defaultdict(Counter)
    for a in history:
        if a.person_id in names and a.starts_at <= ctx.now:
            turns[a.person_id][a.role] += 1
    if turns:
        lines = tuple(
            f"{names[p]}: "
            + ", ".join(f"{labels.get(role, role)} {n}" for role, n in sorted(turns[p].items()))
            for p in names
            if p in turns
        )
        blocks += ["Turns so far:", BulletList(lines)]
    mine_yes = [
        r.label
        for r in roles
        if any(s.person_id == ctx.person.id and s.role == r.name and s.willing for s in said)
    ]
    blocks.append(
        f"You've offered to take: {', '.join(mine_yes)}."
        if mine_yes
        else "You haven't offered to take a role. That's fine."
    )
    blocks.append(ROLES_GO_ROUND + " Type /help roles to see how to offer, pass or swap.")
    ctx.reply(message(*blocks, summary="Roles"))


async def add(ctx: Context, args: str) -> None:
    """Add a role that goes round the group (facilitators)."""
    name = args.strip().lower()
    if not _ROLE_NAME.match(name) or name in _RESERVED:
        raise Refusal(
            "Please give the role a one-word name (letters, numbers and hyphens). "
            "Nothing was changed.",
            "For example: /roles add timekeeper or /roles add tea-maker",
        )
    group = ctx.the_group()
    name = ALIASES.get(name, name)
    rows = await ctx.uow.roles.saved(group.id)
    existing = next((r for r in rows if r.name == name), None)
    if existing is not None and not existing.removed:
        raise Refusal(
            f"This group already has the role {existing.label}. Nothing was changed.",
            "Type /roles to see them all.",
        )
    if sum(not r.removed for r in rows) >= MAX_ROLES:
        raise Refusal(
            f"A group can have up to {MAX_ROLES} roles. Nothing was changed.",
            "You could remove one first with /roles remove.",
        )
    if existing is not None:
        existing.removed = False
        role = existing
    else:
        role = GroupRole(
            group_id=group.id,
            name=name,
            label=name,
            removed=False,
            position=max((r.position for r in rows), default=-1) + 1,
        )
        await ctx.uow.roles.add(role)
    ctx.audit(f"added the role {role.label}")
    log.info("roles.added", group=group.id)
    ctx.post(
        message(
            f"{ctx.person.display_name} added the role {role.label}. "
            "It goes round like the others.",
            f"If you'd like to {verb(role)} one day, say /roles willing {role.name}.",
        )
    )


async def remove(ctx: Context, args: str) -> None:
    """Stop a role going round (facilitators). Turns already taken stay counted."""
    if not args.strip():
        raise Refusal(
            "Please say which role to remove. Nothing was changed.",
            "For example: /roles remove timekeeper",
        )
    group = ctx.the_group()
    role = await find_role(ctx, args.strip())
    for row in await ctx.uow.roles.saved(group.id):
        if row.name == role.name:
            row.removed = True
    given: list[RoleAssignment] = []
    for o in await upcoming(ctx.uow, group, ctx.now, limit=20):
        if o.start > ctx.now:
            given += await ctx.uow.roles.assignments(o.meeting.id, o.key)
    await ctx.uow.roles.remove(*[a for a in given if a.role == role.name])
    ctx.audit(f"removed the role {role.label}")
    log.info("roles.removed", group=group.id)
    ctx.post(
        message(
            f"{ctx.person.display_name} removed the role {role.label}. It won't be given out "
            "any more.",
            "Turns people already took still count. A facilitator can add it back with /roles add.",
        )
    )


ROLES = CommandSpec(
    name="roles",
    summary="See who chairs and takes minutes next; offer, pass or swap.",
    usage="/roles",
    examples=(
        "/roles",
        "/roles willing chair minutes",
        "/roles not chair",
        "/roles pass",
        "/roles swap @sam",
    ),
    run=show,
    takes_text=False,
    subs=(
        Sub(
            "willing",
            willing,
            "/roles willing <roles>",
            "Offer to take these roles when it's your turn, like chair or minutes.",
        ),
        Sub(
            "not",
            not_,
            "/roles not <roles>",
            "Say you'd rather not take these roles. No reason needed.",
        ),
        Sub(
            "pass",
            pass_,
            "/roles pass",
            "Not this time: no role for you at the next meeting. If you had one, "
            "I'll ask someone else.",
        ),
        Sub(
            "cantmake",
            pass_,
            "/roles cantmake",
            "The same as /roles pass: you can't do your role next time.",
        ),
        Sub(
            "swap",
            swap,
            "/roles swap @name [role]",
            "Ask someone to swap roles with you, or take yours. They say yes or no.",
        ),
        Sub("take", take, "/roles take <role>", "Take a role nobody has at the next meeting."),
        Sub(
            "history",
            history,
            "/roles history",
            "How the roles have been shared out so far, with a chart. Facilitators also see "
            "it by perspective, as counts.",
        ),
        Sub(
            "accept",
            accept,
            "/roles accept <number>",
            "Say yes when I ask you to swap or take over a role.",
            hidden=True,
        ),
        Sub(
            "decline",
            decline,
            "/roles decline <number>",
            "Say no when I ask. That's always fine.",
            hidden=True,
        ),
        Sub(
            "add",
            add,
            "/roles add <name>",
            "Add a role that goes round, like timekeeper.",
            facilitator_only=True,
        ),
        Sub(
            "remove",
            remove,
            "/roles remove <name>",
            "Stop a role going round.",
            facilitator_only=True,
        ),
    ),
)
