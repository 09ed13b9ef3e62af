"""What a rotation command refers to: the next meeting, a role by the word typed, names."""

from __future__ import annotations

from handlers.core.commands import Context, Refusal
from handlers.core.occurrences import Occurrence, upcoming
from storage.models import Group, GroupRole
from storage.uow import UnitOfWork

#: Other words people use for the default roles.
ALIASES = {
    "chairs": "chair",
    "chairing": "chair",
    "co-chair": "chair",
    "cochair": "chair",
    "minute": "minutes",
    "minute-taker": "minutes",
    "minutetaker": "minutes",
    "minute-taking": "minutes",
    "notes": "minutes",
    "note-taker": "minutes",
    "notetaker": "minutes",
}


async def member_names(uow: UnitOfWork, group: Group) -> dict[int, str]:
    """Each member's display name by person id."""
    return {m.person_id: m.person.display_name for m in await uow.groups.members(group.id)}


async def next_meeting(ctx: Context) -> Occurrence:
    """The next meeting date that hasn't started yet."""
    for o in await upcoming(ctx.uow, ctx.the_group(), ctx.now):
        if o.start > ctx.now:
            return o
    raise Refusal(
        "There is no meeting planned yet, so there are no roles to give out. Nothing was changed.",
        "A facilitator can plan one with /meeting new.",
    )


async def find_role(ctx: Context, word: str) -> GroupRole:
    """The group's role this word names (its name, label, plural or an alias)."""
    roles = await ctx.uow.roles.defined(ctx.the_group().id)
    wanted = word.strip(" ,.;").casefold()
    wanted = ALIASES.get(wanted, wanted)
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


async def roles_in(ctx: Context, args: str, command: str) -> list[GroupRole]:
    """The roles named after `/roles <command>` ('all' for every one), each once."""
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
        role = await find_role(ctx, word)
        if role not in found:
            found.append(role)
    return found
