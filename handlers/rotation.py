"""/roles and /rotate: chair, minute-taker and any role a group adds, going round fairly.

Members say which roles they'd take (`/roles willing chair`), which they
wouldn't (`/roles not chair`), or "not this time" (`/roles pass`). Roles for
the next meeting are given out by a facilitator with `/rotate`, or otherwise
automatically when the pack goes out (shown in the pack and posted in the
channel once). Who gets what is decided by the pure function in
handlers/rotation_fairness.py; this module gathers what it needs, stores the
result and says why, in plain words.

A self-described perspective (`/prefs perspective`) is only used to pair a
lived-experience co-chair with a professional one (`/rotate pair`); it is
never shown next to anyone's name.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import structlog
from sqlalchemy.exc import IntegrityError

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
    Outgoing,
    Paragraph,
    ToPerson,
    message,
)
from handlers.core.occurrences import Occurrence, between, upcoming
from handlers.core.parsing import find_member
from handlers.rotation_fairness import (
    AGAIN,
    ASKED,
    CHAIR,
    DOUBLE,
    FEWEST,
    FEWEST_OVERALL,
    FIRST_TURN,
    LIVED,
    LONGEST,
    ONLY,
    PROFESSIONAL,
    UNPAIRED,
    Candidate,
    Pick,
    Slot,
    pick,
)
from storage.models import (
    Group,
    GroupRole,
    Person,
    RoleAssignment,
    RoleOffer,
    RolePass,
    RoleWillingness,
)
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

MAX_ROLES = 6
LOOK_BACK = timedelta(days=400)
_ROLE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,29}$")
_ALIASES = {
    "chairs": "chair", "chairing": "chair", "co-chair": "chair", "cochair": "chair",
    "minute": "minutes", "minute-taker": "minutes", "minutetaker": "minutes",
    "minute-taking": "minutes", "notes": "minutes", "note-taker": "minutes",
    "notetaker": "minutes",
}
_VERBS = {"chair": "chair", "minutes": "take the minutes"}
_RESERVED = {"all", "pair", "again"}

# ---------------------------------------------------------------------------
# Words, in one place so their tone can be reviewed.

CANT_MAKE_IT = (
    "Can't make it, or would rather not this time? Say /roles pass and I'll find someone "
    "else. Nobody needs a reason. To swap with someone, say /roles swap @name."
)
ROLES_GO_ROUND = (
    "Roles go round so everyone who wants a turn gets one. Nobody has to take a role."
)
PAIRED = (
    "As you asked, one co-chair has lived experience and one is a professional, "
    "going by how people describe themselves with /prefs perspective."
)
NOT_PAIRED = (
    "I couldn't make a lived-experience and professional pair from the people free to "
    "chair this time, so I picked the fairest two."
)
NOT_YET_IN_USE = (
    "Roles: none given out yet. If you'd like to chair or take the minutes one day, "
    "say /roles willing chair or /roles willing minutes. Nobody has to."
)


def _verb(role: GroupRole | str) -> str:
    name = role if isinstance(role, str) else role.name
    label = name if isinstance(role, str) else role.label
    return _VERBS.get(name, f"be the {label}")


def _title(label: str) -> str:
    return label[:1].upper() + label[1:]


def _why(p: Pick, name: str, role: GroupRole, offered: bool = True) -> str:
    """One or two plain sentences on why this person was picked (no judging words).

    offered: whether anyone in the group has offered to take this role at all.
    """
    verb = _verb(role)
    if p.person_id is None and not offered:
        return (f"Nobody has offered to {verb} yet. Anyone can say /roles willing {role.name}. "
                f"To {verb} at this meeting, say /roles take {role.name}.")
    if p.person_id is None:
        return (f"Everyone who offered to {verb} is away or can't this time. "
                f"If you'd like to, say /roles take {role.name}.")
    r = p.reasons
    if ASKED in r:
        first = (f"Nobody who offered to {verb} was free, so I've asked {name}. "
                 f"{name} can say /roles pass if not this time.")
    elif ONLY in r:
        first = f"{name} offered to {verb} and was the only one free who had."
    elif FIRST_TURN in r:
        first = f"{name} offered to {verb} and hasn't had a turn at it yet."
    elif FEWEST in r:
        first = f"{name} offered to {verb} and has had the fewest turns at it."
    elif FEWEST_OVERALL in r:
        first = f"{name} offered to {verb} and has had fewer turns at roles overall."
    elif LONGEST in r:
        first = f"{name} offered to {verb}, and it's been longest since their last turn at it."
    else:
        first = f"{name} offered to {verb}, and it was their turn."
    if AGAIN in r:
        return f"{first} {name} did this last time too, as nobody else who offered was free."
    if DOUBLE in r:
        return f"{first} {name} has another role too, as there weren't enough people free."
    return first


# ---------------------------------------------------------------------------
# Reading and storing.


@dataclass
class _Roster:
    """A group's roles and the members the picker may choose from, for one meeting date."""

    roles: list[GroupRole]
    candidates: list[Candidate]
    last_chairs: frozenset[int]
    names: dict[int, str]


