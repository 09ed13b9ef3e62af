"""Who was there? One private question after each meeting date, and `/contributions there`.

As a meeting date ends (the chair's /end, or its planned end) its chair is asked,
privately and once, who came: the chair (slot 0) of that date, else its minute-taker,
else the facilitators. The question suggests the people who said "I'll be there"
(/coming) and the people who held a role that day, minus anyone who said they
couldn't come, with one button to confirm it and a line on how to correct it.
Check-in answers are not used: they are kept anonymously (a keyed hash the planner
doesn't have), and a list of names must not tell anyone who answered a check-in.

`/contributions there [date] [who]` records it (the chair, the minute-taker or a
facilitator of that date): "as listed", "everyone", "everyone except @dan",
"nobody" or @mentions (Slack and Matrix mention pills arrive as user ids, which
`find_member` knows). Saying it again replaces the record.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import dateparser

from handlers.attendance.wording import NO, YES
from handlers.core.commands import Context, Refusal
from handlers.core.due import Due, Recipients
from handlers.core.messages import Choices, Message, Option, message
from handlers.core.occurrences import Occurrence, between
from handlers.core.parsing import find_member
from handlers.core.words import and_list
from handlers.followups import facilitator_names, local_today, occurrence_words
from storage.models import Group, Membership, Person
from storage.uow import UnitOfWork

#: The roles whose holders may say who came (as well as facilitators); the first of them
#: held that day (slot 0, not a co-chair) is asked, else the facilitators are.
ROLES = ("chair", "minutes")
#: How long the question is worth sending after the meeting (quiet hours, away days).
USEFUL_FOR = timedelta(days=3)
#: How far back a meeting date can be named.
LOOK_BACK = timedelta(days=120)

_TOKEN = re.compile(r"^m(\d{1,9})/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})$", re.IGNORECASE)
_CONFIRM = re.compile(r"^(as listed|yes|yes,? that'?s right|that'?s right|as suggested)\W*$", re.I)
_EVERYONE = re.compile(
    r"^(everyone|everybody|all of us|all)\b\W*(?:(?:except|but|apart from|not|minus)\b(.*))?$",
    re.IGNORECASE | re.DOTALL,
)
_NOBODY = re.compile(r"^(nobody|no one|no-one|none)\W*$", re.IGNORECASE)
_WHO_STARTS = re.compile(
    r"(?:^|\s)(?=@|as listed\b|yes\b|that'?s right\b|as suggested\b|everyone\b|everybody\b"
    r"|all\b|nobody\b|no one\b|no-one\b|none\b)",
    re.IGNORECASE,
)
_LAST = ("", "last", "last meeting", "the last meeting")


def token(o: Occurrence) -> str:
    """How a button names one meeting date: 'm3/2026-12-05T14:00'."""
    return f"m{o.meeting.id}/{o.key}"


def _day_words(o: Occurrence) -> str:
    """'5 December': how a person can name the date back."""
    return f"{o.local_start.day} {o.local_start:%B}"


def _names(members: list[Membership]) -> str:
    return and_list([m.person.display_name for m in members])


async def suggested(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Membership]:
    """Members who said they'd come or held a role that day, minus those who said no."""
    answers = await uow.attendance.of_date(o.meeting.id, o.key)
    yes = {a.person_id for a in answers if a.answer == YES}
    no = {a.person_id for a in answers if a.answer == NO}
    roles = {a.person_id for a in await uow.roles.assignments(o.meeting.id, o.key)}
    came = (yes | {p for p in roles if p is not None}) - no
    return [m for m in await uow.groups.members(group.id) if m.person_id in came]


