"""/concern: anonymous concerns that stay anonymous.

What is stored: the words, the group, who should see them (the group or only
the facilitators), and the time of the release batch they wait for. Not
stored: who wrote them, where, or when. The receipt code is kept only as a
keyed hash. Concerns are released in batches (with the pack, and at the start
of the meeting) in a random order, so the time of release says nothing about
the time of writing. Nothing in this module logs anything.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select

from handlers.core.commands import CommandSpec, Context, Refusal, Sub
from handlers.core.due import Due, Recipients
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
from storage.models import Concern, ConcernDraft, ConcernQuota, Group, Person
from storage.uow import UnitOfWork

MAX_TEXT = 2000
SMALL_GROUP = 5
RESPONSES_IN_PACK = timedelta(days=30)
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

WHO_SEES_WHAT = (
    "Who sees what: the group (or only the facilitators, if you choose) sees your words, "
    "never your name. Facilitators can't see who wrote it, and neither can anyone who "
    "reads the bot's database or logs: it keeps no name and no time of writing. "
    "Concerns are shared in batches, with the pack and at the start of the meeting, "
    "in a random order, so the timing doesn't show who wrote what."
)
PLATFORM_ADMINS = (
    "What a platform admin could still see: on Slack, a workspace owner can export "
    "direct messages, so use the form I open for you rather than a normal message. "
    "On Matrix, a homeserver admin can read unencrypted rooms, so use an encrypted "
    "direct message."
)
WHO_SEES_SHORT = "The group will see your words before or at the next meeting."
ANYWAY = "anyway"  # '/concern send <token> anyway': sent after the small-group warning
HOW_TO = (
    "To raise a concern, send it to me in a direct message: /concern followed by your words. "
    "Add 'to facilitators' first if only the facilitators should see it: "
    "/concern to facilitators <your words>."
)


def _code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _normalise(code: str) -> str:
    return code.strip().upper().replace("-", "").replace(" ", "")


def _receipt_hash(ctx: Context, code: str) -> str:
    return ctx.keys.digest("concern-receipt", _normalise(code))


async def release_times(uow: UnitOfWork, group: Group, after: datetime) -> list[datetime]:
    """The group's coming release times: each pack's time and each meeting's start."""
    times = []
    for o in await upcoming(uow, group, after, limit=4):
        pack_at = o.start - timedelta(minutes=group.pack_lead_minutes)
        times += [t for t in (pack_at, o.start) if t > after]
    return sorted(times)


def _when(group: Group, at: datetime | None) -> str:
    if at is None:
        return "at the next meeting, once one is planned"
    local = at.astimezone(ZoneInfo(group.timezone))
    return f"on {local:%A} {local.day} {local:%B} at {local:%H:%M}"


async def _group_for(ctx: Context) -> list[Group]:
    if ctx.group is not None:
        return [ctx.group]
    return list(await ctx.uow.groups.of_person(ctx.person.id))


async def _check_quota(ctx: Context, group: Group) -> None:
    today = ctx.now.date()
    key = ctx.keys.digest("concern-quota", today.isoformat(), ctx.platform, ctx.person.external_id)
    quota = await ctx.uow.session.get(ConcernQuota, key)
    if quota is None:
        quota = ConcernQuota(key_hash=key, day=today, count=0)
        ctx.uow.session.add(quota)
    if quota.count >= group.concern_daily_limit:
        raise Refusal(
            f"You've sent {quota.count} concerns today, which is the most I take in one day. "
            "Nothing was changed.",
            "Please send it tomorrow, or talk to someone you trust in the group.",
        )
    quota.count += 1


async def _store(ctx: Context, group: Group, text: str, audience: str) -> None:
    await _check_quota(ctx, group)
    code = _code()
    coming = await release_times(ctx.uow, group, ctx.now)
    batch = coming[0] if coming else None
    ctx.uow.session.add(
        Concern(
            id=secrets.token_hex(16), group_id=group.id, audience=audience, text=text,
            receipt_hash=_receipt_hash(ctx, code), status="waiting", batch_at=batch,
        )
    )
    who = "only the facilitators" if audience == "facilitators" else "everyone in the group"
    ctx.reply(
        message(
            Heading("Thank you. Your concern is saved, without your name."),
            f"It will be shared with {who} {_when(group, batch)}, "
            "together with any others, in a random order.",
            f"Your receipt code is {code}. Please keep it: I show it only once. "
            f"With it you can see the response (/concern status {code}) or take the concern "
            f"back before it is shared (/concern withdraw {code}).",
            summary="Your concern is saved",
        )
    )


