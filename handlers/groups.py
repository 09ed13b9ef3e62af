"""/group: set up a group, its aims (terms of reference), its facilitators and time zone."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import structlog

from handlers import access, readiness
from handlers.checkins import wellbeing
from handlers.contributions import equal_pay
from handlers.core.commands import CommandSpec, Context, Handler, Refusal, Sub
from handlers.core.effects import GroupCreated
from handlers.core.feature import Feature
from handlers.core.messages import Block, BulletList, Heading, message
from handlers.core.parsing import describe_duration, find_member, parse_duration
from handlers.core.when import zone_name
from handlers.core.words import and_list
from handlers.rights import erasure as rights_erasure
from handlers.rights import log as rights_log
from handlers.rights import retention as rights_retention
from storage.models import Group, Membership

log = structlog.get_logger(__name__)

MAX_NAME = 100
MAX_AIMS = 1500


async def show(ctx: Context, args: str) -> None:
    """Show the group, its aims and who is in it."""
    group = ctx.the_group()
    members = await ctx.uow.groups.members(group.id)
    facilitators = [m.person.display_name for m in members if m.is_facilitator]
    people = []
    all_prefs = await ctx.uow.people.preferences_of([m.person_id for m in members])
    for member in members:
        prefs = all_prefs[member.person_id]
        name = member.person.display_name
        pronouns = f" ({prefs.pronouns})" if prefs.pronouns else ""
        role = " (helps run the group)" if member.is_facilitator else ""
        people.append(f"{name}{pronouns}{role}")
    ctx.reply(
        message(
            Heading(group.name),
            f"What we are here to do: {group.aims}"
            if group.aims
            else "This group hasn't written down its aims yet. "
            "A facilitator can add them with /group aims.",
            f"Run by {and_list(facilitators) or 'nobody yet'} "
            f"(the {'facilitator' if len(facilitators) == 1 else 'facilitators'}). "
            f"Times are in {zone_name(group.timezone)}.",
            f"Members ({len(members)}):",
            BulletList(tuple(people)),
            *(await _access_needs(ctx) if ctx.is_facilitator else []),
            summary=f"About {group.name}",
        )
    )


async def _access_needs(ctx: Context) -> list[Block | str]:
    """Members' access needs, for facilitators' eyes only."""
    found = await access.needs(ctx.uow, ctx.the_group())
    if not found:
        return []
    return ["Access needs (only facilitators see these):", BulletList(tuple(found))]


async def setup(ctx: Context, args: str) -> None:
    """Make this channel a group, with the speaker as its first facilitator."""
    name = " ".join(args.split())
    if ctx.group is not None:
        raise Refusal(
            f"This channel is already the group {ctx.group.name}. Nothing was changed.",
            "Type /group to see it.",
        )
    if not name:
        raise Refusal(
            "Please give the group a name after /group setup.",
            "For example: /group setup Steering group",
        )
    if len(name) > MAX_NAME:
        raise Refusal(f"Please keep the group's name under {MAX_NAME} characters.")
    assert ctx.channel is not None
    group = Group(platform=ctx.platform, channel_ref=ctx.channel, name=name, created_at=ctx.now)
    await ctx.uow.groups.add(group)
    await ctx.uow.groups.add(
        Membership(
            group_id=group.id, person_id=ctx.person.id, is_facilitator=True, joined_at=ctx.now
        )
    )
    ctx.group = group
    ctx.report(GroupCreated(group.id, ctx.channel))
    ctx.audit("set up this group")
    log.info("group.created", group=group.id)
    ctx.post(
        message(
            Heading(f"Welcome to {name}"),
            f"This channel is now a co-production group. {ctx.person.display_name} is its "
            "first facilitator. Facilitators look after the group's meetings and settings.",
            "Everyone who says something here joins the group. Nobody has to share anything "
            "they don't want to. Type /help to see what I can do.",
            summary=f"This channel is now the group {name}.",
        )
    )
    await readiness.after_setup(ctx)


async def aims(ctx: Context, args: str) -> None:
    """Set the group's aims (its terms of reference)."""
    text = args.strip()
    if not text:
        raise Refusal(
            "Please write the aims after /group aims.",
            "For example: /group aims Improve crisis care together",
        )
    if len(text) > MAX_AIMS:
        raise Refusal(f"Please keep the aims under {MAX_AIMS:,} characters.")
    group = ctx.the_group()
    group.aims = text
    ctx.audit("changed the group's aims")
    ctx.post(
        message(
            f"{ctx.person.display_name} updated what this group is here to do:",
            text,
            summary="The group's aims were updated.",
        )
    )