async def question(uow: UnitOfWork, group: Group, o: Occurrence) -> Message:
    """'Who was there?' with a guess, one button to confirm it, and how to correct it."""
    guess = await suggested(uow, group, o)
    day = _day_words(o)
    correct = "If it's not right, tell me who came." if guess else "Or tell me who came."
    if guess:
        lines = (
            f"I think these people came: {_names(guess)}. Is that right?",
            Choices(
                (
                    Option(
                        "Yes, that's right", f"/contributions there {token(o)} as listed", group.id
                    ),
                )
            ),
        )
    else:
        lines = (
            "Nobody told me they were coming, so I can't guess this time.",
            Choices(
                (Option("Everyone came", f"/contributions there {token(o)} everyone", group.id),)
            ),
        )
    return message(
        f"Who was there? {occurrence_words(o)} has finished.",
        "I keep a note of who came, so everyone's time is counted.",
        *lines,
        f"{correct} Put @ before each name, like this: /contributions there {day} @name @name",
        f"Or: /contributions there {day} everyone except @name",
        "You can skip this.",
        summary=f"Who was at {o.meeting.title}?",
    )


async def _asked(uow: UnitOfWork, o: Occurrence) -> tuple[Recipients, int | None]:
    """Who is asked: the chair of that date, else its minute-taker, else the facilitators."""
    holding = await uow.roles.assignments(o.meeting.id, o.key)
    for role in ROLES:
        found = [a.person_id for a in holding if a.role == role and a.slot == 0 and a.person_id]
        if found:
            return "person", found[0]
    return "facilitators", None


def _due(group: Group, o: Occurrence, who: Recipients, person_id: int | None) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        if await uow.contributions.presence_check(o.meeting.id, o.key) is not None:
            return None  # someone has already said
        return await question(uow, group, o)

    return Due(
        key=f"present:m{o.meeting.id}:{o.key}",
        kind="present",
        label=f"who was at {o.meeting.title} ({o.when()})",
        due_at=o.end,
        group=group,
        recipients=who,
        person_id=person_id,
        build=build,
        planned_at=o.meeting.created_at,
        expires_at=o.end + USEFUL_FOR,
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """One 'Who was there?' for each meeting date that ends in [start, end]."""
    dues = []
    for o in await between(uow, group, start - timedelta(days=1), end):
        if start <= o.end <= end:
            who, person_id = await _asked(uow, o)
            dues.append(_due(group, o, who, person_id))
    return dues


# /contributions there


def _split(args: str) -> tuple[str, str]:
    """'5 December @bob @carol' -> ('5 December', '@bob @carol')."""
    text = " ".join(args.split())
    found = _WHO_STARTS.search(text)
    if found is None:
        return text, ""
    return text[: found.start()].strip(), text[found.start() :].strip()


def _past_day(words: str, today: date) -> date | None:
    """'5 December', '2026-12-05', 'yesterday', 'Tuesday' -> that day, this side of today."""
    try:
        return date.fromisoformat(words)
    except ValueError:
        pass
    parsed = dateparser.parse(
        words,
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "past",
            "RELATIVE_BASE": datetime.combine(today, time(12)),
            "DATE_ORDER": "DMY",
        },
    )
    return parsed.date() if parsed else None


async def _meeting_date(ctx: Context, words: str) -> Occurrence:
    """The meeting date the words name; it must have started."""
    group = ctx.the_group()
    found = await between(ctx.uow, group, ctx.now - LOOK_BACK, ctx.now + LOOK_BACK)
    started = [o for o in found if o.start <= ctx.now]
    if words.lower() in _LAST:
        ended = [o for o in started if o.end <= ctx.now]
        if not ended:
            raise Refusal(
                "No meeting has finished yet, so there's nobody to note. Nothing was changed."
            )
        return max(ended, key=lambda o: o.end)
    if (match := _TOKEN.match(words)) is not None:
        number, key = int(match.group(1)), match.group(2)
        chosen = [o for o in found if o.meeting.id == number and o.key == key]
    else:
        day = _past_day(words, local_today(group, ctx.now))
        if day is None:
            raise Refusal(
                f'I couldn\'t tell which meeting "{words[:40]}" is. Nothing was changed.',
                "Name its date, like 5 December, or say last for the last meeting.",
            )
        chosen = [o for o in found if o.local_start.date() == day]
    if not chosen:
        raise Refusal(
            "I couldn't find a meeting on that date. Nothing was changed.",
            "Type /meeting to see the meetings, or say last for the last meeting.",
        )
    if all(o.start > ctx.now for o in chosen):
        raise Refusal(
            f"{occurrence_words(chosen[0])} hasn't started yet. Nothing was changed.",
            "You can say who came once it has started.",
        )
    return [o for o in chosen if o.start <= ctx.now][-1]