def perspective_side(text: str | None) -> str | None:
    """Which side of a co-chair pair a self-description falls on, if either."""
    words = (text or "").casefold()
    if "lived" in words:
        return LIVED
    if "professional" in words:
        return PROFESSIONAL
    return None


async def _previous_start(uow: UnitOfWork, group: Group, o: Occurrence) -> datetime | None:
    found = await between(uow, group, o.start - LOOK_BACK, o.start)
    before = [p for p in found if p.start < o.start]
    return before[-1].start if before else None


async def _roster(uow: UnitOfWork, group: Group, o: Occurrence) -> _Roster:
    roles = await uow.roles.defined(group.id)
    members = list(await uow.groups.members(group.id))
    ids = [m.person_id for m in members]
    said = list(await uow.roles.willingness(group.id))
    history = [
        a for a in await uow.roles.history(group.id)
        if not (a.meeting_id == o.meeting.id and a.occurrence == o.key)
    ]
    passing = await uow.roles.passing(o.meeting.id, o.key)
    away = await uow.people.away_days(ids)
    perspectives = await uow.roles.perspectives(ids)
    previous = await _previous_start(uow, group, o)
    day = o.local_start.date()

    turns: dict[int, Counter[str]] = defaultdict(Counter)
    last: dict[int, dict[str, int]] = defaultdict(dict)
    for a in history:
        assert a.person_id is not None
        turns[a.person_id][a.role] += 1
        last[a.person_id][a.role] = int(a.starts_at.timestamp())
    earlier = [a for a in history if a.starts_at < o.start]
    last_chairs: frozenset[int] = frozenset()
    if earlier:
        latest = max(a.starts_at for a in earlier)
        last_chairs = frozenset(
            a.person_id for a in earlier
            if a.starts_at == latest and a.role == CHAIR and a.person_id is not None
        )
    credit: dict[int, Counter[str]] = defaultdict(Counter)
    willing: dict[int, set[str]] = defaultdict(set)
    declined: dict[int, set[str]] = defaultdict(set)
    for s in said:
        credit[s.person_id][s.role] += s.credit
        (willing if s.willing else declined)[s.person_id].add(s.role)
    candidates = [
        Candidate(
            person_id=m.person_id,
            willing=frozenset(willing[m.person_id]),
            declined=frozenset(declined[m.person_id]),
            served=dict(turns[m.person_id] + credit[m.person_id]),
            last_served=dict(last[m.person_id]),
            away=any(first <= day <= final for first, final in away[m.person_id]),
            passing=m.person_id in passing,
            first_meeting=previous is None or m.joined_at > previous,
            perspective=perspective_side(perspectives[m.person_id]),
        )
        for m in members
    ]
    names = {m.person_id: m.person.display_name for m in members}
    return _Roster(roles, candidates, last_chairs, names)


async def _assign(
    uow: UnitOfWork, group: Group, o: Occurrence, how: str, pair: bool = False
) -> tuple[list[RoleAssignment], bool]:
    """Pick and store who holds each role at this meeting date (not yet committed).

    Also says whether a co-chair pair could be matched by perspective.
    """
    roster = await _roster(uow, group, o)
    slots: list[Slot] = []
    for role in roster.roles:
        if pair and role.name == CHAIR:
            slots += [Slot(CHAIR, LIVED), Slot(CHAIR, PROFESSIONAL)]
        else:
            slots.append(Slot(role.name))
    by_name = {r.name: r for r in roster.roles}
    numbers: Counter[str] = Counter()
    rows = []
    picks = pick(slots, roster.candidates, roster.last_chairs)
    # Co-chairs are stored and shown in a neutral order, so the order never hints
    # at which one described themselves how.
    first: dict[str, int] = {}
    for index, slot in enumerate(slots):
        first.setdefault(slot.role, index)
    picks.sort(key=lambda p: (first[p.slot.role], p.person_id is None, p.person_id or 0))
    for p in picks:
        name = roster.names.get(p.person_id, "") if p.person_id is not None else ""
        row = RoleAssignment(
            group_id=group.id, meeting_id=o.meeting.id, occurrence=o.key, starts_at=o.start,
            role=p.slot.role, slot=numbers[p.slot.role], person_id=p.person_id, how=how,
            why=_why(p, name, by_name[p.slot.role],
                     any(p.slot.role in c.willing for c in roster.candidates)),
        )
        numbers[p.slot.role] += 1
        uow.session.add(row)
        rows.append(row)
    await uow.session.flush()
    log.info("roles.assigned", group=group.id, meeting=o.meeting.id, how=how, slots=len(rows))
    return rows, not any(UNPAIRED in p.reasons for p in picks)


