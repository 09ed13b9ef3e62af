"""/icebreaker: gentle questions so people meet as people, not job titles.

Everyone is invited, facilitators too; nobody is pressed. "Pass" is always an
option and is never counted or shown. Answers are held and shown together: at
the meeting's start (for answers given ahead, from the pack), once everyone
has answered or passed, or when the icebreaker closes.

Prompts come from the bank in handlers/data/icebreakers.toml plus the group's
own (`/icebreaker add`). A group gets no repeats until it has had every one.

When things happen (the delivery engine runs housekeeping, then plans):
- the pack goes out: the meeting's icebreaker is chosen (housekeeping) and the
  pack shows it, so people can think ahead or answer early;
- the meeting starts: housekeeping marks early answers as shown; the channel
  gets the question with those answers, and a way to answer or pass;
- everyone has answered or passed: the answers are posted together at once;
- it closes (20 minutes after the start; an hour after /icebreaker): if any
  answers came since, everyone's answers (the early ones too) are posted together.
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

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
    Paragraph,
    PrivateInput,
    message,
)
from handlers.core.occurrences import Occurrence, between
from storage.models import Group, IcebreakerAnswer, IcebreakerPrompt, IcebreakerRound, Person
from storage.uow import UnitOfWork

MEETING_WINDOW = timedelta(minutes=20)
NOW_WINDOW = timedelta(hours=1)
MAX_PROMPT = 150
MAX_ANSWER = 500
TAGS = ("light", "medium")

#: Topics no icebreaker touches: they can hurt, or not everyone has them. The bank's
#: test checks a longer list; a facilitator's own prompt is checked against this one.
AVOID = re.compile(
    r"\b(health\w*|ill|illness\w*|sick\w*|hospital\w*|doctors?|medic\w*|therap\w*|"
    r"diagnos\w*|trauma\w*|abus\w*|suicid\w*|self-harm\w*|death|deaths|dead|die|died|"
    r"dying|grie\w*|bereave\w*|funeral\w*|loss|losses|lost|money|debts?|salary|salaries|"
    r"wages?|income|benefits|pay|paid|price\w*|costs?|afford\w*|cash|rich|poor|"
    r"famil\w*|mum|dad|mother\w*|father\w*|parent\w*|child\w*|kids?)\b",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------
# Words, in one place so their tone can be reviewed.

INVITE = (
    "Everyone is invited, facilitators too. Answer privately and I'll show everyone's "
    "answers together {when}. Passing is always fine, and nobody keeps count."
)
THANKS_HELD = "Thank you. I'll show your answer together with everyone's {when}."
PASSED = "That's fine. Passing is always okay, and nobody keeps count."
ALL_SHARED = "Thank you. Everyone has answered or passed, so I've shared the answers together."
NONE_GOING = "There's no icebreaker going at the moment, so nothing was changed."
START_ONE = "You can start one with /icebreaker."
EVERYONE_PASSED = "Everyone passed this time, and that's fine."
PACK_INVITE = (
    "You can think about it ahead, or answer now with /icebreaker answer {id} and your "
    "words. Answers are shown together when the meeting starts. Passing is always fine."
)


@dataclass(frozen=True)
class Prompt:
    """One icebreaker: `ref` is 'bank:<id>' or 'group:<id>'."""

    ref: str
    text: str
    tag: str = "light"


@cache
def bank() -> tuple[Prompt, ...]:
    """The prompts shipped in handlers/data/icebreakers.toml (read once)."""
    raw = resources.files("handlers").joinpath("data/icebreakers.toml").read_text("utf-8")
    return tuple(
        Prompt(f"bank:{entry['id']}", entry["text"], entry["tag"])
        for entry in tomllib.loads(raw)["prompt"]
    )


def choose(prompts: Sequence[Prompt], used: Mapping[str, int], rng: random.Random) -> Prompt:
    """A prompt the group has had least often (so none repeats until all are used)."""
    fewest = min(used.get(p.ref, 0) for p in prompts)
    return rng.choice([p for p in prompts if used.get(p.ref, 0) == fewest])


async def _pick(uow: UnitOfWork, group: Group) -> Prompt:
    own = [Prompt(f"group:{p.id}", p.text) for p in await uow.icebreakers.prompts(group.id)]
    return choose([*bank(), *own], await uow.icebreakers.used(group.id), random.Random())


def _local(group: Group, at: datetime) -> str:
    return f"{at.astimezone(ZoneInfo(group.timezone)):%H:%M}"


def _until(group: Group, r: IcebreakerRound) -> str:
    return f"once everyone has answered or passed, or at {_local(group, r.closes_at)}"


def _ask(group: Group, r: IcebreakerRound, ahead: list[str]) -> Message:
    """The question in the channel, with any answers given ahead, and a way to answer or pass."""
    blocks: list[Block] = [Heading("Icebreaker"), Paragraph(r.text)]
    if ahead:
        blocks += [Paragraph("Answers given ahead:"), BulletList(tuple(ahead))]
    if r.phase == "closed":
        blocks.append(Paragraph("Everyone has answered or passed. Thank you."))
    else:
        blocks += [
            Paragraph(INVITE.format(when=_until(group, r))),
            PrivateInput("Answer the icebreaker", "Your answer:",
                         f"/icebreaker answer {r.id}", group.id),
            Choices((Option("Pass", f"/icebreaker pass {r.id}", group.id),)),
        ]
    return Message(tuple(blocks), summary=f"Icebreaker: {r.text}")


def _answers_message(r: IcebreakerRound, lines: list[str]) -> Message:
    return message(
        Heading("Icebreaker answers"),
        r.text,
        BulletList(tuple(lines)) if lines else EVERYONE_PASSED,
        summary="Icebreaker answers",
    )


async def _lines(uow: UnitOfWork, answers: Sequence[IcebreakerAnswer]) -> list[str]:
    lines = []
    for answer in answers:
        if answer.text is None:
            continue  # a pass: never shown, never counted
        person = await uow.people.get(answer.person_id)
        lines.append(f"{person.display_name if person else 'Someone'}: {answer.text}")
    return lines


async def _everyone_responded(uow: UnitOfWork, r: IcebreakerRound) -> bool:
    members = {m.person_id for m in await uow.groups.members(r.group_id)}
    responded = {a.person_id for a in await uow.icebreakers.answers(r.id)}
    return members <= responded


def _mark_shown(answers: Sequence[IcebreakerAnswer], at: datetime) -> list[IcebreakerAnswer]:
    fresh = [a for a in answers if a.shown_at is None]
    for answer in fresh:
        answer.shown_at = at
    return fresh


# ---------------------------------------------------------------------------
# Commands.


async def run_now(ctx: Context, args: str) -> None:
    """Ask an icebreaker in the group's channel now."""
    group = ctx.the_group()
    live = [r for r in await ctx.uow.icebreakers.unfinished(group.id) if r.phase == "started"]
    if live:
        raise Refusal(
            f"There's an icebreaker going already: {live[0].text} Nothing was changed.",
            f"You can answer it with /icebreaker answer {live[0].id}, or pass.",
        )
    prompt = await _pick(ctx.uow, group)
    r = IcebreakerRound(
        group_id=group.id, prompt_ref=prompt.ref, text=prompt.text, phase="started",
        starts_at=ctx.now, closes_at=ctx.now + NOW_WINDOW, created_at=ctx.now,
    )
    ctx.uow.session.add(r)
    await ctx.uow.session.flush()
    ctx.post(_ask(group, r, []))