async def _may_record(ctx: Context, o: Occurrence) -> bool:
    if ctx.is_facilitator:
        return True
    holders = await ctx.uow.followups.holders(o.meeting.id, o.key, ROLES)
    return ctx.person.id in holders


async def _mentioned(ctx: Context, words: str) -> list[Membership]:
    """The members named with @ (names may have spaces; commas and 'and' between)."""
    names: list[str] = []
    for word in re.split(r"[\s,]+", words):
        if not word or word.lower() in ("and", "&"):
            continue
        if word.startswith("@"):
            names.append(word)
        elif names:
            names[-1] = f"{names[-1]} {word}"
        else:
            raise Refusal(
                f'I couldn\'t tell who "{word[:40]}" is. Nothing was changed.',
                "Please put @ before each name, like @sam.",
            )
    found: dict[int, Membership] = {}
    for name in names:
        member = await find_member(ctx, name.rstrip(".!?;:"))
        found.setdefault(member.person_id, member)
    return list(found.values())


async def _who(ctx: Context, o: Occurrence, words: str) -> list[Membership]:
    group = ctx.the_group()
    example = f"/contributions there {_day_words(o)} @name"
    if _CONFIRM.match(words):
        guess = await suggested(ctx.uow, group, o)
        if not guess:
            raise Refusal(
                "I didn't have anyone listed for that meeting. Nothing was changed.",
                f"Please say who came, like this: {example}",
            )
        return guess
    if _NOBODY.match(words):
        return []
    everyone = _EVERYONE.match(words)
    if everyone is None:
        return await _mentioned(ctx, words)
    if everyone.group(2) is not None and not everyone.group(2).strip():
        raise Refusal(
            "Please say who to leave out, with @ before each name. Nothing was changed.",
            f"For example: /contributions there {_day_words(o)} everyone except @name",
        )
    left_out = {m.person_id for m in await _mentioned(ctx, everyone.group(2) or "")}
    return [m for m in await ctx.uow.groups.members(group.id) if m.person_id not in left_out]


async def there(ctx: Context, args: str) -> None:
    """Say who was at a meeting date (its chair, minute-taker or a facilitator)."""
    when, who = _split(args)
    o = await _meeting_date(ctx, when)
    if not await _may_record(ctx, o):
        raise Refusal(
            f"Only the chair, the minute-taker or a facilitator can say who came to "
            f"{occurrence_words(o)}. Nothing was changed.",
            f"If something is missing, you could tell {await facilitator_names(ctx) or 'them'}.",
        )
    if not who:
        await _show(ctx, o)
        return
    came = await _who(ctx, o, who)
    group = ctx.the_group()
    again = await ctx.uow.contributions.record_presence(
        group.id, o.meeting.id, o.key, ctx.person.id, ctx.now, [m.person_id for m in came]
    )
    said = "changed" if again else "noted"
    ctx.reply(
        message(
            f"Thank you. I've {said} who came to {occurrence_words(o)}: {_names(came)}."
            if came
            else f"Thank you. I've {said} that nobody came to {occurrence_words(o)}.",
            f"To change it, say /contributions there {_day_words(o)} and who came.",
        )
    )


async def _show(ctx: Context, o: Occurrence) -> None:
    """The record for that date, or the question with its guess."""
    check = await ctx.uow.contributions.presence_check(o.meeting.id, o.key)
    if check is None:
        ctx.reply(await question(ctx.uow, ctx.the_group(), o))
        return
    present = await ctx.uow.contributions.present(check)
    came = [m for m in await ctx.uow.groups.members(ctx.the_group().id) if m.person_id in present]
    ctx.reply(
        message(
            f"I have these people down as coming to {occurrence_words(o)}: {_names(came)}."
            if came
            else f"I have nobody down as coming to {occurrence_words(o)}.",
            f"To change it, say /contributions there {_day_words(o)} and who came. "
            f"For example: /contributions there {_day_words(o)} everyone except @name",
        )
    )