def _parse(args: str) -> tuple[str, str]:
    text = " ".join(args.split())
    lowered = text.lower()
    for prefix in ("to facilitators ", "to the facilitators "):
        if lowered.startswith(prefix):
            return "facilitators", text[len(prefix):].strip()
    return "group", text


async def raise_concern(ctx: Context, args: str) -> None:
    """Take a concern privately; confirm first in a small group or when the group is unclear."""
    audience, text = _parse(args)
    if ctx.group is not None and ctx.membership is None:
        raise Refusal("You're not in that group, so I can't take a concern for it.")
    groups = await _group_for(ctx)
    if not groups:
        raise Refusal("You're not in a group yet, so there's nowhere to send a concern.")
    if not text:
        ctx.reply(
            message(
                Heading("Raise a concern anonymously"),
                "Tell me what's on your mind. Your name is never kept.",
                WHO_SEES_SHORT,
                PrivateInput("Raise a concern", "What would you like to raise?", "/concern",
                             groups[0].id if len(groups) == 1 else None),
                "You don't have to send anything.",
            )
        )
        return
    if len(text) > MAX_TEXT:
        raise Refusal(
            f"Please keep a concern under {MAX_TEXT:,} characters. Nothing was changed.",
            "You could split it into two.",
        )
    if len(groups) > 1:
        token = _draft(ctx, text, audience)
        ctx.reply(
            message(
                "Which group is this concern for? I won't keep your choice with your name.",
                Choices((*(Option(g.name, f"/concern send {token}", g.id) for g in groups),
                         Option("Don't send it", f"/concern discard {token}"))),
            )
        )
        return
    group = groups[0]
    members = len(await ctx.uow.groups.members(group.id))
    if members < SMALL_GROUP:
        _ask_if_small_is_okay(ctx, group, members, _draft(ctx, text, audience))
        return
    await _store(ctx, group, text, audience)


def _ask_if_small_is_okay(ctx: Context, group: Group, members: int, token: str) -> None:
    """Warn before storing a concern for a small group; nothing is stored until they say so."""
    ctx.reply(
        message(
            f"A gentle warning: this group has {members} members. In a small group, people "
            "may guess who wrote a concern from the way it is written. "
            "Would you still like to send it?",
            Choices((Option("Send it anyway", f"/concern send {token} {ANYWAY}", group.id),
                     Option("Don't send it", f"/concern discard {token}", group.id))),
        )
    )


def _draft(ctx: Context, text: str, audience: str) -> str:
    token = secrets.token_urlsafe(12)
    ctx.uow.session.add(
        ConcernDraft(token_hash=ctx.keys.digest("concern-draft", token), text=text,
                     audience=audience, day=ctx.now.date())
    )
    return token


async def _find_draft(ctx: Context, token: str) -> ConcernDraft:
    draft = await ctx.uow.session.get(ConcernDraft, ctx.keys.digest("concern-draft", token))
    if draft is None:
        raise Refusal(
            "I don't have that concern any more. It may already be sent, or it was from "
            "an earlier day. Nothing was changed.",
            "You can send it again with /concern followed by your words.",
        )
    return draft


async def _take_draft(ctx: Context, token: str) -> ConcernDraft:
    draft = await _find_draft(ctx, token)
    await ctx.uow.session.delete(draft)
    return draft


async def send(ctx: Context, args: str) -> None:
    """Send a concern held for confirmation (a small group is warned first)."""
    if ctx.group is None or ctx.membership is None:
        raise Refusal("Please choose one of your groups from the list. Nothing was changed.")
    token, _, sure = args.strip().partition(" ")
    members = len(await ctx.uow.groups.members(ctx.group.id))
    if members < SMALL_GROUP and sure.strip() != ANYWAY:
        await _find_draft(ctx, token)  # still there? (kept until they say)
        _ask_if_small_is_okay(ctx, ctx.group, members, token)
        return
    draft = await _take_draft(ctx, token)
    await _store(ctx, ctx.group, draft.text, draft.audience)