async def _round(
    ctx: Context, args: str, strict: bool = False
) -> tuple[IcebreakerRound, str]:
    """The icebreaker meant (by number, else the one going now) and the rest of the words.

    strict: a number must name one of the group's icebreakers.
    """
    group = ctx.the_group()
    first, _, rest = args.strip().partition(" ")
    if first.isdigit():
        found = await ctx.uow.icebreakers.round(group.id, int(first))
        if found is not None:
            return found, rest.strip()
        if strict:
            raise Refusal(f"I can't find icebreaker {first[:12]}. Nothing was changed.",
                          START_ONE)
    unfinished = list(await ctx.uow.icebreakers.unfinished(group.id))
    live = [r for r in unfinished if r.phase == "started"] or unfinished
    if not live:
        raise Refusal(NONE_GOING, START_ONE)
    return live[0], args.strip()


def _still_open(r: IcebreakerRound, mine: IcebreakerAnswer | None) -> None:
    if r.phase == "closed":
        raise Refusal(
            "That icebreaker has finished, so nothing was changed.", START_ONE
        )
    if mine is not None and mine.shown_at is not None:
        raise Refusal(
            "Your answer has already been shared with the group, so nothing was changed."
        )


async def _mine(ctx: Context, r: IcebreakerRound) -> IcebreakerAnswer | None:
    return next(
        (a for a in await ctx.uow.icebreakers.answers(r.id) if a.person_id == ctx.person.id),
        None,
    )


