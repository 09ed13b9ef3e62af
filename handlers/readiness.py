"""Is the group ready? /group ready, the ground rules (/group rules) and the payment offer
(/group payment); a short to-do for facilitators after /group setup, and a line in the first
packs while something is missing (and in every pack while there is no payment offer).

Access needs count as asked once a pack's time has come (every pack asks everyone) or a
member has written theirs with /prefs access.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.core.commands import Context, Handler, Refusal
from handlers.core.messages import Block, BulletList, Heading, Paragraph, message
from handlers.core.occurrences import Occurrence, between
from handlers.core.words import and_list
from storage.models import Group
from storage.uow import UnitOfWork

MAX_RULES = 2000
MAX_PAYMENT = 1000
FIRST_PACKS = 2
BENEFITS = (
    "You can still be paid if you get benefits. To check, ask a facilitator or a benefits adviser."
)
#: The pack's line while the group has not written down what it offers for people's time.
NO_PAYMENT_OFFER = (
    "The group hasn't said yet what it offers for people's time. It's worth agreeing "
    "together. A facilitator can write it down with /group payment."
)


@dataclass(frozen=True)
class Item:
    """One thing a group needs before it is ready, and where it stands."""

    name: str  # short, for the to-do line
    done: bool
    said: str  # how it stands, in a sentence
    fix: str  # the command that sorts it out


async def _access_asked(uow: UnitOfWork, group: Group, now: datetime) -> bool:
    members = await uow.groups.members(group.id)
    prefs = await uow.people.preferences_of([m.person_id for m in members])
    if any(p.access_needs for p in prefs.values()):
        return True
    lead = timedelta(minutes=group.pack_lead_minutes)
    return bool(await between(uow, group, group.created_at, now + lead))


async def checklist(uow: UnitOfWork, group: Group, now: datetime) -> list[Item]:
    """Every item, in order, with whether it is in place."""
    settings = await uow.checkins.settings(group.id)
    roles = bool(await uow.roles.in_use_since(group.id) or await uow.roles.history(group.id))
    words = bool(await uow.glossary.terms(group.id))
    access = await _access_asked(uow, group, now)
    line = "The group has its own crisis line." if group.crisis_line else DEFAULT_LINE
    return [
        Item("aims", bool(group.aims), "The group's aims are written down.", "/group aims"),
        Item(
            "payment offer",
            group.payment_offer is not None,
            "The group says what it offers for people's time.",
            "/group payment",
        ),
        Item(
            "wellbeing contact",
            bool(settings.wellbeing),
            "A wellbeing contact is named.",
            "/group wellbeing",
        ),
        Item("crisis line", True, line, "/support line"),
        Item(
            "access needs",
            access,
            "Members have been asked about access needs.",
            "/prefs access",
        ),
        Item("roles", roles, "Roles are agreed.", "/roles willing or /rotate"),
        Item("word list", words, "The group's word list is started.", "/jargon add"),
        Item(
            "ground rules",
            group.ground_rules is not None,
            "Ground rules are agreed.",
            "/group rules",
        ),
    ]


DEFAULT_LINE = "The crisis line is the UK default."
MISSING = {
    "aims": "The aims are not written down yet.",
    "payment offer": "The group has not said what it offers for people's time.",
    "wellbeing contact": "No wellbeing contact is named yet.",
    "access needs": "Members have not been asked about access needs yet.",
    "roles": "Roles are not agreed yet.",
    "word list": "The group's word list is not started yet.",
    "ground rules": "Ground rules are not agreed yet.",
}


#: How a facilitator sorts out an item that no command of theirs does.
HOW = {"access needs": "The first pack asks them. They can also use /prefs access."}


def still_to_do(items: list[Item]) -> str:
    """'Still to do before this group is ready: ...', or '' when nothing is missing."""
    missing = [i.name for i in items if not i.done]
    if not missing:
        return ""
    return f"Still to do before this group is ready: {and_list(missing)}."


async def ready(ctx: Context, args: str) -> None:
    """Show what is in place and what is not; facilitators see the commands that fix each."""
    group = ctx.the_group()
    items = await checklist(ctx.uow, group, ctx.now)
    own_line = (
        "You can set your own with /support line."
        if ctx.is_facilitator
        else "A facilitator can set the group's own."
    )
    done = [f"{i.said} {own_line}" if i.said == DEFAULT_LINE else i.said for i in items if i.done]
    if ctx.is_facilitator:
        missing = [
            f"{MISSING[i.name]} {HOW.get(i.name, f'Use {i.fix}.')}" for i in items if not i.done
        ]
    else:
        missing = [MISSING[i.name] for i in items if not i.done]
    parts: list[BulletList | Heading | str] = [Heading(f"Is {group.name} ready?")]
    parts += ["In place:", BulletList(tuple(done))]
    if missing:
        parts += ["Not yet:", BulletList(tuple(missing))]
        if not ctx.is_facilitator:
            parts.append("The facilitators can sort these out. You could ask one of them.")
    else:
        parts.append("Everything is in place. Well done.")
    ctx.reply(message(*parts, summary=f"Is {group.name} ready?"))


async def after_setup(ctx: Context) -> None:
    """The short to-do, privately, for the facilitator who just set the group up."""
    line = still_to_do(await checklist(ctx.uow, ctx.the_group(), ctx.now))
    ctx.reply(message(line, "Type /group ready to see how to do each one."))


def _own_words(
    command: str, attribute: str, what: str, limit: int, empty: str, after: tuple[str, ...] = ()
) -> Handler:
    """A setting in the group's own words (`what` names it): anyone sees it, facilitators
    write it."""

    async def run(ctx: Context, args: str) -> None:
        group = ctx.the_group()
        text = args.strip()
        if not text:
            now = getattr(group, attribute)
            ctx.reply(
                message(f"{what[0].upper()}{what[1:]}:", now, *after)
                if now is not None
                else message(empty)
            )
            return
        if not ctx.is_facilitator:
            raise Refusal(
                f"Only the facilitators can write {what}. Nothing was changed.",
                f"Anyone can see it with {command}.",
            )
        if len(text) > limit:
            raise Refusal(f"Please keep it under {limit:,} characters. Nothing was changed.")
        setattr(group, attribute, text)
        ctx.audit(f"wrote down {what}")
        said = f"{ctx.person.display_name} wrote down {what}"
        ctx.post(message(f"{said}:", text, *after, summary=f"{said}."))

    return run


rules = _own_words(
    "/group rules",
    "ground_rules",
    "the group's ground rules",
    MAX_RULES,
    "The group hasn't written its ground rules yet. "
    "A facilitator can write them, like this: /group rules We listen. We take turns.",
)
payment = _own_words(
    "/group payment",
    "payment_offer",
    "what the group pays for your time",
    MAX_PAYMENT,
    "The group hasn't said what it pays yet. "
    "A facilitator can add it, like this: /group payment £25 a meeting",
    (BENEFITS,),
)


async def pack_section(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Block]:
    """In the group's first packs, while something is missing: one line of what is still
    to do, so the facilitators see it where everyone already looks (no extra message).
    In every other pack, while the group has not written down its payment offer: one line
    saying so (the to-do line already names it, so no pack says it twice)."""
    first = await between(uow, group, group.created_at, o.start + timedelta(seconds=1))
    if o.key in [f.key for f in first[:FIRST_PACKS] if f.meeting.id == o.meeting.id]:
        line = still_to_do(
            await checklist(uow, group, o.start - timedelta(minutes=group.pack_lead_minutes))
        )
        if line:
            return [
                Paragraph(f"{line} A facilitator can type /group ready to see how to do each one.")
            ]
    return [] if group.payment_offer is not None else [Paragraph(NO_PAYMENT_OFFER)]