async def discard(ctx: Context, args: str) -> None:
    """Throw away a concern held for confirmation."""
    await _take_draft(ctx, args.strip())
    ctx.reply(message("Okay. I haven't kept it. You can raise something at any time."))


async def _by_code(ctx: Context, code: str) -> Concern:
    concern = None
    if code.strip():
        concern = await ctx.uow.session.scalar(
            select(Concern).where(Concern.receipt_hash == _receipt_hash(ctx, code))
        )
    if concern is None:
        raise Refusal(
            "I can't find a concern with that receipt code. Nothing was changed.",
            "Please check the code. It looks like ABCD-EFGH-JKLM.",
        )
    return concern


async def status(ctx: Context, args: str) -> None:
    """Show what happened to a concern, by its receipt code."""
    concern = await _by_code(ctx, args)
    group = await ctx.uow.groups.get(concern.group_id)
    assert group is not None
    lines: list[str] = []
    if concern.status == "waiting":
        when = _when(group, concern.batch_at)
        lines.append(f"Your concern is waiting. It will be shared {when}.")
    elif concern.status == "withdrawn":
        lines.append("You took this concern back. It was never shared.")
    elif concern.status == "withheld":
        by = await ctx.uow.people.get(concern.withheld_by or 0)
        lines.append(
            f"A facilitator ({by.display_name if by else 'no longer in the group'}) withheld it. "
            f"The reason they gave: {concern.withheld_reason}. The group was told this."
        )
    else:
        lines.append(f"Your concern was shared as concern {concern.number}.")
        if concern.response:
            responder = await ctx.uow.people.get(concern.responded_by or 0)
            name = responder.display_name if responder else "a facilitator"
            lines.append(f"Response from {name}: {concern.response}")
        else:
            lines.append("There's no response yet. I'll show it here when there is.")
        # Other features add lines about what the concern led to through their
        # Feature's concern_status (decisions: the decisions that answer it, and updates).
        for extra in ctx.catalog.concern_status:
            lines.extend(await extra(ctx.uow, concern))
    ctx.reply(message(*lines))


async def withdraw(ctx: Context, args: str) -> None:
    """Take a concern back before it is shared."""
    concern = await _by_code(ctx, args)
    if concern.status != "waiting":
        raise Refusal(
            "This concern has already been shared or closed, so it can't be taken back. "
            "Nothing was changed.",
            "You can see what happened with /concern status and your code.",
        )
    concern.status = "withdrawn"
    concern.text = ""
    ctx.reply(message("Done. I've taken your concern back and removed its words."))


async def audience(ctx: Context, args: str) -> None:
    """Choose who sees a waiting concern: the group or only the facilitators."""
    code, _, who = args.strip().partition(" ")
    concern = await _by_code(ctx, code)
    choice = who.strip().lower()
    if choice not in ("group", "facilitators") or concern.status != "waiting":
        raise Refusal(
            "Please say group or facilitators, for a concern that hasn't been shared yet. "
            "Nothing was changed.",
            f"For example: /concern audience {code} facilitators",
        )
    concern.audience = choice
    who = "only the facilitators" if choice == "facilitators" else "everyone in the group"
    ctx.reply(message(f"Done. It will be shared with {who}."))


async def pending(ctx: Context, args: str) -> None:
    """Facilitators: concerns waiting for release, to withhold one if it must be."""
    rows = (await ctx.uow.session.scalars(
        select(Concern).where(Concern.group_id == ctx.the_group().id,
                              Concern.status == "waiting").order_by(Concern.id)
    )).all()
    if not rows:
        ctx.reply(message("No concerns are waiting to be shared."))
        return
    ctx.reply(
        message(
            Heading("Concerns waiting to be shared"),
            BulletList(tuple(f"[{c.id[:6]}] {c.text}" for c in rows)),
            "If one must not be shared (for example it is abusive or names a person), "
            "withhold it with a reason: /concern withhold <the code in brackets> <reason>. "
            "The group will be told that one was withheld, by whom and why.",
        )
    )