async def _share_if_everyone(ctx: Context, r: IcebreakerRound) -> bool:
    """If everyone has answered or passed, post the answers not yet shown, together."""
    await ctx.uow.session.flush()
    if r.phase != "started" or not await _everyone_responded(ctx.uow, r):
        return False
    answers = await ctx.uow.icebreakers.answers(r.id)
    shown_before = any(a.shown_at is not None and a.text is not None for a in answers)
    fresh = [a for a in _mark_shown(answers, ctx.now) if a.text is not None]
    r.phase = "closed"
    if fresh or not shown_before:  # everyone's answers, the early ones too, together
        ctx.post(_answers_message(r, await _lines(ctx.uow, answers)))
    return True


async def answer(ctx: Context, args: str) -> None:
    """Answer an icebreaker; it is held and shown with everyone's."""
    r, text = await _round(ctx, args)
    text = " ".join(text.split())
    if not text:
        raise Refusal(
            "Please write your answer after the number. Nothing was changed.",
            f"For example: /icebreaker answer {r.id} My cat, Mabel. Or /icebreaker pass {r.id}.",
        )
    if len(text) > MAX_ANSWER:
        raise Refusal(f"Please keep your answer under {MAX_ANSWER} characters. "
                      "Nothing was changed.")
    mine = await _mine(ctx, r)
    _still_open(r, mine)
    if mine is None:
        ctx.uow.session.add(IcebreakerAnswer(round_id=r.id, person_id=ctx.person.id, text=text))
    else:
        mine.text = text
    if await _share_if_everyone(ctx, r):
        ctx.reply(message(ALL_SHARED))
        return
    when = "when the meeting starts" if r.phase == "open" else _until(ctx.the_group(), r)
    ctx.reply(message(THANKS_HELD.format(when=when),
                      "You can change it until then by answering again."))


async def pass_(ctx: Context, args: str) -> None:
    """Pass on an icebreaker: always fine, never counted."""
    r, _ = await _round(ctx, args, strict=True)
    mine = await _mine(ctx, r)
    _still_open(r, mine)
    if mine is None:
        ctx.uow.session.add(IcebreakerAnswer(round_id=r.id, person_id=ctx.person.id, text=None))
    else:
        mine.text = None
    shared = await _share_if_everyone(ctx, r)
    ctx.reply(message(PASSED, *(["Everyone has answered or passed now, so I've shared "
                                 "the answers."] if shared else [])))


async def add(ctx: Context, args: str) -> None:
    """Facilitators: add the group's own icebreaker."""
    text = " ".join(args.split())
    if not text:
        raise Refusal(
            "Please write the icebreaker after /icebreaker add. Nothing was changed.",
            "For example: /icebreaker add What's the best biscuit for dunking?",
        )
    if len(text) > MAX_PROMPT:
        raise Refusal(f"Please keep an icebreaker under {MAX_PROMPT} characters. "
                      "Nothing was changed.")
    if AVOID.search(text):
        raise Refusal(
            "Icebreakers here stay away from health, trauma, family, loss and money, "
            "because they can hurt, or not everyone has them. Nothing was changed.",
            "Could you ask about something small and everyday instead, like pets, hobbies "
            "or what people are watching?",
        )
    group = ctx.the_group()
    own = await ctx.uow.icebreakers.prompts(group.id)
    if any(p.text.casefold() == text.casefold() for p in own) or any(
        p.text.casefold() == text.casefold() for p in bank()
    ):
        raise Refusal("That icebreaker is already in the bank, so nothing was changed.")
    prompt = IcebreakerPrompt(group_id=group.id, text=text, added_by=ctx.person.id,
                              removed=False, created_at=ctx.now)
    ctx.uow.session.add(prompt)
    await ctx.uow.session.flush()
    ctx.reply(message(
        f"Added as the group's icebreaker {prompt.id}: {text}",
        "It will come up in turn with the others. You can remove it with "
        f"/icebreaker remove {prompt.id}.",
    ))


