"""Equal pay for equal roles: does the group's payment offer pay one role differently by
perspective?

`/group payment` keeps the offer in the group's own words ("Co-chairs: £50 per meeting
for the clinical co-chair, £25 for the lived-experience co-chair"). `unequal` reads those
words clause by clause: an amount, the role it is for (chair, minute-taker, members, or a
role the group added) and whose perspective the clause names (handlers/rotation/
perspective.py). When one role gets different amounts for lived experience and for
professionals, in the same currency and per the same unit, the facilitators are told
privately. The offer is saved either way: it is the group's to decide.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from handlers import readiness
from handlers.core.commands import Context
from handlers.core.messages import BulletList, Message, Outgoing, ToPerson, message
from handlers.rotation.fairness import LIVED, PROFESSIONAL
from handlers.rotation.perspective import perspective_side

CHAIR = "chair"
MINUTES = "minute-taker"
FACILITATOR = "facilitator"
MEMBER = "member"

#: Roles anyone's offer may name, by the words people use for them.
_ROLES: tuple[tuple[str, str], ...] = (
    (CHAIR, r"co-?\s?chair(?:s|persons?|people)?|chair(?:s|persons?|people|m[ae]n|wom[ae]n)?"),
    (MINUTES, r"minute[- ]?takers?|taking (?:the )?minutes|note[- ]?takers?"),
    (FACILITATOR, r"co-?facilitators?|facilitators?"),
    (MEMBER, r"members?|participants?|attendees?|representatives?"),
)
_CURRENCY_WORDS = {
    "pound": "£",
    "pounds": "£",
    "gbp": "£",
    "euro": "€",
    "euros": "€",
    "eur": "€",
    "dollar": "$",
    "dollars": "$",
    "usd": "$",
}
_AMOUNT = re.compile(
    r"(?P<sign>[£$€])\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)"
    r"|(?P<num2>\d+(?:\.\d{1,2})?)\s?(?P<word>pounds?|gbp|euros?|eur|dollars?|usd)\b",
    re.IGNORECASE,
)
_UNIT = re.compile(
    r"\b(?:per|a|an|each|every)\s+(?P<unit>half[- ]day|meeting|session|hour|hr|day|week|month|"
    r"year)s?\b|/\s?(?P<short>meeting|session|hour|hr|h|day)\b|\b(?P<ly>hourly|daily|monthly)\b",
    re.IGNORECASE,
)
_UNIT_NAMES = {"session": "meeting", "hr": "hour", "h": "hour", "hourly": "hour", "daily": "day"}
_SEGMENT = re.compile(r"[;\n]|\.(?=\s|$)")
_HEADING = re.compile(r":(?!\d)")
#: A clause ends at a comma (not inside 1,000) or before "and"/"but" that leads to an amount.
_CLAUSE = re.compile(
    r",(?!\d{3})|\s(?:and|but|while|whereas)\s(?=[^,]*(?:[£$€]|\d+\s?(?:pounds?|euros?)))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Offer:
    """One amount in the offer: for which role, for whom, how much and per what."""

    role: str
    side: str | None  # LIVED, PROFESSIONAL or None (the words name neither, or both)
    amount: Decimal
    currency: str
    unit: str | None
    words: str  # the clause as the group wrote it


@dataclass(frozen=True)
class Unequal:
    """One role paid differently for lived experience than for professionals."""

    role: str
    lived: tuple[Offer, ...]
    professional: tuple[Offer, ...]


def _role_patterns(extra: Iterable[str]) -> list[tuple[str, re.Pattern[str]]]:
    known = [(name, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for name, words in _ROLES]
    for label in extra:
        label = label.strip().lower()
        if label and not any(p.fullmatch(label) for _, p in known):
            words = r"[- ]?".join(re.escape(w) for w in label.split())
            known.append((label, re.compile(rf"\b{words}s?\b", re.IGNORECASE)))
    return known


def _roles_in(text: str, patterns: list[tuple[str, re.Pattern[str]]]) -> tuple[str | None, str]:
    """The first role the words name (None if none), and the words without any role."""
    found: tuple[int, str] | None = None
    for name, pattern in patterns:
        match = pattern.search(text)
        if match and (found is None or match.start() < found[0]):
            found = (match.start(), name)
        text = pattern.sub(" ", text)
    return (found[1] if found else None), text


def _unit(text: str) -> str | None:
    match = _UNIT.search(text)
    if match is None:
        return None
    word = (match.group("unit") or match.group("short") or match.group("ly")).lower()
    word = word.replace("-", " ")
    return _UNIT_NAMES.get(word, word)


def _amounts(text: str) -> list[tuple[Decimal, str]]:
    found = []
    for match in _AMOUNT.finditer(text):
        if match.group("sign"):
            number, currency = match.group("num"), match.group("sign")
        else:
            number, currency = match.group("num2"), _CURRENCY_WORDS[match.group("word").lower()]
        found.append((Decimal(number.replace(",", "")), currency))
    return found


def offers(text: str, roles: Iterable[str] = ()) -> list[Offer]:
    """Every amount in the offer, with the role, perspective and unit its words give it.

    A clause without a role is for the role named just before it (in a heading such as
    "Co-chairs:" or an earlier clause), or for members if none was; one without a unit
    is per the unit named just before it in the same sentence. `roles`: the group's own
    role names, like "timekeeper".
    """
    patterns = _role_patterns(roles)
    found: list[Offer] = []
    role: str | None = None
    for segment in _SEGMENT.split(text):
        heading_side: str | None = None
        parts = _HEADING.split(segment, maxsplit=1)
        if len(parts) == 2:
            named, rest = _roles_in(parts[0], patterns)
            role = named or role
            heading_side = perspective_side(rest)
        unit: str | None = None
        for clause in _CLAUSE.split(parts[-1]):
            amounts = _amounts(clause)
            named, rest = _roles_in(_AMOUNT.sub(" ", _UNIT.sub(" ", clause)), patterns)
            role = named or role
            if not amounts:
                continue
            unit = _unit(clause) or unit
            side = perspective_side(rest) or heading_side
            found += [
                Offer(role or MEMBER, side, amount, currency, unit, " ".join(clause.split()))
                for amount, currency in amounts
            ]
    return found


def unequal(text: str, roles: Iterable[str] = ()) -> list[Unequal]:
    """Each role the offer pays differently by perspective, in the order the offer names it.

    Amounts are compared only in the same currency and per the same unit (an amount with
    no unit counts as per the unit the others for that role name, when they name one).
    """
    by_role: dict[tuple[str, str], list[Offer]] = defaultdict(list)
    for offer in offers(text, roles):
        by_role[(offer.role, offer.currency)].append(offer)
    result: list[Unequal] = []
    for (role, _), found in by_role.items():
        units = {o.unit for o in found if o.unit is not None}
        groups: dict[str | None, list[Offer]] = defaultdict(list)
        for o in found:
            groups[next(iter(units)) if len(units) == 1 else o.unit].append(o)
        for same in groups.values():
            lived = tuple(o for o in same if o.side == LIVED)
            professional = tuple(o for o in same if o.side == PROFESSIONAL)
            if (
                lived
                and professional
                and {o.amount for o in lived} != {o.amount for o in professional}
            ):
                result.append(Unequal(role, lived, professional))
    return result


def _who(role: str) -> str:
    return "members" if role == MEMBER else f"the {role}"


def note(found: Sequence[Unequal], written_by: str | None = None) -> Message:
    """The private note to a facilitator (`written_by`: who wrote the offer, if not them)."""
    parts: list[str | BulletList] = [
        f"{written_by} wrote down the group's payment offer. A note about it, for the "
        "facilitators only."
        if written_by
        else "A note about the payment offer, for the facilitators only."
    ]
    for u in found:
        said = dict.fromkeys(o.words for o in (*u.professional, *u.lived))
        parts += [
            f"It pays {_who(u.role)} different amounts, by perspective:",
            BulletList(tuple(f"'{words}'" for words in said)),
        ]
    parts += [
        "Co-production asks for equal pay for equal roles. People who do the same job "
        "should get the same pay. Paying one side less can say their time is worth less.",
        "The offer is saved as it is. To change it, type /group payment and the new offer.",
    ]
    return message(*parts, summary="A note about equal pay for equal roles")


async def payment(ctx: Context, args: str) -> None:
    """/group payment: see or write the offer; when a facilitator writes one that pays a
    role differently by perspective, the facilitators are told privately."""
    await readiness.payment(ctx, args)
    text = args.strip()
    if not text:
        return
    group = ctx.the_group()
    labels = [r.label for r in await ctx.uow.roles.defined(group.id)]
    found = unequal(text, labels)
    if not found:
        return
    ctx.reply(note(found))
    others = note(found, written_by=ctx.person.display_name)
    for member in await ctx.uow.groups.members(group.id):
        if member.is_facilitator and member.person_id != ctx.person.id:
            ctx.outgoing.append(Outgoing(others, ToPerson(member.person_id, group.id)))