async def withhold(ctx: Context, args: str) -> None:
    """Facilitators: withhold a waiting concern, always with a reason the group will see."""
    handle, _, reason = args.strip().partition(" ")
    reason = " ".join(reason.split())
    matches = (await ctx.uow.session.scalars(
        select(Concern).where(Concern.group_id == ctx.the_group().id,
                              Concern.status == "waiting",
                              Concern.id.startswith(handle.lower() or "-"))
    )).all()
    if len(handle) < 6 or len(matches) != 1:
        raise Refusal(
            "I can't find that waiting concern. Nothing was changed.",
            "Type /concern pending to see the codes in brackets.",
        )
    if not reason:
        raise Refusal(
            "Please give a reason. The group will see it. Nothing was changed.",
            f"For example: /concern withhold {handle} it names a person",
        )
    concern = matches[0]
    concern.status = "withheld"
    concern.withheld_by = ctx.person.id
    concern.withheld_reason = reason[:300]
    concern.text = ""
    ctx.reply(message("Done. It won't be shared. When it would have been, the group will be "
                      f"told that you withheld one concern, and why: {reason[:300]}"))


async def respond(ctx: Context, args: str) -> None:
    """Facilitators: answer a shared concern; the answer goes where the concern went."""
    number, _, text = args.strip().partition(" ")
    text = " ".join(text.split())
    concern = None
    if number.isdigit():
        concern = await ctx.uow.session.scalar(
            select(Concern).where(Concern.group_id == ctx.the_group().id,
                                  Concern.number == int(number), Concern.status == "released")
        )
    if concern is None or not text or len(text) > MAX_TEXT:
        raise Refusal(
            "Please give the number of a shared concern and your response. Nothing was changed.",
            "For example: /concern respond 2 We've asked for the room to be kept cooler.",
        )
    concern.response, concern.responded_by, concern.responded_at = text, ctx.person.id, ctx.now
    reply = message(
        Heading(f"Response to concern {concern.number}"),
        f"The concern: {concern.text}",
        f"{ctx.person.display_name} responded: {text}",
        summary=f"A response to concern {concern.number}",
    )
    if concern.audience == "group":
        ctx.post(reply)
        return
    for member in await ctx.uow.groups.members(ctx.the_group().id):
        if member.is_facilitator:
            ctx.outgoing.append(Outgoing(reply, ToPerson(member.person_id)))


async def limit(ctx: Context, args: str) -> None:
    """Facilitators: how many concerns one person may send in a day."""
    if not args.strip().isdigit() or not 1 <= int(args.strip()) <= 20:
        raise Refusal("Please give a number from 1 to 20. Nothing was changed.")
    ctx.the_group().concern_daily_limit = int(args.strip())
    ctx.post(message(f"{ctx.person.display_name} set the most concerns one person can send "
                     f"in a day to {args.strip()}."))


async def explain(ctx: Context, args: str) -> None:
    """Who can see what, in plain words."""
    ctx.reply(message(Heading("Anonymous concerns"), HOW_TO, WHO_SEES_WHAT, PLATFORM_ADMINS))


# --- release ---------------------------------------------------------------------------------


async def housekeep(uow: UnitOfWork, group: Group, now: datetime) -> None:
    """Release the batches whose time has come (numbers in random order); re-aim concerns
    whose batch disappeared (a meeting was cancelled); forget old drafts and daily counts."""
    await uow.session.execute(delete(ConcernDraft).where(ConcernDraft.day < now.date()))
    await uow.session.execute(delete(ConcernQuota).where(ConcernQuota.day < now.date()))
    waiting = list((await uow.session.scalars(
        select(Concern).where(Concern.group_id == group.id,
                              Concern.status.in_(("waiting", "withheld")),
                              Concern.number.is_(None))
    )).all())
    if not waiting:
        return
    lead = timedelta(minutes=group.pack_lead_minutes)
    window = await between(uow, group, now - timedelta(days=30), now + lead + timedelta(days=1))
    real = {t for o in window for t in (o.start - lead, o.start)}
    coming = await release_times(uow, group, now)
    due = [c for c in waiting if c.batch_at is not None and c.batch_at <= now]
    for concern in waiting:
        if concern.batch_at is None or (concern.batch_at <= now and concern.batch_at not in real):
            concern.batch_at = coming[0] if coming else None
    released = [c for c in due if c.batch_at is not None and c.batch_at <= now]
    secrets.SystemRandom().shuffle(released)
    last = await uow.session.scalar(
        select(func.max(Concern.number)).where(Concern.group_id == group.id)
    )
    for offset, concern in enumerate(released, start=(last or 0) + 1):
        concern.number = offset
        if concern.status == "waiting":
            concern.status = "released"