async def _auto_allowed(uow: UnitOfWork, group: Group, o: Occurrence) -> bool:
    """Roles go out with the pack once anyone has said which roles they'd take,
    as long as that was before the pack was due (no surprise assignments later)."""
    since = await uow.roles.in_use_since(group.id)
    if since is None:
        return False
    pack_at = o.start - timedelta(minutes=group.pack_lead_minutes)
    return since <= max(pack_at, o.meeting.created_at)


async def settle(uow: UnitOfWork, group: Group, o: Occurrence) -> list[RoleAssignment]:
    """This date's roles, giving them out now (and saving) if it is their time.

    Called when the pack and the channel announcement are built: whichever comes
    first picks, the rest read the same rows. A second instance doing the same at
    the same moment hits the unique key, and reads what the first one stored.
    """
    rows = list(await uow.roles.assignments(o.meeting.id, o.key))
    if rows or not await _auto_allowed(uow, group, o):
        return rows
    if not await uow.roles.defined(group.id):
        return []
    try:
        rows, _ = await _assign(uow, group, o, "auto")
        saved = await uow.commit_once()
    except IntegrityError:
        await uow.rollback()
        saved = False
    if not saved:  # another instance gave them out a moment ago
        log.info("roles.assigned_elsewhere", group=group.id, meeting=o.meeting.id)
        rows = list(await uow.roles.assignments(o.meeting.id, o.key))
    return rows


def _holders(rows: Sequence[RoleAssignment], roles: Sequence[GroupRole],
             names: dict[int, str]) -> str:
    """'Chair: Bob. Minute-taker: Carol.' in the group's order of roles."""
    order = {r.name: i for i, r in enumerate(roles)}
    labels = {r.name: r.label for r in roles}
    by_role: dict[str, list[str]] = defaultdict(list)
    for row in sorted(rows, key=lambda a: (order.get(a.role, 99), a.slot)):
        if row.role in labels:
            by_role[row.role].append(names.get(row.person_id, "open") if row.person_id else "open")
    parts = []
    for role, who in by_role.items():
        if len(who) == 2:
            parts.append(f"Co-{labels[role]}s: {who[0]} and {who[1]}.")
        else:
            parts.append(f"{_title(labels[role])}: {', '.join(who)}.")
    return " ".join(parts)


async def _names(uow: UnitOfWork, group: Group) -> dict[int, str]:
    return {m.person_id: m.person.display_name for m in await uow.groups.members(group.id)}


def _announcement(
    o: Occurrence, rows: Sequence[RoleAssignment], roles: Sequence[GroupRole],
    names: dict[int, str], by: str | None = None,
) -> Message:
    order = {r.name: i for i, r in enumerate(roles)}
    whys = tuple(
        row.why for row in sorted(rows, key=lambda a: (order.get(a.role, 99), a.slot))
        if row.why and row.role in order
    )
    blocks: list[Block | str] = [
        Heading(f"Roles for {o.meeting.title}, {o.when()}"),
        _holders(rows, roles, names),
    ]
    if whys:
        blocks.append(BulletList(whys))
    if by:
        blocks.append(f"{by} gave out these roles with /rotate.")
    blocks.append(CANT_MAKE_IT)
    return message(*blocks, summary=f"Roles for {o.meeting.title}: {_holders(rows, roles, names)}")


# ---------------------------------------------------------------------------
# The pack and the channel.


async def pack_section(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Block]:
    """'Roles: Chair: X. Minute-taker: Y.' in the pack, giving roles out if it is time."""
    roles = await uow.roles.defined(group.id)
    if not roles:
        return []
    rows = await settle(uow, group, o)
    if not rows:
        return [Paragraph(NOT_YET_IN_USE)]
    names = await _names(uow, group)
    return [Paragraph(f"Roles: {_holders(rows, roles, names)}"), Paragraph(CANT_MAKE_IT)]