async def facilitator(ctx: Context, args: str) -> None:
    """Add or remove a facilitator."""
    action, _, who = args.partition(" ")
    if action.lower() not in ("add", "remove") or not who.strip():
        raise Refusal(
            "Please say add or remove, then the person.",
            "For example: /group facilitator add @sam",
        )
    member = await find_member(ctx, " ".join(who.split()))  # names may have spaces
    name = member.person.display_name
    if action.lower() == "add":
        if member.is_facilitator:
            raise Refusal(f"{name} is already a facilitator. Nothing was changed.")
        member.is_facilitator = True
        ctx.audit(f"made {name} a facilitator")
        text = (
            f"{name} now helps run this group as a facilitator. "
            f"{ctx.person.display_name} made the change."
        )
    else:
        if not member.is_facilitator:
            raise Refusal(f"{name} isn't a facilitator. Nothing was changed.")
        members = await ctx.uow.groups.members(ctx.the_group().id)
        if sum(m.is_facilitator for m in members) == 1:
            raise Refusal(
                "You're the only facilitator, so I can't remove you. Nothing was changed."
                if member.person_id == ctx.person.id
                else f"{name} is the only facilitator, so I can't remove them. "
                "Nothing was changed.",
                "Please add another facilitator first.",
            )
        member.is_facilitator = False
        ctx.audit(f"removed {name} as a facilitator")
        text = f"{name} no longer helps run this group. {ctx.person.display_name} made the change."
    log.info("group.facilitator_changed", group=ctx.the_group().id, action=action.lower())
    ctx.post(message(text))


async def timezone(ctx: Context, args: str) -> None:
    """Set the time zone the group's meetings are shown in."""
    zone = args.strip()
    try:
        if not zone or zone not in available_timezones():
            raise ZoneInfoNotFoundError(zone)
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise Refusal(
            f"I don't know a time zone called {zone[:40] or '(none given)'}. Nothing was changed.",
            "Please use a name I know, like Europe/London, Europe/Dublin or America/New_York.",
        ) from None
    group = ctx.the_group()
    group.timezone = zone
    ctx.audit(f"changed the time zone to {zone}")
    ctx.post(
        message(
            f"{ctx.person.display_name} set this group's time zone to {zone}. "
            f"Times will be in {zone_name(zone)}."
        )
    )