def _release(group: Group, o: Occurrence, at: datetime, phase: str, audience: str) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        rows = (await uow.session.scalars(
            select(Concern).where(Concern.group_id == group.id, Concern.batch_at == at,
                                  Concern.audience == audience, Concern.number.is_not(None))
            .order_by(Concern.number)
        )).all()
        if not rows:
            return None
        blocks: list[Block] = [Heading("Concerns raised anonymously")]
        shared = [c for c in rows if c.status != "withheld"]
        if shared:
            blocks.append(BulletList(tuple(f"Concern {c.number}: {c.text}" for c in shared)))
        for concern in rows:
            if concern.status == "withheld":
                by = await uow.people.get(concern.withheld_by or 0)
                blocks.append(Paragraph(
                    f"One concern was withheld by {by.display_name if by else 'a facilitator'}. "
                    f"The reason they gave: {concern.withheld_reason}"
                ))
        blocks.append(Paragraph(
            "Nobody knows who wrote these, and nobody needs to say. "
            + ("A facilitator will reply here." if audience == "group" else
               "You can reply with /concern respond, the concern's number and your words.")
        ))
        return Message(tuple(blocks), summary="Concerns raised anonymously")

    who: Recipients = "channel" if audience == "group" else "facilitators"
    return Due(
        key=f"concerns-{phase}-{audience}:m{o.meeting.id}:{o.key}", kind="concerns",
        label=f"concerns shared for {o.meeting.title}", due_at=at, group=group,
        recipients=who, build=build, planned_at=o.meeting.created_at,
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """A release message at each pack time and meeting start (sent only if there is one)."""
    lead = timedelta(minutes=group.pack_lead_minutes)
    dues = []
    for o in await between(uow, group, start, end + lead + timedelta(days=1)):
        for phase, at in (("pack", o.start - lead), ("start", o.start)):
            if start <= at <= end:
                dues += [_release(group, o, at, phase, "group"),
                         _release(group, o, at, phase, "facilitators")]
    return dues


async def pack_section(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Block]:
    """Responses to concerns in the last month, for the pack."""
    pack_at = o.start - timedelta(minutes=group.pack_lead_minutes)
    rows = (await uow.session.scalars(
        select(Concern).where(Concern.group_id == group.id, Concern.audience == "group",
                              Concern.response.is_not(None),
                              Concern.responded_at >= pack_at - RESPONSES_IN_PACK)
        .order_by(Concern.number)
    )).all()
    if not rows:
        return []
    return [
        Paragraph("Responses to concerns raised anonymously:"),
        BulletList(tuple(f"Concern {c.number}: {c.text} - Response: {c.response}"
                         for c in rows)),
    ]



_CODE = {"needs_group": False}

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="concern",
        summary="Raise a concern anonymously. Send it to me in a direct message.",
        usage="/concern <your words>",
        examples=("/concern The room was too hot to think",
                  "/concern to facilitators I felt talked over"),
        run=raise_concern,
        needs_group=False,
        private=True,
        subs=(
            Sub("help", explain, "/concern help", "Who can see what.", needs_group=False),
            Sub("status", status, "/concern status <code>",
                "See what happened to your concern.", **_CODE),
            Sub("withdraw", withdraw, "/concern withdraw <code>",
                "Take it back before it is shared.", **_CODE),
            Sub("audience", audience, "/concern audience <code> group|facilitators",
                "Choose who sees it before it is shared.", **_CODE),
            Sub("send", send, "/concern send <token>", "Send a concern you were asked to confirm.",
                hidden=True),
            Sub("discard", discard, "/concern discard <token>", "Don't send it.", hidden=True,
                **_CODE),
            Sub("pending", pending, "/concern pending",
                "See concerns waiting to be shared.", facilitator_only=True),
            Sub("withhold", withhold, "/concern withhold <code> <reason>",
                "Withhold one, with a reason the group sees.", facilitator_only=True),
            Sub("respond", respond, "/concern respond <number> <text>",
                "Reply to a shared concern. The reply goes where the concern went.",
                facilitator_only=True),
            Sub("limit", limit, "/concern limit <number>",
                "The most concerns one person can send in a day.", facilitator_only=True),
        ),
    ),
)

FEATURE = Feature(
    name="concerns",
    commands=COMMANDS,
    planners=(plan,),
    housekeeping=(housekeep,),
    pack_sections=(pack_section,),
)