def _announce(group: Group, o: Occurrence) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        rows = await settle(uow, group, o)
        if not any(r.how == "auto" for r in rows):
            return None  # nothing given out, or a facilitator already posted them
        roles = await uow.roles.defined(group.id)
        return _announcement(o, rows, roles, await _names(uow, group))

    return Due(
        key=f"roles:m{o.meeting.id}:{o.key}", kind="roles",
        label=f"the roles for {o.meeting.title} ({o.when()})",
        due_at=o.start - timedelta(minutes=group.pack_lead_minutes), group=group,
        recipients="channel", build=build, planned_at=o.meeting.created_at,
        catch_up=True, expires_at=o.start,
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """The channel announcement of each meeting's roles, at the time its pack goes out."""
    if await uow.roles.in_use_since(group.id) is None:
        return []
    lead = timedelta(minutes=group.pack_lead_minutes)
    found = await between(uow, group, start, end + lead + timedelta(days=1))
    dues = [_announce(group, o) for o in found]
    return [d for d in dues if d.due_at <= end and (d.expires_at or d.due_at) >= start]




# ---------------------------------------------------------------------------
# Commands.


async def _next(ctx: Context) -> Occurrence:
    """The next meeting date that hasn't started yet."""
    for o in await upcoming(ctx.uow, ctx.the_group(), ctx.now):
        if o.start > ctx.now:
            return o
    raise Refusal(
        "There is no meeting planned yet, so there are no roles to give out. "
        "Nothing was changed.",
        "A facilitator can plan one with /meeting new.",
    )


async def _role(ctx: Context, word: str) -> GroupRole:
    roles = await ctx.uow.roles.defined(ctx.the_group().id)
    wanted = word.strip(" ,.;").casefold()
    wanted = _ALIASES.get(wanted, wanted)
    for role in roles:
        if wanted in (role.name, role.label.casefold(), role.name + "s"):
            return role
    for role in roles:
        if wanted.rstrip("s") == role.name:
            return role
    known = ", ".join(r.name for r in roles) or "none yet"
    raise Refusal(
        f"This group doesn't have a role called {word[:30]}. Nothing was changed.",
        f"The roles here are: {known}. For example: /roles willing chair",
    )


async def _roles_in(ctx: Context, args: str, command: str) -> list[GroupRole]:
    words = args.replace(",", " ").replace(" and ", " ").split()
    roles = await ctx.uow.roles.defined(ctx.the_group().id)
    if [w.lower() for w in words] == ["all"]:
        return roles
    if not words:
        known = ", ".join(r.name for r in roles) or "none yet"
        raise Refusal(
            f"Please say which roles after /roles {command}. Nothing was changed.",
            f"The roles here are: {known}. For example: /roles {command} chair minutes",
        )
    found: list[GroupRole] = []
    for word in words:
        role = await _role(ctx, word)
        if role not in found:
            found.append(role)
    return found


def _listing(roles: Sequence[GroupRole]) -> str:
    labels = [r.label for r in roles]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


async def _say(ctx: Context, roles: list[GroupRole], willing: bool) -> None:
    group = ctx.the_group()
    everyone = list(await ctx.uow.roles.willingness(group.id))
    history = await ctx.uow.roles.history(group.id)
    for role in roles:
        row = next((s for s in everyone if s.person_id == ctx.person.id and s.role == role.name),
                   None)
        if row is None:
            row = RoleWillingness(group_id=group.id, person_id=ctx.person.id, role=role.name,
                                  willing=False, credit=0, created_at=ctx.now)
            ctx.uow.session.add(row)
        elif row.willing == willing:
            continue
        if willing:
            # Start level with the least-served of those already offering, rather than
            # taking turn after turn to catch up.
            counts = Counter(a.person_id for a in history if a.role == role.name)
            others = [counts[s.person_id] + s.credit for s in everyone
                      if s.role == role.name and s.willing and s.person_id != ctx.person.id]
            row.credit = max(row.credit, min(others, default=0) - counts[ctx.person.id])
        row.willing = willing
    await ctx.uow.session.flush()


async def willing(ctx: Context, args: str) -> None:
    """Offer to take roles when it's your turn."""
    roles = await _roles_in(ctx, args, "willing")
    await _say(ctx, roles, True)
    ctx.reply(message(
        f"Thank you. You've offered to {' and '.join(_verb(r) for r in roles)}.",
        "Roles go round fairly: whoever has had the fewest turns goes first. "
        "You can pass any time with /roles pass, or stop with /roles not and the role.",
    ))


async def not_(ctx: Context, args: str) -> None:
    """Say you'd rather not take some roles."""
    roles = await _roles_in(ctx, args, "not")
    await _say(ctx, roles, False)
    ctx.reply(message(
        f"Okay. I won't give you the {_listing(roles)} role"
        f"{'s' if len(roles) > 1 else ''}. You don't need to give a reason.",
        "If you change your mind, say /roles willing and the role.",
    ))


async def show(ctx: Context, args: str) -> None:
    """This meeting's roles, who has offered, and the turns people have had."""
    group = ctx.the_group()
    roles = await ctx.uow.roles.defined(group.id)
    names = await _names(ctx.uow, group)
    said = await ctx.uow.roles.willingness(group.id)
    blocks: list[Block | str] = [Heading("Roles")]
    if not roles:
        blocks.append("This group has no roles yet. A facilitator can add one with /roles add.")
    coming = await upcoming(ctx.uow, group, ctx.now, limit=1)
    if roles and coming:
        o = coming[0]
        rows = await ctx.uow.roles.assignments(o.meeting.id, o.key)
        if rows:
            blocks.append(f"{o.meeting.title}, {o.when()}: {_holders(rows, roles, names)}")
        else:
            pack_at = (o.start - timedelta(minutes=group.pack_lead_minutes)).astimezone(o.zone)
            blocks.append(
                f"{o.meeting.title}, {o.when()}: not given out yet. They go out with the pack "
                f"on {pack_at:%A} {pack_at.day} {pack_at:%B} at {pack_at:%H:%M}, "
                "or sooner if a facilitator uses /rotate."
            )
    elif roles:
        blocks.append("There is no meeting planned yet.")
    offered = []
    for role in roles:
        who = [names[s.person_id] for s in said
               if s.role == role.name and s.willing and s.person_id in names]
        offered.append(f"{_title(role.label)}: {', '.join(who) or 'nobody yet'}")
    if roles:
        blocks += ["Who has offered:", BulletList(tuple(offered))]
    history = await ctx.uow.roles.history(group.id)
    labels = {r.name: r.label for r in await ctx.uow.roles.defined(group.id, removed=True)}
    turns: dict[int, Counter[str]] = defaultdict(Counter)
    for a in history:
        if a.person_id in names and a.starts_at <= ctx.now:
            turns[a.person_id][a.role] += 1
    if turns:
        lines = tuple(
            f"{names[p]}: " + ", ".join(
                f"{labels.get(role, role)} {n}" for role, n in sorted(turns[p].items())
            )
            for p in names if p in turns
        )
        blocks += ["Turns so far:", BulletList(lines)]
    mine_yes = [r.label for r in roles
                if any(s.person_id == ctx.person.id and s.role == r.name and s.willing
                       for s in said)]
    blocks.append(
        f"You've offered to take: {', '.join(mine_yes)}." if mine_yes
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
    name = _ALIASES.get(name, name)
    rows = await ctx.uow.roles.saved(group.id)
    existing = next((r for r in rows if r.name == name), None)
    if existing is not None and not existing.removed:
        raise Refusal(f"This group already has the role {existing.label}. Nothing was changed.",
                      "Type /roles to see them all.")
    if sum(not r.removed for r in rows) >= MAX_ROLES:
        raise Refusal(f"A group can have up to {MAX_ROLES} roles. Nothing was changed.",
                      "You could remove one first with /roles remove.")
    if existing is not None:
        existing.removed = False
        role = existing
    else:
        role = GroupRole(group_id=group.id, name=name, label=name, removed=False,
                         position=max((r.position for r in rows), default=-1) + 1)
        ctx.uow.session.add(role)
    await ctx.uow.session.flush()
    log.info("roles.added", group=group.id)
    ctx.post(message(
        f"{ctx.person.display_name} added the role {role.label}. It goes round like the others.",
        f"If you'd like to {_verb(role)} one day, say /roles willing {role.name}.",
    ))


async def remove(ctx: Context, args: str) -> None:
    """Stop a role going round (facilitators). Turns already taken stay counted."""
    if not args.strip():
        raise Refusal("Please say which role to remove. Nothing was changed.",
                      "For example: /roles remove timekeeper")
    group = ctx.the_group()
    role = await _role(ctx, args.strip())
    for row in await ctx.uow.roles.saved(group.id):
        if row.name == role.name:
            row.removed = True
    for o in await upcoming(ctx.uow, group, ctx.now, limit=20):
        if o.start > ctx.now:
            for a in await ctx.uow.roles.assignments(o.meeting.id, o.key):
                if a.role == role.name:
                    await ctx.uow.session.delete(a)
    await ctx.uow.session.flush()
    log.info("roles.removed", group=group.id)
    ctx.post(message(
        f"{ctx.person.display_name} removed the role {role.label}. It won't be given out "
        "any more.",
        "Turns people already took still count. A facilitator can add it back with /roles add.",
    ))


def _offer_choices(offer: RoleOffer, group: Group, yes: str) -> Choices:
    return Choices((
        Option(yes, f"/roles accept {offer.id}", group.id),
        Option("No, thank you", f"/roles decline {offer.id}", group.id),
    ))


async def _ask_cover(ctx: Context, o: Occurrence, row: RoleAssignment) -> None:
    """Offer an open role to the next person in line, or tell the group it is open."""
    group = ctx.the_group()
    roster = await _roster(ctx.uow, group, o)
    rows = await ctx.uow.roles.assignments(o.meeting.id, o.key)
    asked = {f.to_person_id for f in await ctx.uow.roles.offers_about([row.id])
             if f.kind == "cover"}
    same_role = {a.person_id for a in rows if a.role == row.role and a.person_id}
    busy = Counter(a.person_id for a in rows if a.person_id is not None and a is not row)
    candidates = [
        replace(c, passing=True)
        if c.person_id in asked or c.person_id in same_role or c.person_id == ctx.person.id
        else c
        for c in roster.candidates
    ]
    [choice] = pick([Slot(row.role)], candidates, roster.last_chairs,
                    {p: n for p, n in busy.items() if p is not None})
    role = next((r for r in roster.roles if r.name == row.role), None)
    verb = _verb(role or row.role)
    if choice.person_id is None:
        ctx.post(message(
            f"The {role.label if role else row.role} role for {o.meeting.title} "
            f"({o.when()}) is open.",
            f"If you'd like to {verb}, say /roles take {row.role}. Nobody has to.",
        ))
        return
    offer = RoleOffer(group_id=group.id, assignment_id=row.id, kind="cover",
                      to_person_id=choice.person_id, status="open", created_at=ctx.now)
    ctx.uow.session.add(offer)
    await ctx.uow.session.flush()
    ctx.outgoing.append(Outgoing(
        message(
            f"Would you like to {verb} at {o.meeting.title}, {o.when()}?",
            "The person who was going to can't now. It's completely fine to say no.",
            _offer_choices(offer, group, "Yes, I'll do it"),
            summary=f"Would you like to {verb} at {o.meeting.title}?",
        ),
        ToPerson(choice.person_id),
    ))


async def pass_(ctx: Context, args: str) -> None:
    """Not this time: no role for you at the next meeting (someone else is asked)."""
    if args.strip():
        raise Refusal(
            "Just say /roles pass, with nothing after it. Nothing was changed.",
            "It means: no role for you at the next meeting.",
        )
    group = ctx.the_group()
    o = await _next(ctx)
    if ctx.person.id not in await ctx.uow.roles.passing(o.meeting.id, o.key):
        ctx.uow.session.add(RolePass(group_id=group.id, person_id=ctx.person.id,
                                     meeting_id=o.meeting.id, occurrence=o.key))
    held = [a for a in await ctx.uow.roles.assignments(o.meeting.id, o.key)
            if a.person_id == ctx.person.id]
    await ctx.uow.session.flush()
    for row in held:
        row.person_id = None
        row.how = "open"
        row.why = None
        for offer in await ctx.uow.roles.offers_about([row.id]):
            if offer.status == "open":
                offer.status = "closed"
    await ctx.uow.session.flush()
    for row in held:
        await _ask_cover(ctx, o, row)
    log.info("roles.passed", group=group.id, held=len(held))
    if held:
        ctx.reply(message(
            f"Thank you for letting me know. I'll find someone else for {o.meeting.title} "
            f"({o.when()}) and tell the group once it's sorted.",
            "Nobody needs a reason.",
        ))
    else:
        ctx.reply(message(
            f"That's fine. I won't give you a role at {o.meeting.title} ({o.when()}).",
            "Nobody needs a reason. After that, roles go round as before.",
        ))


async def take(ctx: Context, args: str) -> None:
    """Take a role that is open at the next meeting."""
    if not args.strip():
        raise Refusal("Please say which role you'd like to take. Nothing was changed.",
                      "For example: /roles take chair")
    role = await _role(ctx, args.strip())
    o = await _next(ctx)
    rows = await ctx.uow.roles.assignments(o.meeting.id, o.key)
    if not rows:
        raise Refusal(
            f"The roles for {o.meeting.title} aren't given out yet. Nothing was changed.",
            f"To be in line for a turn, say /roles willing {role.name}.",
        )
    open_rows = [a for a in rows if a.role == role.name and a.person_id is None]
    if any(a.role == role.name and a.person_id == ctx.person.id for a in rows):
        raise Refusal(f"You're already down to {_verb(role)} then. Nothing was changed.")
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
        if offer.status == "open":
            offer.status = "closed"
    name = ctx.person.display_name
    ctx.post(message(
        f"Change of roles for {o.meeting.title} ({o.when()}): {name} will {_verb(role)}. "
        f"Thank you, {name}."
    ))


def _split_swap(words: list[str], roles: Sequence[GroupRole]) -> tuple[str | None, str]:
    names = {r.name for r in roles} | {r.label.casefold() for r in roles} | set(_ALIASES)
    role = next((w for w in words if w.casefold() in names), None)
    rest = [w for w in words if w is not role]
    return role, " ".join(rest)


async def swap(ctx: Context, args: str) -> None:
    """Ask someone to swap roles with you (or take yours) at the next meeting."""
    group = ctx.the_group()
    roles = await ctx.uow.roles.defined(group.id)
    role_word, who = _split_swap(args.split(), roles)
    if not who:
        raise Refusal("Please say who you'd like to swap with. Nothing was changed.",
                      "For example: /roles swap @sam")
    o = await _next(ctx)
    rows = await ctx.uow.roles.assignments(o.meeting.id, o.key)
    mine = [a for a in rows if a.person_id == ctx.person.id]
    if role_word:
        role = await _role(ctx, role_word)
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
    roster = await _roster(ctx.uow, group, o)
    candidate = next(c for c in roster.candidates if c.person_id == member.person_id)
    if candidate.away or candidate.passing:
        raise Refusal(
            f"I can't offer this to {them} for that meeting. Nothing was changed.",
            "You could ask someone else, or say /roles pass and I'll find someone.",
        )
    for offer in await ctx.uow.roles.offers_about([row.id]):
        if offer.status == "open" and offer.kind == "swap":
            offer.status = "closed"
    other = theirs[0] if theirs else None
    offer = RoleOffer(group_id=group.id, assignment_id=row.id,
                      other_id=other.id if other else None, kind="swap",
                      from_person_id=ctx.person.id, to_person_id=member.person_id,
                      status="open", created_at=ctx.now)
    ctx.uow.session.add(offer)
    await ctx.uow.session.flush()
    by_name = {r.name: r for r in roles}
    mine_verb = _verb(by_name.get(row.role, row.role))
    if other is not None:
        ask = (f"{name} asks if you'd swap roles at {o.meeting.title}, {o.when()}: you would "
               f"{mine_verb}, and {name} would {_verb(by_name.get(other.role, other.role))}.")
    else:
        ask = f"{name} asks if you'd {mine_verb} at {o.meeting.title}, {o.when()}, instead of them."
    ctx.outgoing.append(Outgoing(
        message(ask, "It's completely fine to say no.",
                _offer_choices(offer, group, "Yes, swap"),
                summary=f"{name} asks to swap roles"),
        ToPerson(member.person_id),
    ))
    ctx.reply(message(
        f"I've asked {them}. I'll let you know what they say. Until then, nothing changes."
    ))


async def _offer_for(ctx: Context, args: str) -> tuple[RoleOffer, RoleAssignment, Occurrence]:
    number = args.strip().lstrip("#")
    offer = (await ctx.uow.roles.offer(ctx.the_group().id, int(number))
             if number.isdigit() and len(number) < 10 else None)
    if offer is None or offer.to_person_id != ctx.person.id:
        raise Refusal(
            f"I can't find a question {number[:20] or '(no number given)'} for you. "
            "Nothing was changed.",
            "Type /roles to see the roles.",
        )
    if offer.status != "open":
        raise Refusal("That question has already been answered, or is no longer needed. "
                      "Nothing was changed.", "Type /roles to see the roles as they are now.")
    row = await ctx.uow.session.get(RoleAssignment, offer.assignment_id)
    assert row is not None  # offers go when their role does
    for o in await upcoming(ctx.uow, ctx.the_group(), ctx.now, limit=20):
        if o.meeting.id == row.meeting_id and o.key == row.occurrence and o.start > ctx.now:
            return offer, row, o
    raise Refusal("That meeting has started, passed or been cancelled. Nothing was changed.")


async def accept(ctx: Context, args: str) -> None:
    """Say yes to a swap or to taking over a role."""
    offer, row, o = await _offer_for(ctx, args)
    roles = {r.name: r for r in await ctx.uow.roles.defined(ctx.the_group().id)}
    names = await _names(ctx.uow, ctx.the_group())
    name = ctx.person.display_name
    verb = _verb(roles.get(row.role, row.role))
    other = await ctx.uow.session.get(RoleAssignment, offer.other_id) if offer.other_id else None
    rows = await ctx.uow.roles.assignments(o.meeting.id, o.key)
    already = [a for a in rows if a.person_id == ctx.person.id and a is not other]
    changed = (
        (offer.kind == "cover" and row.person_id is not None)
        or (offer.kind == "swap" and row.person_id != offer.from_person_id)
        or (other is not None and other.person_id != ctx.person.id)
        or any(a.role == row.role for a in already)
    )
    if changed:
        raise Refusal("Thank you, but things have changed since I asked, so I haven't changed "
                      "anything. Nothing was changed.", "Type /roles to see the roles now.")
    offer.status = "accepted"
    for each in await ctx.uow.roles.offers_about([row.id]):
        if each.status == "open" and each is not offer:
            each.status = "closed"
    row.person_id = ctx.person.id
    if offer.kind == "cover":
        row.how, row.why = "cover", f"{name} offered to take over."
        text = f"{name} will {verb}. Thank you, {name}."
    else:
        asker = names.get(offer.from_person_id or 0, "someone")
        row.how, row.why = "swap", f"{name} swapped with {asker}."
        text = f"{name} will {verb}"
        if other is not None:
            other.person_id = offer.from_person_id
            other.how, other.why = "swap", f"{asker} swapped with {name}."
            text += f", and {asker} will {_verb(roles.get(other.role, other.role))}"
        text += f". Thank you, {name} and {asker}."
    log.info("roles.offer_accepted", group=ctx.the_group().id, kind=offer.kind)
    ctx.post(message(f"Change of roles for {o.meeting.title} ({o.when()}): {text}"))
    if ctx.in_dm:  # said yes in a direct message: say it worked there too
        ctx.reply(message(f"Thank you. You'll {verb} at {o.meeting.title} ({o.when()}). "
                          "I've told the group."))


async def decline(ctx: Context, args: str) -> None:
    """Say no to a swap or to taking over a role. No reason needed."""
    offer, row, o = await _offer_for(ctx, args)
    offer.status = "declined"
    log.info("roles.offer_declined", group=ctx.the_group().id, kind=offer.kind)
    ctx.reply(message("That's fine. Thank you for letting me know. Nobody needs a reason."))
    if offer.kind == "swap" and offer.from_person_id is not None:
        ctx.outgoing.append(Outgoing(
            message(
                f"{ctx.person.display_name} can't swap this time, and that's okay. "
                "Nothing has changed.",
                "You could ask someone else with /roles swap @name, or say /roles pass "
                "and I'll find someone.",
            ),
            ToPerson(offer.from_person_id),
        ))
    elif offer.kind == "cover" and row.person_id is None:
        await ctx.uow.session.flush()
        await _ask_cover(ctx, o, row)


async def _rotate(ctx: Context, words: set[str]) -> None:
    unknown = words - {"pair", "again"}
    if unknown:
        raise Refusal(
            f"I don't know /rotate {sorted(unknown)[0][:30]}. Nothing was changed.",
            "Type /rotate, /rotate pair or /rotate again.",
        )
    group = ctx.the_group()
    o = await _next(ctx)
    roles = await ctx.uow.roles.defined(group.id)
    if not roles:
        raise Refusal("This group has no roles to give out. Nothing was changed.",
                      "A facilitator can add one with /roles add chair.")
    pair = "pair" in words
    if pair and not any(r.name == CHAIR for r in roles):
        raise Refusal("This group has no chair role to pair. Nothing was changed.",
                      "A facilitator can add it with /roles add chair.")
    rows = list(await ctx.uow.roles.assignments(o.meeting.id, o.key))
    names = await _names(ctx.uow, group)
    if rows and "again" not in words:
        raise Refusal(
            f"The roles for {o.meeting.title} ({o.when()}) are already given out: "
            f"{_holders(rows, roles, names)} Nothing was changed.",
            "To pick again from the start, say /rotate again.",
        )
    for row in rows:
        await ctx.uow.session.delete(row)
    await ctx.uow.session.flush()
    rows, paired = await _assign(ctx.uow, group, o, "rotate", pair)
    ctx.post(_announcement(o, rows, roles, names, by=ctx.person.display_name))
    if pair:
        ctx.reply(message(
            PAIRED if paired else NOT_PAIRED,
            "I never show anyone's perspective next to their name.",
        ))


async def rotate(ctx: Context, args: str) -> None:
    """Give out the next meeting's roles fairly, and say why."""
    await _rotate(ctx, set(args.lower().split()))


async def rotate_pair(ctx: Context, args: str) -> None:
    """Give out roles with a lived-experience co-chair and a professional co-chair."""
    await _rotate(ctx, {"pair", *args.lower().split()})


async def rotate_again(ctx: Context, args: str) -> None:
    """Pick the next meeting's roles again from the start."""
    await _rotate(ctx, {"again", *args.lower().split()})


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="roles",
        summary="See who chairs and takes minutes next; offer, pass or swap.",
        usage="/roles",
        examples=("/roles", "/roles willing chair minutes", "/roles not chair", "/roles pass",
                  "/roles swap @sam"),
        run=show,
        takes_text=False,
        subs=(
            Sub("willing", willing, "/roles willing <roles>",
                "Offer to take these roles when it's your turn, like chair or minutes."),
            Sub("not", not_, "/roles not <roles>",
                "Say you'd rather not take these roles. No reason needed."),
            Sub("pass", pass_, "/roles pass",
                "Not this time: no role for you at the next meeting. If you had one, "
                "I'll ask someone else."),
            Sub("cantmake", pass_, "/roles cantmake",
                "The same as /roles pass: you can't do your role next time."),
            Sub("swap", swap, "/roles swap @name [role]",
                "Ask someone to swap roles with you, or take yours. They say yes or no."),
            Sub("take", take, "/roles take <role>",
                "Take a role nobody has at the next meeting."),
            Sub("accept", accept, "/roles accept <number>",
                "Say yes when I ask you to swap or take over a role.", hidden=True),
            Sub("decline", decline, "/roles decline <number>",
                "Say no when I ask. That's always fine.", hidden=True),
            Sub("add", add, "/roles add <name>",
                "Add a role that goes round, like timekeeper.", facilitator_only=True),
            Sub("remove", remove, "/roles remove <name>",
                "Stop a role going round.", facilitator_only=True),
        ),
    ),
    CommandSpec(
        name="rotate",
        summary="Give out the next meeting's roles fairly, and say why (facilitators).",
        usage="/rotate",
        examples=("/rotate", "/rotate pair", "/rotate again"),
        run=rotate,
        facilitator_only=True,
        subs=(
            Sub("pair", rotate_pair, "/rotate pair",
                "Two co-chairs: one with lived experience, one professional, by how "
                "people describe themselves."),
            Sub("again", rotate_again, "/rotate again",
                "Pick the next meeting's roles again from the start."),
        ),
    ),
)

FEATURE = Feature(
    name="rotation",
    commands=COMMANDS,
    planners=(plan,),
    pack_sections=(pack_section,),
)