async def list_own(ctx: Context, args: str) -> None:
    """Facilitators: the group's own icebreakers."""
    own = await ctx.uow.icebreakers.prompts(ctx.the_group().id)
    settings = await ctx.uow.checkins.settings(ctx.the_group().id)
    at_meetings = ("An icebreaker starts each meeting." if settings.icebreakers else
                   "Meetings don't start with an icebreaker (/icebreaker meetings on).")
    if not own:
        ctx.reply(message(
            f"This group hasn't added its own icebreakers. There are {len(bank())} in the "
            "bank, and you can add more with /icebreaker add.", at_meetings,
        ))
        return
    ctx.reply(message(
        Heading("The group's own icebreakers"),
        BulletList(tuple(f"{p.id}. {p.text}" for p in own)),
        f"They come up in turn with the {len(bank())} in the bank.", at_meetings,
    ))


async def remove(ctx: Context, args: str) -> None:
    """Facilitators: remove one of the group's own icebreakers."""
    number = args.strip()
    own = {p.id: p for p in await ctx.uow.icebreakers.prompts(ctx.the_group().id)}
    if not number.isdigit() or int(number) not in own:
        raise Refusal(
            "I can't find that icebreaker among the group's own. Nothing was changed.",
            "Type /icebreaker list to see their numbers.",
        )
    own[int(number)].removed = True
    ctx.reply(message(f"Removed: {own[int(number)].text}"))


async def at_meetings(ctx: Context, args: str) -> None:
    """Facilitators: whether each meeting starts with an icebreaker."""
    choice = args.strip().lower()
    if choice not in ("on", "off"):
        raise Refusal("Please say on or off. Nothing was changed.",
                      "For example: /icebreaker meetings off")
    settings = await ctx.uow.checkins.saved_settings(ctx.the_group().id)
    settings.icebreakers = choice == "on"
    ctx.post(message(
        f"{ctx.person.display_name} set meetings to start with an icebreaker."
        if choice == "on" else
        f"{ctx.person.display_name} set meetings to start without an icebreaker. "
        "Anyone can still ask for one with /icebreaker."
    ))


# ---------------------------------------------------------------------------
# The meeting cycle: housekeeping, planning, the pack.


async def housekeep(uow: UnitOfWork, group: Group, now: datetime) -> None:
    """Choose each meeting's icebreaker when its pack goes out; show early answers at the
    start; close icebreakers whose time is up."""
    settings = await uow.checkins.settings(group.id)
    if settings.icebreakers:
        lead = timedelta(minutes=group.pack_lead_minutes)
        for o in await between(uow, group, now - MEETING_WINDOW, now + lead + timedelta(days=1)):
            if o.start - lead > now:
                continue
            r = await uow.icebreakers.for_meeting(o.meeting.id, o.key)
            if r is None:
                prompt = await _pick(uow, group)
                uow.session.add(IcebreakerRound(
                    group_id=group.id, prompt_ref=prompt.ref, text=prompt.text,
                    meeting_id=o.meeting.id, occurrence=o.key, phase="open", starts_at=o.start,
                    closes_at=o.start + MEETING_WINDOW, created_at=now,
                ))
                await uow.session.flush()
            elif r.phase == "open":  # the meeting may have moved
                r.starts_at, r.closes_at = o.start, o.start + MEETING_WINDOW
    for r in await uow.icebreakers.unfinished(group.id):
        if r.phase == "open" and r.starts_at <= now:
            _mark_shown(await uow.icebreakers.answers(r.id), r.starts_at)
            r.phase = "closed" if await _everyone_responded(uow, r) else "started"
        if r.phase == "started" and r.closes_at <= now:
            _mark_shown(await uow.icebreakers.answers(r.id), r.closes_at)
            r.phase = "closed"