def _minutes_setting(
    attribute: str,
    what: str,
    low: timedelta,
    high: timedelta,
    can_turn_off: bool = False,
    set_to: str = "{what} to {time}",
    after: tuple[str, str] = ("", ""),
) -> Handler:
    """A group setting in minutes; `after` says what it means once set, and once off."""

    async def run(ctx: Context, args: str) -> None:
        group = ctx.the_group()
        if can_turn_off and args.strip().lower() in ("off", "none"):
            setattr(group, attribute, None)
            ctx.audit(f"turned off {what}")
            ctx.post(message(f"{ctx.person.display_name} turned off {what}. {after[1]}".strip()))
            return
        delta = parse_duration(args)
        if delta is None or not low <= delta <= high:
            off = ", or say off" if can_turn_off else ""
            raise Refusal(
                f"Please give a time between {describe_duration(low)} and "
                f"{describe_duration(high)}, like {describe_duration(low * 2)}{off}. "
                "Nothing was changed."
            )
        setattr(group, attribute, int(delta.total_seconds() // 60))
        said = set_to.format(what=what, time=describe_duration(delta))
        ctx.audit(f"set {said}")
        ctx.post(message(f"{ctx.person.display_name} set {said}. {after[0]}".strip()))

    return run


pack_lead = _minutes_setting(
    "pack_lead_minutes",
    "how long before a meeting the pack goes out",
    timedelta(hours=12),
    timedelta(days=14),
)
breaks = _minutes_setting(
    "break_every_minutes",
    "break reminders",
    timedelta(minutes=20),
    timedelta(hours=4),
    can_turn_off=True,
    set_to="{what} to every {time}",
    after=(
        "In meetings, I'll tell you when it's time for a break.",
        "I won't remind you to take breaks in meetings now.",
    ),
)
grace = _minutes_setting(
    "late_grace_minutes",
    "the grace time",
    timedelta(minutes=10),
    timedelta(days=1),
    after=(
        "That's how late a message may still come if I was offline. Older ones come "
        "together in one short note.",
        "",
    ),
)


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="group",
        summary="See your group, what it is for and who is in it. Facilitators change its "
        "settings.",
        usage="/group",
        examples=("/group", "/group setup Steering group", "/group aims Improve crisis care"),
        run=show,
        takes_text=False,
        subs=(
            Sub(
                "setup",
                setup,
                "/group setup <name>",
                "Make this channel a group. You will be the first to run it.",
                needs_group=False,
                in_channel_only=True,
            ),
            Sub(
                "aims",
                aims,
                "/group aims <text>",
                "Write down what the group is for (its terms of reference).",
                facilitator_only=True,
            ),
            Sub(
                "facilitator",
                facilitator,
                "/group facilitator add|remove @name",
                "Add or take away someone who helps run the group.",
                facilitator_only=True,
            ),
            Sub(
                "timezone",
                timezone,
                "/group timezone <zone>",
                "Set the time zone I show times in, like Europe/London.",
                facilitator_only=True,
            ),
            Sub(
                "pack",
                pack_lead,
                "/group pack <time before>",
                "When the pack goes out before each meeting: 3d unless you change it.",
                facilitator_only=True,
            ),
            Sub(
                "breaks",
                breaks,
                "/group breaks <time between>|off",
                "How often I say it's time for a break in meetings: 50m unless you change it.",
                facilitator_only=True,
            ),
            Sub(
                "wellbeing",
                wellbeing,
                "/group wellbeing <name and how to reach them>",
                "Name someone outside the meeting that people can talk to. It's the same as "
                "/checkin wellbeing.",
                facilitator_only=True,
            ),
            Sub(
                "grace",
                grace,
                "/group grace <time>",
                "Set the grace time: how late a message may still come if I was offline "
                "(2h at first). Older ones come together in one short note.",
                facilitator_only=True,
            ),
            Sub(
                "rules",
                readiness.rules,
                "/group rules [the group's ground rules]",
                "See the group's ground rules. Facilitators write them, in the group's words.",
            ),
            Sub(
                "payment",
                equal_pay.payment,
                "/group payment [what the group offers for people's time]",
                "See what the group offers for people's time. Facilitators write it.",
            ),
            Sub(
                "ready",
                readiness.ready,
                "/group ready",
                "See what is in place before the group is ready, and what is still to do.",
            ),
            Sub(
                "log",
                rights_log.show,
                "/group log",
                "See what the facilitators have done in this group, and when.",
            ),
            Sub(
                "leave",
                rights_erasure.leave,
                "/group leave",
                "Leave this group (the same as /leave, which Slack keeps for itself).",
            ),
            Sub(
                "remove",
                rights_erasure.remove,
                "/group remove @name",
                "Take someone out of the group, as if they had left.",
                facilitator_only=True,
            ),
            Sub(
                "keep",
                rights_retention.keep,
                "/group keep <how long, like 2 years>",
                "How long I keep check-in answers, delivery records and contribution details.",
                facilitator_only=True,
            ),
        ),
    ),
)

FEATURE = Feature(name="groups", commands=COMMANDS, pack_sections=(readiness.pack_section,))