def _start(group: Group, o: Occurrence) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        r = await uow.icebreakers.for_meeting(o.meeting.id, o.key)
        if r is None:
            return None
        answers = [a for a in await uow.icebreakers.answers(r.id) if a.shown_at == r.starts_at]
        return _ask(group, r, await _lines(uow, answers))

    return Due(
        key=f"icebreaker:m{o.meeting.id}:{o.key}", kind="icebreaker",
        label=f"the icebreaker at the start of {o.meeting.title}", due_at=o.start, group=group,
        recipients="channel", build=build, planned_at=o.meeting.created_at,
        expires_at=o.end,
    )


Find = Callable[[UnitOfWork], Awaitable[IcebreakerRound | None]]


def _of_meeting(o: Occurrence) -> Find:
    async def find(uow: UnitOfWork) -> IcebreakerRound | None:
        return await uow.icebreakers.for_meeting(o.meeting.id, o.key)

    return find


def _by_number(group_id: int, round_id: int) -> Find:
    async def find(uow: UnitOfWork) -> IcebreakerRound | None:
        return await uow.icebreakers.round(group_id, round_id)

    return find


def _closing(group: Group, key: str, label: str, at: datetime, planned: datetime,
             find: Find) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        r = await find(uow)
        if r is None:
            return None
        answers = await uow.icebreakers.answers(r.id)
        if not any(a.shown_at == r.closes_at and a.text is not None for a in answers):
            return None  # nothing new since the answers were last shown
        return _answers_message(r, await _lines(uow, answers))  # everyone's, together

    return Due(
        key=key, kind="icebreaker-answers", label=label, due_at=at, group=group,
        recipients="channel", build=build, planned_at=planned,
        expires_at=at + timedelta(days=1),
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """The icebreaker at each meeting's start, and the answers when each one closes."""
    dues: list[Due] = []
    if (await uow.checkins.settings(group.id)).icebreakers:
        for o in await between(uow, group, start - MEETING_WINDOW, end + timedelta(days=1)):
            dues.append(_start(group, o))
            dues.append(_closing(
                group, f"icebreaker-answers:m{o.meeting.id}:{o.key}",
                f"the icebreaker answers from {o.meeting.title}", o.start + MEETING_WINDOW,
                o.meeting.created_at, _of_meeting(o),
            ))
    for r in await uow.icebreakers.closing_between(group.id, start, end):
        dues.append(_closing(
            group, f"icebreaker-answers:r{r.id}", "the icebreaker answers", r.closes_at,
            r.created_at, _by_number(group.id, r.id),
        ))
    return [d for d in dues if start <= d.due_at <= end]


async def pack_section(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Block]:
    """The meeting's icebreaker, so people can think ahead (or answer early)."""
    if not (await uow.checkins.settings(group.id)).icebreakers:
        return []
    r = await uow.icebreakers.for_meeting(o.meeting.id, o.key)
    if r is None:
        return []
    return [
        Paragraph(f"Icebreaker at the start: {r.text}"),
        Paragraph(PACK_INVITE.format(id=r.id)),
    ]



COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="icebreaker",
        summary="A gentle question so we meet as people. Everyone is invited; pass any time.",
        usage="/icebreaker",
        examples=("/icebreaker", "/icebreaker answer 3 My cat, Mabel", "/icebreaker pass 3"),
        run=run_now,
        takes_text=False,
        unknown_hint="Type /help icebreaker to see what it can do.",
        subs=(
            Sub("answer", answer, "/icebreaker answer <number> <your words>",
                "Answer an icebreaker. Answers are shown together, so take your time."),
            Sub("pass", pass_, "/icebreaker pass <number>",
                "Pass on an icebreaker. Always fine, and nobody keeps count."),
            Sub("add", add, "/icebreaker add <question>",
                "Add the group's own icebreaker. Keep it light and everyday.",
                facilitator_only=True),
            Sub("list", list_own, "/icebreaker list",
                "See the group's own icebreakers.", facilitator_only=True),
            Sub("remove", remove, "/icebreaker remove <number>",
                "Remove one of the group's own icebreakers.", facilitator_only=True),
            Sub("meetings", at_meetings, "/icebreaker meetings on|off",
                "Whether each meeting starts with an icebreaker (on at first).",
                facilitator_only=True),
        ),
    ),
)

FEATURE = Feature(
    name="icebreakers",
    commands=COMMANDS,
    planners=(plan,),
    housekeeping=(housekeep,),
    pack_sections=(pack_section,),
)
